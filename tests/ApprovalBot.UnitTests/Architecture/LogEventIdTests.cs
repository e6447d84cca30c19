using System.Reflection;
using Microsoft.Extensions.Logging;

namespace ApprovalBot.UnitTests.Architecture;

/// <summary>
/// Every <c>[LoggerMessage]</c> event id is used once across the bot's assemblies, so an operator can alert or filter on an
/// id without also matching the category. The ranges: Protocol 1000–1199 inbound (routing, auth) and 3300–3599 outbound
/// (connector client, throttle gate, token provider); host 1500s storage, 2000s outbox, 3000–3299 scheduling, 4000s
/// features (approvals, API, escalations, KPIs, digests, communication plans, …), 5000s directory.
/// </summary>
public sealed class LogEventIdTests
{
    private static readonly Assembly[] BotAssemblies = [typeof(Program).Assembly, typeof(ApprovalBot.Protocol.ProtocolAssembly).Assembly];

    private static IEnumerable<(int Id, string Where)> EventIds() =>
        from assembly in BotAssemblies
        from type in assembly.GetTypes()
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
        where attribute is not null
        select (attribute.EventId, $"{type.FullName}.{method.Name}");

    [Fact]
    public void EveryLoggerMessageEventId_IsUsedOnce()
    {
        var reused = EventIds().GroupBy(e => e.Id).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Where))}").ToList();

        Assert.True(reused.Count == 0, $"Event ids used more than once (pick a free id in the area's range):\n{string.Join("\n", reused)}");
    }

    [Fact]
    public void TheBotHasLoggerMessages_SoTheCheckAboveSeesThem()
    {
        Assert.Contains(EventIds(), e => e.Id == 3000 && e.Where.EndsWith("DurableTimerJob.LogFired", StringComparison.Ordinal));
        Assert.True(EventIds().Count() > 50, $"Only {EventIds().Count()} [LoggerMessage] methods found; the reflection misses some.");
    }
}
