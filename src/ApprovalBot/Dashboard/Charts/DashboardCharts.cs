using System.Globalization;
using ApprovalBot.Domain.Kpis;

namespace ApprovalBot.Dashboard.Charts;

/// <summary>A chart of the trend and the figure it follows.</summary>
public sealed record TrendChart(string Figure, Chart Chart);

/// <summary>The dashboard's trend charts: one per KPI, one value per bucket, null where a bucket has nothing to measure.</summary>
public static class DashboardCharts
{
    public static IReadOnlyList<TrendChart> For(IReadOnlyList<KpiReport> trend, IReadOnlyList<string> labels, string unit)
    {
        ArgumentNullException.ThrowIfNull(trend);
        ArgumentNullException.ThrowIfNull(labels);
        var per = $"per {unit}";
        return
        [
            new("opened", new Chart("chart-opened", $"Incidents opened {per}", $"Escalations opened in each {unit}, a bar each.", labels,
                [new ChartSeries("Opened", [.. trend.Select(r => (double?)r.Opened)])], ChartKind.Bars)),
            Durations("mtta", "Time to acknowledge (MTTA)", trend, labels, unit, r => r.TimeToAcknowledge),
            Durations("mttr", "Time to resolve (MTTR)", trend, labels, unit, r => r.TimeToResolve),
            new("sla", Percent("chart-sla", $"SLA compliance {per}", $"Response and resolution SLA met ÷ decided, percent, for the escalations opened in each {unit}.", labels,
                new ChartSeries("Response SLA", [.. trend.Select(r => r.ResponseSla.Percent)]),
                new ChartSeries("Resolution SLA", [.. trend.Select(r => r.ResolutionSla.Percent)]))),
            new("csat", new Chart("chart-csat", $"CSAT {per}", $"Mean satisfaction survey score (1–5) about the escalations opened in each {unit}.", labels,
                [new ChartSeries("CSAT", [.. trend.Select(r => r.Csat.Average)])], ChartKind.Lines)
            { Min = 0, Max = 5, Format = v => v.ToString("0.#", CultureInfo.InvariantCulture) }),
            new("cadenceCompliance", Percent("chart-cadence", $"Cadence compliance {per}", $"Share of communication plan updates sent on time in each {unit} ({trend[^1].CadenceCompliance.NotMeasured ?? "measured"}).", labels,
                new ChartSeries("Cadence compliance", [.. trend.Select(r => r.CadenceCompliance.Percent)]))),
            Uptime(trend, labels, unit),
        ];
    }

    private static TrendChart Durations(string figure, string name, IReadOnlyList<KpiReport> trend, IReadOnlyList<string> labels, string unit, Func<KpiReport, DurationFigure> pick)
    {
        var figures = trend.Select(pick).ToList();
        var longest = figures.SelectMany(f => new[] { f.Median, f.P90, f.Mean }).OfType<TimeSpan>().DefaultIfEmpty(TimeSpan.Zero).Max();
        // The axis counts in the unit that keeps its numbers readable: seconds under 2 min, minutes under 2 h, else hours.
        var (perUnit, suffix, words) = longest < TimeSpan.FromMinutes(2) ? (1.0, "s", "seconds")
            : longest < TimeSpan.FromHours(2) ? (60.0, "m", "minutes") : (3600.0, "h", "hours");
        double? Value(TimeSpan? span) => span is { } s ? s.TotalSeconds / perUnit : null;
        var chart = new Chart($"chart-{figure}", $"{name} per {unit}",
            $"Median, 90th percentile and mean, in {words} of business time, of the escalations opened in each {unit}.", labels,
            [
                new ChartSeries("Median", [.. figures.Select(f => Value(f.Median))]),
                new ChartSeries("p90", [.. figures.Select(f => Value(f.P90))]),
                new ChartSeries("Mean", [.. figures.Select(f => Value(f.Mean))]),
            ], ChartKind.Lines)
        {
            Format = v => v.ToString("0.##", CultureInfo.InvariantCulture) + suffix,
        };
        return new(figure, chart);
    }

    private static Chart Percent(string id, string title, string description, IReadOnlyList<string> labels, params ChartSeries[] series) =>
        new(id, title, description, labels, series, ChartKind.Lines)
        {
            Min = 0,
            Max = 100,
            Format = v => v.ToString("0.#", CultureInfo.InvariantCulture) + " %",
        };

    private static TrendChart Uptime(IReadOnlyList<KpiReport> trend, IReadOnlyList<string> labels, string unit)
    {
        var values = trend.Select(r => r.Uptime.Percent).ToList();
        var lowest = values.OfType<double>().DefaultIfEmpty(100).Min();
        var chart = Percent("chart-uptime", $"Uptime per {unit}", $"Time-weighted mean of the uptime reports overlapping each {unit}, percent.", labels,
            new ChartSeries("Uptime", values)) with { Min = Math.Max(0, Math.Floor(lowest - 1)), Format = v => v.ToString("0.##", CultureInfo.InvariantCulture) + " %" };
        return new("uptime", chart);
    }
}
