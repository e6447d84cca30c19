using System.Globalization;
using ApprovalBot.Domain.Breaches;
using ApprovalBot.Scheduling;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Breaches;

/// <summary>
/// Arms an open incident's clock timer — its next step (50, 75, 90 % of the notification deadline, then the deadline)
/// — with its <see cref="DataBreach.Version"/> as the fencing token, or cancels it once closed. Call only after the
/// change committed (rule 8).
/// </summary>
public sealed class BreachTimers(DurableTimers timers)
{
    public const string Kind = "data-breach";

    public async Task ArmAsync(DataBreach breach, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(breach);
        var subject = breach.Id.ToString(CultureInfo.InvariantCulture);
        if (breach.NextClockAt is { } at)
            await timers.ArmAsync(Kind, subject, at, breach.Version, cancellationToken);
        else
            await timers.CancelAsync(Kind, subject, cancellationToken);
    }
}

/// <summary>
/// A fired clock timer: reloads the incident and, if the fencing token still matches and it is open, records the step
/// due, stages the warnings with the same save, and arms the next after the commit. A late, repeated or superseded
/// fire changes nothing (it arms for the current state); a lost race is retried.
/// </summary>
public sealed partial class BreachTimerHandler(BotDbContext db, BreachMessages messages, BreachTimers timers, TimeProvider time, ILogger<BreachTimerHandler> logger) : ITimerHandler
{
    public async Task HandleAsync(TimerFire fire, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fire);
        if (!long.TryParse(fire.SubjectId, CultureInfo.InvariantCulture, out var id)) return;
        await db.RetryOnConflictAsync(async ct =>
        {
            var breach = await db.DataBreaches.FirstOrDefaultAsync(b => b.Id == id, ct);
            if (breach is null) return 0;
            var result = breach.FireClock(fire.FencingToken, time.GetUtcNow());
            if (result.Percent is { } percent)
            {
                await messages.StageClockAsync(breach, percent, ct);
                await db.SaveChangesAsync(ct);
            }
            await timers.ArmAsync(breach, ct);
            LogFired(logger, id, result.Outcome, result.Percent, fire.Lateness.TotalMilliseconds);
            return 0;
        }, cancellationToken);
    }

    [LoggerMessage(EventId = 4901, Level = LogLevel.Information, Message = "Data breach clock for {BreachId}: {Outcome} ({Percent} %), late by {LatenessMs} ms")]
    private static partial void LogFired(ILogger logger, long breachId, BreachTimerOutcome outcome, int? percent, double latenessMs);
}

/// <summary>
/// The auditor (rule 8): at start-up and every <see cref="Every"/>, every open incident whose clock timer is missing or
/// armed for another step or fencing token is re-armed — an overdue one then fires at once (a warning that fell due
/// while the bot was down is sent at start-up, once).
/// </summary>
public sealed partial class BreachTimerAuditor(IServiceScopeFactory scopes, DurableTimers timers, TimeProvider time, ILogger<BreachTimerAuditor> logger, IHostApplicationLifetime lifetime)
    : PeriodicWork(time, logger, lifetime)
{
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(5);

    /// <summary>One pass; returns how many incidents were re-armed.</summary>
    public async Task<int> AuditAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var open = db.DataBreaches.AsNoTracking().Where(b => b.State == BreachState.Open);
        var rearmed = await TimerAudit.RearmStaleAsync(
            timers, BreachTimers.Kind,
            (after, ct) => open.Where(b => b.Id > after).OrderBy(b => b.Id).Take(TimerAudit.PageSize).ToListAsync(ct),
            (ids, ct) => open.Where(b => ids.Contains(b.Id)).ToListAsync(ct),
            b => b.Id, b => (b.NextClockAt, b.Version), cancellationToken);
        if (rearmed > 0) LogRearmed(logger, rearmed);
        return rearmed;
    }

    protected override TimeSpan Interval => Every;

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => AuditAsync(cancellationToken);

    [LoggerMessage(EventId = 4902, Level = LogLevel.Warning, Message = "Re-armed {Count} data breach clock timer(s) that were missing or stale")]
    private static partial void LogRearmed(ILogger logger, int count);
}
