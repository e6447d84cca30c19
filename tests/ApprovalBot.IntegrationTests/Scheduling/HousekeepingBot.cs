using System.Diagnostics;
using ApprovalBot.Teams;
using ApprovalBot.TestSupport.Processes;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.IntegrationTests.Scheduling;

/// <summary>
/// The bot configured for timer tests: the housekeeping timer (armed at start-up, re-armed by each run) is the timer
/// under test; its period is the test's deadline; the scheduler polls its store every second.
/// </summary>
internal static class HousekeepingBot
{
    public const string Kind = "housekeeping";
    public const string Subject = "all";
    public static readonly TimeSpan IdleWaitTime = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Retention = TimeSpan.FromDays(1);

    public static Task<BotProcess> StartAsync(ITestDatabase database, string name, TimeSpan every, Action<string> output) =>
        BotProcess.StartAsync(new BotProcessOptions { Name = name, Output = output }
            .With(database.HostSettings())
            .With("Housekeeping:Every", every.ToString("c"))
            .With("Housekeeping:ProcessedActivityRetention", Retention.ToString("c"))
            .With("Scheduling:IdleWaitTime", IdleWaitTime.ToString("c")));

    /// <summary>The first fire of the housekeeping deadline <paramref name="dueAt"/> on any of the bots (polled).</summary>
    public static async Task<(BotProcess Bot, TimerFireLog Fire)> WaitForFireAsync(IReadOnlyCollection<BotProcess> bots, DateTimeOffset dueAt, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            foreach (var bot in bots)
            {
                if (TimerFireLog.For(bot.Lines, Kind, Subject, dueAt) is [var fire, ..])
                    return (bot, fire);
            }
            if (waited.Elapsed > timeout)
                throw new TimeoutException($"No bot ({string.Join(", ", bots)}) fired housekeeping due {dueAt:o} within {timeout.TotalSeconds:0.#} s.");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>Three redelivery markers far older than the retention at the deadline, and one that is fresh then.</summary>
    public static async Task SeedMarkersAsync(ITestDatabase database, DateTimeOffset deadline)
    {
        await using var db = database.CreateContext();
        var old = deadline - 30 * Retention;
        db.ProcessedActivities.AddRange(
            ProcessedActivity.Create("conversation", "old-1", "message", old),
            ProcessedActivity.Create("conversation", "old-2", "message", old - TimeSpan.FromDays(1)),
            ProcessedActivity.Create("conversation", "old-3", "message", deadline - Retention - TimeSpan.FromMinutes(1)),
            ProcessedActivity.Create("conversation", "fresh", "message", deadline));
        await db.SaveChangesAsync();
    }

    public static async Task<List<string>> MarkerIdsAsync(ITestDatabase database)
    {
        await using var db = database.CreateContext();
        return await db.ProcessedActivities.OrderBy(p => p.ActivityId).Select(p => p.ActivityId).ToListAsync();
    }
}
