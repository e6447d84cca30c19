using ApprovalBot.Domain.Calendars;
using static ApprovalBot.UnitTests.Domain.Calendars.Wall;

namespace ApprovalBot.UnitTests.Domain.Calendars;

/// <summary>Summing business time over periods, the way SLA clocks subtract On-hold time.</summary>
public class BusinessCalendarExtensionsTests
{
    private static readonly BusinessCalendar NineToFive = BusinessCalendar.WeekdaysNineToFive(Berlin);

    [Fact]
    public void BusinessTimeWithin_SumsBusinessTimeOfEachPeriod_WhenPeriodsAreApart()
    {
        (DateTimeOffset, DateTimeOffset)[] holds =
        [
            (At(Berlin, 2025, 1, 3, 16, 0), At(Berlin, 2025, 1, 6, 10, 0)), // Friday afternoon over the weekend: 2 h
            (At(Berlin, 2025, 1, 7, 12, 0), At(Berlin, 2025, 1, 7, 12, 45)), // 45 min
        ];

        Assert.Equal(TimeSpan.FromMinutes(165), NineToFive.BusinessTimeWithin(holds));
    }

    [Fact]
    public void BusinessTimeWithin_CountsOverlapsOnce_WhenPeriodsOverlapOrTouch()
    {
        (DateTimeOffset, DateTimeOffset)[] holds =
        [
            (At(Berlin, 2025, 1, 6, 11, 0), At(Berlin, 2025, 1, 6, 12, 0)),
            (At(Berlin, 2025, 1, 6, 10, 0), At(Berlin, 2025, 1, 6, 11, 30)),
            (At(Berlin, 2025, 1, 6, 12, 0), At(Berlin, 2025, 1, 6, 13, 0)),
            (At(Berlin, 2025, 1, 6, 10, 15), At(Berlin, 2025, 1, 6, 10, 45)),
        ];

        Assert.Equal(Hours(3), NineToFive.BusinessTimeWithin(holds));
    }

    [Fact]
    public void BusinessTimeWithin_IgnoresEmptyAndBackwardPeriods_WhenGivenThem()
    {
        var monday = At(Berlin, 2025, 1, 6, 10, 0);

        Assert.Equal(TimeSpan.Zero, NineToFive.BusinessTimeWithin([]));
        Assert.Equal(TimeSpan.Zero, NineToFive.BusinessTimeWithin([(monday, monday), (monday.AddHours(1), monday)]));
    }
}
