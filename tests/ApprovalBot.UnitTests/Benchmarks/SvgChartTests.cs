using System.Globalization;
using System.Xml.Linq;
using ApprovalBot.Benchmarks.Analysis;

namespace ApprovalBot.UnitTests.Benchmarks;

/// <summary>The benchmark's hand-written SVG charts and its CSV and table output.</summary>
public sealed class SvgChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Theory]
    [InlineData(0, 87, new double[] { 0, 20, 40, 60, 80, 100 })]
    [InlineData(0, 1000, new double[] { 0, 200, 400, 600, 800, 1000 })]
    [InlineData(0, 0.3, new double[] { 0, 0.1, 0.2, 0.3 })]
    [InlineData(25, 100, new double[] { 20, 40, 60, 80, 100 })]
    public void Ticks_AreRoundSteps_ThatCoverTheRange(double min, double max, double[] expected)
    {
        var ticks = SvgChart.Ticks(min, max);

        Assert.Equal(expected, ticks.Select(t => Math.Round(t, 6)));
    }

    [Fact]
    public void Ticks_StillGiveAnAxis_WhenEveryValueIsTheSame() =>
        Assert.True(SvgChart.Ticks(5, 5).Count >= 2);

    [Fact]
    public void Line_IsWellFormedSvg_WithALinePerSeriesAMarkerPerPointLabelsAndTheTarget()
    {
        var svg = SvgChart.Line("Latency <p99> & more", "concurrent users", "latency (ms)",
        [
            new ChartSeries("SQLite", [(25, 12), (50, 20), (100, 41)]),
            new ChartSeries("PostgreSQL", [(25, 15), (50, 30), (100, 70)]),
        ], target: 50, targetLabel: "target ≤ 50 ms");

        var document = XDocument.Parse(svg);
        Assert.Equal(Svg + "svg", document.Root!.Name);
        Assert.Equal(2, document.Descendants(Svg + "polyline").Count());
        Assert.Equal(6, document.Descendants(Svg + "circle").Count());
        var texts = document.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("Latency <p99> & more", texts);
        Assert.Contains("concurrent users", texts);
        Assert.Contains("latency (ms)", texts);
        Assert.Contains("target ≤ 50 ms", texts);
        Assert.Contains("SQLite", texts);
        Assert.Contains("PostgreSQL", texts);
        Assert.Single(document.Descendants(Svg + "line"), l => (string?)l.Attribute("class") == "target");
    }

    [Fact]
    public void Line_PutsHigherValuesHigherUp_AndEveryPointInsideThePicture()
    {
        var svg = SvgChart.Line("t", "x", "y", [new ChartSeries("s", [(1, 10), (2, 30), (3, 20)])]);

        var circles = XDocument.Parse(svg).Descendants(Svg + "circle")
            .Select(c => (X: Number(c, "cx"), Y: Number(c, "cy"))).ToList();
        Assert.All(circles, c => Assert.InRange(c.X, 0, 720));
        Assert.All(circles, c => Assert.InRange(c.Y, 0, 440));
        Assert.True(circles[0].X < circles[1].X && circles[1].X < circles[2].X, "x grows to the right");
        Assert.True(circles[1].Y < circles[2].Y && circles[2].Y < circles[0].Y, "30 above 20 above 10 (SVG y grows downwards)");
    }

    [Fact]
    public void Line_DrawsOnlyAMarker_ForASeriesOfOnePoint()
    {
        var document = XDocument.Parse(SvgChart.Line("t", "x", "y", [new ChartSeries("one", [(100_000, 250)])]));

        Assert.Empty(document.Descendants(Svg + "polyline"));
        Assert.Single(document.Descendants(Svg + "circle"));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    public void Csv_QuotesAField_OnlyWhenItNeedsIt(string value, string expected) => Assert.Equal(expected, Results.Csv(value));

    [Fact]
    public void WriteCsvAndTable_UseInvariantNumbers_AndMarkTargets()
    {
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        var folder = Directory.CreateTempSubdirectory("approvalbot-bench-test-");
        try
        {
            var results = new Results();
            results.AddLatencies("command", "SQLite", 50, [10.5, 20.25, 1234.5]);
            results.Add("card-action", "SQLite", 50, "decisions/s", 1500, "1/s");
            results.WriteCsv(folder.FullName);
            var table = results.Table([new Target("command", "p99", AtMost: true, 50, "ms"), new Target("card-action", "decisions/s", AtMost: false, 1000, "1/s")]);

            var csv = File.ReadAllLines(Path.Combine(folder.FullName, "results.csv"));
            Assert.Equal("figure,storage,work,metric,value,unit", csv[0]);
            Assert.Contains("command,SQLite,50,p99,1234.5,ms", csv);
            Assert.Contains("card-action,SQLite,50,decisions/s,1500,1/s", csv);
            Assert.Equal(4, File.ReadAllLines(Path.Combine(folder.FullName, "samples.csv")).Length);
            Assert.Contains(table.Split('\n'), l => l.Contains("p99", StringComparison.Ordinal) && l.Contains("MISSED", StringComparison.Ordinal));
            Assert.Contains(table.Split('\n'), l => l.Contains("decisions/s", StringComparison.Ordinal) && l.TrimEnd().EndsWith("ok", StringComparison.Ordinal));
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
            folder.Delete(recursive: true);
        }
    }

    private static double Number(XElement element, string attribute) =>
        double.Parse((string)element.Attribute(attribute)!, CultureInfo.InvariantCulture);
}
