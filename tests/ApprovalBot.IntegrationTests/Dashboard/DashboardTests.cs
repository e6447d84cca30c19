using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Escalations;
using ApprovalBot.IntegrationTests.Api;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Escalations;
using ApprovalBot.IntegrationTests.Kpis;
using ApprovalBot.TestSupport;

namespace ApprovalBot.IntegrationTests.Dashboard;

/// <summary>
/// What <c>/dashboard</c> shows, through the real endpoint on a manual clock (organisation in Berlin, read with the
/// test reader key): the same numbers as <c>GET /api/v1/kpis</c>, the trend per week with the current week holding this
/// week's escalations, well-formed inline SVG charts, and user text encoded.
/// </summary>
public sealed partial class DashboardTests : KpiBedTests
{

    private async Task<string> PageAsync(string query, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await ApiCalls.GetAsync(Bed.Bot, "/dashboard" + query);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {expected}, got {(int)response.StatusCode}: {body[..Math.Min(body.Length, 600)]}");
        return body;
    }

    [Fact]
    public async Task Dashboard_ShowsTheSameNumbersAsTheApi_ForTheSamePeriod()
    {
        await KpiTestBed.ThreeEscalationsAsync(Bed, Agreement, Monday10);
        using var api = await ApiCalls.GetAsync(Bed.Bot, $"/api/v1/kpis?agreementId={Agreement}&period=7d");
        var overall = (await ApiCalls.JsonAsync(api))["overall"]!;

        var page = await PageAsync($"?agreement={Agreement}&period=7d");

        Assert.Contains("Contoso help desk · The last 7 days", page, StringComparison.Ordinal);
        Assert.Equal(N(overall["opened"]), Figure(page, "opened", "value"));
        foreach (var (figure, json) in new[] { ("mtta", "timeToAcknowledge"), ("mttr", "timeToResolve") })
        {
            Assert.Equal(N(overall[json]!["medianSeconds"]), Figure(page, figure, "median"));
            Assert.Equal(N(overall[json]!["p90Seconds"]), Figure(page, figure, "p90"));
            Assert.Equal(N(overall[json]!["meanSeconds"]), Figure(page, figure, "mean"));
        }
        Assert.Equal(P(overall["responseSla"]!["percent"]), Figure(page, "responseSla", "value"));
        Assert.Equal(P(overall["resolutionSla"]!["percent"]), Figure(page, "resolutionSla", "value"));
        Assert.Equal(P(overall["csat"]!["average"]), Figure(page, "csat", "value"));
        Assert.Equal("", Figure(page, "cadenceCompliance", "value"));
        Assert.Equal("", Figure(page, "uptime", "value"));
        // the numbers as people read them, worded as on the kpi card
        Assert.Equal(("3", "600", "66.7", "4.0"), (Figure(page, "opened", "value"), Figure(page, "mtta", "median"), Figure(page, "responseSla", "value"), Figure(page, "csat", "value")));
        Assert.Contains("median 10m", page, StringComparison.Ordinal);
        Assert.Contains("2 met · 1 missed · 0 pending", page, StringComparison.Ordinal);
        // Why a figure has no value is worded as the API words it (this agreement's plan had no update due in the week).
        Assert.Contains(overall["cadenceCompliance"]!["notMeasured"]!.GetValue<string>(), page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_DrawsTheTrendPerWeek_WithTheCurrentWeekHoldingItsEscalations()
    {
        await KpiTestBed.ThreeEscalationsAsync(Bed, Agreement, Monday10);

        var page = await PageAsync($"?agreement={Agreement}&period=30d&trend=week");

        Assert.Contains("Trend: the last 12 weeks", page, StringComparison.Ordinal);
        var charts = Svgs(page);
        Assert.Equal(7, charts.Count);
        Assert.All(charts, svg => Assert.Equal("img", (string?)svg.Attribute("role")));
        var opened = charts.Single(c => (string?)c.Attribute("id") == "chart-opened");
        var bars = opened.Descendants(Svg + "rect").Where(r => (string?)r.Attribute("class") == "bar").ToList();
        Assert.Equal(12, bars.Count); // a bar per week, zero ones included
        var bar = Assert.Single(bars, b => (string?)b.Attribute("height") != "0"); // only this week had escalations
        Assert.Equal("23 Nov* · Opened: 3", bar.Element(Svg + "title")!.Value);
        Assert.Equal("16 Nov · Opened: 0", bars[^2].Element(Svg + "title")!.Value);
        var sla = charts.Single(c => (string?)c.Attribute("id") == "chart-sla");
        Assert.Contains(sla.Descendants(Svg + "title"), t => t.Value == "23 Nov* · Response SLA: 66.7 %");
        var mtta = charts.Single(c => (string?)c.Attribute("id") == "chart-mtta"); // 10 and 30 min: counted in minutes
        Assert.Equal(["23 Nov* · Median: 10m", "23 Nov* · p90: 30m", "23 Nov* · Mean: 20m"],
            mtta.Descendants(Svg + "circle").Select(c => c.Element(Svg + "title")!.Value));
        var mttr = charts.Single(c => (string?)c.Attribute("id") == "chart-mttr"); // 2 h: counted in hours
        Assert.Contains(mttr.Descendants(Svg + "title"), t => t.Value == "23 Nov* · Median: 2h");
        Assert.Contains("<th scope=\"row\">23 Nov (to date)</th>", page, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">7 Sep</th>", page, StringComparison.Ordinal); // twelve Mondays back, Berlin time

        var monthly = await PageAsync($"?agreement={Agreement}&trend=month");
        Assert.Contains("Trend: the last 12 months", monthly, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Nov 2026 (to date)</th>", monthly, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Dec 2025</th>", monthly, StringComparison.Ordinal);
        var axis = Svgs(monthly)[0].Descendants(Svg + "text").Where(t => (string?)t.Attribute("class") == "tick x").Select(t => t.Value);
        Assert.Equal(["Jan 2026", "Mar", "May", "Jul", "Sep", "Nov*"], axis); // every other month on a narrow axis, the year at January
    }

    [Fact]
    public async Task Dashboard_EncodesUserText_WhenAnAgreementIsCalledLikeAScript()
    {
        const string Hostile = "<script>alert(1)</script>";
        var hostile = await EscalationAgreements.ActiveAsync(Bed.Bot.Database, Monday10, [Cast.Alex], name: Hostile);
        await Bed.OpenAsync(hostile, Priority.P2, "Printer on fire", Cast.Alex);

        var all = await PageAsync("");
        var one = await PageAsync($"?agreement={hostile}&period=7d");

        foreach (var page in new[] { all, one })
        {
            Assert.DoesNotContain(Hostile, page, StringComparison.Ordinal);
            Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page, StringComparison.Ordinal);
            Assert.All(Svgs(page), svg => Assert.DoesNotContain(svg.Descendants(), e => e.Name.LocalName == "script"));
        }
        Assert.Contains($"<option value=\"{hostile}\">&lt;script&gt;alert(1)&lt;/script&gt;</option>", all, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?period=fortnight", HttpStatusCode.BadRequest, "I don&#x27;t know the period &#x27;fortnight&#x27;")]
    [InlineData("?period=2027-01", HttpStatusCode.BadRequest, "January 2027 has not begun yet.")]
    [InlineData("?agreement=999999", HttpStatusCode.NotFound, "There is no agreement 999999.")]
    [InlineData("?agreement=abc", HttpStatusCode.BadRequest, "agreement must be an agreement id")]
    [InlineData("?trend=daily", HttpStatusCode.BadRequest, "trend must be week or month.")]
    public async Task Dashboard_SaysWhatIsWrong_WhenTheQueryIsWrong(string query, HttpStatusCode status, string said)
    {
        var page = await PageAsync(query, status);

        Assert.Contains(said, page, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg", page, StringComparison.Ordinal);
    }

    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>Every inline chart, parsed as XML: fails the test if one is not well-formed.</summary>
    private static List<XElement> Svgs(string page) =>
        [.. SvgElement().Matches(page).Select(m => XElement.Parse(m.Value))];

    private static string Figure(string page, string figure, string attribute)
    {
        var card = Regex.Match(page, $"<div class=\"card[^\"]*\" data-figure=\"{figure}\"([^>]*)>");
        Assert.True(card.Success, $"no figure {figure} on the page");
        var value = Regex.Match(card.Groups[1].Value, $"data-{attribute}=\"([^\"]*)\"");
        Assert.True(value.Success, $"figure {figure} has no data-{attribute}");
        return value.Groups[1].Value;
    }

    private static string N(JsonNode? node) => node is null ? "" : node.GetValue<long>().ToString(CultureInfo.InvariantCulture);

    private static string P(JsonNode? node) => node is null ? "" : node.GetValue<double>().ToString("0.0##", CultureInfo.InvariantCulture);

    [GeneratedRegex("<svg .*?</svg>", RegexOptions.Singleline)]
    private static partial Regex SvgElement();
}
