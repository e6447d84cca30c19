using ApprovalBot.Domain.Calendars;
using static ApprovalBot.UnitTests.Domain.Calendars.Wall;

namespace ApprovalBot.UnitTests.Domain.Calendars;

/// <summary>AddBusinessTime and BusinessTimeBetween are inverses, checked over many seeded random starts and durations.</summary>
public class BusinessCalendarPropertyTests
{
    private const int Samples = 250;
    private static readonly long First = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;
    private static readonly long Span = TimeSpan.FromDays(4 * 365).Ticks;

    public static TheoryData<string> Calendars => [.. ByName.Keys];

    private static readonly Dictionary<string, BusinessCalendar> ByName = new()
    {
        ["Berlin 9–5 with holidays"] = BusinessCalendar.WeekdaysNineToFive(Berlin, [.. Enumerable.Range(2024, 5).SelectMany(y => new Holiday[] { new(new DateOnly(y, 12, 25)), new(new DateOnly(y, 12, 26)), new(new DateOnly(y, 5, 1)) })]),
        ["New York split days"] = BusinessCalendarTests.SplitDays(NewYork),
        ["Santiago whole days"] = BusinessCalendar.Create(new BusinessCalendarDefinition
        {
            TimeZoneId = Santiago,
            WorkingHours = [new(DayOfWeek.Saturday, T(0), T(0)), new(DayOfWeek.Sunday, T(0), T(0)), new(DayOfWeek.Wednesday, T(22), T(0))],
        }),
        ["Lord Howe night hours"] = BusinessCalendar.Create(new BusinessCalendarDefinition
        {
            TimeZoneId = LordHowe,
            WorkingHours = [.. Enum.GetValues<DayOfWeek>().Select(d => new WorkingInterval(d, T(1, 45), T(2, 15)))],
        }),
        ["Kolkata 9–5"] = BusinessCalendar.WeekdaysNineToFive(Kolkata),
        ["Auckland 8–18"] = BusinessCalendar.Weekdays(Auckland, T(8), T(18)),
        ["New York 24×7"] = BusinessCalendar.TwentyFourSeven(NewYork),
    };

    [Theory]
    [MemberData(nameof(Calendars))]
    public void BusinessTimeBetween_ReturnsTheDuration_WhenMeasuredUpToAddBusinessTimesResult(string name)
    {
        var calendar = ByName[name];
        var random = new Random(name.Length * 7919);
        for (var i = 0; i < Samples; i++)
        {
            var start = RandomInstant(random);
            var duration = TimeSpan.FromTicks(random.NextInt64(TimeSpan.FromHours(400).Ticks));

            var due = calendar.AddBusinessTime(start, duration);

            Assert.True(due >= start, $"{name}: {start:O} + {duration} = {due:O}");
            Assert.True(duration == calendar.BusinessTimeBetween(start, due), $"{name}: {start:O} + {duration} = {due:O}");
        }
    }

    [Theory]
    [MemberData(nameof(Calendars))]
    public void AddBusinessTime_ReturnsTheEarliestInstantWithThatMuchBusinessTime_WhenGivenBusinessTimeBetween(string name)
    {
        var calendar = ByName[name];
        var random = new Random(name.Length * 104729);
        for (var i = 0; i < Samples; i++)
        {
            var start = RandomInstant(random);
            var end = start + TimeSpan.FromTicks(random.NextInt64(TimeSpan.FromDays(40).Ticks));

            var between = calendar.BusinessTimeBetween(start, end);
            var reached = calendar.AddBusinessTime(start, between);

            var context = $"{name}: {start:O} → {end:O} ({between}) reached {reached:O}";
            if (between == TimeSpan.Zero)
            {
                // Zero is "at the next opening", which may lie after end.
                Assert.True(reached >= start && calendar.BusinessTimeBetween(start, reached) == TimeSpan.Zero, context);
                continue;
            }

            Assert.True(reached <= end, context);
            Assert.True(calendar.BusinessTimeBetween(reached, end) == TimeSpan.Zero, context);
            if (calendar.IsBusinessTime(end - TimeSpan.FromTicks(1)))
                Assert.True(end == reached, context);
        }
    }

    [Theory]
    [MemberData(nameof(Calendars))]
    public void AddBusinessTime_Composes_WhenADurationIsSplitInTwo(string name)
    {
        var calendar = ByName[name];
        var random = new Random(name.Length * 15485863);
        for (var i = 0; i < Samples; i++)
        {
            var start = RandomInstant(random);
            var first = TimeSpan.FromTicks(random.NextInt64(TimeSpan.FromHours(100).Ticks));
            var second = TimeSpan.FromTicks(1 + random.NextInt64(TimeSpan.FromHours(100).Ticks));

            Assert.Equal(calendar.AddBusinessTime(start, first + second), calendar.AddBusinessTime(calendar.AddBusinessTime(start, first), second));
        }
    }

    private static DateTimeOffset RandomInstant(Random random) => new(First + random.NextInt64(Span), TimeSpan.Zero);
}
