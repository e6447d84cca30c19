using ApprovalBot.Domain.Calendars;
using static ApprovalBot.UnitTests.Domain.Calendars.Wall;

namespace ApprovalBot.UnitTests.Domain.Calendars;

/// <summary>Business-time arithmetic on ordinary days: weekends, holidays, split days, 24×7, and the edges of a day.</summary>
public class BusinessCalendarTests
{
    private static readonly BusinessCalendar NineToFive = BusinessCalendar.WeekdaysNineToFive(Berlin);

    [Fact]
    public void AddBusinessTime_ContinuesOnMonday_WhenFridayEndsFirst()
    {
        var friday = At(Berlin, 2025, 1, 3, 16, 30);

        Assert.Equal(At(Berlin, 2025, 1, 6, 10, 30), NineToFive.AddBusinessTime(friday, Hours(2)));
    }

    [Fact]
    public void AddBusinessTime_StartsAtNextOpening_WhenStartIsOnAWeekend()
    {
        var saturday = At(Berlin, 2025, 1, 4, 12, 0);

        Assert.Equal(At(Berlin, 2025, 1, 6, 10, 0), NineToFive.AddBusinessTime(saturday, Hours(1)));
    }

    [Fact]
    public void AddBusinessTime_StartsAtOpening_WhenStartIsBeforeHoursOnAWorkingDay()
    {
        var early = At(Berlin, 2025, 1, 6, 6, 15);

        Assert.Equal(At(Berlin, 2025, 1, 6, 11, 0), NineToFive.AddBusinessTime(early, Hours(2)));
    }

    [Fact]
    public void BusinessTimeBetween_CountsOnlyWorkingHours_WhenSpanCrossesAWeekend()
    {
        var fridayAfternoon = At(Berlin, 2025, 1, 3, 15, 0);
        var mondayMorning = At(Berlin, 2025, 1, 6, 11, 0);

        Assert.Equal(Hours(4), NineToFive.BusinessTimeBetween(fridayAfternoon, mondayMorning));
    }

    [Fact]
    public void AddBusinessTime_SkipsHolidays_WhenTheyFallOnWorkingDays()
    {
        Holiday[] christmas = [new(new DateOnly(2025, 12, 24), "Christmas Eve"), new(new DateOnly(2025, 12, 25), "Christmas Day"), new(new DateOnly(2025, 12, 26))];
        var calendar = BusinessCalendar.WeekdaysNineToFive(Berlin, christmas);

        var due = calendar.AddBusinessTime(At(Berlin, 2025, 12, 23, 16, 0), Hours(2));

        Assert.Equal(At(Berlin, 2025, 12, 29, 10, 0), due);
        Assert.False(calendar.IsBusinessTime(At(Berlin, 2025, 12, 24, 10, 0)));
        Assert.Equal(Hours(8), calendar.BusinessTimeBetween(At(Berlin, 2025, 12, 23, 0, 0), At(Berlin, 2025, 12, 29, 9, 0)));
    }

    [Fact]
    public void AddBusinessTime_SkipsTheLunchBreak_WhenADayHasTwoIntervals()
    {
        var calendar = SplitDays(Berlin);

        Assert.Equal(At(Berlin, 2025, 1, 6, 14, 0), calendar.AddBusinessTime(At(Berlin, 2025, 1, 6, 11, 0), Hours(2)));
        Assert.Equal(At(Berlin, 2025, 1, 6, 13, 0), calendar.AddBusinessTime(At(Berlin, 2025, 1, 6, 12, 30), TimeSpan.Zero));
        Assert.Equal(Hours(8), calendar.BusinessTimeBetween(At(Berlin, 2025, 1, 6, 0, 0), At(Berlin, 2025, 1, 7, 0, 0)));
        Assert.False(calendar.IsBusinessTime(At(Berlin, 2025, 1, 6, 12, 30)));
        Assert.True(calendar.IsBusinessTime(At(Berlin, 2025, 1, 6, 13, 0)));
    }

    [Fact]
    public void AddBusinessTime_CountsEveryHour_WhenCalendarIsTwentyFourSeven()
    {
        var calendar = BusinessCalendar.TwentyFourSeven(Berlin);
        var saturdayNight = At(Berlin, 2025, 1, 4, 23, 0);

        Assert.Equal(At(Berlin, 2025, 1, 5, 4, 0), calendar.AddBusinessTime(saturdayNight, Hours(5)));
        Assert.Equal(Hours(49), calendar.BusinessTimeBetween(saturdayNight, At(Berlin, 2025, 1, 7, 0, 0)));
        Assert.True(calendar.IsBusinessTime(saturdayNight));
    }

    [Fact]
    public void AddBusinessTime_CountsRealHours_WhenTwentyFourSevenCrossesADstChange()
    {
        var calendar = BusinessCalendar.TwentyFourSeven(Berlin);

        Assert.Equal(At(Berlin, 2025, 3, 30, 4, 0), calendar.AddBusinessTime(At(Berlin, 2025, 3, 30, 1, 0), Hours(2)));
        Assert.Equal(Hours(23), calendar.BusinessTimeBetween(At(Berlin, 2025, 3, 30, 0, 0), At(Berlin, 2025, 3, 31, 0, 0)));
    }

    [Fact]
    public void AddBusinessTime_ReturnsTheCalendarsLocalOffset_WhenStartIsGivenInUtc()
    {
        var due = BusinessCalendar.TwentyFourSeven(Auckland).AddBusinessTime(new DateTimeOffset(2025, 1, 3, 0, 0, 0, TimeSpan.Zero), Hours(1));

        Assert.Equal(new DateTimeOffset(2025, 1, 3, 1, 0, 0, TimeSpan.Zero), due);
        Assert.Equal(Hours(13), due.Offset);
    }

    [Fact]
    public void AddBusinessTime_ReturnsStart_WhenDurationIsZeroAndStartIsBusinessTime()
    {
        var monday = At(Berlin, 2025, 1, 6, 10, 0);

        Assert.Equal(monday, NineToFive.AddBusinessTime(monday, TimeSpan.Zero));
    }

    [Fact]
    public void AddBusinessTime_ReturnsNextOpening_WhenDurationIsZeroAndStartIsOutsideBusinessTime()
    {
        Assert.Equal(At(Berlin, 2025, 1, 6, 9, 0), NineToFive.AddBusinessTime(At(Berlin, 2025, 1, 4, 10, 0), TimeSpan.Zero));
        Assert.Equal(At(Berlin, 2025, 1, 6, 9, 0), NineToFive.AddBusinessTime(At(Berlin, 2025, 1, 3, 17, 0), TimeSpan.Zero));
    }

    [Fact]
    public void AddBusinessTime_ReturnsClosingTime_WhenDurationRunsOutExactlyAtClosing()
    {
        Assert.Equal(At(Berlin, 2025, 1, 3, 17, 0), NineToFive.AddBusinessTime(At(Berlin, 2025, 1, 3, 16, 0), Hours(1)));
    }

    [Fact]
    public void AddBusinessTime_Throws_WhenDurationIsNegative()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NineToFive.AddBusinessTime(At(Berlin, 2025, 1, 6, 10, 0), TimeSpan.FromTicks(-1)));
    }

    [Fact]
    public void BusinessTimeBetween_IsZero_WhenToIsNotAfterFrom()
    {
        var monday = At(Berlin, 2025, 1, 6, 10, 0);

        Assert.Equal(TimeSpan.Zero, NineToFive.BusinessTimeBetween(monday, monday));
        Assert.Equal(TimeSpan.Zero, NineToFive.BusinessTimeBetween(monday.AddHours(1), monday));
        Assert.Equal(TimeSpan.Zero, BusinessCalendar.TwentyFourSeven(Berlin).BusinessTimeBetween(monday.AddHours(1), monday));
    }

    [Fact]
    public void IsBusinessTime_IncludesOpeningAndExcludesClosing_WhenInstantIsOnABoundary()
    {
        Assert.True(NineToFive.IsBusinessTime(At(Berlin, 2025, 1, 6, 9, 0)));
        Assert.True(NineToFive.IsBusinessTime(At(Berlin, 2025, 1, 6, 16, 59)));
        Assert.False(NineToFive.IsBusinessTime(At(Berlin, 2025, 1, 6, 17, 0)));
        Assert.False(NineToFive.IsBusinessTime(At(Berlin, 2025, 1, 6, 8, 59)));
    }

    [Fact]
    public void BusinessTimeBetween_CountsWholeDays_WhenIntervalEndsAtMidnight()
    {
        var calendar = BusinessCalendar.Create(new BusinessCalendarDefinition
        {
            TimeZoneId = Berlin,
            WorkingHours = [new(DayOfWeek.Saturday, T(0), T(0)), new(DayOfWeek.Sunday, T(18), T(0))],
        });

        Assert.Equal(Hours(30), calendar.BusinessTimeBetween(At(Berlin, 2025, 1, 3, 0, 0), At(Berlin, 2025, 1, 6, 0, 0)));
        Assert.True(calendar.IsBusinessTime(At(Berlin, 2025, 1, 5, 23, 59)));
        Assert.Equal(At(Berlin, 2025, 1, 6, 0, 0), calendar.AddBusinessTime(At(Berlin, 2025, 1, 5, 23, 0), Hours(1)));
        Assert.Equal(At(Berlin, 2025, 1, 11, 1, 0), calendar.AddBusinessTime(At(Berlin, 2025, 1, 5, 23, 0), Hours(2)));
    }

    [Fact]
    public void AddBusinessTime_UsesLocalDays_WhenZoneIsFarAheadOfUtc()
    {
        var calendar = BusinessCalendar.WeekdaysNineToFive(Auckland);
        var fridayAfternoonInAuckland = new DateTimeOffset(2025, 1, 3, 3, 30, 0, TimeSpan.Zero);
        var sundayNightUtc = new DateTimeOffset(2025, 1, 5, 21, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2025, 1, 6, 10, 30, 0, TimeSpan.FromHours(13)), calendar.AddBusinessTime(fridayAfternoonInAuckland, Hours(2)));
        Assert.True(calendar.IsBusinessTime(sundayNightUtc));
        Assert.False(calendar.IsBusinessTime(sundayNightUtc.AddHours(-12)));
    }

    [Fact]
    public void AddBusinessTime_HonoursHalfHourOffset_WhenZoneIsKolkata()
    {
        var calendar = BusinessCalendar.WeekdaysNineToFive(Kolkata);

        Assert.False(calendar.IsBusinessTime(new DateTimeOffset(2025, 1, 6, 3, 29, 0, TimeSpan.Zero)));
        Assert.True(calendar.IsBusinessTime(new DateTimeOffset(2025, 1, 6, 3, 30, 0, TimeSpan.Zero)));
        var due = calendar.AddBusinessTime(new DateTimeOffset(2025, 1, 3, 11, 0, 0, TimeSpan.Zero), Hours(2));
        Assert.Equal(new DateTimeOffset(2025, 1, 6, 10, 30, 0, TimeSpan.FromHours(5.5)), due);
        Assert.Equal(TimeSpan.FromHours(5.5), due.Offset);
    }

    [Fact]
    public void AddBusinessTime_EndsSixWeeksLater_WhenDurationIsThirtyBusinessDays()
    {
        var monday = At(Berlin, 2025, 1, 6, 9, 0);

        Assert.Equal(At(Berlin, 2025, 2, 14, 17, 0), NineToFive.AddBusinessTime(monday, Hours(30 * 8)));
        var withCarnival = BusinessCalendar.WeekdaysNineToFive(Berlin, [new(new DateOnly(2025, 1, 20), "A day off")]);
        Assert.Equal(At(Berlin, 2025, 2, 17, 17, 0), withCarnival.AddBusinessTime(monday, Hours(30 * 8)));
    }

    [Fact]
    public void BusinessTimeBetween_SumsAYearOfWeekdays_WhenSpanIsAWholeYear()
    {
        var calendar = BusinessCalendar.WeekdaysNineToFive(NewYork, [new(new DateOnly(2025, 7, 4), "Independence Day"), new(new DateOnly(2025, 7, 5), "A Saturday")]);

        // 2025 has 261 weekdays; the Saturday holiday changes nothing.
        Assert.Equal(Hours(260 * 8), calendar.BusinessTimeBetween(At(NewYork, 2025, 1, 1, 0, 0), At(NewYork, 2026, 1, 1, 0, 0)));
    }

    [Fact]
    public void AddBusinessTime_GivesUp_WhenNoBusinessTimeWithinTenYears()
    {
        var mondays = Enumerable.Range(0, 600).Select(w => new Holiday(new DateOnly(2025, 1, 6).AddDays(7 * w))).ToList();
        var calendar = BusinessCalendar.Create(new BusinessCalendarDefinition
        {
            TimeZoneId = Berlin,
            WorkingHours = [new(DayOfWeek.Monday, T(9), T(17))],
            Holidays = mondays,
        });

        var error = Assert.Throws<BusinessCalendarException>(() => calendar.AddBusinessTime(At(Berlin, 2025, 1, 1, 0, 0), Hours(1)));
        Assert.Contains("3653 days", error.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.Zero, calendar.BusinessTimeBetween(At(Berlin, 2025, 1, 1, 0, 0), At(Berlin, 2030, 1, 1, 0, 0)));
    }

    [Fact]
    public void Equals_IsTrue_WhenDefinitionsAreEqual()
    {
        var a = BusinessCalendar.WeekdaysNineToFive(Berlin, [new(new DateOnly(2025, 12, 25), "Christmas Day")]);
        var b = BusinessCalendar.Create(a.Definition with { });

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, BusinessCalendar.WeekdaysNineToFive(Berlin));
    }

    [Fact]
    public void Definition_DoesNotChange_WhenTheCallersListChangesAfterCreate()
    {
        var hours = new List<WorkingInterval> { new(DayOfWeek.Monday, T(9), T(17)) };
        var calendar = BusinessCalendar.Create(new BusinessCalendarDefinition { TimeZoneId = Berlin, WorkingHours = hours });

        hours.Add(new(DayOfWeek.Tuesday, T(9), T(17)));

        Assert.Single(calendar.Definition.WorkingHours);
        Assert.False(calendar.IsBusinessTime(At(Berlin, 2025, 1, 7, 10, 0)));
    }

    internal static BusinessCalendar SplitDays(string zoneId) => BusinessCalendar.Create(new BusinessCalendarDefinition
    {
        TimeZoneId = zoneId,
        WorkingHours =
        [
            .. new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
                .SelectMany(day => new WorkingInterval[] { new(day, T(8), T(12)), new(day, T(13), T(17)) }),
        ],
    });
}
