using System.Text.Json;
using ApprovalBot.Domain.Calendars;
using static ApprovalBot.UnitTests.Domain.Calendars.Wall;

namespace ApprovalBot.UnitTests.Domain.Calendars;

/// <summary>The stored shape of a calendar: validation that reports everything at once, and a JSON round trip.</summary>
public class BusinessCalendarDefinitionTests
{
    [Fact]
    public void Validate_ListsEveryProblemAtOnce_WhenDefinitionHasSeveral()
    {
        var definition = new BusinessCalendarDefinition
        {
            TimeZoneId = "Europe/Berln",
            WorkingHours =
            [
                new(DayOfWeek.Monday, T(8), T(12)),
                new(DayOfWeek.Monday, T(11), T(13)),
                new(DayOfWeek.Tuesday, T(17), T(9)),
                new(DayOfWeek.Wednesday, T(9), T(9)),
            ],
            Holidays = [new(new DateOnly(2025, 12, 25), "Christmas Day"), new(new DateOnly(2025, 12, 25))],
        };

        var problems = definition.Validate();

        Assert.Collection(
            problems,
            p => Assert.Contains("Unknown time zone 'Europe/Berln'", p, StringComparison.Ordinal),
            p => Assert.Equal("Working interval #3 (Tuesday 17:00–09:00): the start must be before the end (an end of 00:00 means midnight at the end of the day).", p),
            p => Assert.StartsWith("Working interval #4 (Wednesday 09:00–09:00): the start must be before the end", p, StringComparison.Ordinal),
            p => Assert.Equal("Working intervals #1 (Monday 08:00–12:00) and #2 (Monday 11:00–13:00) overlap.", p),
            p => Assert.Equal("Holiday #2 (2025-12-25) repeats holiday #1.", p));
    }

    [Fact]
    public void Create_ThrowsWithAllProblems_WhenDefinitionIsInvalid()
    {
        var definition = new BusinessCalendarDefinition { TimeZoneId = "Mars/Olympus_Mons" };

        var error = Assert.Throws<InvalidBusinessCalendarException>(() => BusinessCalendar.Create(definition));

        Assert.Equal(definition.Validate(), error.Problems);
        Assert.Equal(2, error.Problems.Count);
        Assert.All(error.Problems, p => Assert.Contains(p, error.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_RejectsACalendarWithoutWorkingTime_WhenNoIntervalsAreGiven()
    {
        var problem = Assert.Single(new BusinessCalendarDefinition { TimeZoneId = Berlin }.Validate());

        Assert.Contains("no working hours", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RejectsHoursAndHolidays_WhenCalendarIsTwentyFourSeven()
    {
        var definition = new BusinessCalendarDefinition
        {
            TimeZoneId = Berlin,
            TwentyFourSeven = true,
            WorkingHours = [new(DayOfWeek.Monday, T(9), T(17))],
            Holidays = [new(new DateOnly(2025, 12, 25))],
        };

        Assert.Equal(2, definition.Validate().Count);
    }

    [Fact]
    public void Validate_AsksForTheIanaId_WhenGivenAWindowsId()
    {
        var problem = Assert.Single(new BusinessCalendarDefinition { TimeZoneId = "W. Europe Standard Time", TwentyFourSeven = true }.Validate());

        Assert.Contains("'Europe/Berlin'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ReportsNullsAndUnknownDays_WhenJsonHadThem()
    {
        var definition = new BusinessCalendarDefinition
        {
            TimeZoneId = " ",
            WorkingHours = [null!, new((DayOfWeek)9, T(9), T(17))],
            Holidays = [null!],
        };

        var problems = definition.Validate();

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.Contains("time zone is missing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("#1 is empty", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("day of the week (9)", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Holiday #1 is empty", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_AcceptsWholeDaysAndTouchingIntervals_WhenEndIsMidnight()
    {
        var definition = new BusinessCalendarDefinition
        {
            TimeZoneId = Berlin,
            WorkingHours =
            [
                new(DayOfWeek.Saturday, T(0), T(0)),
                new(DayOfWeek.Monday, T(8), T(12)),
                new(DayOfWeek.Monday, T(12), T(17)),
                new(DayOfWeek.Friday, T(17), T(0)),
            ],
        };

        Assert.Empty(definition.Validate());
        var calendar = BusinessCalendar.Create(definition);
        Assert.Equal(Hours(9), calendar.BusinessTimeBetween(At(Berlin, 2025, 1, 6, 0, 0), At(Berlin, 2025, 1, 7, 0, 0)));
    }

    [Fact]
    public void Deserialize_RebuildsAnEqualDefinition_WhenRoundTrippedThroughJson()
    {
        var definition = BusinessCalendar.WeekdaysNineToFive(Berlin, [new(new DateOnly(2025, 12, 25), "Christmas Day")]).Definition with
        {
            WorkingHours = [new(DayOfWeek.Monday, T(8), T(12)), new(DayOfWeek.Monday, T(13), T(0))],
        };

        var json = JsonSerializer.Serialize(definition, JsonSerializerOptions.Web);
        var back = JsonSerializer.Deserialize<BusinessCalendarDefinition>(json, JsonSerializerOptions.Web);

        Assert.Equal(definition, back);
        Assert.Contains("\"end\":\"00:00:00\"", json, StringComparison.Ordinal);
        Assert.Contains("\"date\":\"2025-12-25\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_GivesAUsableCalendar_WhenJsonIsWrittenByHand()
    {
        const string json = """
            {
              "timeZoneId": "Asia/Kolkata",
              "workingHours": [
                { "day": 1, "start": "09:30", "end": "13:00" },
                { "day": 1, "start": "14:00", "end": "18:30" }
              ],
              "holidays": [ { "date": "2026-01-26", "name": "Republic Day" } ]
            }
            """;

        var definition = JsonSerializer.Deserialize<BusinessCalendarDefinition>(json, JsonSerializerOptions.Web)!;
        var calendar = BusinessCalendar.Create(definition);

        // Mondays 19 and 26 January 2026; the 26th is the holiday.
        Assert.Equal(Hours(8), calendar.BusinessTimeBetween(At(Kolkata, 2026, 1, 19, 0, 0), At(Kolkata, 2026, 1, 27, 0, 0)));
        Assert.False(definition.TwentyFourSeven);
    }

    [Fact]
    public void Equals_ComparesListsByContent_WhenDefinitionsAreBuiltSeparately()
    {
        BusinessCalendarDefinition Build() => new()
        {
            TimeZoneId = Berlin,
            WorkingHours = new List<WorkingInterval> { new(DayOfWeek.Monday, T(9), T(17)) },
            Holidays = new List<Holiday> { new(new DateOnly(2025, 12, 25), "Christmas Day") },
        };

        Assert.Equal(Build(), Build());
        Assert.Equal(Build().GetHashCode(), Build().GetHashCode());
        Assert.NotEqual(Build(), Build() with { Holidays = [] });
    }
}
