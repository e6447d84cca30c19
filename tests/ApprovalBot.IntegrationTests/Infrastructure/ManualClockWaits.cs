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
        for (var tick = 0; ; tick++)
        {
            try
            {
                return await chat.ExpectCardAsync(predicate ?? (_ => true), TimeSpan.FromMilliseconds(150));
            }
            catch (Xunit.Sdk.XunitException) when (tick < maxTicks)
            {
                clock.Advance(TimeSpan.FromSeconds(1));
            }
        }
    }
}
