using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Calendars;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Escalations;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.IntegrationTests.Storage;
using ApprovalBot.Scheduling;
using ApprovalBot.TestSupport;
using ApprovalBot.TestSupport.Connector;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalBot.IntegrationTests.Escalations;

/// <summary>
/// The agreement the escalation timer tests run against: Active, every priority around the clock in UTC (so business
/// time is wall time), L1 Adele, L2 Isaiah, L3 Lynne; P1 answered within <c>p1Response</c> (15 min unless told) and
/// resolved within 4 h, P2 within 1 h and 8 h. <c>l1ChannelId</c>: L1 also has that Teams channel. <c>plan</c>: its
/// communication plan instead of the sample's (whose contacts have no Teams id but Alice). <c>dataProtection</c>: its
/// data-protection terms instead of the sample's.
/// </summary>
internal static class EscalationAgreements
{
    public static async Task<long> ActiveAsync(ITestDatabase database, DateTimeOffset now, IReadOnlyList<TestUser> oversightOwners, TimeSpan? p1Response = null, string name = "Contoso help desk", string? l1ChannelId = null,
        CommunicationPlan? plan = null, DataProtectionTerms? dataProtection = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        var level = (SupportLevel l, TestUser who, string? channel) => new EscalationLevel(l, new EscalationContacts([new PersonId(who.AadObjectId)], channel), l.ToString());
        var terms = SampleTerms.CompleteAt(now) with
        {
            OversightOwners = [.. oversightOwners.Select(o => new PersonId(o.AadObjectId))],
            ServiceLevels = new ServiceLevelTargets([
                new PriorityTarget(Priority.P1, p1Response ?? TimeSpan.FromMinutes(15), TimeSpan.FromHours(4), aroundTheClock: true),
                new PriorityTarget(Priority.P2, TimeSpan.FromHours(1), TimeSpan.FromHours(8), aroundTheClock: true),
                new PriorityTarget(Priority.P3, TimeSpan.FromHours(4), TimeSpan.FromDays(2), aroundTheClock: true),
                new PriorityTarget(Priority.P4, TimeSpan.FromHours(8), TimeSpan.FromDays(5), aroundTheClock: true)]),
            Escalation = new EscalationProcedure([level(SupportLevel.L1, Cast.Adele, l1ChannelId), level(SupportLevel.L2, Cast.Isaiah, null), level(SupportLevel.L3, Cast.Lynne, null)]),
        };
        if (plan is not null) terms = terms with { CommunicationPlan = plan };
        if (dataProtection is not null) terms = terms with { DataProtection = dataProtection };
        var directory = TestDirectory.Standard();
        var calendar = BusinessCalendar.TwentyFourSeven("UTC");
        var agreement = Agreement.CreateDraft(name, terms, People.Alice, now.AddDays(-10));
        var request = await AgreementApproval.SubmitAsync(agreement, BuiltInFlows.Agreement(), People.Alice, null, directory, calendar, now.AddDays(-9));
        foreach (var approver in new[] { People.Bob, People.Lena, People.Mia })
        {
            (await request.ApproveAsync(approver, request.CurrentCard, null, directory, calendar, now.AddDays(-8))).ThrowIfRefused();
            agreement.ApplyApprovalOutcome(request, now.AddDays(-8));
        }
        Assert.Equal(AgreementStatus.Active, agreement.Status);
        await using var db = database.CreateContext();
        db.Agreements.Add(agreement);
        await db.SaveChangesAsync();
        return agreement.Id;
    }

    /// <summary>The agreement <see cref="ActiveAsync"/> stores, built in memory only (id 0), for tests that store it their own way.</summary>
    public static async Task<Agreement> BuildActiveAsync(DateTimeOffset now, IReadOnlyList<TestUser> oversightOwners)
    {
        await using var database = await new SqliteTestDatabases().CreateDatabaseAsync();
        await using (var migrating = database.CreateContext())
            await migrating.Database.MigrateAsync();
        var id = await ActiveAsync(database, now, oversightOwners);
        await using var db = database.CreateContext();
        return await db.Agreements.AsNoTracking().SingleAsync(a => a.Id == id);
    }

    /// <summary>The posts in a conversation whose first version (the card as posted, with its headline) contains <paramref name="text"/>.</summary>
    public static int PostsContaining(FakeConnector connector, string conversationId, string text) =>
        connector.GetMessages(conversationId).Count(m => TestConversation.Texts(TestConversation.CardOf(m.Versions[0])).Contains(text, StringComparison.Ordinal));
}

/// <summary>
/// The in-process bot (real endpoint, real Quartz on its database) on a manual clock, with what the escalation timer
/// tests do to it: open, act through <see cref="ActOnEscalation"/>, read back, read the armed trigger, move the clock.
/// </summary>
internal sealed class EscalationTestBed(BotTestHost bot, ManualTimeProvider clock) : IAsyncDisposable
{
    public BotTestHost Bot { get; } = bot;

    public ManualTimeProvider Clock { get; } = clock;

    public static async Task<EscalationTestBed> StartAsync(ITestDatabase database, DateTimeOffset now, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var clock = new ManualTimeProvider(now);
        return new EscalationTestBed(await BotTestHost.StartAsync(new BotTestHostOptions
        {
            Database = database,
            Time = clock,
            Settings = settings ?? new Dictionary<string, string?>(),
        }), clock);
    }

    public Task<long> ActiveAgreementAsync(params TestUser[] oversightOwners) =>
        EscalationAgreements.ActiveAsync(Bot.Database, Clock.GetUtcNow(), oversightOwners);

    /// <summary>A 1:1 chat with the bot installed (its welcome card read).</summary>
    public Task<TestConversation> ChatWithAsync(TestUser user) => EscalationSetup.ChatWithAsync(Bot, user);

    public Task<Escalation> OpenAsync(long agreementId, Priority priority, string title, TestUser reporter) =>
        EscalationSetup.OpenAsync(Bot, agreementId, title, reporter, priority);

    /// <summary>Acts through the one use case; fails the test if the action is refused.</summary>
    public async Task<Escalation> ActAsync(long id, TestUser actor, EscalationAction action, string? text = null, int? score = null, int? resolution = null)
    {
        await using var scope = Bot.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ActOnEscalation>().HandleAsync(
            new ActOnEscalationInput(id, new PersonId(actor.AadObjectId), false, action, text, Score: score, Resolution: resolution), CancellationToken.None);
        Assert.Null(result.Refusal);
        return result.Escalation!;
    }

    public Task<Escalation> LoadAsync(long id) => EscalationSetup.LoadAsync(Bot, id);

    public Task<ArmedTimer?> ArmedAsync(long id) =>
        Bot.Services.GetRequiredService<DurableTimers>().GetArmedAsync(EscalationTimers.Kind, $"{id}", CancellationToken.None);

    /// <summary>Lets the outbox finish (a send in flight must not outlive its claim when the clock jumps), then jumps.</summary>
    public async Task JumpToAsync(DateTimeOffset instant)
    {
        await Bot.WaitForOutboxToSettleAsync();
        Clock.SetUtcNow(instant);
    }

    /// <summary>Ticks the clock a second at a time until the stored escalation satisfies <paramref name="condition"/>.</summary>
    public async Task<Escalation> WaitWhileTickingAsync(long id, Func<Escalation, bool> condition, int maxTicks = 120)
    {
        Escalation escalation = null!;
        await Clock.TickUntilAsync(async () => condition(escalation = await LoadAsync(id)),
            () => $"escalation {id} is {escalation.State} at {escalation.Level}, version {escalation.Version}", maxTicks);
        return escalation;
    }

    /// <summary>
    /// Nothing can fire for escalation <paramref name="id"/> at the current time: no timer is armed for it, or the armed
    /// one is due later. This, not waiting, is what proves that a deadline does not fire: the scheduler fires only what
    /// is armed and due.
    /// </summary>
    public async Task AssertNothingDueAsync(long id) => Assert.True(await NothingDueAsync(id), $"Escalation {id} has a timer due at {(await ArmedAsync(id))?.DueAt:o}, not after {Clock.GetUtcNow():o}.");

    /// <summary>Ticks the clock until every timer of escalation <paramref name="id"/> that was due has fired and been handled.</summary>
    public Task WaitUntilNothingDueAsync(long id) =>
        Clock.TickUntilAsync(() => NothingDueAsync(id), () => $"escalation {id} still has a timer due");

    private async Task<bool> NothingDueAsync(long id)
    {
        await Bot.WaitForOutboxToSettleAsync();
        var armed = await ArmedAsync(id);
        return armed is null || armed.DueAt > Clock.GetUtcNow();
    }

    public async ValueTask DisposeAsync()
    {
        var database = Bot.Database;
        await Bot.DisposeAsync();
        await database.DisposeAsync();
    }
}
