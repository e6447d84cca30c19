using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.TestSupport.Storage;
using static ApprovalBot.IntegrationTests.Api.ApiAuthenticationTests;

namespace ApprovalBot.IntegrationTests.Api;

/// <summary>Calls and sample data the agreement, approval and audit API tests share.</summary>
internal static class ApiCalls
{
    // People of the default directory (src/ApprovalBot/Directory/directory.sample.json).
    public const string Alex = "00000000-0000-0000-0000-0000000000020";
    public const string Megan = "00000000-0000-0000-0000-0000000000021";
    public const string Adele = "00000000-0000-0000-0000-0000000000022";
    public const string Isaiah = "00000000-0000-0000-0000-0000000000023";
    public const string Patti = "00000000-0000-0000-0000-0000000000024";

    public static async Task<HttpResponseMessage> SendAsync(
        BotTestHost bot, HttpMethod method, string path, JsonNode? body = null, string? key = ApiTestKeys.Writer, string? accept = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null) request.Headers.TryAddWithoutValidation("X-Api-Key", key);
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        return await bot.Http.SendAsync(request);
    }

    public static Task<HttpResponseMessage> GetAsync(BotTestHost bot, string path, string? key = ApiTestKeys.Reader, string? accept = null) =>
        SendAsync(bot, HttpMethod.Get, path, null, key, accept);

    public static Task<HttpResponseMessage> PostAsync(BotTestHost bot, string path, JsonNode body, string? key = ApiTestKeys.Writer) =>
        SendAsync(bot, HttpMethod.Post, path, body, key);

    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {expected}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    public static IReadOnlyList<string> Strings(JsonNode? array) => [.. array!.AsArray().Select(n => n!.GetValue<string>())];

    public static JsonObject CompleteTerms() => JsonNode.Parse("""
        {
          "providerName": "Contoso IT Services",
          "oversightOwners": ["alexw@example.com"],
          "services": { "kinds": ["Other", "HelpDesk"], "other": "Printer fleet care" },
          "coverage": "Both",
          "startDate": "2026-02-01",
          "endDate": "2027-01-31",
          "pricing": { "structure": "MonthlyRetainer", "amount": 4500, "currency": "eur" },
          "additionalServices": [ { "name": "On-site visit", "price": 150 }, { "name": "Weekend migration", "price": 1200.5 } ],
          "responsibilities": {
            "ours": [ "Keep the device inventory current" ],
            "provider": [ "Repair or replace faulty hardware in scope", "Install security patches within 14 days" ]
          },
          "supportConstraints": [ "Remote support only outside Berlin" ],
          "serviceLevels": [
            { "priority": "P1", "responseMinutes": 15, "resolutionMinutes": 240, "aroundTheClock": true },
            { "priority": "P2", "responseMinutes": 60, "resolutionMinutes": 480 },
            { "priority": "P3", "responseMinutes": 240, "resolutionMinutes": 2880 },
            { "priority": "P4", "responseMinutes": 480, "resolutionMinutes": 7200 }
          ],
          "escalation": [
            { "level": "L1", "channelId": "19:l1@thread.tacv2", "description": "First-line support" },
            { "level": "L2", "people": ["adelev@example.com"] },
            { "level": "L3", "people": ["00000000-0000-0000-0000-0000000000024"], "channelId": "19:mgmt@thread.tacv2" }
          ],
          "terminationNotice": { "count": 3, "unit": "Months" },
          "communicationPlan": {
            "ourContacts": [ { "name": "Alex", "person": "alexw@example.com", "role": "Service owner" } ],
            "providerContacts": [ { "name": "Pat Provider", "email": "pat@contoso.example", "phone": "+1 555 0100" } ],
            "updateCadence": { "cron": "0 9 * * MON", "timeZone": "Europe/Berlin" },
            "updatesGoTo": { "kind": "Channel", "channelId": "19:updates@thread.tacv2" },
            "reviewCadence": { "cron": "0 10 1 * *", "timeZone": "Europe/Berlin" }
          },
          "kpis": { "kpis": [ { "kind": "ResponseTime" }, { "kind": "UptimePercentage", "target": 99.9 } ], "frequency": "Monthly" },
          "businessCalendar": {
            "timeZoneId": "Europe/Berlin",
            "twentyFourSeven": false,
            "workingHours": [
              { "day": "Monday", "start": "09:00", "end": "17:00" }, { "day": "Tuesday", "start": "09:00", "end": "17:00" },
              { "day": "Wednesday", "start": "09:00", "end": "17:00" }, { "day": "Thursday", "start": "09:00", "end": "17:00" },
              { "day": "Friday", "start": "09:00", "end": "17:00" }
            ],
            "holidays": [ { "date": "2026-12-25", "name": "Christmas Day" } ]
          },
          "dataProtection": {
            "ourContacts": [ { "name": "Alex", "person": "alexw@example.com", "role": "Data protection officer" } ],
            "providerContacts": [ { "name": "Priya Privacy", "email": "privacy@contoso.example", "phone": "+1 555 0199" } ],
            "notificationDeadlineMinutes": 4320
          }
        }
        """)!.AsObject();

    public static JsonObject NewAgreement(string name, JsonObject? terms = null, string createdBy = "alexw@example.com") =>
        new() { ["name"] = name, ["createdBy"] = createdBy, ["terms"] = terms ?? CompleteTerms() };

    /// <summary>Creates an agreement through the API; returns its id.</summary>
    public static async Task<long> CreateAgreementAsync(BotTestHost bot, string name, JsonObject? terms = null)
    {
        using var response = await PostAsync(bot, "/api/v1/agreements", NewAgreement(name, terms));
        return (await JsonAsync(response, HttpStatusCode.Created))["id"]!.GetValue<long>();
    }

    /// <summary>Submits a request on the agreement flow for Alex (stage 1: Megan, his manager); returns its id.</summary>
    public static async Task<long> CreateRequestAsync(BotTestHost bot, string title = "New laptop", string? reference = null)
    {
        var body = new JsonObject
        {
            ["requester"] = "alexw@example.com",
            ["title"] = title,
            ["details"] = "A 14-inch one.",
            ["links"] = new JsonArray(new JsonObject { ["title"] = "Quote", ["url"] = "https://shop.example/quote/42" }),
            ["flow"] = "IT support agreement",
            ["reference"] = reference,
        };
        using var response = await PostAsync(bot, "/api/v1/approvals", body);
        return (await JsonAsync(response, HttpStatusCode.Created))["id"]!.GetValue<long>();
    }
}

/// <summary>The agreements endpoints through the real host, on SQLite and on PostgreSQL.</summary>
public abstract class AgreementsApiTests(ITestDatabaseFactory databases) : IAsyncLifetime
{
    private BotTestHost _bot = null!;
    private ITestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await databases.CreateDatabaseAsync();
        _bot = await BotTestHost.StartAsync(new BotTestHostOptions { Database = _database, Settings = ApiTestKeys.Settings() });
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Create_Returns201WithLocationAndProblems_WhenTheDraftIsIncomplete()
    {
        var terms = new JsonObject { ["providerName"] = "Fabrikam", ["oversightOwners"] = new JsonArray("meganb@example.com") };
        using var response = await ApiCalls.PostAsync(_bot, "/api/v1/agreements", ApiCalls.NewAgreement("Fabrikam help desk", terms));

        var created = await ApiCalls.JsonAsync(response, HttpStatusCode.Created);
        var id = created["id"]!.GetValue<long>();
        Assert.Equal($"/api/v1/agreements/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("Draft", created["status"]!.GetValue<string>());
        Assert.Equal(ApiCalls.Alex, created["createdBy"]!.GetValue<string>());
        var fields = created["problems"]!.AsArray().Select(p => p!["field"]!.GetValue<string>()).ToList();
        Assert.Contains("terms.startDate", fields);
        Assert.Contains("terms.pricing", fields);
        Assert.DoesNotContain("terms.providerName", fields);

        using var read = await ApiCalls.GetAsync(_bot, $"/api/v1/agreements/{id}");
        var agreement = await ApiCalls.JsonAsync(read);
        Assert.Equal("Fabrikam help desk", agreement["name"]!.GetValue<string>());
        var revision = Assert.Single(agreement["revisions"]!.AsArray())!;
        Assert.Equal(1, revision["number"]!.GetValue<int>());
        Assert.Equal([ApiCalls.Megan], ApiCalls.Strings(revision["terms"]!["oversightOwners"]));
        Assert.Null(revision["submittedAt"]);
        Assert.Empty(agreement["approvalRequestIds"]!.AsArray());
        Assert.EndsWith("+00:00", agreement["createdAt"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ResolvesEveryAddress_AndTheTermsReadBackAsTheySendBack()
    {
        var id = await ApiCalls.CreateAgreementAsync(_bot, "Contoso support");

        using var read = await ApiCalls.GetAsync(_bot, $"/api/v1/agreements/{id}");
        var agreement = await ApiCalls.JsonAsync(read);
        Assert.Empty(agreement["problems"]!.AsArray());
        var terms = agreement["revisions"]![0]!["terms"]!;
        Assert.Equal([ApiCalls.Alex], ApiCalls.Strings(terms["oversightOwners"]));
        Assert.Equal(["HelpDesk", "Other"], ApiCalls.Strings(terms["services"]!["kinds"]));
        Assert.Equal("EUR", terms["pricing"]!["currency"]!.GetValue<string>());
        Assert.Equal([ApiCalls.Adele], ApiCalls.Strings(terms["escalation"]![1]!["people"]));
        Assert.Equal([ApiCalls.Patti], ApiCalls.Strings(terms["escalation"]![2]!["people"]));
        Assert.Equal(ApiCalls.Alex, terms["communicationPlan"]!["ourContacts"]![0]!["person"]!.GetValue<string>());
        Assert.Equal(240, terms["serviceLevels"]![0]!["resolutionMinutes"]!.GetValue<int>());
        Assert.Equal("17:00", terms["businessCalendar"]!["workingHours"]![0]!["end"]!.GetValue<string>());

        // What GET returns (ids for people) is accepted back by PUT unchanged.
        using var revise = await ApiCalls.SendAsync(_bot, HttpMethod.Put, $"/api/v1/agreements/{id}/terms",
            new JsonObject { ["by"] = ApiCalls.Alex, ["terms"] = terms.DeepClone() });
        var revised = await ApiCalls.JsonAsync(revise);
        Assert.Equal(terms.ToJsonString(), revised["revisions"]![0]!["terms"]!.ToJsonString());
    }

    [Fact]
    public async Task Create_Answers400NamingTheAddresses_WhenPeopleAreUnknown()
    {
        var terms = ApiCalls.CompleteTerms();
        terms["oversightOwners"] = new JsonArray("alexw@example.com", "ghost@example.com");
        using var response = await ApiCalls.PostAsync(_bot, "/api/v1/agreements", ApiCalls.NewAgreement("Ghostly", terms, createdBy: "nobody@example.com"));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.Contains("nobody@example.com", errors["createdBy"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("ghost@example.com", errors["terms.oversightOwners[1]"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(errors["terms.oversightOwners[0]"]);
    }

    [Fact]
    public async Task Create_Answers400WithEveryFieldError_WhenValuesAreInvalid()
    {
        var terms = ApiCalls.CompleteTerms();
        terms["pricing"]!["structure"] = "Barter";
        terms["serviceLevels"]![1]!["priority"] = "P9";
        terms["terminationNotice"]!["count"] = 0;
        terms["coverage"] = "Everything";
        using var response = await ApiCalls.PostAsync(_bot, "/api/v1/agreements", ApiCalls.NewAgreement("", terms));

        var errors = (await ProblemAsync(response, HttpStatusCode.BadRequest))["errors"]!.AsObject();
        Assert.Contains("Hourly", errors["terms.pricing.structure"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(errors["terms.serviceLevels[1].priority"]);
        Assert.NotNull(errors["terms.terminationNotice"]);
        Assert.NotNull(errors["terms.coverage"]);
        Assert.NotNull(errors["name"]);
    }

    [Fact]
    public async Task Create_Answers409_WhenTheNameIsTakenInAnyCase()
    {
        await ApiCalls.CreateAgreementAsync(_bot, "Contoso support");

        using var response = await ApiCalls.PostAsync(_bot, "/api/v1/agreements", ApiCalls.NewAgreement("CONTOSO SUPPORT"));

        var problem = await ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Contains("exists already", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("agreement.duplicate", problem["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_FiltersByStatus_AndPages()
    {
        var first = await ApiCalls.CreateAgreementAsync(_bot, "First");
        var second = await ApiCalls.CreateAgreementAsync(_bot, "Second");
        var third = await ApiCalls.CreateAgreementAsync(_bot, "Third");
        using (var submit = await ApiCalls.PostAsync(_bot, $"/api/v1/agreements/{second}/submit", new JsonObject { ["by"] = "alexw@example.com" }))
            await ApiCalls.JsonAsync(submit, HttpStatusCode.Accepted);

        using var drafts = await ApiCalls.GetAsync(_bot, "/api/v1/agreements?status=draft");
        var draftPage = await ApiCalls.JsonAsync(drafts);
        Assert.Equal(2, draftPage["total"]!.GetValue<int>());
        Assert.Equal([first, third], draftPage["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()));

        using var inApproval = await ApiCalls.GetAsync(_bot, "/api/v1/agreements?status=InApproval");
        var item = Assert.Single((await ApiCalls.JsonAsync(inApproval))["items"]!.AsArray())!;
        Assert.Equal("Second", item["name"]!.GetValue<string>());
        Assert.Equal("InApproval", item["status"]!.GetValue<string>());

        using var paged = await ApiCalls.GetAsync(_bot, "/api/v1/agreements?skip=1&take=1");
        var page = await ApiCalls.JsonAsync(paged);
        Assert.Equal(3, page["total"]!.GetValue<int>());
        Assert.Equal(second, Assert.Single(page["items"]!.AsArray())!["id"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("?take=0", "take")]
    [InlineData("?take=201", "take")]
    [InlineData("?skip=-1", "skip")]
    [InlineData("?status=Pending", "status")]
    public async Task List_Answers400ValidationProblem_WhenAParameterIsOutOfRange(string query, string field)
    {
        using var response = await ApiCalls.GetAsync(_bot, "/api/v1/agreements" + query);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task Get_Answers404Problem_WhenTheAgreementIsUnknown()
    {
        using var response = await ApiCalls.GetAsync(_bot, "/api/v1/agreements/424242");

        var problem = await ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("424242", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revise_Answers409WithTheDomainsMessage_WhenByMayNotChangeIt_OrTheAgreementIsInApproval()
    {
        var id = await ApiCalls.CreateAgreementAsync(_bot, "Contoso support");

        using var stranger = await ApiCalls.SendAsync(_bot, HttpMethod.Put, $"/api/v1/agreements/{id}/terms",
            new JsonObject { ["by"] = "meganb@example.com", ["terms"] = ApiCalls.CompleteTerms() });
        var forbidden = await ProblemAsync(stranger, HttpStatusCode.Conflict);
        Assert.Contains("Only the agreement's author and its oversight owners", forbidden["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("agreement.forbidden", forbidden["code"]!.GetValue<string>());

        using (var submit = await ApiCalls.PostAsync(_bot, $"/api/v1/agreements/{id}/submit", new JsonObject { ["by"] = "alexw@example.com" }))
            await ApiCalls.JsonAsync(submit, HttpStatusCode.Accepted);
        using var late = await ApiCalls.SendAsync(_bot, HttpMethod.Put, $"/api/v1/agreements/{id}/terms",
            new JsonObject { ["by"] = "alexw@example.com", ["terms"] = ApiCalls.CompleteTerms() });
        var conflict = await ProblemAsync(late, HttpStatusCode.Conflict);
        Assert.Contains("it is InApproval", conflict["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revise_ReplacesTheDraftsTerms_InTheSameRevision()
    {
        var id = await ApiCalls.CreateAgreementAsync(_bot, "Contoso support", new JsonObject { ["providerName"] = "Contoso" });
        var terms = ApiCalls.CompleteTerms();
        terms["providerName"] = "Contoso Ltd";

        using var response = await ApiCalls.SendAsync(_bot, HttpMethod.Put, $"/api/v1/agreements/{id}/terms",
            new JsonObject { ["by"] = "alexw@example.com", ["terms"] = terms });

        var agreement = await ApiCalls.JsonAsync(response);
        var revision = Assert.Single(agreement["revisions"]!.AsArray())!;
        Assert.Equal("Contoso Ltd", revision["terms"]!["providerName"]!.GetValue<string>());
        Assert.Empty(agreement["problems"]!.AsArray());
    }

    [Fact]
    public async Task Submit_Answers202_AndTheRequestWaitsForTheRequestersManager()
    {
        var id = await ApiCalls.CreateAgreementAsync(_bot, "Contoso support");

        using var response = await ApiCalls.PostAsync(_bot, $"/api/v1/agreements/{id}/submit", new JsonObject { ["by"] = "alexw@example.com", ["comment"] = "Please review" });

        var submission = await ApiCalls.JsonAsync(response, HttpStatusCode.Accepted);
        var requestId = submission["approvalRequestId"]!.GetValue<long>();
        Assert.Equal($"/api/v1/approvals/{requestId}", response.Headers.Location?.OriginalString);
        Assert.Equal("InApproval", submission["status"]!.GetValue<string>());

        using var request = await ApiCalls.GetAsync(_bot, $"/api/v1/approvals/{requestId}");
        var approval = await ApiCalls.JsonAsync(request);
        Assert.Equal("InProgress", approval["status"]!.GetValue<string>());
        Assert.Equal(1, approval["currentStageNumber"]!.GetValue<int>());
        Assert.Equal("Department manager", approval["currentStageName"]!.GetValue<string>());
        Assert.Equal([ApiCalls.Megan], ApiCalls.Strings(approval["waitingFor"]));
        Assert.Equal("Agreement", approval["subject"]!["kind"]!.GetValue<string>());
        Assert.Equal(id, approval["subject"]!["id"]!.GetValue<long>());
        Assert.Equal(ApiCalls.Megan, approval["stageRuns"]![0]!["seats"]![0]!["owner"]!.GetValue<string>());

        using var read = await ApiCalls.GetAsync(_bot, $"/api/v1/agreements/{id}");
        var agreement = await ApiCalls.JsonAsync(read);
        Assert.Equal("InApproval", agreement["status"]!.GetValue<string>());
        Assert.Equal([requestId], agreement["approvalRequestIds"]!.AsArray().Select(i => i!.GetValue<long>()));
        Assert.NotNull(agreement["revisions"]![0]!["submittedAt"]);
        Assert.Equal(ApiCalls.Alex, agreement["revisions"]![0]!["submittedBy"]!.GetValue<string>());
    }

    [Fact]
    public async Task Submit_Answers400WithEveryProblem_WhenTheTermsAreIncomplete()
    {
        var id = await ApiCalls.CreateAgreementAsync(_bot, "Half done", new JsonObject { ["providerName"] = "Contoso" });

        using var response = await ApiCalls.PostAsync(_bot, $"/api/v1/agreements/{id}/submit", new JsonObject { ["by"] = "alexw@example.com" });

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.Contains("terms.oversightOwners", errors.Select(e => e.Key));
        Assert.Contains("terms.businessCalendar", errors.Select(e => e.Key));
        var problems = problem["problems"]!.AsArray();
        Assert.True(problems.Count >= 10, problem.ToJsonString());
        Assert.Equal("agreement.incomplete", problem["code"]!.GetValue<string>());

        using var read = await ApiCalls.GetAsync(_bot, $"/api/v1/agreements/{id}");
        Assert.Equal("Draft", (await ApiCalls.JsonAsync(read))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Writes_Answer403ForAReadKey_And401WithoutAKey()
    {
        using var reader = await ApiCalls.SendAsync(_bot, HttpMethod.Post, "/api/v1/agreements", ApiCalls.NewAgreement("Nope"), key: ApiTestKeys.Reader);
        using var anonymous = await ApiCalls.SendAsync(_bot, HttpMethod.Post, "/api/v1/agreements", ApiCalls.NewAgreement("Nope"), key: null);
        using var anonymousRead = await ApiCalls.GetAsync(_bot, "/api/v1/agreements", key: null);

        await ProblemAsync(reader, HttpStatusCode.Forbidden);
        await ProblemAsync(anonymous, HttpStatusCode.Unauthorized);
        await ProblemAsync(anonymousRead, HttpStatusCode.Unauthorized);
        using var list = await ApiCalls.GetAsync(_bot, "/api/v1/agreements");
        Assert.Equal(0, (await ApiCalls.JsonAsync(list))["total"]!.GetValue<int>());
    }
}

public sealed class SqliteAgreementsApiTests() : AgreementsApiTests(new SqliteTestDatabases());

public sealed class PostgresAgreementsApiTests(PostgresServerFixture postgres)
    : AgreementsApiTests(postgres), IClassFixture<PostgresServerFixture>;
