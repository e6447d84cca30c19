using System.Diagnostics.Metrics;
using ApprovalBot.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalBot.UnitTests.Metrics;

/// <summary>
/// The collector over a real <see cref="MeterListener"/>: what each kind of instrument becomes, the Prometheus names, the
/// histogram buckets, and that only the meter of its own <see cref="IMeterFactory"/> is collected.
/// </summary>
public sealed class MetricsCollectorTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private IMeterFactory Factory => _services.GetRequiredService<IMeterFactory>();

    public void Dispose() => _services.Dispose();

    private static KeyValuePair<string, object?> Tag(string name, object? value) => new(name, value);

    [Fact]
    public void Counter_SumsPerLabelSet_AndEndsIn_total()
    {
        var meter = Factory.Create("TestMeter");
        using var collector = new MetricsCollector(Factory, "TestMeter");
        var counter = meter.CreateCounter<long>("test.requests", null, "Requests.");

        counter.Add(2, Tag("b", "2"), Tag("a", "1"));
        counter.Add(3, Tag("a", "1"), Tag("b", "2"));
        counter.Add(1, Tag("a", "other"));

        var family = Assert.Single(collector.Collect());
        Assert.Equal("test_requests_total", family.Name);
        Assert.Equal(MetricType.Counter, family.Type);
        Assert.Equal("Requests.", family.Help);
        Assert.Equal(5, family.Samples.Single(s => s.Labels.Any(l => l.Value == "2")).Value);
        Assert.Equal(["a", "b"], family.Samples.Single(s => s.Labels.Any(l => l.Value == "2")).Labels.Select(l => l.Key));
        Assert.Equal(1, family.Samples.Single(s => s.Labels.Any(l => l.Value == "other")).Value);
    }

    [Fact]
    public void Histogram_CountsIntoTheAdvisedBuckets_Cumulatively_AndGetsItsUnitSuffix()
    {
        var meter = Factory.Create("TestMeter");
        using var collector = new MetricsCollector(Factory, "TestMeter");
        var histogram = meter.CreateHistogram("test.duration", "s", "Durations.", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1, 10] });

        foreach (var v in new[] { 0.05, 0.1, 0.5, 5, 50 }) histogram.Record(v);

        var family = Assert.Single(collector.Collect());
        Assert.Equal("test_duration_seconds", family.Name);
        Assert.Equal(MetricType.Histogram, family.Type);
        var h = Assert.Single(family.Samples).Histogram!;
        // le is "less than or equal": 0.1 falls into the 0.1 bucket.
        Assert.Equal([(0.1, 2L), (1, 3L), (10, 4L)], h.Buckets);
        Assert.Equal(5, h.Count);
        Assert.Equal(55.65, h.Sum, 6);
    }

    [Fact]
    public void Histogram_WithoutAdvice_UsesPrometheusDefaultBuckets()
    {
        var meter = Factory.Create("TestMeter");
        using var collector = new MetricsCollector(Factory, "TestMeter");
        meter.CreateHistogram<double>("test.plain").Record(0.2);

        var h = Assert.Single(Assert.Single(collector.Collect()).Samples).Histogram!;
        Assert.Equal(MetricsCollector.DefaultBuckets, h.Buckets.Select(b => b.UpperBound));
    }

    [Fact]
    public void ObservableGauge_ReportsOnlyWhatItsCallbackReturnsAtEachCollection()
    {
        var meter = Factory.Create("TestMeter");
        using var collector = new MetricsCollector(Factory, "TestMeter");
        IEnumerable<Measurement<long>> now = [new(3, Tag("kind", "a")), new(4, Tag("kind", "b"))];
        meter.CreateObservableGauge("test.depth", () => now, null, "Depth.");

        var first = Assert.Single(collector.Collect());
        now = [new(7, Tag("kind", "a"))];
        var second = Assert.Single(collector.Collect());

        Assert.Equal(MetricType.Gauge, first.Type);
        Assert.Equal("test_depth", first.Name);
        Assert.Equal([3d, 4d], first.Samples.Select(s => s.Value));
        Assert.Equal(7, Assert.Single(second.Samples).Value);
    }

    [Fact]
    public void ObservableCounter_IsACounter_WithTheRunningTotal_AndUpDownCounter_IsAGauge()
    {
        var meter = Factory.Create("TestMeter");
        using var collector = new MetricsCollector(Factory, "TestMeter");
        var total = 0.0;
        meter.CreateObservableCounter("test.waited", () => total, "s");
        var upDown = meter.CreateUpDownCounter<int>("test.in_flight");
        total = 2.5;
        upDown.Add(3);
        upDown.Add(-1);

        var families = collector.Collect().ToDictionary(f => f.Name);

        Assert.Equal(MetricType.Counter, families["test_waited_seconds_total"].Type);
        Assert.Equal(2.5, Assert.Single(families["test_waited_seconds_total"].Samples).Value);
        Assert.Equal(MetricType.Gauge, families["test_in_flight"].Type);
        Assert.Equal(2, Assert.Single(families["test_in_flight"].Samples).Value);
    }

    [Fact]
    public void Collect_IgnoresOtherMeters_AndTheSameMeterNameFromAnotherFactory()
    {
        using var otherServices = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var otherFactory = otherServices.GetRequiredService<IMeterFactory>();
        using var collector = new MetricsCollector(Factory, "TestMeter");
        otherFactory.Create("TestMeter").CreateCounter<long>("test.elsewhere").Add(1);
        Factory.Create("AnotherMeter").CreateCounter<long>("test.another").Add(1);
        using var unscoped = new Meter("TestMeter");
        unscoped.CreateCounter<long>("test.global").Add(1);
        Factory.Create("TestMeter").CreateCounter<long>("test.mine").Add(1);

        var family = Assert.Single(collector.Collect());
        Assert.Equal("test_mine_total", family.Name);
    }

    [Fact]
    public void Collect_OmitsInstrumentsWithNoSeriesYet()
    {
        var meter = Factory.Create("TestMeter");
        using var collector = new MetricsCollector(Factory, "TestMeter");
        meter.CreateCounter<long>("test.never");

        Assert.Empty(collector.Collect());
    }
}
