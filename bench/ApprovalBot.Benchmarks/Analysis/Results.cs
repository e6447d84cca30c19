using System.Globalization;
using System.Text;

namespace ApprovalBot.Benchmarks.Analysis;

/// <summary>
/// One figure measured: <paramref name="Work"/> is the x of the scaling charts (concurrent users, armed timers, seeded
/// escalations), <paramref name="Metric"/> e.g. <c>p99</c>, <c>decisions/s</c>, <c>lost</c>.
/// </summary>
internal sealed record Measurement(string Figure, string Storage, double Work, string Metric, double Value, string Unit);

/// <summary>A target from the issue: <c>p99 ≤ 50 ms</c> is (figure, "p99", AtMost, 50).</summary>
internal sealed record Target(string Figure, string Metric, bool AtMost, double Value, string Unit)
{
    public bool IsMet(double value) => double.IsFinite(value) && (AtMost ? value <= Value : value >= Value);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{(AtMost ? "≤" : "≥")} {Value:#,0.##} {Unit}").TrimEnd();
}

/// <summary>A chart of one figure: the metrics drawn (one line per storage and metric) against the work.</summary>
internal sealed record ChartSpec(string File, string Figure, IReadOnlyList<string> Metrics, string Title, string XLabel, string YLabel, Target? Target = null);

/// <summary>Everything a run measured, with the raw samples; writes the CSVs, the charts and the table.</summary>
internal sealed class Results
{
    private static readonly string[] TableHeader = ["figure", "storage", "work", "metric", "value", "target", ""];
    private readonly Lock _gate = new();
    private readonly List<Measurement> _measurements = [];
    private readonly List<(string Figure, string Storage, double Work, double Value)> _samples = [];

    public IReadOnlyList<Measurement> Measurements
    {
        get { lock (_gate) return [.. _measurements]; }
    }

    public void Add(Measurement measurement)
    {
        lock (_gate) _measurements.Add(measurement);
    }

    public void Add(string figure, string storage, double work, string metric, double value, string unit) =>
        Add(new Measurement(figure, storage, work, metric, value, unit));

    /// <summary>Adds the summary of a latency sample (ms) as p50/p90/p99/max and keeps the raw values.</summary>
    public Summary AddLatencies(string figure, string storage, double work, IReadOnlyCollection<double> milliseconds)
    {
        ArgumentNullException.ThrowIfNull(milliseconds);
        var summary = Percentiles.Summarize(milliseconds);
        Add(figure, storage, work, "p50", summary.P50, "ms");
        Add(figure, storage, work, "p90", summary.P90, "ms");
        Add(figure, storage, work, "p99", summary.P99, "ms");
        Add(figure, storage, work, "max", summary.Max, "ms");
        Add(figure, storage, work, "samples", summary.Count, "");
        lock (_gate)
        {
            foreach (var value in milliseconds)
                _samples.Add((figure, storage, work, value));
        }
        return summary;
    }

    /// <summary><c>results.csv</c> (one row per measurement) and <c>samples.csv</c> (every raw latency).</summary>
    public void WriteCsv(string folder)
    {
        var results = new StringBuilder("figure,storage,work,metric,value,unit\n");
        foreach (var m in Measurements)
            results.AppendLine(string.Join(',', Csv(m.Figure), Csv(m.Storage), Number(m.Work), Csv(m.Metric), Number(m.Value), Csv(m.Unit)));
        File.WriteAllText(Path.Combine(folder, "results.csv"), results.ToString());

        var samples = new StringBuilder("figure,storage,work,value_ms\n");
        lock (_gate)
        {
            foreach (var (figure, storage, work, value) in _samples)
                samples.AppendLine(string.Join(',', Csv(figure), Csv(storage), Number(work), Number(value)));
        }
        File.WriteAllText(Path.Combine(folder, "samples.csv"), samples.ToString());
    }

    /// <summary>One SVG per chart that has data; returns the files written.</summary>
    public IReadOnlyList<string> WriteCharts(string folder, IEnumerable<ChartSpec> charts)
    {
        ArgumentNullException.ThrowIfNull(charts);
        var written = new List<string>();
        var all = Measurements;
        foreach (var chart in charts)
        {
            var series = all.Where(m => m.Figure == chart.Figure && chart.Metrics.Contains(m.Metric))
                .GroupBy(m => (m.Storage, m.Metric))
                .OrderBy(g => g.Key.Storage, StringComparer.Ordinal).ThenBy(g => chart.Metrics.ToList().IndexOf(g.Key.Metric))
                .Select(g => new ChartSeries(chart.Metrics.Count == 1 ? g.Key.Storage : $"{g.Key.Storage} {g.Key.Metric}",
                    [.. g.OrderBy(m => m.Work).Select(m => (m.Work, m.Value))]))
                .ToList();
            if (series.Count == 0) continue;
            var path = Path.Combine(folder, chart.File);
            File.WriteAllText(path, SvgChart.Line(chart.Title, chart.XLabel, chart.YLabel, series, chart.Target?.Value, chart.Target is { } t ? "target " + t : null));
            written.Add(path);
        }
        return written;
    }

    /// <summary>The table: every measurement that has a target (at every work level), then the rest of the headline level.</summary>
    public string Table(IReadOnlyList<Target> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var rows = new List<string[]> { TableHeader };
        foreach (var m in Measurements)
        {
            var target = targets.FirstOrDefault(t => t.Figure == m.Figure && t.Metric == m.Metric);
            rows.Add([m.Figure, m.Storage, Number(m.Work), m.Metric, string.Create(CultureInfo.InvariantCulture, $"{m.Value:#,0.##} {m.Unit}").TrimEnd(),
                target?.ToString() ?? "", target is null ? "" : target.IsMet(m.Value) ? "ok" : "MISSED"]);
        }
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var (row, index) in rows.Select((r, i) => (r, i)))
        {
            text.AppendLine(string.Join(" | ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
            if (index == 0) text.AppendLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        }
        return text.ToString();
    }

    /// <summary>A CSV field: quoted when it holds a comma, quote or line break (quotes doubled).</summary>
    public static string Csv(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
