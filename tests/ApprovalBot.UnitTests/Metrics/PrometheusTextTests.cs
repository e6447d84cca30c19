using ApprovalBot.Metrics;

namespace ApprovalBot.UnitTests.Metrics;

/// <summary>The text exposition format 0.0.4, line by line: HELP and TYPE, escaping, histograms, special values.</summary>
public sealed class PrometheusTextTests
{
    private static KeyValuePair<string, string> L(string name, string value) => new(name, value);

    [Fact]
    public void Write_GivesHelpTypeAndOneLinePerSample_ForACounter()
    {
        var text = PrometheusText.Write([
            new MetricFamily("approvalbot_things_total", "Things that happened.", MetricType.Counter,
                [new([L("kind", "a")], 3), new([L("kind", "b")], 0.5)]),
        ]);

        Assert.Equal(
            "# HELP approvalbot_things_total Things that happened.\n" +
            "# TYPE approvalbot_things_total counter\n" +
            "approvalbot_things_total{kind=\"a\"} 3\n" +
            "approvalbot_things_total{kind=\"b\"} 0.5\n",
            text);
    }

    [Fact]
    public void Write_EscapesBackslashQuoteAndLineFeed_InLabelValues_AndBackslashLineFeed_InHelp()
    {
        var text = PrometheusText.Write([
            new MetricFamily("m", "Help with a \\ backslash\nand a \"quote\".", MetricType.Gauge,
                [new([L("path", "C:\\dir\\\"x\"\nnext")], 1)]),
        ]);

        Assert.Contains("# HELP m Help with a \\\\ backslash\\nand a \"quote\".\n", text, StringComparison.Ordinal);
        Assert.Contains("m{path=\"C:\\\\dir\\\\\\\"x\\\"\\nnext\"} 1\n", text, StringComparison.Ordinal);
        Assert.Equal(3, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Write_GivesCumulativeBucketsEndingWithInf_ThenSumAndCount_ForAHistogram()
    {
        var histogram = new HistogramValue([(0.005, 1), (0.1, 3), (1, 3)], Sum: 2.25, Count: 4);
        var text = PrometheusText.Write([
            new MetricFamily("approvalbot_x_duration_seconds", "X.", MetricType.Histogram,
                [new([L("command", "help")], 2.25, histogram)]),
        ]);

        Assert.Equal(
            "# HELP approvalbot_x_duration_seconds X.\n" +
            "# TYPE approvalbot_x_duration_seconds histogram\n" +
            "approvalbot_x_duration_seconds_bucket{command=\"help\",le=\"0.005\"} 1\n" +
            "approvalbot_x_duration_seconds_bucket{command=\"help\",le=\"0.1\"} 3\n" +
            "approvalbot_x_duration_seconds_bucket{command=\"help\",le=\"1\"} 3\n" +
            "approvalbot_x_duration_seconds_bucket{command=\"help\",le=\"+Inf\"} 4\n" +
            "approvalbot_x_duration_seconds_sum{command=\"help\"} 2.25\n" +
            "approvalbot_x_duration_seconds_count{command=\"help\"} 4\n",
            text);
    }

    [Fact]
    public void Write_OmitsBraces_WhenASampleHasNoLabels_AndWritesSpecialValues()
    {
        var text = PrometheusText.Write([
            new MetricFamily("g", "G.", MetricType.Gauge, [new([], double.PositiveInfinity)]),
            new MetricFamily("h", "H.", MetricType.Gauge, [new([], double.NaN)]),
            new MetricFamily("i", "I.", MetricType.Gauge, [new([], -1e-7)]),
        ]);

        Assert.Contains("\ng +Inf\n", text, StringComparison.Ordinal);
        Assert.Contains("\nh NaN\n", text, StringComparison.Ordinal);
        Assert.Contains("\ni -1E-07\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_KeepsTheFirstFamily_WhenTwoHaveTheSameName()
    {
        var text = PrometheusText.Write([
            new MetricFamily("dup", "First.", MetricType.Gauge, [new([], 1)]),
            new MetricFamily("dup", "Second.", MetricType.Gauge, [new([], 2)]),
        ]);

        Assert.Single(text.Split('\n'), l => l.StartsWith("# TYPE dup", StringComparison.Ordinal));
        Assert.DoesNotContain("Second.", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("approvalbot.activities.received", false, "approvalbot_activities_received")]
    [InlineData("9lives", false, "_9lives")]
    [InlineData("a:b-c d", false, "a:b_c_d")]
    [InlineData("a:b", true, "a_b")]
    public void SanitizeName_KeepsOnlyWhatPrometheusAllows(string name, bool label, string expected) =>
        Assert.Equal(expected, PrometheusText.SanitizeName(name, label));
}
