using ApprovalBot.Domain.Kpis;
using static ApprovalBot.UnitTests.Domain.Calendars.Wall;

namespace ApprovalBot.UnitTests.Domain.Kpis;

/// <summary>Trend buckets on the organisation's wall clock, and one calculator report per bucket.</summary>
public class KpiTrendTests
{
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById(Berlin);

    [Fact]
    public void Buckets_AreTheLastWeeksFromMondayMidnight_EndingWithTheCurrentWeekToDate()
    {
        var buckets = KpiTrend.Buckets(TrendBucket.Week, 3, Zone, KpiCalculatorTests.Now); // Wednesday 14 Jan 2026 12:00

        Assert.Equal(["2026-W01", "2026-W02", "2026-W03"], buckets.Select(b => b.Text));
        Assert.Equal(["29 Dec", "5 Jan", "12 Jan (to date)"], buckets.Select(b => b.Label));
        Assert.Equal(At(Berlin, 2025, 12, 29, 0), buckets[0].From);
        Assert.Equal(buckets[1].From, buckets[0].To);
        Assert.Equal(KpiCalculatorTests.Week.From, buckets[1].From);
        Assert.Equal(KpiCalculatorTests.Week.To, buckets[1].To);
        Assert.Equal(KpiCalculatorTests.Now, buckets[2].To);
        Assert.Equal([false, false, true], buckets.Select(b => b.ToDate));
    }

    [Fact]
    public void Buckets_StartTheCurrentWeekOnMonday_WhenNowIsMondayMorningOrSundayNight()
    {
        var monday = KpiTrend.Buckets(TrendBucket.Week, 1, Zone, At(Berlin, 2026, 1, 12, 0, 30));
        var sunday = KpiTrend.Buckets(TrendBucket.Week, 1, Zone, At(Berlin, 2026, 1, 11, 23, 59));

        Assert.Equal(At(Berlin, 2026, 1, 12, 0), Assert.Single(monday).From);
        Assert.Equal(At(Berlin, 2026, 1, 5, 0), Assert.Single(sunday).From);
    }

    [Fact]
    public void Buckets_FollowTheWallClock_AcrossTheAutumnChange()
    {
        // Sunday 25 October 2026 is 25 hours long in Berlin: the week of 19 October is 169 real hours, the next 168.
        var buckets = KpiTrend.Buckets(TrendBucket.Week, 3, Zone, At(Berlin, 2026, 11, 4, 12));

        Assert.Equal([169.0, 168.0], buckets.Take(2).Select(b => (b.To - b.From).TotalHours));
        Assert.Equal(TimeSpan.FromHours(2), buckets[0].From.Offset);
        Assert.Equal(TimeSpan.FromHours(1), buckets[2].From.Offset);
    }

    [Fact]
    public void Buckets_AreCalendarMonths_WhenByMonth()
    {
        var buckets = KpiTrend.Buckets(TrendBucket.Month, 13, Zone, KpiCalculatorTests.Now);

        Assert.Equal(13, buckets.Count);
        Assert.Equal(("2025-01", "Jan 2025"), (buckets[0].Text, buckets[0].Label));
        Assert.Equal(("2026-01", "Jan 2026 (to date)"), (buckets[^1].Text, buckets[^1].Label));
        Assert.Equal(At(Berlin, 2025, 12, 1, 0), buckets[^2].From);
        Assert.Equal(At(Berlin, 2026, 1, 1, 0), buckets[^2].To);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(KpiTrend.MaxBuckets + 1)]
    public void Buckets_RefuseACountOutOfRange(int count) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => KpiTrend.Buckets(TrendBucket.Week, count, Zone, KpiCalculatorTests.Now));

    [Fact]
    public void Compute_GivesEachBucketTheReportOfThatPeriodAlone()
    {
        var escalations = KpiCalculatorTests.Fixture(); // 5 in the week of 5 Jan, one on Friday 2 Jan, one on Monday 12 Jan
        var buckets = KpiTrend.Buckets(TrendBucket.Week, 3, Zone, KpiCalculatorTests.Now);

        var trend = KpiTrend.Compute(null, "All agreements", buckets, escalations, KpiCalculatorTests.Now, []);

        Assert.Equal([1, 5, 1], trend.Select(r => r.Opened));
        var week = KpiCalculator.Compute(null, "All agreements", buckets[1], escalations, KpiCalculatorTests.Now);
        Assert.Equal(week.TimeToAcknowledge, trend[1].TimeToAcknowledge);
        Assert.Equal(week.ResponseSla, trend[1].ResponseSla);
        Assert.Equal(week.Csat, trend[1].Csat);
        Assert.Equal(buckets, trend.Select(r => r.Period));
    }
}
