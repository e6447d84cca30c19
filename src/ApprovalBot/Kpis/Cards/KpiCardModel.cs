using System.Globalization;
using ApprovalBot.Domain.Kpis;

namespace ApprovalBot.Kpis.Cards;

/// <summary>Builds <see cref="KpiCardData"/> from a <see cref="KpiResult"/>: each figure in words with its counts and exclusions.</summary>
public static class KpiCardModel
{
    /// <summary>At most this many agreement lines; the rest is "and N more".</summary>
    public const int MaxAgreements = 20;

    public const string Footnote =
        "Over escalations opened in the period, as they stand now. Times are business time on each agreement's calendar without holds, "
        + "as the SLA clocks count them. Median and p90 are nearest-rank (for an even count the median is the lower middle value); the mean is rounded to the second.";

    /// <param name="maxAgreements">How many agreement lines to show (<see cref="MaxAgreements"/> unless the card is too large).</param>
    public static KpiCardData Build(KpiResult result, TimeZoneInfo zone, int maxAgreements = MaxAgreements)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(zone);
        var report = result.Overall ?? throw new ArgumentException("Only a computed result has a card.", nameof(result));
        var period = result.Period!;
        var agreements = result.Agreements.Take(maxAgreements).Select(a => new KpiAgreementRow(a.Scope, Summary(a))).ToList();
        var more = result.Agreements.Count > maxAgreements ? Invariant($"and {result.Agreements.Count - maxAgreements} more agreements: the API lists them all") : null;
        return new KpiCardData(
            $"KPIs · {report.Scope}",
            $"{Capitalised(period.Label)} · {Stamp(period.From, zone)} – {Stamp(period.To, zone)} ({zone.Id})",
            Figures(report),
            agreements,
            more,
            Footnote);
    }

    public static IReadOnlyList<KpiFigureRow> Figures(KpiReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return
        [
            new("Incidents opened", Invariant($"{report.Opened}"), true,
                string.Join(" · ", report.OpenedByPriority.Select(p => Invariant($"{p.Priority} {p.Count}"))),
                "Escalations opened in the period; every figure below is over these."),
            Duration("Time to acknowledge (MTTA)", report.TimeToAcknowledge),
            Duration("Time to resolve (MTTR)", report.TimeToResolve),
            Compliance("Response SLA", report.ResponseSla),
            Compliance("Resolution SLA", report.ResolutionSla),
            report.Csat.Average is { } average
                ? new("CSAT", Invariant($"{average:0.0}"), true, Invariant($"{report.Csat.Count} answer{(report.Csat.Count == 1 ? "" : "s")}"), report.Csat.Note)
                : new("CSAT", report.Csat.NotMeasured ?? "no answers", false, string.Empty, report.Csat.Note),
            Percent("Cadence compliance", report.CadenceCompliance),
            report.Uptime.Percent is { } uptime
                ? new("Uptime", Invariant($"{uptime:0.0##} %"), true, Invariant($"{report.Uptime.Count} report{(report.Uptime.Count == 1 ? "" : "s")}"), report.Uptime.Note)
                : new("Uptime", report.Uptime.NotMeasured ?? "nothing reported", false, string.Empty, report.Uptime.Note),
        ];
    }

    /// <summary>"5 opened · response 80.0 % · resolution 60.0 % · MTTR median 3h · updates on time 75.0 %" (a figure not measured is left out).</summary>
    public static string Summary(KpiReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var parts = new List<string> { Invariant($"{report.Opened} opened") };
        if (report.ResponseSla.Percent is { } response) parts.Add(Invariant($"response {response:0.0} %"));
        if (report.ResolutionSla.Percent is { } resolution) parts.Add(Invariant($"resolution {resolution:0.0} %"));
        if (report.TimeToResolve.Median is { } median) parts.Add($"MTTR median {Span(median)}");
        if (report.CadenceCompliance.Percent is { } cadence) parts.Add(Invariant($"updates on time {cadence:0.0} %"));
        return string.Join(" · ", parts);
    }

    /// <summary>"45m", "3h 20m", "50h 5m", "40s": hours and minutes of business time, never days (a business day is not 24 h).</summary>
    public static string Span(TimeSpan span)
    {
        if (span < TimeSpan.FromMinutes(1)) return Invariant($"{(int)span.TotalSeconds}s");
        var hours = (long)span.TotalHours;
        var minutes = span.Minutes;
        return hours == 0 ? Invariant($"{minutes}m") : minutes == 0 ? Invariant($"{hours}h") : Invariant($"{hours}h {minutes}m");
    }

    private static KpiFigureRow Duration(string name, DurationFigure figure) =>
        figure is { Median: { } median, P90: { } p90, Mean: { } mean }
            ? new(name, $"median {Span(median)}", true, Invariant($"p90 {Span(p90)} · mean {Span(mean)} · {figure.Counted} counted, {figure.Excluded} excluded"), figure.Note)
            : new(name, "nothing to measure", false, Invariant($"0 counted, {figure.Excluded} excluded"), figure.Note);

    private static KpiFigureRow Compliance(string name, ComplianceFigure figure) =>
        new(name, figure.Percent is { } percent ? Invariant($"{percent:0.0} %") : "nothing decided yet", figure.Percent is not null,
            Invariant($"{figure.Met} met · {figure.Missed} missed · {figure.Pending} pending"), figure.Note);

    private static KpiFigureRow Percent(string name, PercentFigure figure) =>
        figure.Percent is { } percent
            ? new(name, Invariant($"{percent:0.0} %"), true, Invariant($"{figure.Count} counted"), figure.Note)
            : new(name, figure.NotMeasured ?? "nothing to measure", false, string.Empty, figure.Note);

    private static string Stamp(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("d MMM yyyy HH:mm", CultureInfo.InvariantCulture);

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
