using System.Globalization;
using ApprovalBot.Approvals;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.CommunicationPlans;
using ApprovalBot.Scheduling;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ApprovalBot.CommunicationPlans;

/// <summary>
/// Arms an update obligation's next durable timer (reminder, due time, escalation, close) with its
/// <see cref="UpdateObligation.Version"/> as the fencing token, or cancels it once the obligation is closed. And the
/// review reminder of an agreement: one timer per agreement, fencing token = the review's Unix seconds (which only grows),
/// due <see cref="CommunicationPlansOptions.ReviewReminderBefore"/> before it. Call only after the change committed (rule 8).
/// </summary>
public sealed class PlanTimers(DurableTimers timers, IOptions<CommunicationPlansOptions> options)
{
    public const string UpdateKind = "provider-update";
    public const string ReviewKind = "review-reminder";

    public async Task ArmAsync(UpdateObligation obligation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(obligation);
        var subject = obligation.Id.ToString(CultureInfo.InvariantCulture);
        if (obligation.NextTimerAt() is { } at)
            await timers.ArmAsync(UpdateKind, subject, at, obligation.Version, cancellationToken);
        else
            await timers.CancelAsync(UpdateKind, subject, cancellationToken);
    }

    /// <summary>When the reminder of the review at <paramref name="reviewAt"/> is due: the configured time before it, or now.</summary>
    public DateTimeOffset ReviewReminderAt(DateTimeOffset reviewAt, DateTimeOffset now)
    {
        var at = reviewAt - options.Value.ReviewReminderBefore;
        return at > now ? at : now;
    }

    /// <summary>Arms the reminder of the agreement's next review after <paramref name="after"/>; cancels it when there is none.</summary>
    public async Task ArmReviewAsync(Agreement agreement, DateTimeOffset after, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        var subject = agreement.Id.ToString(CultureInfo.InvariantCulture);
        if (NextReview(agreement, after) is { } review)
            await timers.ArmAsync(ReviewKind, subject, ReviewReminderAt(review, now), review.ToUnixTimeSeconds(), cancellationToken);
        else
            await timers.CancelAsync(ReviewKind, subject, cancellationToken);
    }

    public Task CancelReviewAsync(long agreementId, CancellationToken cancellationToken) =>
        timers.CancelAsync(ReviewKind, agreementId.ToString(CultureInfo.InvariantCulture), cancellationToken);

    /// <summary>The agreement's next review meeting after <paramref name="after"/>: none unless Active with a usable review cadence.</summary>
    public static DateTimeOffset? NextReview(Agreement agreement, DateTimeOffset after)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        return agreement.Status == AgreementStatus.Active && agreement.TermsInForce?.CommunicationPlan?.ReviewCadence is { } cadence
            && ZonedCron.TryCreate(cadence.Cron, cadence.TimeZoneId, out _) is { } schedule ? schedule.Next(after) : null;
    }
}

/// <summary>
/// A fired update timer: reloads the obligation, and if the fencing token still matches applies every step whose time
/// has come (<see cref="UpdateObligation.FireDue"/>), stages the notices with the same save, and — when the period closed
/// as missed — opens the next obligation in that save. An obligation of an agreement no longer Active is ended (cancelled
/// before its due time, missed after it) and its timer stops. A late, repeated or superseded fire changes nothing.
/// </summary>
public sealed partial class UpdateTimerHandler(
    BotDbContext db, PlanMessages messages, UpdateObligations obligations, PlanTimers timers, ApprovalClock clock, ILogger<UpdateTimerHandler> logger) : ITimerHandler
{
    public async Task HandleAsync(TimerFire fire, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fire);
        if (!long.TryParse(fire.SubjectId, CultureInfo.InvariantCulture, out var id)) return;
        await db.RetryOnConflictAsync(async ct =>
        {
            var obligation = await db.UpdateObligations.FirstOrDefaultAsync(o => o.Id == id, ct);
            if (obligation is null) return 0;
            var agreement = await db.Agreements.AsNoTracking().FirstOrDefaultAsync(a => a.Id == obligation.AgreementId, ct);
            var now = clock.Now;
            if (obligation.IsOpen && (agreement is null || agreement.Status != AgreementStatus.Active || agreement.TermsInForce?.CommunicationPlan is null))
            {
                obligation.End(now);
                await db.SaveChangesAsync(ct);
                await timers.ArmAsync(obligation, ct);
                LogEnded(logger, id, obligation.State);
                return 0;
            }

            var result = obligation.FireDue(fire.FencingToken, now);
            if (result.Applied)
            {
                await messages.StageStepsAsync(agreement!, obligation, result.Steps, ct);
                var next = obligation.IsOpen ? null : obligations.OpenNext(agreement!, obligation.DueAt, now);
                await db.SaveChangesAsync(ct);
                await timers.ArmAsync(obligation, ct);
                if (next is not null) await timers.ArmAsync(next, ct);
            }
            else if (result.Outcome is UpdateTimerOutcome.NothingDue or UpdateTimerOutcome.StaleToken)
            {
                await timers.ArmAsync(obligation, ct);
            }

            LogFired(logger, id, result.Outcome, result.Steps.Count, fire.Lateness.TotalMilliseconds);
            return 0;
        }, cancellationToken);
    }

    [LoggerMessage(EventId = 4520, Level = LogLevel.Information, Message = "Update timer for obligation {ObligationId}: {Outcome}, {Steps} step(s), late by {LatenessMs} ms")]
    private static partial void LogFired(ILogger logger, long obligationId, UpdateTimerOutcome outcome, int steps, double latenessMs);

    [LoggerMessage(EventId = 4521, Level = LogLevel.Information, Message = "Update obligation {ObligationId} ended as {State}: its agreement is no longer active")]
    private static partial void LogEnded(ILogger logger, long obligationId, UpdateState state);
}

/// <summary>
/// The auditor (rule 8) of the communication plans: at start-up and every <see cref="Every"/>, opens the first update
/// obligation of every Active agreement that has none open (so an agreement activated since is picked up within one
/// round), ends the open obligations of agreements no longer Active, and re-arms every update and review timer that is
/// missing or armed for another time or fencing token — an overdue one then fires at once.
/// </summary>
public sealed partial class PlanTimerAuditor(IServiceScopeFactory scopes, DurableTimers timers, TimeProvider time, ILogger<PlanTimerAuditor> logger, IHostApplicationLifetime lifetime)
    : PeriodicWork(time, logger, lifetime)
{
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(10);

    /// <summary>One pass; returns how many obligations were opened or ended and timers re-armed.</summary>
    public async Task<int> AuditAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var arm = scope.ServiceProvider.GetRequiredService<PlanTimers>();
        var open = scope.ServiceProvider.GetRequiredService<UpdateObligations>();
        var now = Time.GetUtcNow();
        var changed = 0;

        var active = await db.Agreements.AsNoTracking().Where(a => a.Status == AgreementStatus.Active).ToListAsync(cancellationToken);
        var activeIds = active.Select(a => a.Id).ToHashSet();
        var openObligations = await db.UpdateObligations.Where(o => o.State == UpdateState.Due).ToListAsync(cancellationToken);

        var ended = new List<UpdateObligation>();
        foreach (var obligation in openObligations.Where(o => !activeIds.Contains(o.AgreementId) || active.First(a => a.Id == o.AgreementId).TermsInForce?.CommunicationPlan is null))
        {
            obligation.End(now);
            ended.Add(obligation);
        }

        if (!await TrySaveAsync(db, cancellationToken)) return ended.Count;
        changed += ended.Count;
        foreach (var obligation in ended)
            await arm.ArmAsync(obligation, cancellationToken); // closed: cancels its timer

        // Each agreement's first obligation in its own save, so one agreement's lost race does not hold up the others.
        foreach (var agreement in active.Where(a => openObligations.All(o => o.AgreementId != a.Id)))
        {
            if (open.OpenNext(agreement, now, now) is not { } first) continue;
            if (!await TrySaveAsync(db, cancellationToken)) continue;
            await arm.ArmAsync(first, cancellationToken);
            changed++;
        }

        // Every open obligation's timer, by the shared walk (a fresh read before re-arming, in batches).
        var due = db.UpdateObligations.AsNoTracking().Where(o => o.State == UpdateState.Due);
        changed += await TimerAudit.RearmStaleAsync(
            timers, PlanTimers.UpdateKind,
            (after, ct) => due.Where(o => o.Id > after).OrderBy(o => o.Id).Take(TimerAudit.PageSize).ToListAsync(ct),
            (ids, ct) => due.Where(o => ids.Contains(o.Id)).ToListAsync(ct),
            o => o.Id, o => (o.NextTimerAt(), o.Version), cancellationToken);

        // Review reminders: armed for this review or a later one (the token is the review's Unix seconds) is enough.
        var reviews = active.Select(a => (Agreement: a, Review: PlanTimers.NextReview(a, now)))
            .Where(r => r.Review is not null)
            .ToDictionary(r => r.Agreement.Id.ToString(CultureInfo.InvariantCulture), r => r.Review!.Value, StringComparer.Ordinal);
        var armedReviews = await timers.GetArmedAsync(PlanTimers.ReviewKind, reviews.Keys, cancellationToken);
        var missing = reviews
            .Where(r => !(armedReviews.TryGetValue(r.Key, out var a) && a.FencingToken >= r.Value.ToUnixTimeSeconds()))
            .Select(r => new TimerToArm(r.Key, arm.ReviewReminderAt(r.Value, now), r.Value.ToUnixTimeSeconds()))
            .ToList();
        changed += await timers.ArmManyAsync(PlanTimers.ReviewKind, missing, cancellationToken);

        if (changed > 0) LogAudited(logger, changed);
        return changed;
    }

    /// <summary>Saves; a lost race (another instance opened or closed the same obligation a moment earlier) is logged and undone: its result stands.</summary>
    private async Task<bool> TrySaveAsync(BotDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException e)
        {
            LogLostRace(logger, e.GetType().Name);
            foreach (var entry in db.ChangeTracker.Entries().Where(x => x.State is EntityState.Added or EntityState.Modified).ToList())
                entry.State = entry.State == EntityState.Added ? EntityState.Detached : EntityState.Unchanged;
            return false;
        }
    }

    protected override TimeSpan Interval => Every;

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => AuditAsync(cancellationToken);

    [LoggerMessage(EventId = 4530, Level = LogLevel.Information, Message = "Communication plans: {Count} obligation(s) opened or ended, or timer(s) re-armed")]
    private static partial void LogAudited(ILogger logger, int count);

    [LoggerMessage(EventId = 4531, Level = LogLevel.Warning, Message = "Communication plan audit lost a race ({Error}); the next round completes it")]
    private static partial void LogLostRace(ILogger logger, string error);
}
