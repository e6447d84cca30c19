using System.Globalization;
using System.Text.RegularExpressions;

namespace ApprovalBot.Domain.Kpis;

/// <summary>
/// The stretch of time a KPI report covers: [<see cref="From"/>, <see cref="To"/>), in real time. Calendar periods
/// (months, quarters, the year) start and end at local midnight in the organisation's time zone, so a month is the
/// month people see on their wall, whatever its UTC offsets. A period that has not ended yet ends now
/// (<see cref="ToDate"/>).
/// </summary>
/// <param name="Text">The period in its canonical words: <c>30d</c>, <c>this month</c>, <c>2026-11</c>, <c>2026-Q4</c>, <c>ytd</c>.</param>
/// <param name="Label">For people: "the last 30 days", "November 2026", "Q4 2026 (to date)".</param>
public sealed partial record KpiPeriod(string Text, string Label, DateTimeOffset From, DateTimeOffset To, bool ToDate)
{
    /// <summary>What an empty period means: the last 30 days.</summary>
    public const string Default = "30d";

    /// <summary>The longest rolling period in days.</summary>
    public const int MaxDays = 3660;

    /// <summary>The forms <see cref="TryParse"/> accepts, for usage lines and errors.</summary>
    public const string Forms = "7d, 30d (the default), 90d or any Nd, this month, last month, 2026-11, q4 or 2026-Q4, ytd";

    private static readonly string[] MonthNames = CultureInfo.InvariantCulture.DateTimeFormat.MonthNames;

    /// <summary>
    /// Reads a period, forgivingly (any case, spaces or dashes between words): <c>Nd</c> / <c>N days</c> (the last N
    /// days up to now, N from 1 to <see cref="MaxDays"/>, counted on the local wall clock), <c>this month</c>,
    /// <c>last month</c>, <c>yyyy-mm</c>, <c>qN</c> (the latest quarter N that has begun), <c>yyyy-qN</c> / <c>qN yyyy</c>,
    /// <c>ytd</c> / <c>this year</c>, <c>last year</c>, <c>yyyy</c>. Empty means <see cref="Default"/>. Periods that
    /// start after <paramref name="now"/> are refused. <paramref name="error"/> says what was wrong, in words.
    /// </summary>
    public static bool TryParse(string? text, TimeZoneInfo zone, DateTimeOffset now, out KpiPeriod period, out string? error)
    {
        ArgumentNullException.ThrowIfNull(zone);
        period = null!;
        error = null;
        var words = Spaces().Replace((text ?? string.Empty).Trim().ToLowerInvariant(), " ");
        if (words.Length == 0) words = Default;
        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        var thisMonth = new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified);

        if (Days().Match(words) is { Success: true } days)
        {
            if (!int.TryParse(days.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > MaxDays)
            {
                error = $"A rolling period is 1 to {MaxDays} days; '{Quote(text)}' is not.";
                return false;
            }

            var from = Instant(local.AddDays(-n), zone);
            period = new KpiPeriod(Invariant($"{n}d"), n == 1 ? "the last day" : Invariant($"the last {n} days"), from, now, ToDate: false);
            return true;
        }

        switch (words)
        {
            case "this month" or "thismonth" or "this-month" or "month" or "mtd":
                return Build("this month", MonthLabel(thisMonth), thisMonth, thisMonth.AddMonths(1), zone, now, out period, out error);
            case "last month" or "lastmonth" or "last-month" or "previous month":
                return Build("last month", MonthLabel(thisMonth.AddMonths(-1)), thisMonth.AddMonths(-1), thisMonth, zone, now, out period, out error);
            case "ytd" or "this year" or "thisyear" or "this-year" or "year":
                return Build("ytd", Invariant($"{local.Year}"), Year(local.Year), Year(local.Year + 1), zone, now, out period, out error);
            case "last year" or "lastyear" or "last-year":
                return Build(Invariant($"{local.Year - 1}"), Invariant($"{local.Year - 1}"), Year(local.Year - 1), Year(local.Year), zone, now, out period, out error);
        }

        if (Month().Match(words) is { Success: true } month)
        {
            var year = int.Parse(month.Groups[1].Value, CultureInfo.InvariantCulture);
            var m = int.Parse(month.Groups[2].Value, CultureInfo.InvariantCulture);
            if (year < 2000 || m is < 1 or > 12)
            {
                error = $"'{Quote(text)}' is not a month: write it as yyyy-mm, for example 2026-11.";
                return false;
            }

            var start = new DateTime(year, m, 1, 0, 0, 0, DateTimeKind.Unspecified);
            return Build(Invariant($"{year:0000}-{m:00}"), MonthLabel(start), start, start.AddMonths(1), zone, now, out period, out error);
        }

        if (Quarter().Match(words) is { Success: true } quarter)
        {
            var yearText = quarter.Groups["y1"].Success ? quarter.Groups["y1"].Value : quarter.Groups["y2"].Value;
            var q = int.Parse(quarter.Groups["q"].Value, CultureInfo.InvariantCulture);
            var year = yearText.Length > 0 ? int.Parse(yearText, CultureInfo.InvariantCulture) : local.Year;
            if (q is < 1 or > 4 || year < 2000)
            {
                error = $"'{Quote(text)}' is not a quarter: write q1 to q4, optionally with the year (2026-Q4).";
                return false;
            }

            var start = new DateTime(year, (3 * q) - 2, 1, 0, 0, 0, DateTimeKind.Unspecified);
            if (yearText.Length == 0 && start > local) start = start.AddYears(-1); // the latest Q that has begun
            year = start.Year;
            return Build(Invariant($"{year}-Q{q}"), Invariant($"Q{q} {year}"), start, start.AddMonths(3), zone, now, out period, out error);
        }

        if (YearOnly().Match(words) is { Success: true } yearOnly)
        {
            var year = int.Parse(yearOnly.Value, CultureInfo.InvariantCulture);
            if (year >= 2000) return Build(Invariant($"{year}"), Invariant($"{year}"), Year(year), Year(year + 1), zone, now, out period, out error);
        }

        error = $"I don't know the period '{Quote(text)}'. Give {Forms}.";
        return false;
    }

    /// <summary>The period, or <see cref="ArgumentException"/> with the reason.</summary>
    public static KpiPeriod Parse(string? text, TimeZoneInfo zone, DateTimeOffset now) =>
        TryParse(text, zone, now, out var period, out var error) ? period : throw new ArgumentException(error, nameof(text));

    /// <summary>
    /// The period from local midnight <paramref name="fromLocal"/> to <paramref name="toLocal"/> on the zone's wall
    /// clock, ending at <paramref name="now"/> when it has not ended yet (<see cref="ToDate"/>, " (to date)" added to the
    /// label). For trend buckets (weeks, months); null when it has not begun.
    /// </summary>
    public static KpiPeriod? Between(string text, string label, DateTime fromLocal, DateTime toLocal, TimeZoneInfo zone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return Build(text, label, fromLocal, toLocal, zone, now, out var period, out _) ? period : null;
    }

    private static bool Build(string canonical, string label, DateTime fromLocal, DateTime toLocal, TimeZoneInfo zone, DateTimeOffset now, out KpiPeriod period, out string? error)
    {
        var from = Instant(fromLocal, zone);
        var to = Instant(toLocal, zone);
        period = null!;
        error = null;
        if (from > now)
        {
            error = $"{label} has not begun yet.";
            return false;
        }

        var toDate = to > now;
        period = new KpiPeriod(canonical, toDate ? label + " (to date)" : label, from, toDate ? now : to, toDate);
        return true;
    }

    /// <summary>
    /// The instant at which the zone's clock shows <paramref name="local"/>: in a spring-forward gap the first instant
    /// showing a later time (the change itself), in a fall-back overlap the first of the two.
    /// </summary>
    private static DateTimeOffset Instant(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            var probe = local;
            while (zone.IsInvalidTime(probe)) probe = probe.AddMinutes(1); // the gap's end: the clock jumps to it
            return new DateTimeOffset(probe, zone.GetUtcOffset(probe));
        }

        if (zone.IsAmbiguousTime(local))
            return new DateTimeOffset(local, zone.GetAmbiguousTimeOffsets(local).Max());
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static string Quote(string? text)
    {
        var trimmed = (text ?? string.Empty).Trim();
        return trimmed.Length > 40 ? trimmed[..40] + "…" : trimmed;
    }

    private static DateTime Year(int year) => new(year, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    private static string MonthLabel(DateTime start) => Invariant($"{MonthNames[start.Month - 1]} {start.Year}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^(\d{1,6}) ?(d|day|days)$")]
    private static partial Regex Days();

    [GeneratedRegex(@"^(\d{4})[-/ ](\d{1,2})$")]
    private static partial Regex Month();

    [GeneratedRegex(@"^(?:(?<y1>\d{4})[- ]?)?q(?<q>\d)(?:[- ]?(?<y2>\d{4}))?$")]
    private static partial Regex Quarter();

    [GeneratedRegex(@"^\d{4}$")]
    private static partial Regex YearOnly();
}
