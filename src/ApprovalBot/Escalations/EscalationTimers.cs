using System.Globalization;
using ApprovalBot.Approvals;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Scheduling;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Escalations;

/// <summary>
/// Arms an escalation's next durable timer (its next deadline) with its <see cref="Escalation.Version"/> as the
/// fencing token, or cancels it when nothing is pending. Call only after the change committed (rule 8).
/// </summary>
public sealed class EscalationTimers(DurableTimers timers, ApprovalClock clock)
{
    public const string Kind = "escalation";

    public async Task ArmAsync(Escalation escalation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(escalation);
        var subject = escalation.Id.ToString(CultureInfo.InvariantCulture);
        if (escalation.NextTimerAt(clock.Now) is { } at)
            await timers.ArmAsync(Kind, subject, at, escalation.Version, cancellationToken);
        else
            await timers.CancelAsync(Kind, subject, cancellationToken);
    }
}

/// <summary>
/// A fired escalation timer: reloads the escalation, applies every deadline that passed (level raises, warnings,
/// breaches, the automatic close at the end of the reopen window) if the fencing token still matches, stages the notifications with the same save, and arms the next
/// deadline after the commit. A late, repeated or superseded fire changes nothing; a lost race is retried.
/// </summary>
public sealed partial class EscalationTimerHandler(
    BotDbContext db, EscalationMessages messages, EscalationTimers timers, ApprovalClock clock, ILogger<EscalationTimerHandler> logger) : ITimerHandler
{
    public async Task HandleAsync(TimerFire fire, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fire);
        if (!long.TryParse(fire.SubjectId, CultureInfo.InvariantCulture, out var id)) return;
        await db.RetryOnConflictAsync(async ct =>
        {
            var escalation = await db.Escalations.FirstOrDefaultAsync(e => e.Id == id, ct);
            if (escalation is null) return 0;
            var result = escalation.FireDue(fire.FencingToken, clock.Now);
            if (result.Applied)
            {
                await messages.StageAsync(escalation, result.Notifications, ct);
                await db.SaveChangesAsync(ct);
                await timers.ArmAsync(escalation, ct);
            }
            else if (result.Outcome is EscalationTimerOutcome.NothingDue or EscalationTimerOutcome.StaleToken)
            {
                // Fired early (clock skew between instances) or superseded: arm for the current state (idempotent), so
                // that no interleaving of arming, auditing and firing can leave none armed.
                await timers.ArmAsync(escalation, ct);
            }
            // The scheduler logs every fire (DurableTimerJob, event 3000); a fire that applied its deadlines is the
            // ordinary case and is logged again only at Debug, the others (stale, early, inactive) at Information.
            if (result.Applied) LogApplied(logger, id, result.Notifications.Count, fire.Lateness.TotalMilliseconds);
            else LogFired(logger, id, result.Outcome, result.Notifications.Count, fire.Lateness.TotalMilliseconds);
            return 0;
        }, cancellationToken);
    }

    [LoggerMessage(EventId = 4110, Level = LogLevel.Information, Message = "Escalation timer for {EscalationId}: {Outcome}, {Notifications} notification(s), late by {LatenessMs} ms")]
    private static partial void LogFired(ILogger logger, long escalationId, EscalationTimerOutcome outcome, int notifications, double latenessMs);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Debug, Message = "Escalation timer for {EscalationId}: Applied, {Notifications} notification(s), late by {LatenessMs} ms")]
    private static partial void LogApplied(ILogger logger, long escalationId, int notifications, double latenessMs);
}

/// <summary>
/// The auditor (rule 8): at start-up and every <see cref="Every"/>, every escalation with a pending deadline (a running
/// clock, or a resolved one waiting to close by itself) whose trigger is missing or armed for another deadline or
/// fencing token is re-armed — including an overdue one, which then fires at once.
/// </summary>
public sealed partial class EscalationTimerAuditor(IServiceScopeFactory scopes, DurableTimers timers, TimeProvider time, ILogger<EscalationTimerAuditor> logger, IHostApplicationLifetime lifetime)
    : PeriodicWork(time, logger, lifetime)
{
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(10);

    /// <summary>One pass; returns how many escalations were re-armed.</summary>
    public async Task<int> AuditAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var now = Time.GetUtcNow();
        var pending = db.Escalations.AsNoTracking()
            .Where(e => e.State == EscalationState.Open || e.State == EscalationState.Acknowledged || e.State == EscalationState.Resolved);
        var rearmed = await TimerAudit.RearmStaleAsync(
            timers, EscalationTimers.Kind,
            (after, ct) => pending.Where(e => e.Id > after).OrderBy(e => e.Id).Take(TimerAudit.PageSize).ToListAsync(ct),
            (ids, ct) => pending.Where(e => ids.Contains(e.Id)).ToListAsync(ct),
            e => e.Id, e => (e.NextTimerAt(now), e.Version), cancellationToken);
        if (rearmed > 0) LogRearmed(logger, rearmed);
        return rearmed;
    }

    protected override TimeSpan Interval => Every;

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => AuditAsync(cancellationToken);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Warning, Message = "Re-armed {Count} escalation timer(s) that were missing or stale")]
    private static partial void LogRearmed(ILogger logger, int count);

}
