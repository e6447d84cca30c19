using ApprovalBot.Storage;
using ApprovalBot.Teams.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Scheduling;

/// <summary>Retention of bookkeeping rows. Section <c>Housekeeping</c>.</summary>
public sealed class HousekeepingOptions
{
    public const string SectionName = "Housekeeping";

    /// <summary>How often housekeeping runs.</summary>
    public TimeSpan Every { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Redelivery markers older than this are removed (Teams redelivers within seconds).</summary>
    public TimeSpan ProcessedActivityRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Sent outbox messages, and given-up ones an operator discarded, are removed this long after they were completed
    /// (sent, or discarded); given-up ones are kept until an operator retries or discards them.
    /// </summary>
    public TimeSpan SentMessageRetention { get; set; } = TimeSpan.FromDays(30);
}

/// <summary>
/// A feature's share of housekeeping (retention of its own old data), run by each housekeeping fire after the
/// bookkeeping rows are pruned. Scheduling never calls into features; features register tasks here
/// (<c>services.AddScoped&lt;IHousekeepingTask, T&gt;()</c>). A cluster may run housekeeping on more than one instance at
/// once (a re-arm races a start-up arm), so a task must be idempotent and harmless when run concurrently.
/// </summary>
public interface IHousekeepingTask
{
    Task RunAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>
/// The first durable timer: prunes old redelivery markers and sent or discarded outbox rows, runs the features'
/// <see cref="IHousekeepingTask"/>s, then arms its next run after the commit. At start-up
/// <see cref="HousekeepingArmer"/> arms it if no trigger is live (a small auditor).
/// </summary>
internal sealed partial class Housekeeping(
    BotDbContext db, DurableTimers timers, TimeProvider time, IOptions<HousekeepingOptions> options, IEnumerable<IHousekeepingTask> tasks,
    ILogger<Housekeeping> logger) : ITimerHandler
{
    public const string Kind = "housekeeping";
    public const string Subject = "all";

    public async Task HandleAsync(TimerFire fire, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var o = options.Value;
        var markersBefore = now - o.ProcessedActivityRetention;
        var sentBefore = now - o.SentMessageRetention;
        var markers = await db.ProcessedActivities.Where(p => p.ReceivedAt < markersBefore).ExecuteDeleteAsync(cancellationToken);
        var sent = await db.OutboxMessages.Where(m => m.Status == OutboxStatus.Sent && m.CompletedAt < sentBefore).ExecuteDeleteAsync(cancellationToken);
        // A discarded message's CompletedAt is when it was discarded: it stays on record as long as a sent one does.
        var discarded = await db.OutboxMessages.Where(m => m.Status == OutboxStatus.Discarded && m.CompletedAt < sentBefore).ExecuteDeleteAsync(cancellationToken);
        LogPruned(logger, markers, sent, discarded);
        foreach (var task in tasks)
            await task.RunAsync(now, cancellationToken);
        await timers.ArmAsync(Kind, Subject, now + o.Every, fencingToken: 0, cancellationToken);
    }

    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Housekeeping removed {Markers} redelivery markers, {Sent} sent and {Discarded} discarded outbox messages")]
    private static partial void LogPruned(ILogger logger, int markers, int sent, int discarded);
}

/// <summary>Arms housekeeping at start-up unless a trigger for it is already in the store.</summary>
internal sealed class HousekeepingArmer(DurableTimers timers, TimeProvider time, IOptions<HousekeepingOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await timers.GetDueAtAsync(Housekeeping.Kind, Housekeeping.Subject, cancellationToken) is null)
            await timers.ArmAsync(Housekeeping.Kind, Housekeeping.Subject, time.GetUtcNow() + options.Value.Every, 0, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal static class HousekeepingModule
{
    public static IHostApplicationBuilder AddHousekeeping(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<HousekeepingOptions>().Bind(builder.Configuration.GetSection(HousekeepingOptions.SectionName))
            .Validate(o => o.Every >= TimeSpan.FromSeconds(1), "Housekeeping:Every must be at least 00:00:01 (it re-arms itself that far ahead).")
            .Validate(o => o.ProcessedActivityRetention >= TimeSpan.FromMinutes(1), "Housekeeping:ProcessedActivityRetention must be at least a minute (Teams redelivers within seconds).")
            .Validate(o => o.SentMessageRetention > TimeSpan.Zero, "Housekeeping:SentMessageRetention must be positive.")
            .ValidateOnStart();
        builder.Services.AddTimerHandler<Housekeeping>(Housekeeping.Kind);
        builder.Services.AddHostedService<HousekeepingArmer>();
        return builder;
    }
}
