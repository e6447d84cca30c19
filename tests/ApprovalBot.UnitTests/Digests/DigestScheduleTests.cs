using ApprovalBot.Digests.Subscriptions;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Digests;
using ApprovalBot.Scheduling;

namespace ApprovalBot.UnitTests.Digests;

/// <summary>Reading <c>daily HH:MM</c> / <c>weekly DAY HH:MM</c>, and the next occurrence in a zone across DST.</summary>
public class DigestScheduleTests
{
    private static DateTimeOffset Next(DigestSchedule schedule, TimeZoneInfo zone, DateTimeOffset after) =>
        ZonedCron.Create(schedule.Cron, zone).Next(after)!.Value;

    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static DigestSchedule Parse(string text) => DigestSchedule.Parse(text.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static string Problem(string text) => Assert.Throws<DomainException>(() => Parse(text)).Message;

    [Theory]
    [InlineData("daily 08:00", DigestFrequency.Daily, null, 8, 0, "0 8 * * *")]
    [InlineData("daily 8:05", DigestFrequency.Daily, null, 8, 5, "5 8 * * *")]
    [InlineData("DAILY 23:59", DigestFrequency.Daily, null, 23, 59, "59 23 * * *")]
    [InlineData("weekly mon 09:00", DigestFrequency.Weekly, DayOfWeek.Monday, 9, 0, "0 9 * * 1")]
    [InlineData("weekly Sunday 00:00", DigestFrequency.Weekly, DayOfWeek.Sunday, 0, 0, "0 0 * * 0")]
    public void Parse_ReadsTheFrequencyDayAndTime(string text, DigestFrequency frequency, DayOfWeek? day, int hour, int minute, string cron)
    {
        var schedule = Parse(text);

        Assert.Equal((frequency, day, new TimeOnly(hour, minute)), (schedule.Frequency, schedule.Day, schedule.At));
        Assert.Equal(cron, schedule.Cron);
    }

    [Theory]
    [InlineData("weekly 25:00", "'weekly' needs a day before the time", "'25:00' is not a time of day")]
    [InlineData("weekly funday 09:00", "'funday' is not a day of the week", "mon, tue")]
    [InlineData("daily", "'daily' needs a time of day", "digest daily 08:00")]
    [InlineData("daily 24:00", "'24:00' is not a time of day", "00:00 to 23:59")]
    [InlineData("daily 8am", "'8am' is not a time of day", "HH:MM")]
    [InlineData("weekly mon", "'weekly mon' needs a time of day too", "digest weekly mon 09:00")]
    [InlineData("weekly mon 9:60", "'9:60' is not a time of day", "23:59")]
    [InlineData("monthly 08:00", "'monthly' is not a frequency", "daily or weekly")]
    [InlineData("weekly funday 25:00", "'funday' is not a day of the week", "'25:00' is not a time of day")]
    public void Parse_NamesWhatIsWrong(string text, string what, string hint)
    {
        var message = Problem(text);

        Assert.Contains(what, message, StringComparison.Ordinal);
        Assert.Contains(hint, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Next_IsTheLocalTime_OnBothSidesOfTheSpringForward_InBerlin()
    {
        var daily8 = Parse("daily 08:00");

        // Saturday 28 March 2026 08:00 CET (UTC+1), then Sunday 29 March 08:00 CEST (UTC+2).
        var saturday = Next(daily8, Berlin, new DateTimeOffset(2026, 3, 28, 0, 0, 0, TimeSpan.Zero));
        var sunday = Next(daily8, Berlin, saturday);

        Assert.Equal(new DateTimeOffset(2026, 3, 28, 7, 0, 0, TimeSpan.Zero), saturday);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 6, 0, 0, TimeSpan.Zero), sunday);
        Assert.Equal(TimeSpan.FromHours(23), sunday - saturday);
    }

    [Fact]
    public void Next_IsTheLocalTime_OnBothSidesOfTheFallBack_InBerlin()
    {
        var daily8 = Parse("daily 08:00");

        var saturday = Next(daily8, Berlin, new DateTimeOffset(2026, 10, 24, 0, 0, 0, TimeSpan.Zero));
        var sunday = Next(daily8, Berlin, saturday);

        Assert.Equal(new DateTimeOffset(2026, 10, 24, 6, 0, 0, TimeSpan.Zero), saturday); // 08:00 CEST
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 7, 0, 0, TimeSpan.Zero), sunday);   // 08:00 CET
        Assert.Equal(TimeSpan.FromHours(25), sunday - saturday);
    }

    [Fact]
    public void Next_DeliversATimeTheSpringForwardSkips_AtTheEndOfTheGap_ThenAtTheLocalTimeAgain()
    {
        var daily0230 = Parse("daily 02:30");

        // 29 March 2026 in Berlin: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist that day.
        var saturday = Next(daily0230, Berlin, new DateTimeOffset(2026, 3, 28, 0, 0, 0, TimeSpan.Zero));
        var sunday = Next(daily0230, Berlin, saturday);
        var monday = Next(daily0230, Berlin, sunday);

        Assert.Equal(new DateTimeOffset(2026, 3, 28, 1, 30, 0, TimeSpan.Zero), saturday); // 02:30 CET
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), sunday);    // 03:00 CEST, the first valid instant
        Assert.Equal(new DateTimeOffset(2026, 3, 30, 0, 30, 0, TimeSpan.Zero), monday);   // 02:30 CEST
    }

    [Fact]
    public void Next_DeliversATimeTheFallBackRepeats_Once()
    {
        var daily0230 = Parse("daily 02:30");

        // 25 October 2026 in Berlin: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice that night.
        var sunday = Next(daily0230, Berlin, new DateTimeOffset(2026, 10, 24, 12, 0, 0, TimeSpan.Zero));
        var next = Next(daily0230, Berlin, sunday);

        Assert.Equal(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), sunday); // the first 02:30 (CEST)
        Assert.Equal(new DateTimeOffset(2026, 10, 26, 1, 30, 0, TimeSpan.Zero), next);   // Monday 02:30 CET: the second 02:30 is skipped
    }

    [Fact]
    public void Next_FollowsNewYorksOwnDstDates_AndWeeklyDays()
    {
        var monday9 = Parse("weekly mon 09:00");

        // The US springs forward on 8 March 2026, Europe on 29 March: 09:00 New York is 14:00 UTC before, 13:00 after.
        var before = Next(monday9, NewYork, new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        var after = Next(monday9, NewYork, before);

        Assert.Equal(new DateTimeOffset(2026, 3, 2, 14, 0, 0, TimeSpan.Zero), before);
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 13, 0, 0, TimeSpan.Zero), after);
    }

    [Fact]
    public void Latest_IsTheNewestOccurrenceThatHasCome_NotTheFirstMissed()
    {
        var daily8 = Parse("daily 08:00");
        var missed = new DateTimeOffset(2026, 12, 7, 7, 0, 0, TimeSpan.Zero); // Monday 08:00 Berlin

        Assert.Equal(missed, ZonedCron.Create(daily8.Cron, Berlin).Latest(missed, missed.AddHours(1)));
        Assert.Equal(missed.AddDays(2), ZonedCron.Create(daily8.Cron, Berlin).Latest(missed, missed.AddDays(2).AddHours(3)));
        Assert.Equal(missed.AddDays(30), ZonedCron.Create(daily8.Cron, Berlin).Latest(missed, missed.AddDays(30).AddMinutes(1)));
        Assert.Null(ZonedCron.Create(daily8.Cron, Berlin).Latest(missed.AddMinutes(1), missed.AddHours(2)));
    }
}
