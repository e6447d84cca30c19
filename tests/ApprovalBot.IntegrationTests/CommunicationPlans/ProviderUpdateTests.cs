using System.Net;
using System.Text.Json.Nodes;
using ApprovalBot.CommunicationPlans;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.CommunicationPlans;
using ApprovalBot.IntegrationTests.Api;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Escalations;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Scheduling;
using ApprovalBot.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using static ApprovalBot.IntegrationTests.CommunicationPlans.PlanTestBed;

namespace ApprovalBot.IntegrationTests.CommunicationPlans;

/// <summary>
/// Provider updates on the real scheduler with a manual clock, through the real endpoint and API. Now is Monday
/// 23 November 2026 10:00 UTC; the first update is due Monday 30 November 09:00 UTC (reminder Sunday 29 09:00,
/// escalation Tuesday 1 December 09:00, the period closes Monday 7 December 09:00).
/// </summary>
public sealed class ProviderUpdateTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Monday10 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Due = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private EscalationTestBed _bed = null!;
    private long _agreement;

    private ManualTimeProvider Clock => _bed.Clock;

    public async Task InitializeAsync() => (_bed, _agreement) = await StartAsync(Monday10);

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task NoUpdate_RemindsBefore_TellsOverdueAtTheDueTime_EscalatesToTheOversightOwners_AndALateUpdateStillCounts()
    {
        var isaiah = await _bed.ChatWithAsync(Cast.Isaiah);
        var alex = await _bed.ChatWithAsync(Cast.Alex);
        var megan = await _bed.ChatWithAsync(Cast.Megan);
        Assert.True(await _bed.AuditAsync() > 0);
        var first = Assert.Single(await _bed.ObligationsAsync(_agreement));
        Assert.Equal((Due, Due.AddDays(7), Due.AddDays(-1), UpdateState.Due), (first.DueAt, first.ClosesAt, first.ReminderAt, first.State));
        Assert.Equal((Due.AddDays(-1), 1L), ((await _bed.ArmedAsync(PlanTimers.UpdateKind, first.Id))!.DueAt, (await _bed.ArmedAsync(PlanTimers.UpdateKind, first.Id))!.FencingToken));

        await _bed.JumpToAsync(Due.AddDays(-1).AddSeconds(1));
        var (_, reminder) = await isaiah.ExpectCardWhileTickingAsync(Clock, c => Says(c, "Update due: Contoso help desk"));
        Assert.True(Says(reminder, "update Contoso help desk <your update>"));

        await _bed.JumpToAsync(Due.AddSeconds(1));
        await isaiah.ExpectCardWhileTickingAsync(Clock, c => Says(c, "Update overdue: Contoso help desk"));

        await _bed.JumpToAsync(Due.AddDays(1).AddSeconds(1));
        var (_, escalation) = await alex.ExpectCardWhileTickingAsync(Clock, c => Says(c, "Provider update overdue: Contoso help desk"));
        Assert.True(Says(escalation, "Isaiah Langer, Pat Provider"));
        await _bed.Bot.WaitForOutboxToSettleAsync();
        Assert.Equal(0, EscalationAgreements.PostsContaining(_bed.Bot.Connector, alex.Id, "Update due"));  // reminders go to the provider only
        Assert.Equal(1, EscalationAgreements.PostsContaining(_bed.Bot.Connector, isaiah.Id, "Update overdue"));

        await alex.SendAsync("digest now");
        var (_, digest) = await alex.ExpectCardAsync(c => Says(c, "Your digest"));
        Assert.True(Says(digest, "Provider updates due (1)") && Says(digest, "Overdue"), TestConversation.Texts(digest));

        await isaiah.SendAsync("update contoso   Mail migration done; **sorry** for the delay.");
        var (_, confirmation) = await isaiah.ExpectCardAsync(c => Says(c, "Update posted late"));
        Assert.True(Says(confirmation, "Next update due"));
        var (_, posted) = await megan.ExpectCardAsync(c => Says(c, "Provider update: Contoso help desk"));
        Assert.True(Says(posted, "Mail migration done; **sorry** for the delay.") && Says(posted, "Isaiah Langer") && Says(posted, "Late"), TestConversation.Texts(posted));

        var rows = await _bed.ObligationsAsync(_agreement);
        Assert.Equal([UpdateState.Late, UpdateState.Due], rows.Select(r => r.State));
        Assert.Equal(Cast.Isaiah.AadObjectId, rows[0].PostedBy);
        Assert.Null(await _bed.ArmedAsync(PlanTimers.UpdateKind, rows[0].Id));
        Assert.Equal(Due.AddDays(6), (await _bed.ArmedAsync(PlanTimers.UpdateKind, rows[1].Id))!.DueAt); // next reminder, Sunday 6 December

        // One update due in the period, posted late: 0 of 1 on time.
        using var kpis = await ApiCalls.GetAsync(_bed.Bot, $"/api/v1/kpis?agreementId={_agreement}&period=30d");
        var cadence = (await ApiCalls.JsonAsync(kpis))["overall"]!["cadenceCompliance"]!;
        Assert.Equal((0.0, 1), (cadence["percent"]!.GetValue<double>(), cadence["count"]!.GetValue<int>()));
        Assert.Contains("0 on time, 1 late", cadence["note"]!.GetValue<string>(), StringComparison.Ordinal);
        using var csv = await ApiCalls.GetAsync(_bed.Bot, $"/api/v1/kpis?agreementId={_agreement}&period=30d&format=csv");
        Assert.Contains(",cadenceCompliance,0.0,percent,1,0,", await csv.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await alex.SendAsync("kpi contoso");
        var (_, kpiCard) = await alex.ExpectCardAsync(c => Says(c, "KPIs · Contoso help desk"));
        Assert.True(Says(kpiCard, "Cadence compliance") && Says(kpiCard, "0.0 %") && Says(kpiCard, "1 counted"), TestConversation.Texts(kpiCard));
    }

    [Fact]
    public async Task AWholePeriodWithoutAnUpdate_IsMissed_TheOwnersAreTold_AndTheNextUpdateIsDueAtOnce()
    {
        var isaiah = await _bed.ChatWithAsync(Cast.Isaiah);
        var alex = await _bed.ChatWithAsync(Cast.Alex);
        await _bed.AuditAsync();

        // The bot sleeps through the reminder, the due time and the escalation: at the close only "missed" is told.
        await _bed.JumpToAsync(Due.AddDays(7).AddSeconds(1));
        await alex.ExpectCardWhileTickingAsync(Clock, c => Says(c, "Provider update missed: Contoso help desk"));
        var (_, overdue) = await isaiah.ExpectCardWhileTickingAsync(Clock, c => Says(c, "Update overdue: Contoso help desk"));
        Assert.True(Says(overdue, "Mon 7 Dec 2026, 04:00"), TestConversation.Texts(overdue)); // the new period's update, due now

        var rows = await _bed.ObligationsAsync(_agreement);
        Assert.Equal([(Due, UpdateState.Missed), (Due.AddDays(7), UpdateState.Due)], rows.Select(r => (r.DueAt, r.State)));
        Assert.Equal((DateTimeOffset?)null, rows[0].EscalatedAt);
        await Clock.TickUntilAsync(async () => (await _bed.ArmedAsync(PlanTimers.UpdateKind, rows[1].Id))?.DueAt == Due.AddDays(8),
            () => "the new obligation's escalation is not armed"); // armed after the overdue notice's commit
        await _bed.Bot.WaitForOutboxToSettleAsync();
        Assert.Equal(0, EscalationAgreements.PostsContaining(_bed.Bot.Connector, alex.Id, "Provider update overdue"));
        Assert.Equal(0, EscalationAgreements.PostsContaining(_bed.Bot.Connector, isaiah.Id, "Update due"));

        // A late duplicate fire of the missed obligation's first timer changes nothing and sends nothing.
        var requests = _bed.Bot.Connector.Requests.Count;
        await using (var scope = _bed.Bot.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredKeyedService<ITimerHandler>(PlanTimers.UpdateKind)
                .HandleAsync(new TimerFire(PlanTimers.UpdateKind, $"{rows[0].Id}", Due.AddDays(-1), 1, Clock.GetUtcNow()), CancellationToken.None);
        await _bed.Bot.WaitForOutboxToSettleAsync();
        Assert.Equal(requests, _bed.Bot.Connector.Requests.Count);
        Assert.Equal(rows[0].Version, (await _bed.ObligationsAsync(_agreement))[0].Version);
    }

    [Fact]
    public async Task AnUpdatePostedOnTime_StopsTheReminders_AndASecondOne_IsSharedButNotCounted()
    {
        var isaiah = await _bed.ChatWithAsync(Cast.Isaiah);
        var megan = await _bed.ChatWithAsync(Cast.Megan);
        await _bed.AuditAsync();
        await _bed.JumpToAsync(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

        await isaiah.SendAsync("update Contoso help desk All backups green.");
        var (_, confirmation) = await isaiah.ExpectCardAsync(c => Says(c, "Update posted on time"));
        Assert.True(Says(confirmation, "Mon 7 Dec 2026, 04:00 (America/New_York)"), TestConversation.Texts(confirmation)); // in Isaiah's own zone
        await megan.ExpectCardAsync(c => Says(c, "All backups green.") && Says(c, "On time"));

        await isaiah.SendAsync("update Contoso One more thing.");
        await isaiah.ExpectCardAsync(c => Says(c, "not counted"));
        await megan.ExpectCardAsync(c => Says(c, "One more thing.") && Says(c, "Additional update"));

        var rows = await _bed.ObligationsAsync(_agreement);
        Assert.Equal([(Due, UpdateState.OnTime), (Due.AddDays(7), UpdateState.Due)], rows.Select(r => (r.DueAt, r.State)));
        Assert.Null(await _bed.ArmedAsync(PlanTimers.UpdateKind, rows[0].Id));

        // Past the first due time and its escalation: nothing is armed before the next reminder, and nobody was told anything.
        await _bed.JumpToAsync(Due.AddDays(1).AddSeconds(1));
        Assert.Equal(Due.AddDays(6), (await _bed.ArmedAsync(PlanTimers.UpdateKind, rows[1].Id))!.DueAt);
        await _bed.Bot.WaitForOutboxToSettleAsync();
        Assert.Equal(0, EscalationAgreements.PostsContaining(_bed.Bot.Connector, isaiah.Id, "Update overdue"));
        Assert.Equal(0, EscalationAgreements.PostsContaining(_bed.Bot.Connector, isaiah.Id, "Update due"));
    }

    [Fact]
    public async Task UpdateCommand_AnswersWithTheUsage_ForBadInput_AndRefusesOutsiders_ChangingNothing()
    {
        var isaiah = await _bed.ChatWithAsync(Cast.Isaiah);
        var patti = await _bed.ChatWithAsync(Cast.Patti);
        await _bed.AuditAsync();

        async Task<string> Reply(TestConversation chat, string text)
        {
            await chat.SendAsync(text);
            return TestConversation.Texts((await chat.ExpectCardAsync()).Card);
        }

        Assert.Contains("Which agreement, and what is the update?", await Reply(isaiah, "update"), StringComparison.Ordinal);
        var unknown = await Reply(isaiah, "update Fabrikam all good");
        Assert.Contains("No active agreement is called 'Fabrikam'", unknown, StringComparison.Ordinal);
        Assert.Contains("update <agreement> <text>", unknown, StringComparison.Ordinal);
        Assert.Contains("Write the update after the agreement's name.", await Reply(isaiah, "update Contoso help desk"), StringComparison.Ordinal);
        Assert.Contains($"at most {UpdateObligation.MaxTextLength} characters", await Reply(isaiah, "update Contoso " + new string('x', UpdateObligation.MaxTextLength + 1)), StringComparison.Ordinal);
        Assert.Contains("Only the provider's points of contact, our points of contact and the oversight owners", await Reply(patti, "update Contoso All fine."), StringComparison.Ordinal);

        var only = Assert.Single(await _bed.ObligationsAsync(_agreement));
        Assert.Equal((UpdateState.Due, 1L), (only.State, only.Version));
    }

    [Fact]
    public async Task Api_ListsTheObligationsWithTheirState_PostsAsTheKey_AndRefusesBadInput()
    {
        var path = $"/api/v1/agreements/{_agreement}/updates";
        using (var empty = await ApiCalls.PostAsync(_bed.Bot, path, new JsonObject { ["text"] = "  " }))
        {
            var problem = await ApiCalls.JsonAsync(empty, HttpStatusCode.BadRequest);
            Assert.Contains("empty", problem["errors"]!["text"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        }

        using (var reader = await ApiCalls.PostAsync(_bed.Bot, path, new JsonObject { ["text"] = "From a reader." }, ApiTestKeys.Reader))
            Assert.Equal(HttpStatusCode.Forbidden, reader.StatusCode);
        using (var missing = await ApiCalls.PostAsync(_bed.Bot, "/api/v1/agreements/9999/updates", new JsonObject { ["text"] = "Hello." }))
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Empty(await _bed.ObligationsAsync(_agreement));

        using (var posted = await ApiCalls.PostAsync(_bed.Bot, path, new JsonObject { ["text"] = "Weekly report: 3 tickets closed." }))
        {
            var json = await ApiCalls.JsonAsync(posted, HttpStatusCode.Created);
            Assert.Equal(("OnTime", "api:erp", Due), (json["counted"]!["state"]!.GetValue<string>(), json["counted"]!["postedBy"]!.GetValue<string>(), json["counted"]!["dueAt"]!.GetValue<DateTimeOffset>()));
            Assert.Equal(Due.AddDays(7), json["nextDueAt"]!.GetValue<DateTimeOffset>());
            Assert.Contains("nobody has installed the bot", json["deliveryProblem"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        using var list = await ApiCalls.GetAsync(_bed.Bot, path);
        var items = (await ApiCalls.JsonAsync(list))["items"]!.AsArray();
        Assert.Equal(["Due", "OnTime"], items.Select(i => i!["state"]!.GetValue<string>()));
        Assert.Equal("Weekly report: 3 tickets closed.", items[1]!["text"]!.GetValue<string>());
        using (var unknown = await ApiCalls.GetAsync(_bed.Bot, "/api/v1/agreements/9999/updates"))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        using var openApi = await ApiCalls.GetAsync(_bed.Bot, "/openapi/v1.json");
        var document = (await ApiCalls.JsonAsync(openApi)).ToJsonString();
        Assert.Contains("ListProviderUpdates", document, StringComparison.Ordinal);
        Assert.Contains("PostProviderUpdate", document, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAgreementThatStopsBeingActive_CancelsItsOpenObligation_AndItsTimerStops()
    {
        await _bed.AuditAsync();
        var first = Assert.Single(await _bed.ObligationsAsync(_agreement));
        await using (var db = _bed.Bot.CreateDbContext())
        {
            var agreement = await db.Agreements.SingleAsync(a => a.Id == _agreement);
            agreement.Terminate("Provider went out of business.", new PersonId(Cast.Alex.AadObjectId), Clock.GetUtcNow());
            await db.SaveChangesAsync();
        }

        // The reminder fires first: the handler ends the obligation instead of reminding anyone.
        await _bed.JumpToAsync(Due.AddDays(-1).AddSeconds(1));
        await Clock.TickUntilAsync(async () => (await _bed.ObligationsAsync(_agreement))[0].State != UpdateState.Due
            && await _bed.ArmedAsync(PlanTimers.UpdateKind, first.Id) is null, () => "the obligation is still due, or its timer armed");
        Assert.Equal(UpdateState.Cancelled, Assert.Single(await _bed.ObligationsAsync(_agreement)).State);
        Assert.Equal(0, await _bed.AuditAsync());
    }
}
