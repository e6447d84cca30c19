using System.Globalization;
using System.Security;
using System.Text;

namespace ApprovalBot.Benchmarks.Analysis;

/// <summary>One line of a chart: its name in the legend and its points, in x order.</summary>
internal sealed record ChartSeries(string Name, IReadOnlyList<(double X, double Y)> Points);

/// <summary>
/// A hand-written SVG line chart (no packages): axes with "nice" ticks, labels with units, one coloured line with
/// markers per series, a legend, and an optional dashed horizontal target line. Text is XML-escaped.
/// </summary>
internal static class SvgChart
{
    private const int Width = 720;
    private const int Height = 440;
    private const int Left = 80;
    private const int Right = 180;
    private const int Top = 50;
    private const int Bottom = 60;
    private static readonly double[] NiceSteps = [1, 2, 5, 10];
    private static readonly string[] Colours = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];

    public static string Line(string title, string xLabel, string yLabel, IReadOnlyList<ChartSeries> series, double? target = null, string? targetLabel = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        var points = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        var (xMin, xMax) = points.Count == 0 ? (0d, 1d) : (Math.Min(0, points.Min(p => p.X)), points.Max(p => p.X));
        var yTop = points.Count == 0 ? 1d : points.Max(p => p.Y);
        if (target is { } t && double.IsFinite(t)) yTop = Math.Max(yTop, t);
        var yMin = points.Count == 0 ? 0d : Math.Min(0, points.Min(p => p.Y));
        var xTicks = Ticks(xMin, xMax);
        var yTicks = Ticks(yMin, yTop);
        (xMin, xMax) = (xTicks[0], xTicks[^1]);
        var (yLow, yHigh) = (yTicks[0], yTicks[^1]);

        const double plotWidth = Width - Left - Right;
        const double plotHeight = Height - Top - Bottom;
        double X(double x) => Left + (xMax == xMin ? 0.5 : (x - xMin) / (xMax - xMin)) * plotWidth;
        double Y(double y) => Top + plotHeight - (yHigh == yLow ? 0.5 : (y - yLow) / (yHigh - yLow)) * plotHeight;

        var svg = new StringBuilder();
        svg.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Inv($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n"));
        svg.Append(Inv($"<text x=\"{Width / 2}\" y=\"28\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">{Escape(title)}</text>\n"));

        foreach (var tick in yTicks)
        {
            var y = Y(tick);
            svg.Append(Inv($"<line x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Width - Right}\" y2=\"{y:0.#}\" stroke=\"#e0e0e0\"/>\n"));
            svg.Append(Inv($"<text x=\"{Left - 8}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{Escape(Format(tick))}</text>\n"));
        }
        foreach (var tick in xTicks)
        {
            var x = X(tick);
            svg.Append(Inv($"<line x1=\"{x:0.#}\" y1=\"{Height - Bottom}\" x2=\"{x:0.#}\" y2=\"{Height - Bottom + 5}\" stroke=\"black\"/>\n"));
            svg.Append(Inv($"<text x=\"{x:0.#}\" y=\"{Height - Bottom + 20}\" text-anchor=\"middle\">{Escape(Format(tick))}</text>\n"));
        }
        svg.Append(Inv($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>\n"));
        svg.Append(Inv($"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>\n"));
        svg.Append(Inv($"<text x=\"{Left + plotWidth / 2:0.#}\" y=\"{Height - 15}\" text-anchor=\"middle\">{Escape(xLabel)}</text>\n"));
        svg.Append(Inv($"<text transform=\"translate(20 {Top + plotHeight / 2:0.#}) rotate(-90)\" text-anchor=\"middle\">{Escape(yLabel)}</text>\n"));

        if (target is { } goal && double.IsFinite(goal))
        {
            var y = Y(goal);
            svg.Append(Inv($"<line class=\"target\" x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Width - Right}\" y2=\"{y:0.#}\" stroke=\"#555\" stroke-dasharray=\"6 4\"/>\n"));
            svg.Append(Inv($"<text x=\"{Width - Right - 4}\" y=\"{y - 5:0.#}\" text-anchor=\"end\" fill=\"#555\">{Escape(targetLabel ?? "target " + Format(goal))}</text>\n"));
        }

        for (var i = 0; i < series.Count; i++)
        {
            var colour = Colours[i % Colours.Length];
            var line = series[i].Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).OrderBy(p => p.X).ToList();
            if (line.Count > 1)
            {
                var path = string.Join(" ", line.Select(p => Inv($"{X(p.X):0.#},{Y(p.Y):0.#}")));
                svg.Append(Inv($"<polyline class=\"series\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{path}\"/>\n"));
            }
            foreach (var p in line)
                svg.Append(Inv($"<circle cx=\"{X(p.X):0.#}\" cy=\"{Y(p.Y):0.#}\" r=\"3.5\" fill=\"{colour}\"><title>{Escape(series[i].Name)}: {Escape(Format(p.X))}, {Escape(Format(p.Y))}</title></circle>\n"));
            var legendY = Top + 10 + i * 20;
            svg.Append(Inv($"<line x1=\"{Width - Right + 15}\" y1=\"{legendY}\" x2=\"{Width - Right + 35}\" y2=\"{legendY}\" stroke=\"{colour}\" stroke-width=\"2\"/>\n"));
            svg.Append(Inv($"<text x=\"{Width - Right + 40}\" y=\"{legendY + 4}\">{Escape(series[i].Name)}</text>\n"));
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>Evenly spaced round ticks (steps of 1, 2 or 5 × 10ⁿ) from at or below <paramref name="min"/> to at or above <paramref name="max"/>.</summary>
    public static IReadOnlyList<double> Ticks(double min, double max, int target = 5)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max)) return [0, 1];
        if (max < min) (min, max) = (max, min);
        if (max == min) max = min + (min == 0 ? 1 : Math.Abs(min));
        var raw = (max - min) / target;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = NiceSteps.Select(m => m * magnitude).First(s => s >= raw);
        var start = Math.Floor(min / step) * step;
        var ticks = new List<double>();
        for (var v = start; v < max + step * 0.999; v += step)
            ticks.Add(Math.Round(v / step) * step);
        return ticks;
    }

    private static string Format(double value) => Math.Abs(value) >= 1000 || value == Math.Round(value)
        ? value.ToString("#,0", CultureInfo.InvariantCulture)
        : value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Escape(string text) => SecurityElement.Escape(text);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
