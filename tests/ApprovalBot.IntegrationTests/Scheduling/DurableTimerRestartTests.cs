using System.Diagnostics;
using ApprovalBot.TestSupport.Processes;
using ApprovalBot.TestSupport.Storage;
using Xunit.Abstractions;

namespace ApprovalBot.IntegrationTests.Scheduling;

/// <summary>
/// Durable timers across a crash, with the real bot as a child process and its real store (architecture rule 8): the
/// housekeeping timer the bot arms at start-up is the timer under test. Every bot is stopped by pid, also on failure.
/// </summary>
[Collection(BotProcessCollection.Name)]
public abstract class DurableTimerRestartTests(ITestDatabaseFactory databases, ITestOutputHelper output)
{
    private const string Kind = HousekeepingBot.Kind;
    private const string Subject = HousekeepingBot.Subject;

    [Fact]
    public async Task ArmedTimer_FiresExactlyOnceAfterRestart_WhenTheBotWasKilledBeforeItsDeadline()
    {
        // Long enough to start, read the trigger, seed and kill before it; short enough for a quick test.
        var every = TimeSpan.FromSeconds(6);
        await using var database = await databases.CreateDatabaseAsync();
        var store = new QuartzStore(database);
        var clock = Stopwatch.StartNew();

        StoredTrigger armed;
        DateTimeOffset killedAt;
        await using (var first = await StartBotAsync(database, "first", every))
        {
            armed = await store.WaitForTriggerAsync(Kind, Subject, t => t.NextFireTime is not null, TimeSpan.FromSeconds(10));
            await HousekeepingBot.SeedMarkersAsync(database, armed.NextFireTime!.Value);
            first.KillHard();
            killedAt = await store.GetNowAsync();
            output.WriteLine($"first bot: healthy after {first.StartupTime.TotalMilliseconds:0} ms; killed {(armed.NextFireTime.Value - killedAt).TotalMilliseconds:0} ms before the deadline {armed.NextFireTime:o}");
            Assert.Empty(TimerFireLog.For(first.Lines, Kind, Subject, armed.NextFireTime.Value));
        }
        var deadline = armed.NextFireTime.Value;

        // The crash left the timer armed as it was, and nothing has pruned yet.
        Assert.True(killedAt < deadline, $"Precondition: the bot must die before its deadline (killed at {killedAt:o}, due {deadline:o}); this machine is too slow for a {every.TotalSeconds} s deadline.");
        Assert.Equal(new StoredTrigger(deadline, "WAITING"), await store.GetTriggerAsync(Kind, Subject));
        Assert.Equal(4, (await HousekeepingBot.MarkerIdsAsync(database)).Count);

        // No bot runs while the deadline passes.
        var restartAt = await store.WaitUntilAsync(deadline + TimeSpan.FromSeconds(1), every + TimeSpan.FromSeconds(10));

        await using var second = await StartBotAsync(database, "second", every);
        var fire = TimerFireLog.TryParse(await second.WaitForLogAsync(
            l => TimerFireLog.TryParse(l) is { } f && f.Kind == Kind && f.Subject == Subject && f.DueAt == TimerFireLog.ToMilliseconds(deadline),
            TimeSpan.FromSeconds(20)))!;
        var next = await store.WaitForTriggerAsync(Kind, Subject, t => t.NextFireTime > deadline, TimeSpan.FromSeconds(10));
        // A duplicate would come from a second acquisition of the old trigger: give the scheduler two polls to show one.
        await Task.Delay(2 * HousekeepingBot.IdleWaitTime);
        await second.StopAsync();

        output.WriteLine($"second bot: started {(restartAt - deadline).TotalMilliseconds:0} ms after the deadline, healthy after {second.StartupTime.TotalMilliseconds:0} ms; " +
                         $"the timer fired {fire.LatenessMs:0} ms late; next run {next.NextFireTime:o}; test took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Single(TimerFireLog.For(second.Lines, Kind, Subject, deadline));
        Assert.True(fire.LatenessMs > 0, $"It fired {fire.LatenessMs} ms late: not after the deadline?");
        Assert.True(next.NextFireTime >= deadline + every, $"The next run ({next.NextFireTime:o}) must be armed a full period after the fire (due {deadline:o}).");
        Assert.Equal(1, await store.CountTriggersAsync(Kind));
        // The effect: markers older than the retention are gone, the fresh one stays.
        Assert.Equal(["fresh"], await HousekeepingBot.MarkerIdsAsync(database));
    }

    [Fact]
    public async Task Armer_KeepsTheStoredDeadline_WhenTheBotRestartsBeforeIt()
    {
        // Far away: the test restarts twice (once after a crash, once after a graceful stop) long before it.
        var every = TimeSpan.FromHours(1);
        await using var database = await databases.CreateDatabaseAsync();
        var store = new QuartzStore(database);

        StoredTrigger armed;
        await using (var first = await StartBotAsync(database, "first", every))
        {
            armed = await store.WaitForTriggerAsync(Kind, Subject, t => t.NextFireTime is not null, TimeSpan.FromSeconds(10));
            first.KillHard();
        }

        // /healthz answers only after every hosted service, the armer included, has started.
        await using (var second = await StartBotAsync(database, "second after kill", every))
        {
            Assert.Equal(armed, await store.GetTriggerAsync(Kind, Subject));
            await second.StopAsync();
        }
        await using (var third = await StartBotAsync(database, "third after stop", every))
        {
            Assert.Equal(armed, await store.GetTriggerAsync(Kind, Subject));
            Assert.Equal(1, await store.CountTriggersAsync(Kind));
            Assert.Empty(third.Lines.Select(TimerFireLog.TryParse).OfType<TimerFireLog>());
        }
        Assert.Equal(armed, await store.GetTriggerAsync(Kind, Subject));
    }

    private Task<BotProcess> StartBotAsync(ITestDatabase database, string name, TimeSpan every) =>
        HousekeepingBot.StartAsync(database, name, every, output.WriteLine);
}

public sealed class SqliteDurableTimerRestartTests(ITestOutputHelper output)
    : DurableTimerRestartTests(new SqliteTestDatabases(), output);

public sealed class PostgresDurableTimerRestartTests(PostgresServerFixture postgres, ITestOutputHelper output)
    : DurableTimerRestartTests(postgres, output), IClassFixture<PostgresServerFixture>;
