using System.Globalization;
using ApprovalBot.Domain.Digests;
using ApprovalBot.Scheduling;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Digests.Subscriptions;

/// <summary>
/// Arms a subscription's durable timer for its <see cref="DigestSubscription.NextDueAt"/> with its
/// <see cref="DigestSubscription.Version"/> as the fencing token, or cancels it when the subscription is stopped. Call
/// only after the change committed (rule 8).
/// </summary>
public sealed class DigestTimers(DurableTimers timers)
{
    public const string Kind = "digest";

    public async Task ArmAsync(DigestSubscription subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var subject = subscription.Id.ToString(CultureInfo.InvariantCulture);
        if (subscription.IsActive && subscription.NextDueAt is { } at)
            await timers.ArmAsync(Kind, subject, at, subscription.Version, cancellationToken);
        else
            await timers.CancelAsync(Kind, subject, cancellationToken);
    }
}

/// <summary>A fired digest timer: <see cref="DeliverDigest"/> for its subscription and fencing token.</summary>
public sealed class DigestTimerHandler(DeliverDigest deliver) : ITimerHandler
{
    public async Task HandleAsync(TimerFire fire, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fire);
        if (!long.TryParse(fire.SubjectId, CultureInfo.InvariantCulture, out var id)) return;
        await deliver.HandleAsync(id, fire.FencingToken, fire.Lateness, cancellationToken);
    }
}

/// <summary>
/// The auditor (rule 8): at start-up and every <see cref="Every"/>, every active subscription whose trigger is missing
/// or armed for another time or fencing token is re-armed — an overdue one then fires at once and delivers the latest
/// period (one digest, not a backlog).
/// </summary>
public sealed partial class DigestTimerAuditor(IServiceScopeFactory scopes, DurableTimers timers, TimeProvider time, ILogger<DigestTimerAuditor> logger, IHostApplicationLifetime lifetime)
    : PeriodicWork(time, logger, lifetime)
{
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(10);

    /// <summary>One pass; returns how many subscriptions were re-armed.</summary>
    public async Task<int> AuditAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var pending = db.DigestSubscriptions.AsNoTracking().Where(s => s.IsActive);
        var rearmed = await TimerAudit.RearmStaleAsync(
            timers, DigestTimers.Kind,
            (after, ct) => pending.Where(s => s.Id > after).OrderBy(s => s.Id).Take(TimerAudit.PageSize).ToListAsync(ct),
            (ids, ct) => pending.Where(s => ids.Contains(s.Id)).ToListAsync(ct),
            s => s.Id, s => (s.NextDueAt, s.Version), cancellationToken);
        if (rearmed > 0) LogRearmed(logger, rearmed);
        return rearmed;
    }

    protected override TimeSpan Interval => Every;

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => AuditAsync(cancellationToken);

    [LoggerMessage(EventId = 4701, Level = LogLevel.Warning, Message = "Re-armed {Count} digest timer(s) that were missing or stale")]
    private static partial void LogRearmed(ILogger logger, int count);
}
