using System.Diagnostics;
using System.Text.Json.Nodes;
using ApprovalBot.TestSupport;
using ApprovalBot.TestSupport.Connector;

namespace ApprovalBot.IntegrationTests.Infrastructure;

/// <summary>
/// Waiting for something the scheduler does on a manual clock. Quartz's scheduler thread waits on the host's
/// <see cref="TimeProvider"/>: a wait it began after the test moved the clock ends only when the clock moves again.
/// So while waiting, time keeps passing in one-second ticks, as it would for real; what the bot records (deadlines,
/// timeline times) does not depend on the extra seconds.
/// </summary>
public static class ManualClockWaits
{
    public static async Task<(FakeMessage Message, JsonObject Card)> ExpectCardWhileTickingAsync(
        this TestConversation chat, ManualTimeProvider clock, Func<JsonObject, bool>? predicate = null, int maxTicks = 120)
    {
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentNullException.ThrowIfNull(clock);
        for (var tick = 0; tick < maxTicks; tick++)
        {
            if (await chat.TryExpectCardAsync(predicate ?? (_ => true), TimeSpan.FromMilliseconds(150)) is { } found) return found;
            clock.Advance(TimeSpan.FromSeconds(1));
        }
        return await chat.ExpectCardAsync(predicate ?? (_ => true), TimeSpan.FromMilliseconds(150));
    }

    /// <summary>
    /// Moves the clock a second at a time until <paramref name="done"/> holds. Between ticks it does not sleep a fixed
    /// period: it asks <paramref name="done"/> again every few milliseconds, for up to 150 ms of real time (the scheduler
    /// runs on its own thread and needs a moment to act on a tick), and ticks only while the answer is still no.
    /// </summary>
    public static async Task TickUntilAsync(this ManualTimeProvider clock, Func<Task<bool>> done, Func<string> whatIsWrong, int maxTicks = 120)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(done);
        ArgumentNullException.ThrowIfNull(whatIsWrong);
        for (var tick = 0; ; tick++)
        {
            var window = Stopwatch.StartNew();
            do
            {
                if (await done()) return;
                await Task.Delay(PollInterval);
            }
            while (window.Elapsed < TickWindow);
            Assert.True(tick < maxTicks, $"Not reached within {maxTicks} one-second ticks: {whatIsWrong()}");
            clock.Advance(TimeSpan.FromSeconds(1));
        }
    }

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan TickWindow = TimeSpan.FromMilliseconds(150);
}
