using System.Net;
using System.Text.Json.Nodes;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Escalations;
using ApprovalBot.IntegrationTests.Api;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Escalations;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.TestSupport;
using ApprovalBot.TestSupport.Storage;

namespace ApprovalBot.IntegrationTests.Kpis;

/// <summary>
/// KPIs through the real endpoint and the real API on a manual clock, organisation in Berlin: <c>kpi &lt;agreement&gt;
/// [period]</c> answers with the card, the API gives the same numbers as JSON and CSV, bad input gets the usage or a 400.
/// </summary>
public sealed class KpiTests : KpiBedTests
{

    [Fact]
    public async Task Kpi_AnswersWithTheCard_AndTheApiGivesTheSameNumbersAsJsonAndCsv()
    {
        await KpiTestBed.ThreeEscalationsAsync(Bed, Agreement, Monday10);
        var alex = await Bed.ChatWithAsync(Cast.Alex);

        await alex.SendAsync("kpi contoso 7d");
        var texts = TestConversation.Texts((await alex.ExpectCardWhileTickingAsync(Clock)).Card);

        Assert.Contains("KPIs · Contoso help desk", texts, StringComparison.Ordinal);
        Assert.Contains("The last 7 days · 16 Nov 2026", texts, StringComparison.Ordinal);
        Assert.Contains("P1 1 · P2 2 · P3 0 · P4 0", texts, StringComparison.Ordinal);
        Assert.Contains("median 10m", texts, StringComparison.Ordinal);
        Assert.Contains("p90 30m · mean 20m · 2 counted, 1 excluded", texts, StringComparison.Ordinal);
        Assert.Contains("median 2h", texts, StringComparison.Ordinal);
        Assert.Contains("p90 2h · mean 2h · 1 counted, 2 excluded", texts, StringComparison.Ordinal);
        Assert.Contains("66.7 %", texts, StringComparison.Ordinal);
        Assert.Contains("2 met · 1 missed · 0 pending", texts, StringComparison.Ordinal);
        Assert.Contains("100.0 %", texts, StringComparison.Ordinal);
        Assert.Contains("1 met · 0 missed · 2 pending", texts, StringComparison.Ordinal);
        Assert.Contains("4.0", texts, StringComparison.Ordinal);
        Assert.Contains("1 answer", texts, StringComparison.Ordinal);

        using var response = await ApiCalls.GetAsync(Bed.Bot, $"/api/v1/kpis?agreementId={Agreement}&period=7d");
        var json = await ApiCalls.JsonAsync(response);
        Assert.Equal("7d", json["period"]!["text"]!.GetValue<string>());
        Assert.Equal("Europe/Berlin", json["period"]!["timeZone"]!.GetValue<string>());
        var overall = json["overall"]!;
        Assert.Equal(Agreement, overall["agreementId"]!.GetValue<long>());
        Assert.Equal(3, overall["opened"]!.GetValue<int>());
        Assert.Equal(1, overall["openedByPriority"]!["P1"]!.GetValue<int>());
        Assert.Equal((600, 1800, 1200, 2, 1), Durations(overall["timeToAcknowledge"]!));
        Assert.Equal((7200, 7200, 7200, 1, 2), Durations(overall["timeToResolve"]!));
        Assert.Equal(66.7, overall["responseSla"]!["percent"]!.GetValue<double>());
        Assert.Equal((2, 1, 0), Compliance(overall["responseSla"]!));
        Assert.Equal(100.0, overall["resolutionSla"]!["percent"]!.GetValue<double>());
        Assert.Equal((1, 0, 2), Compliance(overall["resolutionSla"]!));
        Assert.Equal((4.0, 1), (overall["csat"]!["average"]!.GetValue<double>(), overall["csat"]!["count"]!.GetValue<int>()));
        Assert.Null(overall["csat"]!["notMeasured"]);
        Assert.Contains("excluded", overall["timeToResolve"]!["note"]!.GetValue<string>(), StringComparison.Ordinal);

        using var csvResponse = await ApiCalls.GetAsync(Bed.Bot, $"/api/v1/kpis?agreementId={Agreement}&period=7d&format=csv");
        Assert.Equal(HttpStatusCode.OK, csvResponse.StatusCode);
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType!.MediaType);
        var lines = (await csvResponse.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("agreementId,agreement,from,to,figure,value,unit,counted,excluded,note", lines[0]);
        Assert.StartsWith($"{Agreement},Contoso help desk,", Row(lines, "mtta.median"), StringComparison.Ordinal);
        Assert.Equal(("600", "seconds", "2", "1"), Fields(Row(lines, "mtta.median")));
        Assert.Equal(("1800", "seconds", "2", "1"), Fields(Row(lines, "mtta.p90")));
        Assert.Equal(("7200", "seconds", "1", "2"), Fields(Row(lines, "mttr.mean")));
        Assert.Equal(("66.7", "percent", "3", "0"), Fields(Row(lines, "responseSla")));
        Assert.Equal(("100.0", "percent", "1", "2"), Fields(Row(lines, "resolutionSla")));
        Assert.Equal(("4.0", "rating", "1", "0"), Fields(Row(lines, "csat")));
        Assert.Equal(1 + 1 + 4 + 6 + 2 + 3, lines.Length); // header, opened, by priority, durations, SLAs, CSAT/cadence/uptime
    }

    [Fact]
    public async Task Kpi_ForAllAgreements_GivesTheTotalAndEachAgreement()
    {
        await KpiTestBed.ThreeEscalationsAsync(Bed, Agreement, Monday10);
        var quiet = await EscalationAgreements.ActiveAsync(Bed.Bot.Database, Monday10, [Cast.Alex], name: "Fabrikam field service");

        using var response = await ApiCalls.GetAsync(Bed.Bot, "/api/v1/kpis?period=this month", accept: "application/json");
        var json = await ApiCalls.JsonAsync(response);

        Assert.Equal("November 2026 (to date)", json["period"]!["label"]!.GetValue<string>());
        Assert.Equal("2026-10-31T23:00:00+00:00", json["period"]!["from"]!.GetValue<DateTimeOffset>().ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Null(json["overall"]!["agreementId"]);
        Assert.Equal(3, json["overall"]!["opened"]!.GetValue<int>());
        var each = json["agreements"]!.AsArray();
        Assert.Equal<long>([Agreement, quiet], each.Select(a => a!["agreementId"]!.GetValue<long>()));
        Assert.Equal<int>([3, 0], each.Select(a => a!["opened"]!.GetValue<int>()));

        var alex = await Bed.ChatWithAsync(Cast.Alex);
        await alex.SendAsync("kpi all this month");
        var texts = TestConversation.Texts((await alex.ExpectCardWhileTickingAsync(Clock)).Card);
        Assert.Contains("KPIs · All agreements", texts, StringComparison.Ordinal);
        Assert.Contains("3 opened · response 66.7 %", texts, StringComparison.Ordinal);
        Assert.Contains("Fabrikam field service", texts, StringComparison.Ordinal);

        using var csv = await ApiCalls.GetAsync(Bed.Bot, "/api/v1/kpis?period=30d", accept: "text/csv");
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + (3 * 16), lines.Length); // all, then each agreement
        Assert.StartsWith(",All agreements,", lines[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kpi contoso fortnight", "I don't know the period 'fortnight'")]
    [InlineData("kpi nobody 7d", "No active agreement is called 'nobody'")]
    [InlineData("kpi", "Which agreement? Give its name, or all.")]
    [InlineData("kpi contoso 2027-01", "January 2027 has not begun yet.")]
    public async Task Kpi_RepliesWithTheUsage_WhenTheWordsAreWrong(string command, string error)
    {
        var alex = await Bed.ChatWithAsync(Cast.Alex);

        await alex.SendAsync(command);
        var texts = TestConversation.Texts((await alex.ExpectCardWhileTickingAsync(Clock)).Card);

        Assert.Contains(error, texts, StringComparison.Ordinal);
        Assert.Contains("kpi <agreement|all> [period]", texts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_Answers400ForABadPeriodOrFormat_404ForAnUnknownAgreement_And401WithoutAKey()
    {
        using var period = await ApiCalls.GetAsync(Bed.Bot, "/api/v1/kpis?period=fortnight");
        var problem = await ApiCalls.JsonAsync(period, HttpStatusCode.BadRequest);
        Assert.Contains("fortnight", problem["errors"]!["period"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        using var format = await ApiCalls.GetAsync(Bed.Bot, "/api/v1/kpis?format=xml");
        Assert.NotNull((await ApiCalls.JsonAsync(format, HttpStatusCode.BadRequest))["errors"]!["format"]);

        using var unknown = await ApiCalls.GetAsync(Bed.Bot, "/api/v1/kpis?agreementId=999999");
        await ApiCalls.JsonAsync(unknown, HttpStatusCode.NotFound);

        using var anonymous = await ApiCalls.GetAsync(Bed.Bot, "/api/v1/kpis", key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task OpenApi_DeclaresTheKpiEndpoint()
    {
        using var response = await ApiCalls.GetAsync(Bed.Bot, "/openapi/v1.json");
        var document = await ApiCalls.JsonAsync(response);

        var operation = document["paths"]!["/api/v1/kpis"]!["get"]!;
        Assert.Equal("GetKpis", operation["operationId"]!.GetValue<string>());
        Assert.Contains(operation["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "period");
        Assert.NotNull(operation["responses"]!["200"]!["content"]!["text/csv"]);
    }

    private static (long Median, long P90, long Mean, int Counted, int Excluded) Durations(JsonNode figure) => (
        figure["medianSeconds"]!.GetValue<long>(), figure["p90Seconds"]!.GetValue<long>(), figure["meanSeconds"]!.GetValue<long>(),
        figure["counted"]!.GetValue<int>(), figure["excluded"]!.GetValue<int>());

    private static (int Met, int Missed, int Pending) Compliance(JsonNode figure) =>
        (figure["met"]!.GetValue<int>(), figure["missed"]!.GetValue<int>(), figure["pending"]!.GetValue<int>());

    private static string Row(string[] lines, string figure) => lines.Single(l => l.Split(',')[4] == figure);

    private static (string Value, string Unit, string Counted, string Excluded) Fields(string row)
    {
        var f = row.Split(',');
        return (f[5], f[6], f[7], f[8]);
    }
}
