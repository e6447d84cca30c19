using System.Globalization;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Domain.Uptime;

namespace ApprovalBot.Domain.Kpis;

/// <summary>How long one step of a trend is.</summary>
public enum TrendBucket
{
    /// <summary>A week, Monday 00:00 to Monday 00:00 on the organisation's wall clock (ISO 8601 weeks).</summary>
    Week,

    /// <summary>A calendar month, local midnight on the 1st to local midnight on the next 1st.</summary>
    Month,
}

/// <summary>
/// KPIs over time: the last N weeks or months, each computed by <see cref="KpiCalculator"/> exactly as a report on
/// that period alone would be (the cohort is the escalations opened in the bucket, judged as they stand now). The last
/// bucket is the current one, to date. No I/O.
/// </summary>
public static class KpiTrend
{
    public const int MaxBuckets = 104;

    /// <summary>
    /// The <paramref name="count"/> buckets that end with the one holding <paramref name="now"/>, oldest first, in
    /// <paramref name="zone"/>: weeks start on Monday at local midnight, months on the 1st. Texts are
    /// <c>2026-W48</c> or <c>2026-11</c>; labels "23 Nov" (the week's Monday) or "Nov 2026".
    /// </summary>
    public static IReadOnlyList<KpiPeriod> Buckets(TrendBucket bucket, int count, TimeZoneInfo zone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxBuckets);
        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        var today = local.Date;
        var current = bucket == TrendBucket.Week
            ? today.AddDays(-(((int)today.DayOfWeek + 6) % 7))
            : new DateTime(today.Year, today.Month, 1, 0, 0, 0, DateTimeKind.Unspecified);

        var periods = new List<KpiPeriod>(count);
        for (var i = count - 1; i >= 0; i--)
        {
            var from = bucket == TrendBucket.Week ? current.AddDays(-7 * i) : current.AddMonths(-i);
            var to = bucket == TrendBucket.Week ? from.AddDays(7) : from.AddMonths(1);
            var (text, label) = bucket == TrendBucket.Week
                ? (string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(from)}-W{ISOWeek.GetWeekOfYear(from):00}"),
                   from.ToString("d MMM", CultureInfo.InvariantCulture))
                : (from.ToString("yyyy-MM", CultureInfo.InvariantCulture), from.ToString("MMM yyyy", CultureInfo.InvariantCulture));
            // Every bucket has begun: the newest starts at or before now.
            periods.Add(KpiPeriod.Between(text, label, from, to, zone, now)!);
        }

        return periods;
    }

    /// <summary>One report per bucket over <paramref name="escalations"/> and <paramref name="uptime"/> (any may fall outside them).</summary>
    public static IReadOnlyList<KpiReport> Compute(long? agreementId, string scope, IReadOnlyList<KpiPeriod> buckets,
        IReadOnlyCollection<Escalation> escalations, DateTimeOffset now, IReadOnlyCollection<UptimeReport> uptime)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        return [.. buckets.Select(b => KpiCalculator.Compute(agreementId, scope, b, escalations, now, uptime))];
    }
}
