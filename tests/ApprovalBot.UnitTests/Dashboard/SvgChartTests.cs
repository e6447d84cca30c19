using System.Globalization;
using System.Xml.Linq;
using ApprovalBot.Dashboard.Charts;

namespace ApprovalBot.UnitTests.Dashboard;

/// <summary>The server-side SVG writer: well-formed, accessible, scaled to round numbers, escaped, honest about gaps.</summary>
public class SvgChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly string[] Weeks = ["2 Nov", "9 Nov", "16 Nov", "23 Nov"];

    private static XElement Render(Chart chart) => XElement.Parse(SvgChart.Render(chart));

    private static Chart Bars(params double?[] values) =>
        new("c", "Incidents opened per week", "Escalations opened.", Weeks, [new ChartSeries("Opened", values)], ChartKind.Bars);

    private static IEnumerable<XElement> OfClass(XElement svg, string name, string cssClass) =>
        svg.Descendants(Svg + name).Where(e => ((string?)e.Attribute("class"))?.Split(' ').Contains(cssClass) ?? false);

    [Fact]
    public void Render_WritesAWellFormedAccessibleSvg_NamedByItsTitleAndDescription()
    {
        var svg = Render(Bars(1, 3, 0, 2));

        Assert.Equal(Svg + "svg", svg.Name);
        Assert.Equal("img", (string?)svg.Attribute("role"));
        Assert.Equal("c-title c-desc", (string?)svg.Attribute("aria-labelledby"));
        Assert.Equal("Incidents opened per week", svg.Elements(Svg + "title").Single(t => (string?)t.Attribute("id") == "c-title").Value);
        Assert.Equal("Escalations opened.", svg.Element(Svg + "desc")!.Value);
        Assert.Equal($"0 0 {SvgChart.Width} {SvgChart.Height}", (string?)svg.Attribute("viewBox"));
        Assert.Null(svg.Attribute("style"));
        Assert.DoesNotContain(svg.DescendantsAndSelf(), e => e.Attribute("style") is not null || e.Name.LocalName == "script");
    }

    [Fact]
    public void Render_DrawsABarPerValue_WithATooltip_AndTallerBarsForLargerValues()
    {
        var svg = Render(Bars(1, 3, 0, 2));

        var bars = OfClass(svg, "rect", "bar").ToList();
        Assert.Equal(4, bars.Count);
        Assert.Equal(["2 Nov · Opened: 1", "9 Nov · Opened: 3", "16 Nov · Opened: 0", "23 Nov · Opened: 2"], bars.Select(b => b.Element(Svg + "title")!.Value));
        var heights = bars.Select(b => double.Parse((string)b.Attribute("height")!, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(0, heights[2]);
        Assert.Equal(3 * heights[0], heights[1], 0.05);
        Assert.Equal(2 * heights[0], heights[3], 0.05);
        // x labels for every period, y ticks from 0 to a round maximum
        Assert.Equal(Weeks, OfClass(svg, "text", "x").Select(t => t.Value));
        Assert.Equal(["0", "1", "2", "3"], OfClass(svg, "text", "y").Select(t => t.Value));
    }

    [Fact]
    public void Render_LeavesAGap_ForAMissingValue_AndBreaksTheLineThere()
    {
        var chart = new Chart("l", "MTTA", "Minutes.", Weeks, [new ChartSeries("Median", [10, 20, null, 40])], ChartKind.Lines);

        var svg = Render(chart);

        Assert.Equal(3, OfClass(svg, "circle", "point").Count());
        var line = Assert.Single(OfClass(svg, "polyline", "line")); // 2 Nov–9 Nov; 23 Nov stands alone
        Assert.Equal(2, ((string)line.Attribute("points")!).Split(' ').Length);
        Assert.Empty(OfClass(svg, "text", "empty"));
    }

    [Fact]
    public void Render_SaysThereIsNothingToShow_WhenEveryValueIsMissing()
    {
        var svg = Render(Bars(null, null, null, null));

        Assert.Empty(OfClass(svg, "rect", "bar"));
        Assert.Equal("Nothing to show for these periods", Assert.Single(OfClass(svg, "text", "empty")).Value);
        Assert.Equal(["0", "0.25", "0.5", "0.75", "1"], OfClass(svg, "text", "y").Select(t => t.Value));
    }

    [Fact]
    public void Render_DrawsOnePoint_WhenThereIsOnePeriod()
    {
        var chart = new Chart("one", "Uptime", "Percent.", ["23 Nov"], [new ChartSeries("Uptime", [99.5])], ChartKind.Lines) { Min = 90, Max = 100 };

        var svg = Render(chart);

        var point = Assert.Single(OfClass(svg, "circle", "point"));
        Assert.Empty(OfClass(svg, "polyline", "line"));
        Assert.Equal("23 Nov · Uptime: 99.5", point.Element(Svg + "title")!.Value);
        Assert.Equal(SvgChart.Width / 2.0 + 20, double.Parse((string)point.Attribute("cx")!, CultureInfo.InvariantCulture), 0.5); // the band's middle
    }

    [Fact]
    public void Render_EscapesUserText_InTitlesLabelsAndTooltips()
    {
        const string Hostile = "<script>alert(1)</script> & \"x\"";
        var chart = new Chart("e", Hostile, Hostile, [Hostile, "ok\u0001"], [new ChartSeries(Hostile, [1, 2]), new ChartSeries("b", [2, 1])], ChartKind.Lines);

        var text = SvgChart.Render(chart);
        var svg = XElement.Parse(text);

        Assert.DoesNotContain("<script", text, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"x\"", text, StringComparison.Ordinal);
        Assert.Equal(Hostile, svg.Element(Svg + "title")!.Value);
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "ok"); // a control character cannot be in XML: dropped
        Assert.Contains(OfClass(svg, "g", "legend").Descendants(Svg + "text"), t => t.Value == Hostile);
    }

    [Fact]
    public void Render_LabelsAtMostAboutSixPeriods_AlwaysTheNewest_WhenThereAreMany()
    {
        var labels = Enumerable.Range(1, 12).Select(i => $"w{i}").ToList();
        var chart = new Chart("m", "t", "d", labels, [new ChartSeries("s", [.. labels.Select(_ => (double?)1)])], ChartKind.Bars);

        var shown = OfClass(Render(chart), "text", "x").Select(t => t.Value).ToList();

        Assert.Equal(["w2", "w4", "w6", "w8", "w10", "w12"], shown);
    }

    [Theory]
    [InlineData(0, 3, 0, 3, 1)]
    [InlineData(0, 7, 0, 8, 2)]
    [InlineData(0, 100, 0, 100, 25)]
    [InlineData(0, 12345, 0, 15000, 5000)]
    [InlineData(0, 0.3, 0, 0.3, 0.1)]
    [InlineData(90, 99.7, 90, 100, 2.5)]
    [InlineData(5, 5, 4, 10, 2)]
    [InlineData(0, 0, 0, 1, 0.25)]
    public void Nice_HoldsTheRange_InRoundSteps_OfOneTwoTwoAndAHalfOrFive(double min, double max, double low, double high, double step)
    {
        var scale = AxisScale.Nice(min, max);

        Assert.Equal((low, high, step), (scale.Min, scale.Max, scale.Step));
        Assert.InRange(scale.Ticks.Count, 2, 6);
        Assert.Equal(low, scale.Ticks[0]);
        Assert.Equal(high, scale.Ticks[^1]);
    }

    [Fact]
    public void Map_PutsTheEndsOfTheScaleAtTheEndsOfTheAxis_AndClampsOutliers()
    {
        var scale = new AxisScale(0, 100, 25);

        Assert.Equal(200, scale.Map(0, 200, 10));
        Assert.Equal(10, scale.Map(100, 200, 10));
        Assert.Equal(105, scale.Map(50, 200, 10));
        Assert.Equal(10, scale.Map(250, 200, 10));
    }
}
