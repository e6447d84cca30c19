using ApprovalBot.Approvals.Cards;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Approvals.Teams;

/// <summary>
/// Approve / Reject / Request changes / Delegate on an approval card. Answers with the card as the clicker sees it
/// now: with a notice when the decision was recorded, or with the reason when it was refused (stale card, not an
/// approver, comment missing …) — a refusal changes nothing but the audit trail.
/// </summary>
public sealed class DecideActionHandler(DecideApproval decide, TeamsPeople people, ApprovalMessages messages) : IActivityHandler
{
    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var data = new ActionData(turn.CardAction?.Action?.Data);
        if (data.Number("requestId") is not { } id || data.SmallNumber("revision") is not { } revision || data.SmallNumber("stage") is not { } stage)
            return InvokeResponse.Error(400, "BadRequest", "This card is missing its request; open it again with the command `approvals`.");
        if (await people.IdentifyAsync(turn.Activity, cancellationToken) is not { } actor)
            return InvokeResponse.Message("I cannot tell who you are (your Teams account has no directory id), so I cannot record a decision.");

        var verb = turn.CardAction!.Action!.Verb switch
        {
            ApprovalVerbs.Approve => DecisionVerb.Approve,
            ApprovalVerbs.Reject => DecisionVerb.Reject,
            ApprovalVerbs.RequestChanges => DecisionVerb.RequestChanges,
            _ => DecisionVerb.Delegate,
        };
        var comment = data.Text("comment");
        var result = await decide.HandleAsync(new DecideApprovalInput(id, actor, new CardState(revision, stage), verb, comment, data.Text("delegateTo")), cancellationToken);
        if (result.Request is not { } request)
            return InvokeResponse.Message($"Approval request #{id} does not exist (any more).");
        var card = result.Refusal is { } refusal
            ? await messages.CardAsync(request, actor, cancellationToken, error: refusal.Message, commentDraft: comment)
            : await messages.CardAsync(request, actor, cancellationToken, notice: Recorded(verb));
        return InvokeResponse.Card(card);
    }

    private static string Recorded(DecisionVerb verb) => verb switch
    {
        DecisionVerb.Approve => "Your approval is recorded.",
        DecisionVerb.Reject => "Your rejection is recorded; the requester has been told.",
        DecisionVerb.RequestChanges => "Your request for changes went to the requester.",
        _ => "Delegated. The new approver has the card now.",
    };
}

/// <summary>
/// Refresh (Teams asks for the clicker's view of a card, <c>refresh.userIds</c>) and Open (a row of the approvals
/// list): the card as that person sees it now. Changes nothing.
/// </summary>
public sealed class ViewApprovalHandler(BotDbContext db, TeamsPeople people, ApprovalMessages messages) : IActivityHandler
{
    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var data = new ActionData(turn.CardAction?.Action?.Data);
        if (data.Number("requestId") is not { } id)
            return InvokeResponse.Error(400, "BadRequest", "This card is missing its request.");
        var request = await db.WholeApprovalRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (request is null) return InvokeResponse.Message($"Approval request #{id} does not exist (any more).");
        var viewer = await people.IdentifyAsync(turn.Activity, cancellationToken);
        // Only people taking part, or anyone in a conversation where a copy of the card was posted, may see it.
        var subject = ApprovalMessages.Subject(id);
        var conversation = turn.ConversationId;
        if ((viewer is not { } person || !StatusCommandHandler.TakesPart(request, person))
            && !await db.CardCopies.AsNoTracking().AnyAsync(c => c.Subject == subject && c.ConversationId == conversation, cancellationToken))
            return InvokeResponse.Message($"There is no request #{id} that you take part in.");
        return InvokeResponse.Card(await messages.CardAsync(request, viewer, cancellationToken));
    }
}

/// <summary>The requester's Resubmit on a request sent back for changes (requests about anything but an agreement).</summary>
public sealed class ResubmitActionHandler(ResubmitApproval resubmit, TeamsPeople people, ApprovalMessages messages) : IActivityHandler
{
    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var data = new ActionData(turn.CardAction?.Action?.Data);
        if (data.Number("requestId") is not { } id)
            return InvokeResponse.Error(400, "BadRequest", "This card is missing its request.");
        if (await people.IdentifyAsync(turn.Activity, cancellationToken) is not { } actor)
            return InvokeResponse.Message("I cannot tell who you are (your Teams account has no directory id).");
        var result = await resubmit.HandleAsync(id, actor, data.Text("comment"), cancellationToken);
        if (result.Request is not { } request) return InvokeResponse.Message($"Approval request #{id} does not exist (any more).");
        return InvokeResponse.Card(await messages.CardAsync(request, actor, cancellationToken,
            error: result.Error, notice: result.Error is null ? "Resubmitted. The approvers have the new revision." : null));
    }
}
