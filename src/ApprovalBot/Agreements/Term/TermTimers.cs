using System.Globalization;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Scheduling;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Agreements.Term;

/// <summary>
/// Arms an Active agreement's term timer — its next reminder, its scheduled termination or its end, whichever is
/// first — with its <see cref="Agreement.Version"/> as the fencing token, or cancels it when none is due (not Active).
/// Call only after the change committed (rule 8).
/// </summary>
public sealed class TermTimers(DurableTimers timers, TermClock clock)
{
    public const string Kind = "agreement-term";

    public async Task ArmAsync(Agreement agreement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        var subject = agreement.Id.ToString(CultureInfo.InvariantCulture);
        if (agreement.NextTermTimerAt(clock.Policy) is { } at)
            await timers.ArmAsync(Kind, subject, at, agreement.Version, cancellationToken);
        else
            await timers.CancelAsync(Kind, subject, cancellationToken);
    }
}

/// <summary>
/// A fired term timer: reloads the agreement and, if the fencing token still matches, applies what is due (the
/// scheduled termination, the expiry at the end of the term, or the latest reminder), stages the messages with the same
/// save, and arms the next after the commit. A late, repeated or superseded fire changes nothing; a lost race is retried.
/// </summary>
public sealed partial class TermTimerHandler(BotDbContext db, TermMessages messages, TermTimers timers, TermClock clock, ILogger<TermTimerHandler> logger) : ITimerHandler
{
    public async Task HandleAsync(TimerFire fire, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fire);
        if (!long.TryParse(fire.SubjectId, CultureInfo.InvariantCulture, out var id)) return;
        await db.RetryOnConflictAsync(async ct =>
        {
            var agreement = await db.Agreements.FirstOrDefaultAsync(a => a.Id == id, ct);
            if (agreement is null) return 0;
            var result = agreement.FireTerm(fire.FencingToken, clock.Policy, clock.Now);
            if (result.Applied)
            {
                if (result.ReminderDueAt is { } dueAt)
                {
                    await messages.StageReminderAsync(agreement, dueAt, ct);
                }
                else
                {
                    await messages.StageEndedAsync(agreement, ct);
                    db.AgreementEvents.Add(AgreementEvent.Record(agreement.Id,
                        result.Outcome == TermTimerOutcome.Expired ? AgreementEventKind.Expired : AgreementEventKind.Terminated,
                        null, clock.Now, $"{agreement.Name} {agreement.EndedDescription(clock.Zone)}."));
                }
                await db.SaveChangesAsync(ct);
            }
            // Applied: the next step; stale or early: arm for the current state (idempotent), so that no interleaving of
            // arming, auditing and firing can leave none armed.
            await timers.ArmAsync(agreement, ct);
            LogFired(logger, id, result.Outcome, fire.Lateness.TotalMilliseconds);
            return 0;
        }, cancellationToken);
    }

    [LoggerMessage(EventId = 4802, Level = LogLevel.Information, Message = "Term timer for agreement {AgreementId}: {Outcome}, late by {LatenessMs} ms")]
    private static partial void LogFired(ILogger logger, long agreementId, TermTimerOutcome outcome, double latenessMs);
}

/// <summary>
/// The auditor (rule 8): at start-up and every <see cref="Every"/>, every Active agreement whose term timer is missing
/// or armed for another deadline or fencing token is re-armed — including an overdue one, which then fires at once (an
/// end date passed while the bot was down expires the agreement at start-up). Nudged when an agreement is activated or
/// a renewal decided.
/// </summary>
public sealed partial class TermTimerAuditor(IServiceScopeFactory scopes, DurableTimers timers, TermClock clock, TimeProvider time, ILogger<TermTimerAuditor> logger, IHostApplicationLifetime lifetime)
    : PeriodicWork(time, logger, lifetime)
{
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(10);

    /// <summary>One pass; returns how many agreements were re-armed.</summary>
    public async Task<int> AuditAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var active = db.Agreements.AsNoTracking().Where(a => a.Status == AgreementStatus.Active);
        var rearmed = await TimerAudit.RearmStaleAsync(
            timers, TermTimers.Kind,
            (after, ct) => active.Where(a => a.Id > after).OrderBy(a => a.Id).Take(TimerAudit.PageSize).ToListAsync(ct),
            (ids, ct) => active.Where(a => ids.Contains(a.Id)).ToListAsync(ct),
            a => a.Id, a => (a.NextTermTimerAt(clock.Policy), a.Version), cancellationToken);
        if (rearmed > 0) LogRearmed(logger, rearmed);
        return rearmed;
    }

    protected override TimeSpan Interval => Every;

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => AuditAsync(cancellationToken);

    [LoggerMessage(EventId = 4803, Level = LogLevel.Warning, Message = "Re-armed {Count} agreement term timer(s) that were missing or stale")]
    private static partial void LogRearmed(ILogger logger, int count);
}

/// <summary>An agreement became Active, or a renewal was decided: the auditor arms its term timer now.</summary>
internal sealed class TermActivation(TermTimerAuditor auditor) : IAgreementActivatedListener
{
    public void Activated(long agreementId) => auditor.Nudge();
}
