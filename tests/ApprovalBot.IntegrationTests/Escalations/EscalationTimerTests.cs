using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Escalations;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Scheduling;
using ApprovalBot.TestSupport;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalBot.IntegrationTests.Escalations;

/// <summary>
/// An escalation's deadlines on the real scheduler (Quartz on the bot's database) with a manual clock: L1 → L2 → L3
/// on missed acknowledgements, the 50 % resolution warning, every copy of the card updated in place, a stale fire
/// harmless, and the auditor re-arming a deleted trigger.
/// </summary>
public sealed class EscalationTimerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Monday10 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _clock = new(Monday10);
    private BotTestHost _bot = null!;

    public async Task InitializeAsync() =>
        _bot = await BotTestHost.StartAsync(new BotTestHostOptions { Database = await new SqliteTestDatabases().CreateDatabaseAsync(), Time = _clock });

    public async Task DisposeAsync()
    {
        var database = _bot.Database;
        await _bot.DisposeAsync();
        await database.DisposeAsync();
    }

    private Task<long> ActiveAgreementAsync(string name = "Contoso help desk") => EscalationSetup.ActiveAgreementAsync(_bot, Monday10, name);

    private Task<TestConversation> ChatWithAsync(TestUser user) => EscalationSetup.ChatWithAsync(_bot, user);

    private Task<Escalation> LoadAsync(long id) => EscalationSetup.LoadAsync(_bot, id);

    [Fact]
    public async Task MissedAcknowledgements_ClimbL1L2L3_ThenTheResolutionWarning_EachOnce_WithEveryCopyUpdated()
    {
        var agreementId = await ActiveAgreementAsync();
        var adele = await ChatWithAsync(Cast.Adele);
        var isaiah = await ChatWithAsync(Cast.Isaiah);
        var lynne = await ChatWithAsync(Cast.Lynne);

        Escalation opened;
        await using (var scope = _bot.Services.CreateAsyncScope())
            opened = await scope.ServiceProvider.GetRequiredService<OpenEscalation>().HandleAsync(
                new OpenEscalationInput(agreementId, Priority.P2, "Mail server down", "Nobody receives e-mail.", new PersonId(Cast.Alex.AadObjectId)), CancellationToken.None);
        var (l1Copy, l1Card) = await adele.ExpectCardAsync();
        Assert.Contains("Mail server down", TestConversation.Texts(l1Card), StringComparison.Ordinal);
        var armed = await _bot.Services.GetRequiredService<DurableTimers>().GetArmedAsync(EscalationTimers.Kind, $"{opened.Id}", CancellationToken.None);
        Assert.Equal(Monday10.AddHours(1), armed!.DueAt);

        await _bot.WaitForOutboxToSettleAsync(); // a send in flight must not outlive its claim when the clock jumps

        _clock.SetUtcNow(Monday10.AddHours(1).AddSeconds(1));
        var (_, l2Card) = await isaiah.ExpectCardWhileTickingAsync(_clock);
        Assert.Contains("Raised to L2", TestConversation.Texts(l2Card), StringComparison.Ordinal);

        await _bot.WaitForOutboxToSettleAsync(); // a send in flight must not outlive its claim when the clock jumps

        _clock.SetUtcNow(Monday10.AddHours(2).AddSeconds(1));
        var (_, l3Card) = await lynne.ExpectCardWhileTickingAsync(_clock);
        Assert.Contains("Raised to L3", TestConversation.Texts(l3Card), StringComparison.Ordinal);

        // By 14:00 L3's own response deadline (13:00) passed too, and half the resolution time is used: both are told.
        await _bot.WaitForOutboxToSettleAsync(); // a send in flight must not outlive its claim when the clock jumps
        _clock.SetUtcNow(Monday10.AddHours(4).AddSeconds(1));
        await lynne.ExpectCardWhileTickingAsync(_clock, c => TestConversation.Texts(c).Contains("50 %", StringComparison.Ordinal));
        await _bot.WaitForOutboxToSettleAsync();

        var escalation = await LoadAsync(opened.Id);
        Assert.Equal(SupportLevel.L3, escalation.Level);
        Assert.Equal(2, escalation.Timeline.Count(e => e.Kind == EscalationEventKind.LevelRaised));
        Assert.Single(escalation.Timeline, e => e.Kind == EscalationEventKind.ResolutionWarning && e.Percent == 50);
        Assert.Single(escalation.Timeline, e => e.Kind == EscalationEventKind.ResponseBreached);
        Assert.Equal(Monday10.AddHours(1), escalation.Timeline.First(e => e.Kind == EscalationEventKind.LevelRaised).At);
        Assert.True(_bot.Connector.GetMessage(adele.Id, l1Copy.ActivityId)!.Versions.Count > 1, "L1's card was not updated in place.");

        // A late duplicate fire with an old token changes nothing and sends nothing.
        var requests = _bot.Connector.Requests.Count;
        await using (var scope = _bot.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredKeyedService<ITimerHandler>(EscalationTimers.Kind)
                .HandleAsync(new TimerFire(EscalationTimers.Kind, $"{opened.Id}", Monday10.AddHours(1), opened.Version, _clock.GetUtcNow()), CancellationToken.None);
        await _bot.WaitForOutboxToSettleAsync();
        Assert.Equal(escalation.Version, (await LoadAsync(opened.Id)).Version);
        Assert.Equal(requests, _bot.Connector.Requests.Count);
    }

    [Fact]
    public async Task Auditor_RearmsADeletedTrigger_AndLeavesLiveOnesAlone()
    {
        var agreementId = await ActiveAgreementAsync();
        Escalation opened;
        await using (var scope = _bot.Services.CreateAsyncScope())
            opened = await scope.ServiceProvider.GetRequiredService<OpenEscalation>().HandleAsync(
                new OpenEscalationInput(agreementId, Priority.P2, "VPN flaky", null, new PersonId(Cast.Alex.AadObjectId)), CancellationToken.None);
        var timers = _bot.Services.GetRequiredService<DurableTimers>();
        var auditor = _bot.Services.GetRequiredService<EscalationTimerAuditor>();

        Assert.Equal(0, await auditor.AuditAsync(CancellationToken.None));
        Assert.True(await timers.CancelAsync(EscalationTimers.Kind, $"{opened.Id}", CancellationToken.None));
        Assert.Equal(1, await auditor.AuditAsync(CancellationToken.None));
        var armed = await timers.GetArmedAsync(EscalationTimers.Kind, $"{opened.Id}", CancellationToken.None);
        Assert.Equal((Monday10.AddHours(1), opened.Version), (armed!.DueAt, armed.FencingToken));
    }

    [Fact]
    public async Task CardActions_AcknowledgeAndResolve_ByAContact_RePlanTheTimer_AndAnOutsiderIsRefused()
    {
        var agreementId = await ActiveAgreementAsync();
        var adele = await ChatWithAsync(Cast.Adele);
        var patti = await ChatWithAsync(Cast.Patti);
        Escalation opened;
        await using (var scope = _bot.Services.CreateAsyncScope())
            opened = await scope.ServiceProvider.GetRequiredService<OpenEscalation>().HandleAsync(
                new OpenEscalationInput(agreementId, Priority.P2, "Printer fleet offline", null, new PersonId(Cast.Alex.AadObjectId)), CancellationToken.None);
        var (copy, card) = await adele.ExpectCardAsync();
        Assert.Contains(Cards.Verbs(card), v => v == "escalation.acknowledge");

        // Patti takes no part: her replay of the button is refused and changes nothing.
        var refused = await patti.ClickAsync(copy.ActivityId, "escalation.acknowledge", Cards.Click(card, "escalation.acknowledge"));
        Assert.Contains("may not act", TestConversation.Texts(refused.Card), StringComparison.Ordinal);
        Assert.Equal(EscalationState.Open, (await LoadAsync(opened.Id)).State);

        var acknowledged = await adele.ClickAsync(copy.ActivityId, "escalation.acknowledge", Cards.Click(card, "escalation.acknowledge"));
        Assert.DoesNotContain("escalation.acknowledge", Cards.Verbs(acknowledged.Card));
        var timers = _bot.Services.GetRequiredService<DurableTimers>();
        Assert.Equal(Monday10.AddHours(4), (await timers.GetArmedAsync(EscalationTimers.Kind, $"{opened.Id}", CancellationToken.None))!.DueAt); // the 50 % warning

        var missingNote = await adele.ClickAsync(copy.ActivityId, "escalation.resolve", Cards.Click(acknowledged.Card, "escalation.resolve"));
        Assert.Equal(EscalationState.Acknowledged, (await LoadAsync(opened.Id)).State);
        Assert.NotNull(missingNote.Card);

        var data = Cards.Click(acknowledged.Card, "escalation.resolve");
        data["note"] = "Replaced the print server's certificate.";
        var resolved = await adele.ClickAsync(copy.ActivityId, "escalation.resolve", data);
        Assert.Contains("Resolved", TestConversation.Texts(resolved.Card), StringComparison.Ordinal);
        Assert.Equal(EscalationState.Resolved, (await LoadAsync(opened.Id)).State);
        // What is armed now is the automatic close at the end of the reopen window.
        Assert.Equal(Monday10.AddDays(7), (await timers.GetArmedAsync(EscalationTimers.Kind, $"{opened.Id}", CancellationToken.None))!.DueAt);
        await _bot.WaitForOutboxToSettleAsync();
        Assert.True(_bot.Connector.GetMessage(adele.Id, copy.ActivityId)!.Versions.Count > 1, "The posted card was not updated in place.");
    }

    [Fact]
    public async Task EscalateCommand_OpensAgainstAForgivinglyNamedAgreement_AndRaisesALevelByHand()
    {
        await ActiveAgreementAsync("Contoso help desk");
        await ActiveAgreementAsync("Contoso network");
        var alex = await ChatWithAsync(Cast.Alex);
        var adele = await ChatWithAsync(Cast.Adele);
        var isaiah = await ChatWithAsync(Cast.Isaiah);

        await alex.SendAsync("escalate contoso P2 Mail server down");
        var (_, ambiguous) = await alex.ExpectCardAsync();
        Assert.Contains("Contoso help desk, Contoso network", TestConversation.Texts(ambiguous), StringComparison.Ordinal);

        await alex.SendAsync("escalate contoso help P9 Mail server down");
        var (_, usage) = await alex.ExpectCardAsync();
        Assert.Contains("escalate <agreement> <P1-P4> <title>", TestConversation.Texts(usage), StringComparison.Ordinal);

        await alex.SendAsync("escalate contoso help p2 Mail server down");
        var (_, opened) = await alex.ExpectCardAsync();
        Assert.Contains("Opened E-", TestConversation.Texts(opened), StringComparison.Ordinal);
        await adele.ExpectCardAsync();
        long id;
        await using (var db = _bot.CreateDbContext())
        {
            var escalation = await db.Escalations.AsNoTracking().SingleAsync();
            Assert.Equal(("Mail server down", Priority.P2, "Contoso help desk"), (escalation.Title, escalation.Priority, escalation.Policy.AgreementName));
            id = escalation.Id;
        }

        await alex.SendAsync($"escalate E-{id} The whole office is down");
        var (_, raised) = await alex.ExpectCardAsync();
        Assert.Contains("Escalated to L2", TestConversation.Texts(raised), StringComparison.Ordinal);
        await isaiah.ExpectCardAsync();
        var after = await LoadAsync(id);
        Assert.Equal(SupportLevel.L2, after.Level);
        Assert.Contains(after.Timeline, e => e.Kind == EscalationEventKind.LevelRaised && e.Reason == "The whole office is down");
    }
}
