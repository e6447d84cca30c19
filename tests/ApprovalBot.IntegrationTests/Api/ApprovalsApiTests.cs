using System.Net;
using System.Text.Json.Nodes;
using ApprovalBot.IntegrationTests.Infrastructure;
using static ApprovalBot.IntegrationTests.Api.ApiAuthenticationTests;

namespace ApprovalBot.IntegrationTests.Api;

/// <summary>Flows, approval requests and the OpenAPI document of the new endpoints, through the real host.</summary>
public sealed class ApprovalsApiTests : IAsyncLifetime
{
    private BotTestHost _bot = null!;

    public async Task InitializeAsync() => _bot = await BotTestHost.StartAsync(new BotTestHostOptions { Settings = ApiTestKeys.Settings() });

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Flows_ListsTheConfiguredFlowWithItsStages()
    {
        using var response = await ApiCalls.GetAsync(_bot, "/api/v1/flows");

        var flow = Assert.Single((await ApiCalls.JsonAsync(response)).AsArray())!;
        Assert.Equal("IT support agreement", flow["name"]!.GetValue<string>());
        var stages = flow["stages"]!.AsArray();
        Assert.Equal(["Department manager", "Legal", "Management"], stages.Select(s => s!["name"]!.GetValue<string>()));
        var first = stages[0]!;
        Assert.Equal(1, first["number"]!.GetValue<int>());
        Assert.Equal("Preliminary draft", first["description"]!.GetValue<string>());
        Assert.Equal("The requester's manager", first["approvers"]!.GetValue<string>());
        Assert.Equal("RequesterManager", first["approverRule"]!["kind"]!.GetValue<string>());
        Assert.Equal("any one", first["decision"]!.GetValue<string>());
        Assert.Equal(16, first["slaHours"]!.GetValue<double>());
        Assert.Equal(8, first["reminderHours"]!.GetValue<double>());
        Assert.Contains("manager", first["escalateTo"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Legal", stages[1]!["approverRule"]!["group"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_OnAFlow_Returns201_AndTheRequestCanBeReadAndListed()
    {
        var body = new JsonObject
        {
            ["requester"] = "alexw@example.com",
            ["title"] = "New laptop",
            ["details"] = "A 14-inch one.",
            ["links"] = new JsonArray(new JsonObject { ["title"] = "Quote", ["url"] = "https://shop.example/quote/42" }),
            ["flow"] = "it support agreement",
            ["reference"] = "PO-4711",
        };
        using var response = await ApiCalls.PostAsync(_bot, "/api/v1/approvals", body);

        var created = await ApiCalls.JsonAsync(response, HttpStatusCode.Created);
        var id = created["id"]!.GetValue<long>();
        Assert.Equal($"/api/v1/approvals/{id}", response.Headers.Location?.OriginalString);

        using var read = await ApiCalls.GetAsync(_bot, $"/api/v1/approvals/{id}");
        var request = await ApiCalls.JsonAsync(read);
        Assert.Equal("New laptop", request["title"]!.GetValue<string>());
        Assert.Equal(ApiCalls.Alex, request["requester"]!.GetValue<string>());
        Assert.Equal("PO-4711", request["subject"]!["reference"]!.GetValue<string>());
        Assert.Equal("https://shop.example/quote/42", request["links"]![0]!["url"]!.GetValue<string>());
        Assert.Equal(3, request["stages"]!.AsArray().Count);
        var run = Assert.Single(request["stageRuns"]!.AsArray())!;
        Assert.Equal("InProgress", run["status"]!.GetValue<string>());
        Assert.Equal(1, run["approvalsNeeded"]!.GetValue<int>());
        var seat = Assert.Single(run["seats"]!.AsArray())!;
        Assert.Equal(ApiCalls.Megan, seat["holder"]!.GetValue<string>());
        Assert.Null(seat["decision"]);
        Assert.EndsWith("+00:00", request["dueAt"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(request["outcome"]);

        using var waiting = await ApiCalls.GetAsync(_bot, "/api/v1/approvals?waitingFor=meganb@example.com");
        var item = Assert.Single((await ApiCalls.JsonAsync(waiting))["items"]!.AsArray())!;
        Assert.Equal(id, item["id"]!.GetValue<long>());
        Assert.Equal("Department manager", item["currentStageName"]!.GetValue<string>());
        Assert.Equal([ApiCalls.Megan], ApiCalls.Strings(item["waitingFor"]));
        Assert.NotNull(item["dueAt"]);

        using var notWaiting = await ApiCalls.GetAsync(_bot, "/api/v1/approvals?waitingFor=adelev@example.com");
        Assert.Empty((await ApiCalls.JsonAsync(notWaiting))["items"]!.AsArray());
        using var byRequester = await ApiCalls.GetAsync(_bot, $"/api/v1/approvals?requester={ApiCalls.Alex}&status=InProgress");
        Assert.Equal(1, (await ApiCalls.JsonAsync(byRequester))["total"]!.GetValue<int>());
        using var approved = await ApiCalls.GetAsync(_bot, "/api/v1/approvals?status=Approved");
        Assert.Equal(0, (await ApiCalls.JsonAsync(approved))["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Create_ToNamedApprovers_WithRequireAll_WaitsForEveryone()
    {
        var body = new JsonObject
        {
            ["requester"] = "alexw@example.com",
            ["title"] = "Contract change",
            ["approvers"] = new JsonArray("adelev@example.com", ApiCalls.Isaiah),
            ["requireAll"] = true,
        };
        using var response = await ApiCalls.PostAsync(_bot, "/api/v1/approvals", body);

        var created = await ApiCalls.JsonAsync(response, HttpStatusCode.Created);
        Assert.Equal("Ad hoc", created["flowName"]!.GetValue<string>());
        Assert.Equal([ApiCalls.Adele, ApiCalls.Isaiah], ApiCalls.Strings(created["waitingFor"]));
        Assert.Equal("All", created["stageRuns"]![0]!["decisionRule"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_Answers400WithFieldErrors_WhenTheInputIsInvalid()
    {
        var body = new JsonObject
        {
            ["requester"] = "nobody@example.com",
            ["title"] = " ",
            ["links"] = new JsonArray(new JsonObject { ["title"] = "Quote", ["url"] = "http://insecure.example/" }),
            ["flow"] = "IT support agreement",
            ["approvers"] = new JsonArray("ghost@example.com"),
        };
        using var response = await ApiCalls.PostAsync(_bot, "/api/v1/approvals", body);

        var errors = (await ProblemAsync(response, HttpStatusCode.BadRequest))["errors"]!.AsObject();
        Assert.Contains("nobody@example.com", errors["requester"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(errors["title"]);
        Assert.Contains("https", errors["links[0]"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(errors["flow"]);
        Assert.Contains("ghost@example.com", errors["approvers[0]"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_Answers400WithTheDomainsMessage_WhenTheFlowIsUnknown()
    {
        var body = new JsonObject { ["requester"] = "alexw@example.com", ["title"] = "Anything", ["flow"] = "Purchases" };
        using var response = await ApiCalls.PostAsync(_bot, "/api/v1/approvals", body);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("There is no flow named 'Purchases'", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_Answers403ForAReadKey_And401WithoutAKey()
    {
        var body = new JsonObject { ["requester"] = "alexw@example.com", ["title"] = "x", ["flow"] = "IT support agreement" };
        using var reader = await ApiCalls.SendAsync(_bot, HttpMethod.Post, "/api/v1/approvals", body, key: ApiTestKeys.Reader);
        using var anonymous = await ApiCalls.SendAsync(_bot, HttpMethod.Post, "/api/v1/approvals", body, key: null);

        await ProblemAsync(reader, HttpStatusCode.Forbidden);
        await ProblemAsync(anonymous, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("?take=0", "take")]
    [InlineData("?take=500", "take")]
    [InlineData("?status=Done", "status")]
    [InlineData("?waitingFor=ghost@example.com", "waitingFor")]
    public async Task List_Answers400ValidationProblem_WhenAParameterIsInvalid(string query, string field)
    {
        using var response = await ApiCalls.GetAsync(_bot, "/api/v1/approvals" + query);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task Get_Answers404Problem_WhenTheRequestIsUnknown()
    {
        using var response = await ApiCalls.GetAsync(_bot, "/api/v1/approvals/999");
        using var audit = await ApiCalls.GetAsync(_bot, "/api/v1/approvals/999/audit");

        await ProblemAsync(response, HttpStatusCode.NotFound);
        await ProblemAsync(audit, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task OpenApiDocument_ListsTheAgreementsApprovalsAndAuditOperations()
    {
        using var response = await ApiCalls.GetAsync(_bot, "/openapi/v1.json");
        var paths = (await ApiCalls.JsonAsync(response))["paths"]!.AsObject();

        foreach (var path in new[]
                 {
                     "/api/v1/flows", "/api/v1/agreements", "/api/v1/agreements/{id}", "/api/v1/agreements/{id}/terms",
                     "/api/v1/agreements/{id}/submit", "/api/v1/approvals", "/api/v1/approvals/{id}", "/api/v1/approvals/{id}/audit", "/api/v1/audit",
                 })
        {
            Assert.True(paths.ContainsKey(path), $"{path} is missing from the OpenAPI document: {string.Join(", ", paths.Select(p => p.Key))}");
        }

        var create = paths["/api/v1/agreements"]!["post"]!;
        Assert.Equal("CreateAgreement", create["operationId"]!.GetValue<string>());
        Assert.Contains("ApiKey", create["security"]!.AsArray().SelectMany(r => r!.AsObject().Select(s => s.Key)));
        Assert.NotNull(create["requestBody"]);
        Assert.NotNull(create["responses"]!["201"]);
        Assert.NotNull(create["responses"]!["409"]);
        Assert.Contains("text/csv", paths["/api/v1/audit"]!["get"]!["responses"]!["200"]!["content"]!.AsObject().Select(c => c.Key));
        Assert.Null(paths["/api/v1/approvals/{id}"]!["post"]);
    }
}
