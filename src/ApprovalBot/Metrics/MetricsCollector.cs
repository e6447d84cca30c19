using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace ApprovalBot.Metrics;

/// <summary>
/// Listens to the instruments of one meter created through one <see cref="IMeterFactory"/> (the host's: a second host in
/// the same process — a test — keeps its own numbers) and aggregates them for a scrape: counters and up-down counters
/// sum, histograms count into their buckets (the instrument's advice, else Prometheus's defaults), observable instruments
/// are read at each <see cref="Collect"/> and report only what their callback returned then.
/// Naming, as OpenTelemetry's Prometheus exporter does it: dots become underscores, unit <c>s</c> appends <c>_seconds</c>,
/// counters end in <c>_total</c>.
/// </summary>
public sealed class MetricsCollector : IDisposable
{
    /// <summary>Prometheus's default buckets, for a histogram that gives none.</summary>
    public static readonly IReadOnlyList<double> DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentState> _instruments = new();
    private readonly Lock _collecting = new();

    public MetricsCollector(IMeterFactory meterFactory, string meterName)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!ReferenceEquals(instrument.Meter.Scope, meterFactory) || !string.Equals(instrument.Meter.Name, meterName, StringComparison.Ordinal)) return;
            var state = _instruments.GetOrAdd(instrument, i => new InstrumentState(i));
            listener.EnableMeasurementEvents(instrument, state);
        };
        _listener.MeasurementsCompleted = (instrument, state) => _instruments.TryRemove(instrument, out InstrumentState? _);
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>((_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.Start();
    }

    /// <summary>Reads the observable instruments and returns every family with at least one series, by name.</summary>
    public IReadOnlyList<MetricFamily> Collect()
    {
        lock (_collecting)
        {
            foreach (var state in _instruments.Values) state.BeginCollection();
            _listener.RecordObservableInstruments();
            return [.. _instruments.Values.Select(s => s.Snapshot()).Where(f => f.Samples.Count > 0).OrderBy(f => f.Name, StringComparer.Ordinal)];
        }
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>The Prometheus name of an instrument (see the class summary).</summary>
    public static string PrometheusName(Instrument instrument)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        var name = PrometheusText.SanitizeName(instrument.Name.Replace('.', '_'));
        var unit = instrument.Unit switch
        {
            "s" => "seconds",
            "By" => "bytes",
            _ => null,
        };
        if (unit is not null && !name.EndsWith("_" + unit, StringComparison.Ordinal)) name += "_" + unit;
        if (KindOf(instrument) is Kind.Counter or Kind.ObservedCounter && !name.EndsWith("_total", StringComparison.Ordinal)) name += "_total";
        return name;
    }

    private enum Kind
    {
        Counter,         // Counter<T>: adds
        ObservedCounter, // ObservableCounter<T>: the callback returns the running total
        UpDown,          // UpDownCounter<T>: adds, exposed as a gauge
        ObservedGauge,   // ObservableGauge<T>, ObservableUpDownCounter<T>: the callback returns the value now
        Gauge,           // Gauge<T>: the last value recorded
        Histogram,
    }

    private static Kind KindOf(Instrument instrument)
    {
        var type = instrument.GetType();
        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        if (definition == typeof(Counter<>)) return Kind.Counter;
        if (definition == typeof(ObservableCounter<>)) return Kind.ObservedCounter;
        if (definition == typeof(UpDownCounter<>)) return Kind.UpDown;
        if (definition == typeof(Histogram<>)) return Kind.Histogram;
        if (definition == typeof(Gauge<>)) return Kind.Gauge;
        return Kind.ObservedGauge;
    }

    private static double[] BucketsOf(Instrument instrument) => instrument switch
    {
        Histogram<double> { Advice.HistogramBucketBoundaries: { } b } => [.. b],
        Histogram<long> { Advice.HistogramBucketBoundaries: { } b } => [.. b.Select(x => (double)x)],
        Histogram<int> { Advice.HistogramBucketBoundaries: { } b } => [.. b.Select(x => (double)x)],
        _ => [.. DefaultBuckets],
    };

    private sealed class InstrumentState(Instrument instrument)
    {
        private readonly Kind _kind = KindOf(instrument);
        private readonly string _name = PrometheusName(instrument);
        private readonly double[] _buckets = KindOf(instrument) == Kind.Histogram ? BucketsOf(instrument) : [];
        private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);

        public void BeginCollection()
        {
            // What an observable instrument reports is what its callback returns now: a series it no longer returns is gone.
            if (_kind is Kind.ObservedCounter or Kind.ObservedGauge) _series.Clear();
        }

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var (key, labels) = KeyOf(tags);
            var series = _series.TryGetValue(key, out var existing) ? existing : _series.GetOrAdd(key, _ => new Series(labels, _buckets.Length));
            lock (series)
            {
                switch (_kind)
                {
                    case Kind.Counter or Kind.UpDown:
                        series.Value += value;
                        break;
                    case Kind.Histogram:
                        var i = 0;
                        while (i < _buckets.Length && value > _buckets[i]) i++;
                        if (i < _buckets.Length) series.Buckets[i]++;
                        series.Count++;
                        series.Value += value;
                        break;
                    default:
                        series.Value = value;
                        break;
                }
            }
        }

        public MetricFamily Snapshot()
        {
            var type = _kind switch
            {
                Kind.Counter or Kind.ObservedCounter => MetricType.Counter,
                Kind.Histogram => MetricType.Histogram,
                _ => MetricType.Gauge,
            };
            var samples = new List<MetricSample>(_series.Count);
            foreach (var (_, series) in _series.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                lock (series)
                {
                    if (_kind != Kind.Histogram)
                    {
                        samples.Add(new MetricSample(series.Labels, series.Value));
                        continue;
                    }
                    var cumulative = new List<(double, long)>(_buckets.Length);
                    long running = 0;
                    for (var i = 0; i < _buckets.Length; i++)
                    {
                        running += series.Buckets[i];
                        cumulative.Add((_buckets[i], running));
                    }
                    samples.Add(new MetricSample(series.Labels, series.Value, new HistogramValue(cumulative, series.Value, series.Count)));
                }
            }
            return new MetricFamily(_name, instrument.Description ?? "", type, samples);
        }

        private static (string Key, KeyValuePair<string, string>[] Labels) KeyOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.Length == 0) return ("", []);
            var labels = new KeyValuePair<string, string>[tags.Length];
            for (var i = 0; i < tags.Length; i++)
                labels[i] = new(tags[i].Key, Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture) ?? "");
            Array.Sort(labels, (a, b) => string.CompareOrdinal(a.Key, b.Key));
            return (string.Join('\u0001', labels.Select(l => l.Key + "\u0002" + l.Value)), labels);
        }
    }

    private sealed class Series(KeyValuePair<string, string>[] labels, int buckets)
    {
        public KeyValuePair<string, string>[] Labels { get; } = labels;
        public long[] Buckets { get; } = new long[buckets];
        public double Value { get; set; }
        public long Count { get; set; }
    }
}
