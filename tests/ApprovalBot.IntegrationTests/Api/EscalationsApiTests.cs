using System.Net;
using System.Text.Json.Nodes;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Calendars;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Escalations;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Escalations;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.IntegrationTests.Storage;
using ApprovalBot.Scheduling;
using ApprovalBot.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static ApprovalBot.IntegrationTests.Api.ApiAuthenticationTests;

namespace ApprovalBot.IntegrationTests.Api;

/// <summary>
/// Escalations through the REST API on the real host with a manual clock: opening (by id and by name, and every way it
/// is refused), reading with both SLA clocks, listing with each filter and paging, the eight actions on behalf of a
/// person, the domain's refusals as 403 and 409 that change nothing, the key roles, and the OpenAPI document.
/// </summary>
public sealed class EscalationsApiTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Monday10 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _clock = new(Monday10);
    private BotTestHost _bot = null!;

    public async Task InitializeAsync() =>
        _bot = await BotTestHost.StartAsync(new BotTestHostOptions { Settings = ApiTestKeys.Settings(), Time = _clock });

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    /// <summary>The escalation tests' Active agreement (<see cref="EscalationAgreements.ActiveAsync"/>), overseen by Alex.</summary>
    private Task<long> ActiveAgreementAsync(string name = "Contoso help desk") =>
        EscalationAgreements.ActiveAsync(_bot.Database, Monday10, [Cast.Alex], name: name);

    private async Task<long> DraftAgreementAsync(string name)
    {
        var agreement = Agreement.CreateDraft(name, SampleTerms.Complete(), People.Alice, Monday10.AddDays(-1));
        await using var db = _bot.CreateDbContext();
        db.Agreements.Add(agreement);
        await db.SaveChangesAsync();
        return agreement.Id;
    }

    private static JsonObject Opening(long agreementId, string priority = "P2", string title = "Mail server down") => new()
    {
        ["agreementId"] = agreementId,
        ["priority"] = priority,
        ["title"] = title,
        ["description"] = "Nobody receives e-mail.",
        ["reporter"] = "alexw@example.com",
    };

    private async Task<long> OpenAsync(JsonObject body)
    {
        using var response = await ApiCalls.PostAsync(_bot, "/api/v1/escalations", body);
        return (await ApiCalls.JsonAsync(response, HttpStatusCode.Created))["id"]!.GetValue<long>();
    }

    private async Task<JsonNode> ActAsync(long id, string action, JsonObject body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await ApiCalls.PostAsync(_bot, $"/api/v1/escalations/{id}/{action}", body);
        return expected == HttpStatusCode.OK ? await ApiCalls.JsonAsync(response) : await ProblemAsync(response, expected);
    }

    private async Task<JsonNode> ReadAsync(long id)
    {
        using var response = await ApiCalls.GetAsync(_bot, $"/api/v1/escalations/{id}");
        return await ApiCalls.JsonAsync(response);
    }

    private async Task<JsonNode> ListAsync(string query)
    {
        using var response = await ApiCalls.GetAsync(_bot, "/api/v1/escalations" + query);
        return await ApiCalls.JsonAsync(response);
    }

    private static IReadOnlyList<long> Ids(JsonNode page) => [.. page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>())];

    private static JsonObject Actor(string actor, string? field = null, string? value = null)
    {
        var body = new JsonObject { ["actor"] = actor };
        if (field is not null) body[field] = value;
        return body;
    }

    [Fact]
    public async Task Open_ByAgreementId_Answers201WithLocation_NotifiesL1_ArmsTheTimer_AndReadsBackWithClocksAndPolicy()
    {
        var agreementId = await ActiveAgreementAsync();
        var adele = _bot.PersonalChat(Cast.Adele);
        await adele.InstallAsync();
        await adele.ExpectCardAsync();

        using var response = await ApiCalls.PostAsync(_bot, "/api/v1/escalations", Opening(agreementId));

        var created = await ApiCalls.JsonAsync(response, HttpStatusCode.Created);
        var id = created["id"]!.GetValue<long>();
        Assert.Equal($"/api/v1/escalations/{id}", response.Headers.Location?.OriginalString);
        var (_, card) = await adele.ExpectCardAsync();
        Assert.Contains("Mail server down", TestConversation.Texts(card), StringComparison.Ordinal);
        var armed = await _bot.Services.GetRequiredService<DurableTimers>().GetArmedAsync(EscalationTimers.Kind, $"{id}", CancellationToken.None);
        Assert.Equal(Monday10.AddHours(1), armed!.DueAt);

        _clock.Advance(TimeSpan.FromMinutes(30));
        var escalation = await ReadAsync(id);
        Assert.Equal(("Mail server down", "Nobody receives e-mail.", "P2", "Open", "L1"), (
            escalation["title"]!.GetValue<string>(), escalation["description"]!.GetValue<string>(), escalation["priority"]!.GetValue<string>(),
            escalation["state"]!.GetValue<string>(), escalation["level"]!.GetValue<string>()));
        Assert.Equal((agreementId, "Contoso help desk", ApiCalls.Alex), (
            escalation["agreementId"]!.GetValue<long>(), escalation["agreementName"]!.GetValue<string>(), escalation["reporter"]!.GetValue<string>()));

        var clocks = escalation["clocks"]!;
        Assert.Equal(Monday10.AddMinutes(30), clocks["at"]!.GetValue<DateTimeOffset>());
        var responseClock = clocks["response"]!;
        Assert.Equal((60d, 30d, 30d, 50d, false, true), (
            responseClock["targetMinutes"]!.GetValue<double>(), responseClock["elapsedMinutes"]!.GetValue<double>(), responseClock["remainingMinutes"]!.GetValue<double>(),
            responseClock["percentUsed"]!.GetValue<double>(), responseClock["breached"]!.GetValue<bool>(), responseClock["running"]!.GetValue<bool>()));
        Assert.Equal(Monday10.AddHours(1), responseClock["dueAt"]!.GetValue<DateTimeOffset>());
        var resolutionClock = clocks["resolution"]!;
        Assert.Equal((480d, 30d, 6.3d), (
            resolutionClock["targetMinutes"]!.GetValue<double>(), resolutionClock["elapsedMinutes"]!.GetValue<double>(), resolutionClock["percentUsed"]!.GetValue<double>()));
        Assert.Equal(Monday10.AddHours(8), resolutionClock["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(Monday10.AddHours(4), escalation["resolutionWarnings"]![0]!["dueAt"]!.GetValue<DateTimeOffset>());

        var policy = escalation["policy"]!;
        Assert.Equal((60d, 480d, true), (
            policy["responseTargetMinutes"]!.GetValue<double>(), policy["resolutionTargetMinutes"]!.GetValue<double>(), policy["calendar"]!["twentyFourSeven"]!.GetValue<bool>()));
        Assert.Equal(["L1", "L2", "L3"], policy["levels"]!.AsArray().Select(l => l!["level"]!.GetValue<string>()));
        Assert.Equal([ApiCalls.Adele], ApiCalls.Strings(policy["levels"]![0]!["people"]));
        Assert.Equal([ApiCalls.Alex], ApiCalls.Strings(policy["oversightOwners"]));

        var opened = Assert.Single(escalation["timeline"]!.AsArray())!;
        Assert.Equal(("Opened", ApiCalls.Alex), (opened["kind"]!.GetValue<string>(), opened["actor"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Open_ByName_MatchesTheExactNameInAnyCase_ButNotABeginning()
    {
        await ActiveAgreementAsync("Contoso help desk");
        var network = await ActiveAgreementAsync("Contoso network");
        var body = Opening(0);
        body.Remove("agreementId");

        body["agreementName"] = "  CONTOSO network ";
        using var byName = await ApiCalls.PostAsync(_bot, "/api/v1/escalations", body);
        Assert.Equal(network, (await ApiCalls.JsonAsync(byName, HttpStatusCode.Created))["agreementId"]!.GetValue<long>());

        body["agreementName"] = "Contoso";
        using var prefix = await ApiCalls.PostAsync(_bot, "/api/v1/escalations", body);
        var errors = (await ProblemAsync(prefix, HttpStatusCode.BadRequest))["errors"]!;
        Assert.Contains("There is no agreement named 'Contoso'", errors["agreementName"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_Answers400ListingEveryProblem_AndOpensNothing()
    {
        var body = new JsonObject { ["agreementId"] = 999, ["priority"] = "P9", ["title"] = "  ", ["reporter"] = "ghost@example.com" };
        using var response = await ApiCalls.PostAsync(_bot, "/api/v1/escalations", body);

        var errors = (await ProblemAsync(response, HttpStatusCode.BadRequest))["errors"]!.AsObject();
        Assert.Equal(["agreementId", "priority", "reporter", "title"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Contains("There is no agreement 999", errors["agreementId"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("P1, P2, P3, P4", errors["priority"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("ghost@example.com", errors["reporter"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        using var nothing = await ApiCalls.PostAsync(_bot, "/api/v1/escalations", new JsonObject());
        var missing = (await ProblemAsync(nothing, HttpStatusCode.BadRequest))["errors"]!.AsObject();
        Assert.Equal(["agreementId", "priority", "reporter", "title"], missing.Select(e => e.Key).Order(StringComparer.Ordinal));

        await using var db = _bot.CreateDbContext();
        Assert.False(await db.Escalations.AnyAsync());
    }

    [Fact]
    public async Task Open_Answers409WithTheDomainsMessage_WhenTheAgreementIsNotActive()
    {
        var draft = await DraftAgreementAsync("Fabrikam printers");

        using var response = await ApiCalls.PostAsync(_bot, "/api/v1/escalations", Opening(draft));

        var problem = await ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal("escalation.agreement_not_active", problem["code"]!.GetValue<string>());
        Assert.Contains("'Fabrikam printers' is Draft", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await using var db = _bot.CreateDbContext();
        Assert.False(await db.Escalations.AnyAsync());
    }

    [Fact]
    public async Task Get_Answers404Problem_WhenTheEscalationIsUnknown()
    {
        using var response = await ApiCalls.GetAsync(_bot, "/api/v1/escalations/999");
        using var act = await ApiCalls.PostAsync(_bot, "/api/v1/escalations/999/acknowledge", Actor("adelev@example.com"));

        Assert.Contains("There is no escalation 999", (await ProblemAsync(response, HttpStatusCode.NotFound))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await ProblemAsync(act, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task List_FiltersByStateAgreementLevelPriorityAndBreach_NewestFirst_InPages()
    {
        var helpDesk = await ActiveAgreementAsync("Contoso help desk");
        var network = await ActiveAgreementAsync("Contoso network");
        var acknowledged = await OpenAsync(Opening(helpDesk, "P2", "Mail server down"));
        var urgent = await OpenAsync(Opening(helpDesk, "P1", "Payroll halted"));
        var raised = await OpenAsync(Opening(network, "P2", "Wi-Fi flaky"));
        await ActAsync(acknowledged, "acknowledge", Actor("adelev@example.com"));
        await ActAsync(raised, "escalate", Actor("alexw@example.com", "reason", "The whole floor is offline"));

        Assert.Equal([raised, urgent, acknowledged], Ids(await ListAsync("")));
        Assert.Equal([acknowledged], Ids(await ListAsync("?state=acknowledged")));
        Assert.Equal([raised], Ids(await ListAsync($"?agreementId={network}")));
        Assert.Equal([raised], Ids(await ListAsync("?level=L2")));
        Assert.Equal([urgent], Ids(await ListAsync("?priority=P1")));
        Assert.Equal([urgent, acknowledged], Ids(await ListAsync($"?agreementId={helpDesk}")));
        Assert.Equal([urgent], Ids(await ListAsync($"?agreementId={helpDesk}&state=Open")));

        var first = await ListAsync("?take=2");
        Assert.Equal([raised, urgent], Ids(first));
        Assert.Equal((3, 0, 2), (first["total"]!.GetValue<int>(), first["skip"]!.GetValue<int>(), first["take"]!.GetValue<int>()));
        var second = await ListAsync("?skip=2&take=2");
        Assert.Equal([acknowledged], Ids(second));
        Assert.Equal((2, 3), (second["skip"]!.GetValue<int>(), second["total"]!.GetValue<int>()));
        var summary = first["items"]![1]!;
        Assert.Equal(("Payroll halted", "P1", "Open", "L1", "Contoso help desk"), (
            summary["title"]!.GetValue<string>(), summary["priority"]!.GetValue<string>(), summary["state"]!.GetValue<string>(),
            summary["level"]!.GetValue<string>(), summary["agreementName"]!.GetValue<string>()));
        Assert.Equal(Monday10.AddMinutes(15), summary["responseDueAt"]!.GetValue<DateTimeOffset>());

        // 20 minutes on: the P1 has used its 15-minute response target; the acknowledged one and the other P2 have not.
        Assert.Empty(Ids(await ListAsync("?breached=true")));
        _clock.Advance(TimeSpan.FromMinutes(20));
        var breached = await ListAsync("?breached=true");
        Assert.Equal([urgent], Ids(breached));
        Assert.Equal(1, breached["total"]!.GetValue<int>());
        Assert.True(breached["items"]![0]!["responseBreached"]!.GetValue<bool>());
        Assert.False(breached["items"]![0]!["resolutionBreached"]!.GetValue<bool>());
        var notBreached = await ListAsync("?breached=false&take=1");
        Assert.Equal([raised], Ids(notBreached));
        Assert.Equal(2, notBreached["total"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("?state=Done", "state")]
    [InlineData("?level=L4", "level")]
    [InlineData("?priority=2", "priority")]
    [InlineData("?take=0", "take")]
    [InlineData("?skip=-1", "skip")]
    public async Task List_Answers400ValidationProblem_WhenAParameterIsInvalid(string query, string field)
    {
        using var response = await ApiCalls.GetAsync(_bot, "/api/v1/escalations" + query);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task Actions_AssignAcknowledgeHoldResumeEscalateResolveCloseReopen_EachChangeTheEscalation_OnBehalfOfTheNamedPerson()
    {
        var id = await OpenAsync(Opening(await ActiveAgreementAsync()));

        var assigned = await ActAsync(id, "assign", new JsonObject { ["actor"] = "adelev@example.com", ["assignee"] = "pattif@example.com" });
        Assert.Equal(ApiCalls.Patti, assigned["assignee"]!.GetValue<string>());

        _clock.Advance(TimeSpan.FromMinutes(10));
        var acknowledged = await ActAsync(id, "acknowledge", Actor(ApiCalls.Patti)); // the assignee may act now
        Assert.Equal(("Acknowledged", ApiCalls.Patti), (acknowledged["state"]!.GetValue<string>(), acknowledged["acknowledgedBy"]!.GetValue<string>()));
        Assert.Equal((10d, false, false), (
            acknowledged["clocks"]!["response"]!["elapsedMinutes"]!.GetValue<double>(), acknowledged["clocks"]!["response"]!["running"]!.GetValue<bool>(),
            acknowledged["clocks"]!["response"]!["breached"]!.GetValue<bool>()));

        var held = await ActAsync(id, "hold", Actor("pattif@example.com", "reason", "Waiting for the customer's logs"));
        Assert.Equal(("OnHold", "Acknowledged"), (held["state"]!.GetValue<string>(), held["stateBeforeHold"]!.GetValue<string>()));
        Assert.Null(held["holds"]![0]!["to"]);

        _clock.Advance(TimeSpan.FromMinutes(30));
        var resumed = await ActAsync(id, "resume", Actor("adelev@example.com"));
        Assert.Equal("Acknowledged", resumed["state"]!.GetValue<string>());
        Assert.Equal(10d, resumed["clocks"]!["resolution"]!["elapsedMinutes"]!.GetValue<double>()); // the hold is not counted
        Assert.Equal(Monday10.AddHours(8).AddMinutes(30), resumed["clocks"]!["resolution"]!["dueAt"]!.GetValue<DateTimeOffset>());

        var escalated = await ActAsync(id, "escalate", Actor("alexw@example.com", "reason", "Needs a network engineer"));
        Assert.Equal("L2", escalated["level"]!.GetValue<string>());

        var resolved = await ActAsync(id, "resolve", Actor("isaiahl@example.com", "note", "Replaced the mail relay's certificate."));
        Assert.Equal(("Resolved", ApiCalls.Isaiah, "Replaced the mail relay's certificate."), (
            resolved["state"]!.GetValue<string>(), resolved["resolvedBy"]!.GetValue<string>(), resolved["resolutionNote"]!.GetValue<string>()));

        var closed = await ActAsync(id, "close", Actor("alexw@example.com"));
        Assert.Equal("Closed", closed["state"]!.GetValue<string>());
        Assert.NotNull(closed["closedAt"]);

        var reopened = await ActAsync(id, "reopen", Actor("alexw@example.com", "reason", "It failed again this morning"));
        Assert.Equal(("Acknowledged", 1), (reopened["state"]!.GetValue<string>(), reopened["reopenCount"]!.GetValue<int>()));

        var timeline = (await ReadAsync(id))["timeline"]!.AsArray();
        Assert.Equal(
            ["Opened", "Assigned", "Acknowledged", "Held", "Resumed", "LevelRaised", "Resolved", "Closed", "Reopened"],
            timeline.Select(e => e!["kind"]!.GetValue<string>()));
        Assert.Equal(
            [ApiCalls.Alex, ApiCalls.Adele, ApiCalls.Patti, ApiCalls.Patti, ApiCalls.Adele, ApiCalls.Alex, ApiCalls.Isaiah, ApiCalls.Alex, ApiCalls.Alex],
            timeline.Select(e => e!["actor"]!.GetValue<string>()));
        Assert.Equal("Waiting for the customer's logs", timeline[3]!["reason"]!.GetValue<string>());
        Assert.Equal("It failed again this morning", timeline[8]!["reason"]!.GetValue<string>());

        await using var db = _bot.CreateDbContext();
        Assert.Equal(EscalationState.Acknowledged, (await db.Escalations.AsNoTracking().SingleAsync(e => e.Id == id)).State);
    }

    [Fact]
    public async Task Act_Answers403WithTheDomainsMessage_AndChangesNothing_WhenThePersonMayNotAct()
    {
        var id = await OpenAsync(Opening(await ActiveAgreementAsync()));
        var before = await ReadAsync(id);

        var problem = await ActAsync(id, "acknowledge", Actor("pattif@example.com"), HttpStatusCode.Forbidden);

        Assert.Equal("escalation.forbidden", problem["code"]!.GetValue<string>());
        Assert.Contains("may not act on escalation 'Mail server down'", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var after = await ReadAsync(id);
        Assert.Equal(("Open", before["version"]!.GetValue<long>(), 1), (
            after["state"]!.GetValue<string>(), after["version"]!.GetValue<long>(), after["timeline"]!.AsArray().Count));
    }

    [Fact]
    public async Task Act_Answers409WithTheDomainsCode_AndChangesNothing_WhenTheStateDoesNotAllowIt()
    {
        var id = await OpenAsync(Opening(await ActiveAgreementAsync()));

        var resume = await ActAsync(id, "resume", Actor("adelev@example.com"), HttpStatusCode.Conflict);
        var close = await ActAsync(id, "close", Actor("adelev@example.com"), HttpStatusCode.Conflict);
        await ActAsync(id, "assign", new JsonObject { ["actor"] = "adelev@example.com", ["assignee"] = "pattif@example.com" });
        var again = await ActAsync(id, "assign", new JsonObject { ["actor"] = "adelev@example.com", ["assignee"] = ApiCalls.Patti }, HttpStatusCode.Conflict);

        Assert.Equal("escalation.transition", resume["code"]!.GetValue<string>());
        Assert.Contains("Cannot resume it while it is Open", resume["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("escalation.transition", close["code"]!.GetValue<string>());
        Assert.Equal("escalation.already_assigned", again["code"]!.GetValue<string>());
        var after = await ReadAsync(id);
        Assert.Equal(("Open", 2), (after["state"]!.GetValue<string>(), after["timeline"]!.AsArray().Count));
    }

    [Fact]
    public async Task Act_Answers400ListingEveryProblem_WhenTheBodyDoesNotFitTheAction()
    {
        var id = await OpenAsync(Opening(await ActiveAgreementAsync()));

        var hold = await ActAsync(id, "hold", new JsonObject { ["actor"] = "ghost@example.com", ["note"] = "wrong field", ["assignee"] = "pattif@example.com" }, HttpStatusCode.BadRequest);
        var assign = await ActAsync(id, "assign", new JsonObject(), HttpStatusCode.BadRequest);
        var resolve = await ActAsync(id, "resolve", Actor("adelev@example.com", "note", new string('x', Escalation.MaxNoteLength + 1)), HttpStatusCode.BadRequest);

        Assert.Equal(["actor", "assignee", "note", "reason"], hold["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Contains("hold takes a reason, not a note", hold["errors"]!["note"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["actor", "assignee"], assign["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Contains("at most 4000", resolve["errors"]!["note"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Open", (await ReadAsync(id))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Keys_ReadRoleReads_WriteRoleActs_NoKeyIsRefused()
    {
        var id = await OpenAsync(Opening(await ActiveAgreementAsync()));

        using var readerOpens = await ApiCalls.SendAsync(_bot, HttpMethod.Post, "/api/v1/escalations", Opening(1), key: ApiTestKeys.Reader);
        using var readerActs = await ApiCalls.SendAsync(_bot, HttpMethod.Post, $"/api/v1/escalations/{id}/acknowledge", Actor("adelev@example.com"), key: ApiTestKeys.Reader);
        using var anonymousActs = await ApiCalls.SendAsync(_bot, HttpMethod.Post, $"/api/v1/escalations/{id}/acknowledge", Actor("adelev@example.com"), key: null);
        using var anonymousReads = await ApiCalls.GetAsync(_bot, $"/api/v1/escalations/{id}", key: null);
        using var anonymousLists = await ApiCalls.GetAsync(_bot, "/api/v1/escalations", key: null);
        using var readerReads = await ApiCalls.GetAsync(_bot, $"/api/v1/escalations/{id}", key: ApiTestKeys.Reader);

        await ProblemAsync(readerOpens, HttpStatusCode.Forbidden);
        await ProblemAsync(readerActs, HttpStatusCode.Forbidden);
        await ProblemAsync(anonymousActs, HttpStatusCode.Unauthorized);
        await ProblemAsync(anonymousReads, HttpStatusCode.Unauthorized);
        await ProblemAsync(anonymousLists, HttpStatusCode.Unauthorized);
        Assert.Equal("Open", (await ApiCalls.JsonAsync(readerReads))["state"]!.GetValue<string>());
        await using var db = _bot.CreateDbContext();
        Assert.Equal(1, await db.Escalations.CountAsync());
    }

    [Fact]
    public async Task OpenApiDocument_ListsEveryEscalationOperation()
    {
        using var response = await ApiCalls.GetAsync(_bot, "/openapi/v1.json");
        var paths = (await ApiCalls.JsonAsync(response))["paths"]!.AsObject();

        string[] actions = ["acknowledge", "assign", "hold", "resume", "resolve", "reopen", "close", "escalate"];
        string[] expected = ["/api/v1/escalations", "/api/v1/escalations/{id}", .. actions.Select(a => $"/api/v1/escalations/{{id}}/{a}")];
        foreach (var path in expected)
            Assert.True(paths.ContainsKey(path), $"{path} is missing from the OpenAPI document: {string.Join(", ", paths.Select(p => p.Key))}");

        var open = paths["/api/v1/escalations"]!["post"]!;
        Assert.Equal("OpenEscalation", open["operationId"]!.GetValue<string>());
        Assert.Contains("ApiKey", open["security"]!.AsArray().SelectMany(r => r!.AsObject().Select(s => s.Key)));
        Assert.NotNull(open["requestBody"]);
        Assert.Equal(["201", "400", "401", "403", "409", "429"], open["responses"]!.AsObject().Select(r => r.Key).Order(StringComparer.Ordinal));
        var list = paths["/api/v1/escalations"]!["get"]!;
        Assert.Equal(["agreementId", "breached", "level", "priority", "skip", "state", "take"],
            list["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        var acknowledge = paths["/api/v1/escalations/{id}/acknowledge"]!["post"]!;
        Assert.Equal("AcknowledgeEscalation", acknowledge["operationId"]!.GetValue<string>());
        Assert.NotNull(acknowledge["requestBody"]);
        Assert.Equal(["200", "400", "401", "403", "404", "409", "429"], acknowledge["responses"]!.AsObject().Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.Contains("escalation.forbidden", acknowledge["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
