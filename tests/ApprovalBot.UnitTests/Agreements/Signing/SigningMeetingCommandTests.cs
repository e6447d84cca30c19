using ApprovalBot.Agreements.Signing;
using ApprovalBot.Protocol.Routing;

namespace ApprovalBot.UnitTests.Agreements.Signing;

/// <summary>Reading <c>signing meeting …</c>: the name before the date, the time, an optional duration, notes, cancel; bad input says what is wrong.</summary>
public class SigningMeetingCommandTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static SigningMeetingCommandHandler.Parsed Parse(string text) =>
        SigningMeetingCommandHandler.Parse(CommandLine.Parse(text)!.Tokens, Berlin);

    [Fact]
    public void Parse_ReadsANameWithSpaces_TheLocalTime_TheDuration_AndTheNotes()
    {
        var parsed = Parse("signing meeting Contoso help desk 2026-12-10 14:00 1h30m Board room 2, 3rd floor");

        Assert.Null(parsed.Error);
        Assert.Equal(("Contoso help desk", new DateTime(2026, 12, 10, 14, 0, 0), TimeSpan.FromMinutes(90), "Board room 2, 3rd floor", false),
            (parsed.Name, parsed.Start!.Value, parsed.Duration!.Value, parsed.Notes, parsed.Cancel));
    }

    [Theory]
    [InlineData("45m", 45)]
    [InlineData("90min", 90)]
    [InlineData("2h", 120)]
    [InlineData("1H15M", 75)]
    public void Parse_ReadsTheDurationForms(string duration, int minutes)
    {
        var parsed = Parse($"signing meeting Contoso 2026-12-10 9:30 {duration}");

        Assert.Equal((new DateTime(2026, 12, 10, 9, 30, 0), TimeSpan.FromMinutes(minutes), (string?)null), (parsed.Start!.Value, parsed.Duration!.Value, parsed.Notes));
    }

    [Fact]
    public void Parse_LeavesTheDurationToTheDefault_WhenTheNextWordIsNotOne()
    {
        var parsed = Parse("signing meeting Contoso 2026-12-10 14:00 2nd floor");

        Assert.Equal(((TimeSpan?)null, "2nd floor"), (parsed.Duration, parsed.Notes));
    }

    [Fact]
    public void Parse_ReadsCancel()
    {
        var parsed = Parse("signing meeting \"Contoso help desk\" cancel");

        Assert.Equal(("Contoso help desk", true, (string?)null), (parsed.Name, parsed.Cancel, parsed.Error));
    }

    [Theory]
    [InlineData("signing meeting", "Give the agreement")]
    [InlineData("signing meeting Contoso", "Give the date and time of the meeting after the agreement's name (yyyy-MM-dd HH:mm, in Europe/Berlin)")]
    [InlineData("signing meeting Contoso tomorrow 14:00", "Give the date and time")]
    [InlineData("signing meeting 2026-12-10 14:00", "Give the agreement's name before the date")]
    [InlineData("signing meeting Contoso 2026-12-10", "Give the time after the date")]
    [InlineData("signing meeting Contoso 2026-12-10 2pm", "Give the time after the date")]
    [InlineData("signing meeting Contoso 2026-13-40 14:00", "'2026-13-40 14:00' is not a date and time")]
    [InlineData("signing meeting Contoso 2026-12-10 25:00", "is not a date and time")]
    public void Parse_SaysWhatIsWrong(string text, string error)
    {
        var parsed = Parse(text);

        Assert.Contains(error, parsed.Error, StringComparison.Ordinal);
    }
}
