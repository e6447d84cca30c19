using System.Globalization;
using System.Text;

namespace ApprovalBot.Metrics;

/// <summary>The Prometheus metric types the bot exposes.</summary>
public enum MetricType
{
    Counter,
    Gauge,
    Histogram,
}

/// <summary>One metric family: a Prometheus name (already with its unit and <c>_total</c> suffixes), help text, type and samples.</summary>
public sealed record MetricFamily(string Name, string Help, MetricType Type, IReadOnlyList<MetricSample> Samples);

/// <summary>One series: its labels (name → value) and its value, or for a histogram its buckets, sum and count.</summary>
public sealed record MetricSample(IReadOnlyList<KeyValuePair<string, string>> Labels, double Value, HistogramValue? Histogram = null);

/// <summary>A histogram series: cumulative counts per upper bound (ascending, without +Inf), the sum and the count.</summary>
public sealed record HistogramValue(IReadOnlyList<(double UpperBound, long CumulativeCount)> Buckets, double Sum, long Count);

/// <summary>
/// Writes metric families in the Prometheus text exposition format 0.0.4: <c># HELP</c> and <c># TYPE</c> per family,
/// one line per sample, histograms as cumulative <c>_bucket{le="…"}</c> lines ending with <c>le="+Inf"</c>, then
/// <c>_sum</c> and <c>_count</c>. Help text escapes <c>\</c> and line feeds; label values also escape <c>"</c>.
/// </summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(IEnumerable<MetricFamily> families)
    {
        ArgumentNullException.ThrowIfNull(families);
        var sb = new StringBuilder(4096);
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var family in families)
        {
            // A name may appear once; a second instrument that maps to the same name would make the whole scrape invalid.
            if (!written.Add(family.Name)) continue;
            sb.Append("# HELP ").Append(family.Name).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
            sb.Append("# TYPE ").Append(family.Name).Append(' ').Append(TypeName(family.Type)).Append('\n');
            foreach (var sample in family.Samples)
            {
                if (family.Type == MetricType.Histogram && sample.Histogram is { } h)
                {
                    foreach (var (bound, count) in h.Buckets)
                        Line(sb, family.Name + "_bucket", sample.Labels, ("le", FormatValue(bound)), count);
                    Line(sb, family.Name + "_bucket", sample.Labels, ("le", "+Inf"), h.Count);
                    Line(sb, family.Name + "_sum", sample.Labels, null, h.Sum);
                    Line(sb, family.Name + "_count", sample.Labels, null, h.Count);
                }
                else
                {
                    Line(sb, family.Name, sample.Labels, null, sample.Value);
                }
            }
        }
        return sb.ToString();
    }

    private static void Line(StringBuilder sb, string name, IReadOnlyList<KeyValuePair<string, string>> labels, (string Name, string Value)? extra, double value)
    {
        sb.Append(name);
        if (labels.Count > 0 || extra is not null)
        {
            sb.Append('{');
            var first = true;
            foreach (var (key, v) in labels)
            {
                if (!first) sb.Append(',');
                first = false;
                sb.Append(SanitizeName(key, label: true)).Append("=\"").Append(EscapeLabelValue(v)).Append('"');
            }
            if (extra is { } e)
            {
                if (!first) sb.Append(',');
                sb.Append(e.Name).Append("=\"").Append(e.Value).Append('"');
            }
            sb.Append('}');
        }
        sb.Append(' ').Append(FormatValue(value)).Append('\n');
    }

    private static string TypeName(MetricType type) => type switch
    {
        MetricType.Counter => "counter",
        MetricType.Gauge => "gauge",
        _ => "histogram",
    };

    /// <summary>A sample value or bucket bound: shortest round-trip form, <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.</summary>
    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    public static string EscapeHelp(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
    }

    public static string EscapeLabelValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal);
    }

    /// <summary>
    /// A valid metric name (<c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>) or label name (no colons): every other character becomes
    /// <c>_</c>, and a leading digit gets a <c>_</c> in front.
    /// </summary>
    public static string SanitizeName(string name, bool label = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var sb = new StringBuilder(name.Length + 1);
        if (char.IsAsciiDigit(name[0])) sb.Append('_');
        foreach (var c in name)
            sb.Append(char.IsAsciiLetterOrDigit(c) || c == '_' || (c == ':' && !label) ? c : '_');
        return sb.ToString();
    }
}
