using ApprovalBot.TestSupport.Processes;
using ApprovalBot.TestSupport.Storage;
using Xunit.Abstractions;

namespace ApprovalBot.IntegrationTests.Scheduling;

/// <summary>
/// Two bot processes on one PostgreSQL database, where Quartz runs clustered (each with its own instance id): a
/// deadline fires on exactly one of them, and on the survivor when the other dies before it.
/// </summary>
[Collection(BotProcessCollection.Name)]
public sealed class PostgresClusterTimerTests(PostgresServerFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresServerFixture>
{
    private const string Kind = HousekeepingBot.Kind;
    private const string Subject = HousekeepingBot.Subject;

    [Fact]
    public async Task ArmedTimer_FiresOnExactlyOneInstance_WhenTwoBotsShareTheDatabase()
    {
        // Two start-ups must fit before the first deadline, also on a loaded CI machine (8 s was once too little there:
        // b was up 75 ms after the deadline).
        var every = TimeSpan.FromSeconds(15);
        await using var database = await postgres.CreateDatabaseAsync();
        var store = new QuartzStore(database);
        await using var a = await HousekeepingBot.StartAsync(database, "a", every, output.WriteLine);
        await using var b = await HousekeepingBot.StartAsync(database, "b", every, output.WriteLine);
        BotProcess[] bots = [a, b];

        var first = (await store.WaitForTriggerAsync(Kind, Subject, t => t.NextFireTime is not null, TimeSpan.FromSeconds(10))).NextFireTime!.Value;
        var bothUp = await store.GetNowAsync();
        Assert.True(bothUp < first, $"Precondition: both bots must run before the deadline (both up at {bothUp:o}, due {first:o}).");

        // Two deadlines in a row: the one armed at start-up, and the one its run arms (on whichever bot ran it).
        var (firstBot, firstFire) = await HousekeepingBot.WaitForFireAsync(bots, first, every + TimeSpan.FromSeconds(15));
        var second = (await store.WaitForTriggerAsync(Kind, Subject, t => t.NextFireTime > first, TimeSpan.FromSeconds(10))).NextFireTime!.Value;
        var (secondBot, secondFire) = await HousekeepingBot.WaitForFireAsync(bots, second, every + TimeSpan.FromSeconds(15));
        await store.WaitForTriggerAsync(Kind, Subject, t => t.NextFireTime > second, TimeSpan.FromSeconds(10));
        await Task.Delay(2 * HousekeepingBot.IdleWaitTime);
        await Task.WhenAll(a.StopAsync(), b.StopAsync());

        output.WriteLine($"a healthy after {a.StartupTime.TotalMilliseconds:0} ms, b after {b.StartupTime.TotalMilliseconds:0} ms, both up {(first - bothUp).TotalMilliseconds:0} ms before deadline 1");
        output.WriteLine($"deadline 1 fired on {firstBot.Name}, {firstFire.LatenessMs:0} ms late; deadline 2 on {secondBot.Name}, {secondFire.LatenessMs:0} ms late");
        var lines = a.Lines.Concat(b.Lines).ToList();
        Assert.Single(TimerFireLog.For(lines, Kind, Subject, first));
        Assert.Single(TimerFireLog.For(lines, Kind, Subject, second));
        Assert.Equal(1, await store.CountTriggersAsync(Kind));
    }

    [Fact]
    public async Task ArmedTimer_FiresOnTheSurvivor_WhenTheInstanceThatArmedItIsKilled()
    {
        // a's start-up, b's start-up and a margin of several idle waits must fit before the deadline, also on a
        // loaded CI machine (10 s was once too little there), hence 20 s.
        var every = TimeSpan.FromSeconds(20);
        await using var database = await postgres.CreateDatabaseAsync();
        var store = new QuartzStore(database);
        await using var a = await HousekeepingBot.StartAsync(database, "a (arms, then killed)", every, output.WriteLine);
        var deadline = (await store.WaitForTriggerAsync(Kind, Subject, t => t.NextFireTime is not null, TimeSpan.FromSeconds(10))).NextFireTime!.Value;
        await using var b = await HousekeepingBot.StartAsync(database, "b (survivor)", every, output.WriteLine);
        Assert.Equal(deadline, (await store.GetTriggerAsync(Kind, Subject))?.NextFireTime);
        await HousekeepingBot.SeedMarkersAsync(database, deadline);

        a.KillHard();
        var killedAt = await store.GetNowAsync();
        // A scheduler acquires triggers up to one idle wait ahead; killed earlier than that, a holds nothing b must recover.
        Assert.True(deadline - killedAt > 2 * HousekeepingBot.IdleWaitTime,
            $"Precondition: kill a well before the deadline (killed at {killedAt:o}, due {deadline:o}); this machine is too slow for {every.TotalSeconds} s.");

        var (bot, fire) = await HousekeepingBot.WaitForFireAsync([b], deadline, every + TimeSpan.FromSeconds(15));
        await store.WaitForTriggerAsync(Kind, Subject, t => t.NextFireTime > deadline, TimeSpan.FromSeconds(10));
        await Task.Delay(2 * HousekeepingBot.IdleWaitTime);
        await b.StopAsync();

        output.WriteLine($"a killed {(deadline - killedAt).TotalMilliseconds:0} ms before the deadline; {bot.Name} fired it {fire.LatenessMs:0} ms late");
        Assert.Empty(TimerFireLog.For(a.Lines, Kind, Subject, deadline));
        Assert.Single(TimerFireLog.For(b.Lines, Kind, Subject, deadline));
        // b learns of the trigger by polling the store: within a few idle waits, well before a cluster-recovery delay
        // (ClusterCheckinMisfireThreshold) would have passed.
        Assert.True(fire.LatenessMs < 5 * HousekeepingBot.IdleWaitTime.TotalMilliseconds, $"Fired {fire.LatenessMs} ms late.");
        Assert.Equal(["fresh"], await HousekeepingBot.MarkerIdsAsync(database));
    }
}
