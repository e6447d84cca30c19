using System.Net;
using System.Text.Json.Nodes;
using ApprovalBot.IntegrationTests.Api;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Escalations;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.TestSupport;
using ApprovalBot.TestSupport.Storage;

namespace ApprovalBot.IntegrationTests.Kpis;

/// <summary>
/// Uptime reported through the real API (<c>/api/v1/agreements/{id}/uptime</c>) on a manual clock, then counted in the
/// KPIs by the API and the <c>kpi</c> card. Now is Monday 23 November 2026 10:00 UTC; the organisation is in Berlin.
/// </summary>
public sealed class UptimeTests : KpiBedTests
{
    private string Path => $"/api/v1/agreements/{Agreement}/uptime";

    private static JsonObject Report(string from, string to, double percent, string? service = null, string? note = null) => new()
    {
        ["from"] = from, ["to"] = to, ["percent"] = percent, ["service"] = service, ["note"] = note,
    };

    /// <summary>Mail 99.9 % over 16–23 Nov (7 days), VPN 99.0 % over 20–22 Nov (2 days).</summary>
    private async Task TwoReportsAsync()
    {
        using var mail = await ApiCalls.PostAsync(Bed.Bot, Path, Report("2026-11-16T00:00:00Z", "2026-11-23T00:00:00Z", 99.9, "Mail", "Patch night on the 18th."));
        await ApiCalls.JsonAsync(mail, HttpStatusCode.Created);
        using var vpn = await ApiCalls.PostAsync(Bed.Bot, Path, Report("2026-11-20T00:00:00Z", "2026-11-22T00:00:00Z", 99.0, "VPN"));
        await ApiCalls.JsonAsync(vpn, HttpStatusCode.Created);
    }

    [Fact]
    public async Task ReportedUptime_IsListed_AndCountedTimeWeightedInTheKpiApiAndCard()
    {
        using (var created = await ApiCalls.PostAsync(Bed.Bot, Path, Report("2026-11-16T01:00:00+01:00", "2026-11-23T00:00:00Z", 99.9, " Mail ", "Patch night on the 18th.")))
        {
            var json = await ApiCalls.JsonAsync(created, HttpStatusCode.Created);
            Assert.Equal(("Mail", 99.9, "erp", Agreement), (json["service"]!.GetValue<string>(), json["percent"]!.GetValue<double>(), json["reportedBy"]!.GetValue<string>(), json["agreementId"]!.GetValue<long>()));
            Assert.Equal(new DateTimeOffset(2026, 11, 16, 0, 0, 0, TimeSpan.Zero), json["from"]!.GetValue<DateTimeOffset>());
            Assert.Equal(Path, created.Headers.Location!.OriginalString);
            Assert.True(json["id"]!.GetValue<long>() > 0);
        }

        using (var vpn = await ApiCalls.PostAsync(Bed.Bot, Path, Report("2026-11-20T00:00:00Z", "2026-11-22T00:00:00Z", 99.0, "VPN")))
            await ApiCalls.JsonAsync(vpn, HttpStatusCode.Created);

        using (var all = await ApiCalls.GetAsync(Bed.Bot, $"{Path}?from=2026-11-21T00:00:00Z&to=2026-11-22T00:00:00Z"))
            Assert.Equal(["Mail", "VPN"], ApiCalls.Strings(new JsonArray([.. (await ApiCalls.JsonAsync(all))["items"]!.AsArray().Select(i => JsonValue.Create(i!["service"]!.GetValue<string>()))])));
        using (var later = await ApiCalls.GetAsync(Bed.Bot, $"{Path}?from=2026-11-22T00:00:00Z"))
            Assert.Equal("Mail", Assert.Single((await ApiCalls.JsonAsync(later))["items"]!.AsArray())!["service"]!.GetValue<string>());

        // (99.9 × 7 d + 99.0 × 2 d) ÷ 9 d = 897.3 ÷ 9 = 99.7.
        using var kpis = await ApiCalls.GetAsync(Bed.Bot, $"/api/v1/kpis?agreementId={Agreement}&period=2026-11");
        var uptime = (await ApiCalls.JsonAsync(kpis))["overall"]!["uptime"]!;
        Assert.Equal((99.7, 2), (uptime["percent"]!.GetValue<double>(), uptime["count"]!.GetValue<int>()));
        Assert.Null(uptime["notMeasured"]);
        Assert.Contains("Time-weighted", uptime["note"]!.GetValue<string>(), StringComparison.Ordinal);

        var alex = await Bed.ChatWithAsync(Cast.Alex);
        await alex.SendAsync("kpi contoso 2026-11");
        var texts = TestConversation.Texts((await alex.ExpectCardWhileTickingAsync(Clock)).Card);
        Assert.Contains("99.7 %", texts, StringComparison.Ordinal);
        Assert.Contains("2 reports", texts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kpis_SayNoUptimeWasReported_WhenNoReportOverlapsThePeriod()
    {
        await TwoReportsAsync();

        using var kpis = await ApiCalls.GetAsync(Bed.Bot, $"/api/v1/kpis?agreementId={Agreement}&period=2026-10");
        var uptime = (await ApiCalls.JsonAsync(kpis))["overall"]!["uptime"]!;

        Assert.Null(uptime["percent"]);
        Assert.Equal("no uptime reported for this period", uptime["notMeasured"]!.GetValue<string>());
    }

    [Fact]
    public async Task Report_IsRefusedWith409_WhenItOverlapsAReportOfTheSameService_AndNothingIsStored()
    {
        await TwoReportsAsync();

        using var clash = await ApiCalls.PostAsync(Bed.Bot, Path, Report("2026-11-22T12:00:00Z", "2026-11-23T06:00:00Z", 100, "MAIL"));
        var problem = await ApiCalls.JsonAsync(clash, HttpStatusCode.Conflict);
        Assert.Equal("uptime.overlap", problem["code"]!.GetValue<string>());

        using var otherService = await ApiCalls.PostAsync(Bed.Bot, Path, Report("2026-11-22T12:00:00Z", "2026-11-23T06:00:00Z", 100, "Print"));
        await ApiCalls.JsonAsync(otherService, HttpStatusCode.Created);
        using var adjacent = await ApiCalls.PostAsync(Bed.Bot, Path, Report("2026-11-23T00:00:00Z", "2026-11-23T06:00:00Z", 100, "Mail"));
        await ApiCalls.JsonAsync(adjacent, HttpStatusCode.Created);

        using var list = await ApiCalls.GetAsync(Bed.Bot, Path);
        Assert.Equal(4, (await ApiCalls.JsonAsync(list))["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Report_Answers400ListingEveryInvalidField_AndStoresNothing()
    {
        using var bad = await ApiCalls.PostAsync(Bed.Bot, Path, Report("2026-11-23T00:00:00Z", "2026-11-22T00:00:00Z", 100.5, new string('s', 201), new string('n', 2001)));
        var errors = (await ApiCalls.JsonAsync(bad, HttpStatusCode.BadRequest))["errors"]!.AsObject();
        Assert.Equal(["note", "percent", "service", "to"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));

        using var empty = await ApiCalls.PostAsync(Bed.Bot, Path, new JsonObject());
        var missing = (await ApiCalls.JsonAsync(empty, HttpStatusCode.BadRequest))["errors"]!.AsObject();
        Assert.Equal(["from", "percent", "to"], missing.Select(e => e.Key).Order(StringComparer.Ordinal));

        using var future = await ApiCalls.PostAsync(Bed.Bot, Path, Report("2026-11-23T00:00:00Z", "2026-11-24T00:00:00Z", 99.99));
        Assert.Contains("over", (await ApiCalls.JsonAsync(future, HttpStatusCode.BadRequest))["errors"]!["to"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        using var badQuery = await ApiCalls.GetAsync(Bed.Bot, $"{Path}?from=yesterday&to=2026-13-01");
        var queryErrors = (await ApiCalls.JsonAsync(badQuery, HttpStatusCode.BadRequest))["errors"]!.AsObject();
        Assert.Equal(["from", "to"], queryErrors.Select(e => e.Key).Order(StringComparer.Ordinal));

        using var list = await ApiCalls.GetAsync(Bed.Bot, Path);
        Assert.Empty((await ApiCalls.JsonAsync(list))["items"]!.AsArray());
    }

    [Fact]
    public async Task Uptime_Answers404ForAnUnknownAgreement_403ForAReadKey_And401WithoutAKey()
    {
        var valid = Report("2026-11-16T00:00:00Z", "2026-11-23T00:00:00Z", 99.9);

        using var unknownPost = await ApiCalls.PostAsync(Bed.Bot, "/api/v1/agreements/999999/uptime", valid);
        await ApiCalls.JsonAsync(unknownPost, HttpStatusCode.NotFound);
        using var unknownGet = await ApiCalls.GetAsync(Bed.Bot, "/api/v1/agreements/999999/uptime");
        await ApiCalls.JsonAsync(unknownGet, HttpStatusCode.NotFound);

        using var reader = await ApiCalls.PostAsync(Bed.Bot, Path, valid, key: ApiTestKeys.Reader);
        Assert.Equal(HttpStatusCode.Forbidden, reader.StatusCode);
        using var anonymousPost = await ApiCalls.PostAsync(Bed.Bot, Path, valid, key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousPost.StatusCode);
        using var anonymousGet = await ApiCalls.GetAsync(Bed.Bot, Path, key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousGet.StatusCode);

        using var list = await ApiCalls.GetAsync(Bed.Bot, Path);
        Assert.Empty((await ApiCalls.JsonAsync(list))["items"]!.AsArray());
    }

    [Fact]
    public async Task OpenApi_DeclaresTheUptimeEndpoints()
    {
        using var response = await ApiCalls.GetAsync(Bed.Bot, "/openapi/v1.json");
        var path = (await ApiCalls.JsonAsync(response))["paths"]!["/api/v1/agreements/{id}/uptime"]!;

        Assert.Equal("ReportUptime", path["post"]!["operationId"]!.GetValue<string>());
        Assert.Equal("ListUptime", path["get"]!["operationId"]!.GetValue<string>());
        Assert.NotNull(path["post"]!["responses"]!["409"]);
    }
}
