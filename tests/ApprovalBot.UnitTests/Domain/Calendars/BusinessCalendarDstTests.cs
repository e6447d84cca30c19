using ApprovalBot.Domain.Calendars;
using static ApprovalBot.UnitTests.Domain.Calendars.Wall;

namespace ApprovalBot.UnitTests.Domain.Calendars;

/// <summary>
/// Daylight saving time: working hours are wall-clock times, business time is real elapsed time. A skipped hour inside
/// working hours is not counted, a repeated one is counted twice, and hours away from the change are untouched.
/// </summary>
public class BusinessCalendarDstTests
{
    // 2025 changes, all on Sundays: Berlin skips 02:00–03:00 on 30 March and repeats it on 26 October;
    // New York skips 02:00–03:00 on 9 March and repeats 01:00–02:00 on 2 November.
    [Theory]
    [InlineData(Berlin, 3, 30, "08:00", "17:00", 9)]
    [InlineData(Berlin, 3, 30, "00:00", "00:00", 23)]
    [InlineData(Berlin, 3, 30, "01:00", "04:00", 2)]
    [InlineData(Berlin, 3, 30, "02:30", "05:00", 2)]
    [InlineData(Berlin, 3, 30, "01:00", "02:30", 1)]
    [InlineData(Berlin, 3, 30, "02:15", "02:45", 0)]
    [InlineData(Berlin, 10, 26, "08:00", "17:00", 9)]
    [InlineData(Berlin, 10, 26, "00:00", "00:00", 25)]
    [InlineData(Berlin, 10, 26, "01:00", "04:00", 4)]
    [InlineData(Berlin, 10, 26, "02:00", "03:00", 2)]
    [InlineData(Berlin, 10, 26, "02:30", "04:00", 2)]
    [InlineData(Berlin, 10, 26, "00:00", "02:30", 3)]
    [InlineData(Berlin, 10, 26, "02:15", "02:45", 1)]
    [InlineData(NewYork, 3, 9, "09:00", "17:00", 8)]
    [InlineData(NewYork, 3, 9, "00:00", "00:00", 23)]
    [InlineData(NewYork, 3, 9, "01:00", "04:00", 2)]
    [InlineData(NewYork, 11, 2, "09:00", "17:00", 8)]
    [InlineData(NewYork, 11, 2, "00:00", "00:00", 25)]
    [InlineData(NewYork, 11, 2, "00:00", "03:00", 4)]
    [InlineData(NewYork, 11, 2, "01:00", "03:00", 3)]
    [InlineData(NewYork, 11, 2, "00:30", "01:30", 1.5)]
    [InlineData(NewYork, 11, 2, "01:30", "02:00", 1)]
    public void BusinessTimeBetween_CountsRealElapsedTime_WhenTheDayHasADstChange(string zoneId, int month, int day, string start, string end, double expectedHours)
    {
        var calendar = SundaysOnly(zoneId, TimeOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture), TimeOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture));
        var sunday = new DateOnly(2025, month, day);
        var saturdayNoon = At(zoneId, 2025, month, day, 12).AddDays(-1);
        var mondayNoon = At(zoneId, sunday.AddDays(1).Year, sunday.AddDays(1).Month, sunday.AddDays(1).Day, 12);

        Assert.Equal(Hours(expectedHours), calendar.BusinessTimeBetween(saturdayNoon, mondayNoon));
    }

    [Fact]
    public void AddBusinessTime_JumpsOverTheSkippedHour_WhenWorkingHoursSpanIt()
    {
        var calendar = SundaysOnly(Berlin, T(1), T(4));

        Assert.Equal(At(2025, 3, 30, 3, 30, +2), calendar.AddBusinessTime(At(2025, 3, 30, 1, 30, +1), Hours(1)));
    }

    [Fact]
    public void AddBusinessTime_StartsAtTheChange_WhenWorkingHoursStartInTheSkippedHour()
    {
        var calendar = SundaysOnly(Berlin, T(2, 30), T(5));

        Assert.Equal(At(2025, 3, 30, 3, 0, +2), calendar.AddBusinessTime(At(2025, 3, 30, 0, 0, +1), TimeSpan.Zero));
        Assert.Equal(At(2025, 3, 30, 4, 0, +2), calendar.AddBusinessTime(At(2025, 3, 30, 0, 0, +1), Hours(1)));
    }

    [Fact]
    public void AddBusinessTime_IsUnaffected_WhenTheSkippedHourIsOutsideWorkingHours()
    {
        var calendar = BusinessCalendar.Create(new BusinessCalendarDefinition
        {
            TimeZoneId = Berlin,
            WorkingHours = [.. Enum.GetValues<DayOfWeek>().Select(day => new WorkingInterval(day, T(8), T(17)))],
        });

        Assert.Equal(At(2025, 3, 30, 9, 0, +2), calendar.AddBusinessTime(At(2025, 3, 29, 16, 0, +1), Hours(2)));
        Assert.Equal(At(2025, 10, 26, 9, 0, +1), calendar.AddBusinessTime(At(2025, 10, 25, 16, 0, +2), Hours(2)));
    }

    [Fact]
    public void AddBusinessTime_CountsTheRepeatedHourTwice_WhenWorkingHoursSpanIt()
    {
        var calendar = SundaysOnly(Berlin, T(1), T(4));

        Assert.Equal(At(2025, 10, 26, 2, 30, +2), calendar.AddBusinessTime(At(2025, 10, 26, 1, 0, +2), Hours(1.5)));
        Assert.Equal(At(2025, 10, 26, 2, 0, +1), calendar.AddBusinessTime(At(2025, 10, 26, 1, 0, +2), Hours(2)));
        Assert.Equal(At(2025, 10, 26, 3, 0, +1), calendar.AddBusinessTime(At(2025, 10, 26, 1, 0, +2), Hours(3)));
    }

    [Fact]
    public void AddBusinessTime_SkipsTheSecondPassBeforeOpening_WhenWorkingHoursStartInTheRepeatedHour()
    {
        var calendar = SundaysOnly(Berlin, T(2, 30), T(4));

        // 02:30–03:00 summer time counts; then the clock shows 02:00–02:30 again (before opening), which does not.
        Assert.True(calendar.IsBusinessTime(At(2025, 10, 26, 2, 45, +2)));
        Assert.False(calendar.IsBusinessTime(At(2025, 10, 26, 2, 15, +1)));
        Assert.True(calendar.IsBusinessTime(At(2025, 10, 26, 2, 45, +1)));
        Assert.Equal(At(2025, 10, 26, 2, 0, +1), calendar.AddBusinessTime(At(2025, 10, 26, 2, 30, +2), Hours(0.5)));
        Assert.Equal(At(2025, 10, 26, 3, 0, +1), calendar.AddBusinessTime(At(2025, 10, 26, 2, 30, +2), Hours(1)));
    }

    [Fact]
    public void AddBusinessTime_EndsOnTheSecondPass_WhenTheRepeatedHourIsInsideWorkingHours()
    {
        var calendar = SundaysOnly(NewYork, T(0), T(3));

        Assert.Equal(At(2025, 11, 2, 2, 0, -5), calendar.AddBusinessTime(At(2025, 11, 2, 0, 0, -4), Hours(3)));
        Assert.Equal(At(2025, 11, 2, 1, 0, -5), calendar.AddBusinessTime(At(2025, 11, 2, 0, 0, -4), Hours(2)));
    }

    public static TheoryData<string, int, int, int> Changes => new()
    {
        { Berlin, 2025, 3, 30 }, { Berlin, 2025, 10, 26 },
        { NewYork, 2025, 3, 9 }, { NewYork, 2025, 11, 2 },
        { Auckland, 2025, 4, 6 }, { Auckland, 2025, 9, 28 },
        { Santiago, 2025, 4, 6 }, { Santiago, 2025, 9, 7 }, // at midnight: 5 April ends twice, 7 September has no 00:00
        { LordHowe, 2025, 4, 6 }, { LordHowe, 2025, 10, 5 }, // half-hour changes
    };

    /// <summary>
    /// The definition in one sentence — an instant is business time when the local clock shows a working time — checked
    /// quarter-hour by quarter-hour around each change against the interval arithmetic, for intervals with boundaries
    /// in and around every zone's skipped or repeated hour.
    /// </summary>
    [Theory]
    [MemberData(nameof(Changes))]
    public void BusinessTimeBetween_AgreesWithIsBusinessTime_AroundEveryDstChange(string zoneId, int year, int month, int day)
    {
        var step = TimeSpan.FromMinutes(15);
        var from = At(zoneId, year, month, day, 12).AddDays(-2);
        var to = from.AddDays(4);

        foreach (var calendar in EdgeCalendars(zoneId))
        {
            var counted = TimeSpan.Zero;
            for (var t = from; t < to; t += step)
            {
                var expected = calendar.IsBusinessTime(t) ? step : TimeSpan.Zero;
                Assert.True(expected == calendar.BusinessTimeBetween(t, t + step), $"{calendar} at {t:O}");
                Assert.True(calendar.IsBusinessTime(t) == (calendar.AddBusinessTime(t, TimeSpan.Zero) == t), $"{calendar} zero at {t:O}");
                counted += expected;
            }

            Assert.Equal(counted, calendar.BusinessTimeBetween(from, to));
        }
    }

    private static IEnumerable<BusinessCalendar> EdgeCalendars(string zoneId)
    {
        var everyDay = Enum.GetValues<DayOfWeek>();
        yield return BusinessCalendar.Create(new BusinessCalendarDefinition
        {
            TimeZoneId = zoneId,
            WorkingHours = [.. everyDay.Where(d => d != DayOfWeek.Saturday).Select(d => new WorkingInterval(d, T(0), T(0)))],
        });
        yield return BusinessCalendar.Create(new BusinessCalendarDefinition
        {
            TimeZoneId = zoneId,
            WorkingHours =
            [
                .. everyDay.SelectMany(d => new WorkingInterval[]
                {
                    new(d, T(0), T(0, 30)), new(d, T(1), T(1, 45)), new(d, T(2), T(2, 30)), new(d, T(2, 45), T(4)), new(d, T(23, 15), T(0)),
                }),
            ],
        });
        yield return BusinessCalendar.Create(new BusinessCalendarDefinition
        {
            TimeZoneId = zoneId,
            WorkingHours =
            [
                .. everyDay.SelectMany(d => new WorkingInterval[]
                {
                    new(d, T(0, 15), T(1, 15)), new(d, T(1, 30), T(2, 15)), new(d, T(2, 30), T(3, 30)), new(d, T(23), T(23, 45)),
                }),
            ],
        });
        yield return BusinessCalendarTests.SplitDays(zoneId);
    }

    private static BusinessCalendar SundaysOnly(string zoneId, TimeOnly start, TimeOnly end) =>
        BusinessCalendar.Create(new BusinessCalendarDefinition { TimeZoneId = zoneId, WorkingHours = [new(DayOfWeek.Sunday, start, end)] });
}
