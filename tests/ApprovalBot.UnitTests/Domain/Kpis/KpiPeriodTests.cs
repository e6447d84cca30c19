using ApprovalBot.Domain.Kpis;
using static ApprovalBot.UnitTests.Domain.Calendars.Wall;

namespace ApprovalBot.UnitTests.Domain.Kpis;

/// <summary>Periods as people type them, read on the organisation's wall clock (Berlin here), DST included.</summary>
public class KpiPeriodTests
{
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById(Berlin);

    /// <summary>Monday 7 December 2026, 10:00 in Berlin.</summary>
    private static readonly DateTimeOffset December7 = At(Berlin, 2026, 12, 7, 10);

    private static KpiPeriod Parse(string? text, DateTimeOffset? now = null) => KpiPeriod.Parse(text, Zone, now ?? December7);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("30d")]
    [InlineData("30 days")]
    [InlineData("30D")]
    public void Empty_Means30Days_UpToNow(string? text)
    {
        var period = Parse(text);

        Assert.Equal("30d", period.Text);
        Assert.Equal(At(Berlin, 2026, 11, 7, 10), period.From);
        Assert.Equal(December7, period.To);
        Assert.Equal("the last 30 days", period.Label);
    }

    [Fact]
    public void RollingDays_CountWallClockDays_AcrossTheSpringForwardChange()
    {
        var now = At(Berlin, 2026, 3, 31, 12); // summer time since Sunday 29 March

        var period = Parse("7d", now);

        Assert.Equal(At(Berlin, 2026, 3, 24, 12), period.From); // still winter time: 167 real hours
        Assert.Equal(TimeSpan.FromHours(167), period.To - period.From);
    }

    [Fact]
    public void LastMonth_IsTheWholeMonth_FromLocalMidnightToLocalMidnight_AcrossDst()
    {
        var period = Parse("  Last   Month ", At(Berlin, 2026, 4, 10, 9));

        Assert.Equal("last month", period.Text);
        Assert.Equal("March 2026", period.Label);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.FromHours(1)), period.From);
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.FromHours(2)), period.To);
        Assert.Equal(TimeSpan.FromHours((31 * 24) - 1), period.To - period.From);
        Assert.False(period.ToDate);
    }

    [Fact]
    public void NamedMonth_OverTheFallBackChange_HasAnHourMore()
    {
        var period = Parse("2026-10");

        Assert.Equal(new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.FromHours(2)), period.From);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(1)), period.To);
        Assert.Equal(TimeSpan.FromHours((31 * 24) + 1), period.To - period.From);
        Assert.Equal("October 2026", period.Label);
    }

    [Fact]
    public void ThisMonth_EndsNow_AndSaysToDate()
    {
        var period = Parse("this month");

        Assert.Equal(At(Berlin, 2026, 12, 1, 0), period.From);
        Assert.Equal(December7, period.To);
        Assert.True(period.ToDate);
        Assert.Equal("December 2026 (to date)", period.Label);
    }

    [Theory]
    [InlineData("q4")]
    [InlineData("Q4")]
    [InlineData("2026-Q4")]
    [InlineData("2026 q4")]
    [InlineData("q4 2026")]
    public void Quarter_IsTheLatestOneThatHasBegun(string text)
    {
        var period = Parse(text);

        Assert.Equal("2026-Q4", period.Text);
        Assert.Equal(At(Berlin, 2026, 10, 1, 0), period.From);
        Assert.Equal(December7, period.To);
        Assert.Equal("Q4 2026 (to date)", period.Label);
    }

    [Fact]
    public void Quarter_WithoutAYear_MeansLastYearsWhenThisYearsHasNotBegun()
    {
        var period = Parse("q4", At(Berlin, 2027, 2, 1, 9));

        Assert.Equal("2026-Q4", period.Text);
        Assert.Equal(At(Berlin, 2027, 1, 1, 0), period.To);
        Assert.False(period.ToDate);
    }

    [Fact]
    public void Ytd_StartsOnTheFirstOfJanuary_LocalMidnight()
    {
        var period = Parse("YTD");

        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(1)), period.From);
        Assert.Equal(December7, period.To);
        Assert.Equal("2026 (to date)", period.Label);
    }

    [Fact]
    public void Start_InASpringForwardGapAtMidnight_IsTheMomentOfTheChange()
    {
        // Santiago's clocks jump from midnight to 01:00 once a year: "1d" asked the next midnight starts in that gap.
        var santiago = TimeZoneInfo.FindSystemTimeZoneById(Santiago);
        var gapDay = Enumerable.Range(0, 366).Select(d => new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Unspecified).AddDays(d))
            .First(d => santiago.IsInvalidTime(d));
        var now = new DateTimeOffset(gapDay.AddDays(1), santiago.GetUtcOffset(gapDay.AddDays(1)));

        var period = KpiPeriod.Parse("1d", santiago, now);

        var change = new DateTimeOffset(gapDay.AddHours(1), santiago.GetUtcOffset(gapDay.AddHours(1)));
        Assert.Equal(change, period.From);
    }

    [Theory]
    [InlineData("fortnight", "I don't know the period 'fortnight'")]
    [InlineData("0d", "A rolling period is 1 to 3660 days")]
    [InlineData("99999d", "A rolling period is 1 to 3660 days")]
    [InlineData("2026-13", "is not a month")]
    [InlineData("q5", "is not a quarter")]
    [InlineData("2027-01", "January 2027 has not begun yet.")]
    [InlineData("2027", "2027 has not begun yet.")]
    public void UnreadablePeriods_AreRefused_WithTheReason(string text, string reason)
    {
        Assert.False(KpiPeriod.TryParse(text, Zone, December7, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
