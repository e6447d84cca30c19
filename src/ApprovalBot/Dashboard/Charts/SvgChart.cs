using System.Globalization;
using System.Text;
using System.Xml;

namespace ApprovalBot.Dashboard.Charts;

/// <summary>Bars (one series: counts) or lines with points (one or more series: times, percentages).</summary>
public enum ChartKind
{
    Bars,
    Lines,
}

/// <summary>One named series; a null value is a gap (no bar, the line breaks), never zero.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<double?> Values);

/// <summary>
/// What to draw: <see cref="Categories"/> along the x axis (one per period), each series' value per category.
/// <see cref="Min"/>/<see cref="Max"/> fix the y axis (0–100 for percentages); otherwise it runs from 0 to a round
/// number above the largest value. <see cref="Format"/> writes a value for ticks and tooltips ("45m", "80 %").
/// </summary>
public sealed record Chart(string Id, string Title, string Description, IReadOnlyList<string> Categories, IReadOnlyList<ChartSeries> Series, ChartKind Kind)
{
    public double? Min { get; init; }
    public double? Max { get; init; }
    public Func<double, string> Format { get; init; } = v => v.ToString("0.##", CultureInfo.InvariantCulture);
}

/// <summary>A y axis from <see cref="Min"/> to <see cref="Max"/> in steps of <see cref="Step"/> (1, 2, 2.5 or 5 × 10ⁿ).</summary>
public sealed record AxisScale(double Min, double Max, double Step)
{
    private static readonly double[] Multiples = [1, 2, 2.5, 5, 10];

    public IReadOnlyList<double> Ticks
    {
        get
        {
            var count = (int)Math.Round((Max - Min) / Step);
            return [.. Enumerable.Range(0, count + 1).Select(i => Math.Round(Min + (i * Step), 10))];
        }
    }

    /// <summary>Where <paramref name="value"/> falls between <paramref name="low"/> (at Min) and <paramref name="high"/> (at Max), clamped.</summary>
    public double Map(double value, double low, double high)
    {
        var t = (Math.Clamp(value, Min, Max) - Min) / (Max - Min);
        return low + (t * (high - low));
    }

    /// <summary>
    /// A round scale that holds [<paramref name="min"/>, <paramref name="max"/>] with at most <paramref name="maxTicks"/>
    /// ticks: the step is the smallest 1, 2, 2.5 or 5 × 10ⁿ that fits. An empty range grows to a step above it.
    /// </summary>
    public static AxisScale Nice(double min, double max, int maxTicks = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTicks, 2);
        if (double.IsNaN(min) || double.IsNaN(max) || double.IsInfinity(min) || double.IsInfinity(max)) (min, max) = (0, 1);
        if (min > max) (min, max) = (max, min);
        if (max - min < 1e-9) max = min + (Math.Abs(min) > 0 ? Math.Abs(min) : 1);
        var raw = (max - min) / (maxTicks - 1);
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = Multiples.Select(m => m * magnitude).First(s => s >= raw - 1e-12);
        while (true)
        {
            var low = Math.Floor((min / step) + 1e-9) * step;
            var high = Math.Ceiling((max / step) - 1e-9) * step;
            if ((high - low) / step <= maxTicks - 1 + 1e-9) return new AxisScale(Math.Round(low, 10), Math.Round(high, 10), Math.Round(step, 12));
            step = NextStep(step);
        }
    }

    private static double NextStep(double step)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(step) + 1e-9));
        var m = step / magnitude;
        return Multiples.First(x => x > m + 1e-9) * magnitude;
    }
}

/// <summary>
/// Writes a <see cref="Chart"/> as an inline SVG element, server-side, with no script and no style attribute (colours
/// come from the page's stylesheet by class: <c>series-0</c>, <c>series-1</c> …). Accessible: <c>role="img"</c> named
/// by its <c>&lt;title&gt;</c> and <c>&lt;desc&gt;</c>; every bar and point has a <c>&lt;title&gt;</c> tooltip
/// ("23 Nov · MTTA median: 45m"). Written with <see cref="XmlWriter"/>, so it is well-formed and every text escaped.
/// </summary>
public static class SvgChart
{
    public const int Width = 480;
    public const int Height = 250;
    private const double Left = 56, Right = 16, Top = 16, Bottom = 44;
    private const string Ns = "http://www.w3.org/2000/svg";

    public static string Render(Chart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var values = chart.Series.SelectMany(s => s.Values).OfType<double>().Where(double.IsFinite).ToList();
        var scale = AxisScale.Nice(chart.Min ?? Math.Min(0, values.DefaultIfEmpty(0).Min()), chart.Max ?? Math.Max(values.DefaultIfEmpty(0).Max(), chart.Min ?? 0));
        var (x0, x1, y0, y1) = (Left, Width - Right, Height - Bottom, Top);
        var n = Math.Max(chart.Categories.Count, 1);
        var band = (x1 - x0) / n;

        var text = new StringBuilder();
        using (var w = XmlWriter.Create(text, new XmlWriterSettings { OmitXmlDeclaration = true, ConformanceLevel = ConformanceLevel.Fragment, Indent = false }))
        {
            w.WriteStartElement("svg", Ns);
            w.WriteAttributeString("viewBox", $"0 0 {Width} {Height}");
            w.WriteAttributeString("class", "chart");
            w.WriteAttributeString("role", "img");
            w.WriteAttributeString("id", chart.Id);
            w.WriteAttributeString("aria-labelledby", $"{chart.Id}-title {chart.Id}-desc");
            Element(w, "title", chart.Title, ("id", $"{chart.Id}-title"));
            Element(w, "desc", chart.Description, ("id", $"{chart.Id}-desc"));

            w.WriteStartElement("g", Ns);
            w.WriteAttributeString("class", "grid");
            foreach (var tick in scale.Ticks)
            {
                var y = scale.Map(tick, y0, y1);
                Empty(w, "line", ("x1", N(x0)), ("x2", N(x1)), ("y1", N(y)), ("y2", N(y)));
                Element(w, "text", chart.Format(tick), ("x", N(x0 - 6)), ("y", N(y + 4)), ("class", "tick y"));
            }
            w.WriteEndElement();

            w.WriteStartElement("g", Ns);
            w.WriteAttributeString("class", "axis");
            Empty(w, "line", ("x1", N(x0)), ("x2", N(x1)), ("y1", N(y0)), ("y2", N(y0)));
            Empty(w, "line", ("x1", N(x0)), ("x2", N(x0)), ("y1", N(y0)), ("y2", N(y1)));
            var every = Math.Max(1, (int)Math.Ceiling(chart.Categories.Count / 6.0)); // at most ~6 labels: narrow tabs
            for (var i = 0; i < chart.Categories.Count; i++)
            {
                if ((chart.Categories.Count - 1 - i) % every != 0) continue; // always label the newest period
                Element(w, "text", chart.Categories[i], ("x", N(x0 + (band * (i + 0.5)))), ("y", N(y0 + 18)), ("class", "tick x"));
            }
            w.WriteEndElement();

            for (var s = 0; s < chart.Series.Count; s++)
            {
                var series = chart.Series[s];
                w.WriteStartElement("g", Ns);
                w.WriteAttributeString("class", $"series series-{s}");
                if (chart.Kind == ChartKind.Bars) Bars(w, chart, series, scale, x0, y0, y1, band, s);
                else Lines(w, chart, series, scale, x0, y0, y1, band);
                w.WriteEndElement();
            }

            if (chart.Series.Count > 1)
            {
                w.WriteStartElement("g", Ns);
                w.WriteAttributeString("class", "legend");
                for (var s = 0; s < chart.Series.Count; s++)
                {
                    var x = x0 + (s * 130);
                    Empty(w, "rect", ("x", N(x)), ("y", N(Height - 14)), ("width", "10"), ("height", "10"), ("class", $"swatch series-{s}"));
                    Element(w, "text", chart.Series[s].Name, ("x", N(x + 14)), ("y", N(Height - 5)));
                }
                w.WriteEndElement();
            }

            if (values.Count == 0)
                Element(w, "text", "Nothing to show for these periods", ("x", N((x0 + x1) / 2)), ("y", N((y0 + y1) / 2)), ("class", "empty"));
            w.WriteEndElement();
        }

        return text.ToString();
    }

    private static void Bars(XmlWriter w, Chart chart, ChartSeries series, AxisScale scale, double x0, double y0, double y1, double band, int index)
    {
        var count = Math.Max(chart.Series.Count, 1);
        var width = band * 0.7 / count;
        for (var i = 0; i < series.Values.Count && i < chart.Categories.Count; i++)
        {
            if (series.Values[i] is not { } v || !double.IsFinite(v)) continue;
            var top = scale.Map(v, y0, y1);
            var baseline = scale.Map(Math.Max(scale.Min, 0), y0, y1);
            var x = x0 + (band * i) + (band * 0.15) + (width * index);
            w.WriteStartElement("rect", Ns);
            w.WriteAttributeString("x", N(x));
            w.WriteAttributeString("y", N(Math.Min(top, baseline)));
            w.WriteAttributeString("width", N(width));
            w.WriteAttributeString("height", N(Math.Abs(baseline - top)));
            w.WriteAttributeString("class", "bar");
            Element(w, "title", $"{chart.Categories[i]} · {series.Name}: {chart.Format(v)}");
            w.WriteEndElement();
        }
    }

    private static void Lines(XmlWriter w, Chart chart, ChartSeries series, AxisScale scale, double x0, double y0, double y1, double band)
    {
        var points = new List<(double X, double Y, int I, double V)>();
        for (var i = 0; i < series.Values.Count && i < chart.Categories.Count; i++)
        {
            if (series.Values[i] is { } v && double.IsFinite(v)) points.Add((x0 + (band * (i + 0.5)), scale.Map(v, y0, y1), i, v));
        }

        // Consecutive periods are joined; a period with no value breaks the line.
        var run = new List<(double X, double Y, int I, double V)>();
        foreach (var p in points.Append((0, 0, int.MaxValue, 0)))
        {
            if (run.Count > 0 && p.I != run[^1].I + 1)
            {
                if (run.Count > 1) Empty(w, "polyline", ("points", string.Join(' ', run.Select(r => $"{N(r.X)},{N(r.Y)}"))), ("class", "line"));
                run.Clear();
            }
            if (p.I != int.MaxValue) run.Add(p);
        }

        foreach (var p in points)
        {
            w.WriteStartElement("circle", Ns);
            w.WriteAttributeString("cx", N(p.X));
            w.WriteAttributeString("cy", N(p.Y));
            w.WriteAttributeString("r", "4");
            w.WriteAttributeString("class", "point");
            Element(w, "title", $"{chart.Categories[p.I]} · {series.Name}: {chart.Format(p.V)}");
            w.WriteEndElement();
        }
    }

    private static void Element(XmlWriter w, string name, string content, params (string Name, string Value)[] attributes)
    {
        w.WriteStartElement(name, Ns);
        foreach (var (n, v) in attributes) w.WriteAttributeString(n, v);
        w.WriteString(Clean(content));
        w.WriteEndElement();
    }

    /// <summary>Drops characters XML 1.0 cannot hold (control characters, lone surrogates), which XmlWriter would refuse.</summary>
    internal static string Clean(string text)
    {
        if (text.All(c => XmlConvert.IsXmlChar(c))) return text;
        var clean = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (XmlConvert.IsXmlChar(text[i])) clean.Append(text[i]);
            else if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i])) clean.Append(text, i++, 2);
        }

        return clean.ToString();
    }

    private static void Empty(XmlWriter w, string name, params (string Name, string Value)[] attributes)
    {
        w.WriteStartElement(name, Ns);
        foreach (var (n, v) in attributes) w.WriteAttributeString(n, v);
        w.WriteEndElement();
    }

    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
