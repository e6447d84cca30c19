using System.Globalization;
using ApprovalBot.Scheduling;
using ApprovalBot.Storage;
using ApprovalBot.Teams.Outbox;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Operations;

/// <summary>How an operator's action ended: done, refused by the state (409), or the target does not exist (404).</summary>
public enum ActionOutcome
{
    Done,
    Refused,
    NotFound,
}

/// <summary>The action's answer: what happened, in a sentence for the page and the API.</summary>
public sealed record ActionResult(ActionOutcome Outcome, string Message)
{
    public int StatusCode => Outcome switch
    {
        ActionOutcome.Done => StatusCodes.Status200OK,
        ActionOutcome.NotFound => StatusCodes.Status404NotFound,
        _ => StatusCodes.Status409Conflict,
    };
}

/// <summary>
/// Retry a failed timer now: its trigger (waiting for Quartz's next retry) is replaced by one that fires now, once — so
/// the handler runs exactly once for this retry, not once now and again at the retry time. The handler's fencing check
/// keeps even a repeat harmless. A success then removes the failure (<see cref="TimerActivityRecorder"/>); a failure is
/// recorded again and Quartz's retries go on. Audited.
/// </summary>
public sealed partial class RetryTimer(BotDbContext db, ScheduledTimers scheduled, TimerKinds kinds, TimeProvider time, ILogger<RetryTimer> logger)
{
    public async Task<ActionResult> HandleAsync(string kind, string subjectId, string actor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var target = $"timer {kind}/{subjectId}";
        if (!kinds.All.Contains(kind))
            return await AuditAsync(actor, target, new ActionResult(ActionOutcome.NotFound, $"There is no timer kind '{kind}'."), cancellationToken);
        var now = time.GetUtcNow();
        if (!await scheduled.FireNowAsync(kind, subjectId, now, cancellationToken))
        {
            return await AuditAsync(actor, target, new ActionResult(ActionOutcome.Refused,
                $"Timer {kind}/{subjectId} is not armed any more (its retries ran out, or it was cancelled or fired since): nothing to retry. The feature's auditor re-arms it if its subject still needs it."),
                cancellationToken);
        }

        LogRetried(logger, kind, subjectId, actor);
        var done = new ActionResult(ActionOutcome.Done, $"Timer {kind}/{subjectId} fires now.");
        var failure = await db.TimerFailures.FirstOrDefaultAsync(f => f.Kind == kind && f.SubjectId == subjectId, cancellationToken);
        failure?.RetryRequested(actor, now);
        try
        {
            return await AuditAsync(actor, target, done, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The fire ran (and succeeded: its failure row is gone) before this save: only the audit entry is left to write.
            db.ChangeTracker.Clear();
            return await AuditAsync(actor, target, done, cancellationToken);
        }
    }

    private async Task<ActionResult> AuditAsync(string actor, string target, ActionResult result, CancellationToken cancellationToken)
    {
        db.OperationsAudit.Add(OperationsAuditEntry.Record(time.GetUtcNow(), actor, "timer.retry", target, result.Outcome == ActionOutcome.Done, result.Message));
        await db.SaveChangesAsync(cancellationToken);
        return result;
    }

    [LoggerMessage(EventId = 5301, Level = LogLevel.Information, Message = "Timer {Kind}/{Subject} retried now by {Actor}")]
    private static partial void LogRetried(ILogger logger, string kind, string subject, string actor);
}

/// <summary>
/// Dismiss a failed timer whose retries ran out: Quartz holds no trigger for it any more, so no later fire can succeed
/// and clear its failure, which would otherwise stay listed for ever. The failure row is removed (the audit entry keeps
/// what it said); a timer that is still armed is refused — its retries go on, and Retry fires it now. Audited.
/// </summary>
public sealed partial class DismissTimerFailure(BotDbContext db, ScheduledTimers scheduled, TimeProvider time, ILogger<DismissTimerFailure> logger)
{
    public const string Action = "timer.dismiss";

    public async Task<ActionResult> HandleAsync(string kind, string subjectId, string actor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var target = $"timer {kind}/{subjectId}";
        var failure = await db.TimerFailures.FirstOrDefaultAsync(f => f.Kind == kind && f.SubjectId == subjectId, cancellationToken);
        ActionResult result;
        if (failure is null)
        {
            result = new ActionResult(ActionOutcome.NotFound, $"Timer {kind}/{subjectId} has no failure to dismiss.");
        }
        else if ((await scheduled.NextFireTimesAsync([(kind, subjectId)], cancellationToken)).TryGetValue((kind, subjectId), out var next))
        {
            result = new ActionResult(ActionOutcome.Refused, string.Create(CultureInfo.InvariantCulture,
                $"Timer {kind}/{subjectId} is still armed (next retry {next:yyyy-MM-dd HH:mm:ss} UTC): only a failed timer whose retries ran out can be dismissed. Retry it now, or wait."));
        }
        else
        {
            db.TimerFailures.Remove(failure);
            result = new ActionResult(ActionOutcome.Done, $"The failure of timer {kind}/{subjectId} ({failure.ErrorType}: {failure.Error}) was dismissed.");
        }

        db.OperationsAudit.Add(OperationsAuditEntry.Record(time.GetUtcNow(), actor, Action, target, result.Outcome == ActionOutcome.Done, result.Message));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The timer failed again, or another operator dismissed it, at the same moment: nothing is removed.
            db.ChangeTracker.Clear();
            result = new ActionResult(ActionOutcome.Refused, $"The failure of timer {kind}/{subjectId} was changed by someone else at the same moment; reload and try again.");
            db.OperationsAudit.Add(OperationsAuditEntry.Record(time.GetUtcNow(), actor, Action, target, false, result.Message));
            await db.SaveChangesAsync(cancellationToken);
        }
        if (result.Outcome == ActionOutcome.Done) LogDismissed(logger, kind, subjectId, actor);
        return result;
    }

    [LoggerMessage(EventId = 5305, Level = LogLevel.Information, Message = "Failure of timer {Kind}/{Subject} dismissed by {Actor}")]
    private static partial void LogDismissed(ILogger logger, string kind, string subject, string actor);
}

/// <summary>
/// Retry or discard a given-up outbox message (<see cref="OutboxMessage.RetryAfterGivingUp"/>, <see cref="OutboxMessage.Discard"/>),
/// with its audit entry in the same save; the message's version guards a race with another operator. Retry wakes the
/// dispatcher, which sends it once (its dedupe key and claim are unchanged rules). Retrying a card's post also revives
/// the updates of that card that were given up because the post was (<see cref="OutboxMessage.RevivedWithPost"/>): they
/// wait for the post again and are sent after it, in order, once.
/// </summary>
public sealed partial class ActOnOutboxMessage(BotDbContext db, OutboxSignal signal, TimeProvider time, ILogger<ActOnOutboxMessage> logger)
{
    public const string RetryAction = "outbox.retry";
    public const string DiscardAction = "outbox.discard";

    public Task<ActionResult> RetryAsync(long id, string actor, CancellationToken cancellationToken) => ActAsync(id, actor, RetryAction, cancellationToken);

    public Task<ActionResult> DiscardAsync(long id, string actor, CancellationToken cancellationToken) => ActAsync(id, actor, DiscardAction, cancellationToken);

    private async Task<ActionResult> ActAsync(long id, string actor, string action, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var target = string.Create(CultureInfo.InvariantCulture, $"outbox {id}");
        var now = time.GetUtcNow();
        var message = await db.OutboxMessages.FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        ActionResult result;
        if (message is null)
        {
            result = new ActionResult(ActionOutcome.NotFound, $"There is no outbox message {id}.");
        }
        else if (message.Status != OutboxStatus.GivenUp)
        {
            result = new ActionResult(ActionOutcome.Refused, $"Outbox message {id} is {message.Status}, not given up: only a given-up message can be retried or discarded.");
        }
        else if (action == RetryAction)
        {
            message.RetryAfterGivingUp(now);
            // The card updates given up because this post was: they wait for it again and follow it, in order, once.
            var updates = await db.OutboxMessages
                .Where(m => m.AfterMessageId == id && m.Status == OutboxStatus.GivenUp && m.TargetActivityId == null)
                .OrderBy(m => m.Id)
                .ToListAsync(cancellationToken);
            foreach (var update in updates) update.RevivedWithPost(now);
            result = new ActionResult(ActionOutcome.Done, updates.Count == 0
                ? $"Outbox message {id} is pending again and is sent next."
                : $"Outbox message {id} is pending again and is sent next; the {updates.Count} card update(s) given up with it ({string.Join(", ", updates.Select(u => u.Id))}) follow it.");
        }
        else
        {
            message.Discard(now);
            result = new ActionResult(ActionOutcome.Done, $"Outbox message {id} was discarded; it will not be sent.");
        }

        db.OperationsAudit.Add(OperationsAuditEntry.Record(now, actor, action, target, result.Outcome == ActionOutcome.Done, result.Message));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            result = new ActionResult(ActionOutcome.Refused, $"Outbox message {id} was changed by someone else at the same moment; reload and try again.");
            db.OperationsAudit.Add(OperationsAuditEntry.Record(now, actor, action, target, false, result.Message));
            await db.SaveChangesAsync(cancellationToken);
        }
        if (result.Outcome == ActionOutcome.Done)
        {
            if (action == RetryAction) signal.Notify();
            LogActed(logger, action, id, actor);
        }
        return result;
    }

    [LoggerMessage(EventId = 5302, Level = LogLevel.Information, Message = "{Action} of outbox message {Id} by {Actor}")]
    private static partial void LogActed(ILogger logger, string action, long id, string actor);
}
