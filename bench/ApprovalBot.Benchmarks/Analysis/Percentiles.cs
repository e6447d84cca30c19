using System.Globalization;

namespace ApprovalBot.Benchmarks.Analysis;

/// <summary>Order statistics of a sample (latencies in milliseconds, say).</summary>
internal static class Percentiles
{
    /// <summary>
    /// The <paramref name="percent"/>-th percentile by the nearest-rank method: the smallest value such that at least
    /// <paramref name="percent"/> % of the sample is at or below it (p100 is the maximum, p0 the minimum). NaN for an
    /// empty sample. Nearest rank never invents a value that was not measured, so a p99 of 100 samples is the 99th.
    /// </summary>
    public static double Of(IReadOnlyList<double> values, double percent)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(percent, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        return OfSorted(sorted, percent);
    }

    /// <summary><see cref="Of"/> on an already ascending array.</summary>
    public static double OfSorted(double[] sorted, double percent)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Length == 0) return double.NaN;
        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    /// <summary>Count, p50, p90, p99, max and mean of a sample.</summary>
    public static Summary Summarize(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToArray();
        return new Summary(
            sorted.Length,
            OfSorted(sorted, 50),
            OfSorted(sorted, 90),
            OfSorted(sorted, 99),
            sorted.Length == 0 ? double.NaN : sorted[^1],
            sorted.Length == 0 ? double.NaN : sorted.Average());
    }
}

/// <summary>A sample's order statistics.</summary>
internal sealed record Summary(int Count, double P50, double P90, double P99, double Max, double Mean)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"n={Count} p50={P50:0.0} p90={P90:0.0} p99={P99:0.0} max={Max:0.0} mean={Mean:0.0}");
}
