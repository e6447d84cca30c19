using Stopwatch = System.Diagnostics.Stopwatch;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Escalations;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.IntegrationTests.Scheduling;
using static ApprovalBot.IntegrationTests.Faults.LocalModeChats;
using ApprovalBot.TestSupport.Connector;
using ApprovalBot.TestSupport.Processes;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace ApprovalBot.IntegrationTests.Escalations;

/// <summary>
/// An escalation's response deadline across a crash, with the real bot as a child process (SIGKILLed, then restarted on
/// the same database) talking to the fake connector over HTTP, in local development mode (no tokens). A child process
/// cannot share the test's manual clock, so this test runs on the real clock: P1's response target is 30 s (long enough
/// to open the escalation and kill the bot before it, short enough for a quick test), and every wait is bounded.
/// </summary>
[Collection(BotProcessCollection.Name)]
public sealed class EscalationRestartTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ResponseTarget = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan IdleWaitTime = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task MissedResponseDeadline_NotifiesL2ExactlyOnce_AfterARestart_WhenItPassedWhileTheBotWasDown()
    {
        await using var database = await new SqliteTestDatabases().CreateDatabaseAsync();
        await using var connector = await FakeConnector.StartAsync();
        var store = new QuartzStore(database);
        var clock = Stopwatch.StartNew();

        long id;
        DateTimeOffset deadline;
        DateTimeOffset killedAt;
        await using (var first = await StartBotAsync(database, "first"))
        {
            await EscalationAgreements.ActiveAsync(database, await store.GetNowAsync(), [Cast.Megan], ResponseTarget);
            using var http = first.CreateClient();
            foreach (var user in new[] { Cast.Alex, Cast.Adele, Cast.Isaiah })
                await InstallAsync(http, connector, user);

            await PostAsync(http, Message(connector, Cast.Alex, "escalate contoso P1 Mail server down"));
            await connector.WaitForCountAsync(2, r => r.ConversationId == ChatOf(Cast.Adele) && r.Operation == FakeOperation.SendToConversation, TimeSpan.FromSeconds(20)); // welcome, L1's card
            await using (var db = database.CreateContext())
            {
                var opened = await db.Escalations.AsNoTracking().SingleAsync();
                (id, deadline) = (opened.Id, opened.ResponseDueAt!.Value);
            }
            var armed = (await store.GetTriggerAsync(EscalationTimers.Kind, $"{id}"))?.NextFireTime;
            Assert.NotNull(armed);
            Assert.Equal(TimerFireLog.ToMilliseconds(deadline), TimerFireLog.ToMilliseconds(armed.Value));

            first.KillHard();
            killedAt = await store.GetNowAsync();
            Assert.True(killedAt < deadline, $"Precondition: the bot must die before the deadline (killed at {killedAt:o}, due {deadline:o}); this machine is too slow for a {ResponseTarget.TotalSeconds} s target.");
            Assert.Empty(TimerFireLog.For(first.Lines, EscalationTimers.Kind, $"{id}", deadline));
        }

        // No bot runs while the deadline passes.
        var restartAt = await store.WaitUntilAsync(deadline + TimeSpan.FromSeconds(1), ResponseTarget + TimeSpan.FromSeconds(10));
        Assert.Equal(0, EscalationAgreements.PostsContaining(connector, ChatOf(Cast.Isaiah), "Raised to L2"));

        await using var second = await StartBotAsync(database, "second");
        var fire = TimerFireLog.TryParse(await second.WaitForLogAsync(
            l => TimerFireLog.TryParse(l) is { } f && f.Kind == EscalationTimers.Kind && f.Subject == $"{id}" && f.DueAt == TimerFireLog.ToMilliseconds(deadline),
            TimeSpan.FromSeconds(30)))!;
        await connector.WaitForCountAsync(2, r => r.ConversationId == ChatOf(Cast.Isaiah) && r.Operation == FakeOperation.SendToConversation, TimeSpan.FromSeconds(20)); // welcome, L2's card
        // Nothing is left that could fire the missed deadline again: the escalation's one trigger now points at L2's own
        // deadline, a full response target after the missed one. (Stopping waits for any job still running.)
        await store.WaitForTriggerAsync(EscalationTimers.Kind, $"{id}",
            t => t.NextFireTime is { } next && TimerFireLog.ToMilliseconds(next) == TimerFireLog.ToMilliseconds(deadline + ResponseTarget), TimeSpan.FromSeconds(20));
        await second.StopAsync();

        output.WriteLine($"killed {(deadline - killedAt).TotalMilliseconds:0} ms before the deadline; restarted {(restartAt - deadline).TotalMilliseconds:0} ms after it; " +
                         $"second bot healthy after {second.StartupTime.TotalMilliseconds:0} ms; fired {fire.LatenessMs:0} ms late; test took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(1, EscalationAgreements.PostsContaining(connector, ChatOf(Cast.Isaiah), "Raised to L2"));
        Assert.Single(TimerFireLog.For(second.Lines, EscalationTimers.Kind, $"{id}", deadline));
        Assert.True(fire.LatenessMs > 0, $"It fired {fire.LatenessMs} ms late: not after the deadline?");
        await using (var db = database.CreateContext())
        {
            var escalation = await db.Escalations.AsNoTracking().SingleAsync(e => e.Id == id);
            var toL2 = Assert.Single(escalation.Timeline, e => e.Kind == EscalationEventKind.LevelRaised && e.Level == SupportLevel.L2);
            Assert.Equal((deadline, (PersonId?)null), (toL2.At, toL2.Actor)); // stamped with the deadline, not the restart
            Assert.Equal(1, await db.OutboxMessages.CountAsync(m => m.DedupeKey.StartsWith($"{EscalationMessages.Subject(id)}:t{toL2.Sequence}:to:")));
        }
    }

    private Task<BotProcess> StartBotAsync(ITestDatabase database, string name) =>
        BotProcess.StartAsync(new BotProcessOptions { Name = name, Output = output.WriteLine }
            .With(database.HostSettings())
            .With("Scheduling:IdleWaitTime", IdleWaitTime.ToString("c"))
            .With("Outbox:PollInterval", "00:00:00.200"));
}
