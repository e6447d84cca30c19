using ApprovalBot.Approvals.Teams;
using ApprovalBot.Escalations.Cards;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Escalations.Teams;

/// <summary>
/// Acknowledge / Resolve / Escalate / Hold / Resume on an escalation card. A click on the copy posted in the current
/// level's channel counts as coming from a member of that channel. Answers with the card as the clicker sees it now,
/// with what happened or why nothing did.
/// </summary>
public sealed class EscalationActionHandler(BotDbContext db, ActOnEscalation act, TeamsPeople people, EscalationMessages messages, EscalationChat chat) : IActivityHandler
{
    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var data = new ActionData(turn.CardAction?.Action?.Data);
        if (data.Number("escalationId") is not { } id)
            return InvokeResponse.Error(400, "BadRequest", "This card is missing its escalation.");
        if (await people.IdentifyAsync(turn.Activity, cancellationToken) is not { } actor)
            return InvokeResponse.Message("I cannot tell who you are (your Teams account has no directory id).");
        var action = turn.CardAction!.Action!.Verb switch
        {
            EscalationVerbs.Acknowledge => EscalationAction.Acknowledge,
            EscalationVerbs.Resolve => EscalationAction.Resolve,
            EscalationVerbs.Hold => EscalationAction.Hold,
            EscalationVerbs.Resume => EscalationAction.Resume,
            _ => EscalationAction.Escalate,
        };
        var text = data.Text(action == EscalationAction.Resolve ? EscalationVerbs.NoteInput : EscalationVerbs.ReasonInput);
        var current = await db.Escalations.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        var inLevelChannel = current is not null && EscalationChat.InLevelChannel(turn.Activity, current);
        var result = await act.HandleAsync(new ActOnEscalationInput(id, actor, inLevelChannel, action, text), cancellationToken);
        if (result.Escalation is not { } escalation) return InvokeResponse.Message($"Escalation E-{id} does not exist.");
        return InvokeResponse.Card(await messages.CardAsync(escalation, actor, cancellationToken,
            error: result.Refusal, notice: result.Refusal is null ? await chat.DoneAsync(action, escalation, actor, cancellationToken) : null));
    }
}

/// <summary>Refresh: the card as the person asking sees it (their buttons). Changes nothing.</summary>
public sealed class EscalationRefreshHandler(BotDbContext db, TeamsPeople people, EscalationMessages messages) : IActivityHandler
{
    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var data = new ActionData(turn.CardAction?.Action?.Data);
        if (data.Number("escalationId") is not { } id)
            return InvokeResponse.Error(400, "BadRequest", "This card is missing its escalation.");
        var escalation = await db.Escalations.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        var subject = EscalationMessages.Subject(id);
        var conversation = turn.ConversationId;
        if (escalation is null || !await db.CardCopies.AsNoTracking().AnyAsync(c => c.Subject == subject && c.ConversationId == conversation, cancellationToken))
            return InvokeResponse.Message($"Escalation E-{id} is not shown here.");
        return InvokeResponse.Card(await messages.CardAsync(escalation, await people.IdentifyAsync(turn.Activity, cancellationToken), cancellationToken));
    }
}
