using System.Globalization;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Escalations;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Escalations;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.IntegrationTests.Scheduling;
using ApprovalBot.Teams.Outbox;
using ApprovalBot.TestSupport.Connector;
using ApprovalBot.TestSupport.Processes;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;
using static ApprovalBot.IntegrationTests.Faults.LocalModeChats;
using Stopwatch = System.Diagnostics.Stopwatch;

namespace ApprovalBot.IntegrationTests.Faults;

/// <summary>
/// The issue's first fault test: three real bot processes on one PostgreSQL database (Quartz clustered, each instance
/// with its own id, a short cluster check-in), one shared fake connector, five P1 escalations whose response deadlines
/// (L1 → L2, L2 → L3, L3 → breach) fall while the test runs. The instance that holds a timer it is about to fire is
/// SIGKILLed, another is stopped and started again; afterwards every deadline produced exactly one step and one
/// notification per recipient, and the killed instance's timer was taken over within the cluster check-in time.
/// <para>
/// Child processes cannot share the test's manual clock, so this runs on the real clock, as
/// <see cref="EscalationRestartTests"/> does: a 12 s response target, escalations opened 1.5 s apart so that no two
/// deadlines fall together (the kill then cannot catch another deadline's messages mid-send: a claim of a killed instance
/// lapses only after <c>Outbox:ClaimTimeout</c>, at least a minute; the kill also waits for an empty outbox). The
/// deadlines themselves and that spacing are the only real-time waits; everything else waits on a condition in the
/// database, the Quartz tables or the connector, with a timeout. About 40 s of the test's wall time are the deadlines
/// (three response targets after the last opening); the rest is starting four processes.
/// </para>
/// </summary>
[Collection(BotProcessCollection.Name)]
public sealed class ClusterEscalationFaultTests(PostgresServerFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresServerFixture>
{
    private const int Escalations = 5;
    private static readonly TimeSpan ResponseTarget = TimeSpan.FromSeconds(12);
    private static readonly TimeSpan OpenSpacing = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan IdleWaitTime = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan CheckinInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan CheckinMisfireThreshold = TimeSpan.FromSeconds(5);
    private const string Breached = "Nobody acknowledged it, L3 included";

    [Fact]
    public async Task EveryDeadline_EscalatesOnceAndNotifiesEachRecipientOnce_WhenOneOfThreeInstancesIsKilledAndAnotherRestarted()
    {
        var clock = Stopwatch.StartNew();
        await using var database = await postgres.CreateDatabaseAsync();
        await using var connector = await FakeConnector.StartAsync();
        var store = new QuartzStore(database);

        // Started one after another, so that each one's scheduler instance id is known (the one that appears).
        var instances = new Dictionary<string, BotProcess>(StringComparer.Ordinal);
        var bots = new List<BotProcess>();
        try
        {
            foreach (var name in new[] { "a", "b", "c" })
                bots.Add(await StartAsync(database, store, name, instances));

            await EscalationAgreements.ActiveAsync(database, await store.GetNowAsync(), [Cast.Megan], ResponseTarget);
            TestUser[] people = [Cast.Alex, Cast.Adele, Cast.Isaiah, Cast.Lynne, Cast.Megan];
            for (var i = 0; i < people.Length; i++)
            {
                using var http = bots[i % bots.Count].CreateClient();
                await InstallAsync(http, connector, people[i]);
            }

            // Alex opens the escalations, each through another instance, 1.5 s apart.
            var opened = new List<(long Id, string Title, DateTimeOffset OpenedAt)>();
            for (var k = 0; k < Escalations; k++)
            {
                if (k > 0) await store.WaitUntilAsync(opened[^1].OpenedAt + OpenSpacing, TimeSpan.FromSeconds(10));
                var title = $"Fault{k} mail server down";
                using (var http = bots[k % bots.Count].CreateClient())
                    await PostAsync(http, Message(connector, Cast.Alex, $"escalate contoso P1 {title}"));
                await using var db = database.CreateContext();
                var escalation = await db.Escalations.AsNoTracking().SingleAsync(e => e.Title == title);
                opened.Add((escalation.Id, title, escalation.OpenedAt));
                output.WriteLine($"opened escalation {escalation.Id} at {escalation.OpenedAt:o} ({clock.Elapsed.TotalSeconds:0.0} s into the test)");
            }

            // SIGKILL the instance that holds an escalation timer it is about to fire, at a moment when no message is
            // waiting to be sent (so the kill strands a timer, not an outbox claim).
            var (victim, held, killedAt) = await KillAHolderAsync(database, store, instances, opened[^1].OpenedAt + 2 * ResponseTarget);
            output.WriteLine($"killed {victim} holding escalation {held.Subject} due {held.DueAt:o}, {(held.DueAt - killedAt).TotalMilliseconds:0} ms before it");

            // Stop another one gracefully and start it again while the deadlines go on.
            var restarted = bots.First(b => b != victim && !b.HasExited);
            await restarted.StopAsync();
            bots.Add(await StartAsync(database, store, restarted.Name + " (restarted)", instances));

            // Wait for the last breach and for every message to be sent.
            var lastBreach = opened[^1].OpenedAt + 3 * ResponseTarget;
            await WaitForAsync(async () =>
            {
                await using var db = database.CreateContext();
                var breached = await db.Escalations.AsNoTracking().CountAsync(e => e.ResponseBreachedAt != null);
                return breached == Escalations && !await db.OutboxMessages.AnyAsync(m => m.Status == OutboxStatus.Pending);
            }, () => "every escalation breached and the outbox empty", lastBreach - await store.GetNowAsync() + TimeSpan.FromSeconds(30));
            var survivors = bots.Where(b => !b.HasExited).ToList();
            await Task.WhenAll(survivors.Select(b => b.StopAsync()));
            var fires = bots.Where(b => b != victim).SelectMany(b => b.Lines).Select(TimerFireLog.TryParse).OfType<TimerFireLog>().ToList();
            output.WriteLine($"test took {clock.Elapsed.TotalSeconds:0.0} s; starts: {string.Join(", ", bots.Select(b => $"{b.Name} {b.StartupTime.TotalMilliseconds:0} ms"))}");

            // The killed instance's timer was taken over by a survivor within the cluster check-in time: at most one
            // check-in interval for the survivor to look, the misfire threshold, and a poll.
            var takeover = Assert.Single(fires, f => f.Kind == EscalationTimers.Kind && f.Subject == held.Subject && f.DueAt == TimerFireLog.ToMilliseconds(held.DueAt));
            var takenOverAfter = held.DueAt + TimeSpan.FromMilliseconds(takeover.LatenessMs) - killedAt;
            var bound = CheckinMisfireThreshold + 2 * CheckinInterval + 2 * IdleWaitTime;
            output.WriteLine($"escalation {held.Subject}'s timer fired {takenOverAfter.TotalMilliseconds:0} ms after the kill ({takeover.LatenessMs:0} ms late); bound {bound.TotalSeconds} s");
            Assert.True(takenOverAfter <= bound, $"The killed instance's timer fired {takenOverAfter.TotalSeconds:0.0} s after the kill; the cluster should take it over within {bound.TotalSeconds} s.");
            Assert.Empty(TimerFireLog.For(victim.Lines, EscalationTimers.Kind, held.Subject, held.DueAt));

            await using (var db = database.CreateContext())
            {
                foreach (var (id, title, openedAt) in opened)
                {
                    var escalation = await db.Escalations.AsNoTracking().SingleAsync(e => e.Id == id);
                    // One step per deadline, each stamped with its deadline.
                    Assert.Equal(
                        [(EscalationEventKind.LevelRaised, SupportLevel.L2, openedAt + ResponseTarget),
                         (EscalationEventKind.LevelRaised, SupportLevel.L3, openedAt + 2 * ResponseTarget),
                         (EscalationEventKind.ResponseBreached, SupportLevel.L3, openedAt + 3 * ResponseTarget)],
                        escalation.Timeline.Where(e => e.Kind is EscalationEventKind.LevelRaised or EscalationEventKind.ResponseBreached)
                            .Select(e => (e.Kind, e.Level, e.At)));
                    // One notification per recipient and deadline, delivered once.
                    Assert.Equal(1, Posts(connector, Cast.Adele, title, "P1"));
                    Assert.Equal(1, Posts(connector, Cast.Isaiah, title, "Raised to L2"));
                    Assert.Equal(1, Posts(connector, Cast.Lynne, title, "Raised to L3"));
                    Assert.Equal(1, Posts(connector, Cast.Lynne, title, Breached));
                    Assert.Equal(1, Posts(connector, Cast.Megan, title, Breached));
                }

                // Nothing was sent twice: every post the connector holds is one sent outbox message, and every card update
                // it accepted is one sent update.
                var outbox = await db.OutboxMessages.AsNoTracking().ToListAsync();
                Assert.All(outbox, m => Assert.Equal(OutboxStatus.Sent, m.Status));
                var posts = connector.ConversationIds.SelectMany(connector.GetMessages).ToList();
                Assert.Equal(
                    outbox.Where(m => m.Operation != OutboxOperation.Update).Select(m => (m.ConversationId, m.SentActivityId)).Order(),
                    posts.Select(p => ((string?)p.ConversationId, (string?)p.ActivityId)).Order());
                var updates = connector.Requests.Count(r => r.Operation == FakeOperation.UpdateActivity && r.ResponseStatus is >= 200 and < 300);
                Assert.Equal(outbox.Count(m => m.Operation == OutboxOperation.Update), updates);
            }
        }
        finally
        {
            foreach (var bot in bots)
                await bot.DisposeAsync();
        }
    }

    private async Task<BotProcess> StartAsync(ITestDatabase database, QuartzStore store, string name, Dictionary<string, BotProcess> instances)
    {
        var before = instances.Count == 0 ? [] : await store.GetInstancesAsync(); // the first start provisions Quartz's tables
        var bot = await BotProcess.StartAsync(new BotProcessOptions { Name = name, Output = output.WriteLine }
            .With(database.HostSettings())
            .With("Scheduling:IdleWaitTime", IdleWaitTime.ToString("c"))
            .With("Scheduling:ClusterCheckinInterval", CheckinInterval.ToString("c"))
            .With("Scheduling:ClusterCheckinMisfireThreshold", CheckinMisfireThreshold.ToString("c"))
            .With("Outbox:PollInterval", "00:00:00.200"));
        var added = (await store.GetInstancesAsync()).Except(before).ToList();
        Assert.True(added.Count == 1, $"{name} should have checked in as one new scheduler instance; new: [{string.Join(", ", added)}], before: [{string.Join(", ", before)}]");
        instances[added[0]] = bot;
        return bot;
    }

    /// <summary>
    /// Polls until an instance has acquired an escalation timer due at least 100 ms ahead while nothing waits in the
    /// outbox, then SIGKILLs that instance. Returns it, the timer and the database time just before the kill.
    /// </summary>
    private static async Task<(BotProcess Victim, AcquiredTrigger Held, DateTimeOffset KilledAt)> KillAHolderAsync(
        ITestDatabase database, QuartzStore store, Dictionary<string, BotProcess> instances, DateTimeOffset giveUpAt)
    {
        while (true)
        {
            var now = await store.GetNowAsync();
            Assert.True(now < giveUpAt, "No instance was seen holding an escalation timer before its deadline; nothing to kill.");
            foreach (var held in await store.GetAcquiredAsync(EscalationTimers.Kind))
            {
                if (held.DueAt - now < TimeSpan.FromMilliseconds(100) || !instances.TryGetValue(held.Instance, out var victim)) continue;
                await using (var db = database.CreateContext())
                {
                    if (await db.OutboxMessages.AnyAsync(m => m.Status == OutboxStatus.Pending)) break;
                }
                var killedAt = await store.GetNowAsync();
                victim.KillHard();
                // The proof that it died holding the timer: the store still says it acquired it and has not fired it.
                Assert.True((await store.GetAcquiredAsync(EscalationTimers.Kind)).Contains(held),
                    $"Precondition: {victim} must die before firing the timer it held (escalation {held.Subject}, due {held.DueAt:o}); this machine was too slow to kill it in time.");
                return (victim, held, killedAt);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }

    /// <summary>Posts in <paramref name="user"/>'s chat whose first version names the escalation and says <paramref name="text"/>.</summary>
    private static int Posts(FakeConnector connector, TestUser user, string title, string text) =>
        connector.GetMessages(ChatOf(user)).Count(m => TestConversation.Texts(TestConversation.CardOf(m.Versions[0])) is var texts &&
                                                       texts.Contains(title, StringComparison.Ordinal) && texts.Contains(text, StringComparison.Ordinal));

    private static async Task WaitForAsync(Func<Task<bool>> condition, Func<string> what, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > timeout)
                throw new TimeoutException($"Not reached within {timeout.TotalSeconds:0.#} s: {what()}.");
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }
}
