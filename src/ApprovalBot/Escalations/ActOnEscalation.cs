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

/// <summary>
/// The escalation as it is now (null when there is none), and why the action was refused, if it was: the domain's
/// message for people and its stable code (<c>escalation.forbidden</c>, <c>escalation.transition</c>, …) for callers
/// that answer differently per rule, such as the REST API (403 or 409).
/// </summary>
public sealed record ActOnEscalationResult(Escalation? Escalation, string? Refusal, string? RefusalCode = null);

/// <summary>
/// Applies an action through the domain (which checks who may act and which transitions are legal), stages the
/// notification a manual escalation causes and the update of every copy of the card, commits, and re-plans the
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
                    case EscalationAction.Resolve: escalation.Resolve(actor, input.Text ?? "", now); break;
                    case EscalationAction.Hold: escalation.Hold(actor, input.Text ?? "", now); break;
                    case EscalationAction.Resume: escalation.Resume(actor, now); break;
                    case EscalationAction.Assign: escalation.Assign(actor, input.Assignee ?? default, now); break;
                    case EscalationAction.Reopen: escalation.Reopen(actor, input.Text ?? "", now); break;
                    case EscalationAction.Close: escalation.Close(actor, now); break;
                    case EscalationAction.Escalate: notifications.Add(escalation.EscalateManually(actor, input.Text ?? "", now)); break;
                    default: throw new ArgumentOutOfRangeException(nameof(input), input.Action, "Unknown escalation action.");
                }
            }
            catch (DomainException e)
            {
                return new ActOnEscalationResult(escalation, e.Message, e.Code);
            }

            await messages.StageAsync(escalation, notifications, ct);
            await db.SaveChangesAsync(ct);
            await timers.ArmAsync(escalation, ct);
            return new ActOnEscalationResult(escalation, null);
        }, cancellationToken);
    }
}
