using System.Reflection;
using ApprovalBot.Scheduling;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Operations;

/// <summary>
/// Records in <c>bot_instances</c> that this instance runs, and which version: at start-up and every
/// <see cref="OperationsOptions.InstanceCheckInInterval"/>, keyed by the scheduler's instance id (so the page joins it with
/// Quartz's own check-ins). Rows not seen for a day are removed by the same round.
/// </summary>
public sealed class InstanceCheckIn(
    IServiceScopeFactory scopes, IOptions<OperationsOptions> options, TimeProvider time,
    ILogger<InstanceCheckIn> logger, IHostApplicationLifetime lifetime)
    : PeriodicWork(time, logger, lifetime)
{
    private bool _started;

    /// <summary>The bot's informational version (the build's version and commit when the build says so).</summary>
    public static string Version { get; } =
        typeof(InstanceCheckIn).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(InstanceCheckIn).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    protected override TimeSpan Interval => options.Value.InstanceCheckInInterval;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var id = await scope.ServiceProvider.GetRequiredService<ScheduledTimers>().InstanceIdAsync(cancellationToken);
        var now = Time.GetUtcNow();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var row = await db.BotInstances.FirstOrDefaultAsync(i => i.InstanceId == id, cancellationToken);
        if (row is null) db.BotInstances.Add(BotInstance.Start(id, Version, Environment.MachineName, now));
        else if (!_started) row.Restarted(Version, Environment.MachineName, now);
        else row.Seen(now);
        await db.SaveChangesAsync(cancellationToken);
        _started = true;
        var forgotten = now - TimeSpan.FromDays(1);
        await db.BotInstances.Where(i => i.LastSeenAt < forgotten).ExecuteDeleteAsync(cancellationToken);
    }
}
