using ApprovalBot.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Escalations;

public enum EscalationAction
{
    Acknowledge,
    Resolve,
    Escalate,
    Hold,
    Resume,
    Assign,
    Reopen,
    Close,
}

/// <summary>
/// Someone acts on an escalation. <paramref name="InLevelChannel"/>: the host found them in the current level's
/// channel (a click on the copy posted there). <paramref name="Text"/>: the reason (escalate, hold, reopen) or note
/// (resolve). <paramref name="Assignee"/>: who to assign (assign only).
/// </summary>
public sealed record ActOnEscalationInput(
    long EscalationId, PersonId Actor, bool InLevelChannel, EscalationAction Action, string? Text, PersonId? Assignee = null);

/// <summary>The escalation as it is now (null when there is none), and why the action was refused, if it was.</summary>
public sealed record ActOnEscalationResult(Escalation? Escalation, string? Refusal);

/// <summary>
/// Applies an action through the domain (which checks who may act and which transitions are legal), stages the
/// notifications it causes (a manual escalation: the new level; an assignment: the assignee; a resolution: the
/// reporter; a reopening: the current level) and the update of every copy of the card, commits, and re-plans the
/// timer. A refused action changes nothing and says why. A lost race is retried from a reload.
/// </summary>
public sealed class ActOnEscalation(BotDbContext db, EscalationMessages messages, EscalationTimers timers, ApprovalClock clock)
{
    public Task<ActOnEscalationResult> HandleAsync(ActOnEscalationInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return db.RetryOnConflictAsync(async ct =>
        {
            var escalation = await db.Escalations.FirstOrDefaultAsync(e => e.Id == input.EscalationId, ct);
            if (escalation is null) return new ActOnEscalationResult(null, null);
            var actor = new EscalationActor(input.Actor, input.InLevelChannel);
            var now = clock.Now;
            var notifications = new List<EscalationNotification>();
            try
            {
                switch (input.Action)
                {
                    case EscalationAction.Acknowledge: escalation.Acknowledge(actor, now); break;
                    case EscalationAction.Resolve: notifications.AddRange(ToReporter(escalation, escalation.Resolve(actor, input.Text ?? "", now))); break;
                    case EscalationAction.Hold: escalation.Hold(actor, input.Text ?? "", now); break;
                    case EscalationAction.Resume: escalation.Resume(actor, now); break;
                    case EscalationAction.Assign: notifications.AddRange(ToAssignee(escalation, escalation.Assign(actor, input.Assignee ?? default, now))); break;
                    case EscalationAction.Reopen: notifications.Add(ToLevel(escalation, escalation.Reopen(actor, input.Text ?? "", now))); break;
                    case EscalationAction.Close: escalation.Close(actor, now); break;
                    case EscalationAction.Escalate: notifications.Add(escalation.EscalateManually(actor, input.Text ?? "", now)); break;
                    default: throw new ArgumentOutOfRangeException(nameof(input), input.Action, "Unknown escalation action.");
                }
            }
            catch (DomainException e)
            {
                return new ActOnEscalationResult(escalation, e.Message);
            }

            await messages.StageAsync(escalation, notifications, ct);
            await db.SaveChangesAsync(ct);
            await timers.ArmAsync(escalation, ct);
            return new ActOnEscalationResult(escalation, null);
        }, cancellationToken);
    }

    // Who is told, besides the copies updated in place. The actor is left out: their answer is the card itself.

    /// <summary>The new assignee gets the card in their 1:1 chat (unless they assigned themselves).</summary>
    private static IEnumerable<EscalationNotification> ToAssignee(Escalation escalation, TimelineEntry entry) =>
        escalation.Assignee is { } assignee && assignee != entry.Actor ? [Notification(escalation, entry, [assignee], [])] : [];

    /// <summary>The reporter gets the card with the note (unless they resolved it themselves).</summary>
    private static IEnumerable<EscalationNotification> ToReporter(Escalation escalation, TimelineEntry entry) =>
        escalation.Reporter != entry.Actor ? [Notification(escalation, entry, [escalation.Reporter], [])] : [];

    /// <summary>A reopened escalation goes back to the current level's people and channel.</summary>
    private static EscalationNotification ToLevel(Escalation escalation, TimelineEntry entry) =>
        Notification(escalation, entry, [.. escalation.CurrentContacts.People.Where(p => p != entry.Actor)],
            escalation.LevelChannelId is { } channel ? [channel] : []);

    private static EscalationNotification Notification(Escalation escalation, TimelineEntry entry, IReadOnlyList<PersonId> people, IReadOnlyList<string> channels) =>
        new(entry.Kind, entry.At, escalation.Level, null, people, channels, entry.Sequence);
}
