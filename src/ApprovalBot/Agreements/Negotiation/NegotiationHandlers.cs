using ApprovalBot.Approvals.Teams;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Teams;

namespace ApprovalBot.Agreements.Negotiation;

/// <summary>
/// Accept / Request changes on the negotiation card: answers with the card as the clicker sees it now, with what
/// happened or why nothing did (stale round, not a negotiator, no comment). Who answers is the activity's authenticated user.
/// </summary>
public sealed class NegotiationActionHandler(DecideNegotiation decide, NegotiationMessages messages, TeamsPeople people) : IActivityHandler
{
    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var action = turn.CardAction?.Action;
        var data = new ActionData(action?.Data);
        if (data.Number("agreementId") is not { } id || data.SmallNumber("round") is not { } round)
            return InvokeResponse.Error(400, "BadRequest", "This card is missing its agreement.");
        if (await people.IdentifyAsync(turn.Activity, cancellationToken) is not { } actor)
            return InvokeResponse.Message("I cannot tell who you are (your Teams account has no directory id).");
        var decision = action!.Verb == NegotiationVerbs.Accept ? NegotiationDecision.Accept : NegotiationDecision.RequestChanges;
        var result = await decide.HandleAsync(new DecideNegotiationInput(id, round, actor, decision, data.Text(NegotiationVerbs.CommentInput)), cancellationToken);
        if (result.Agreement is not { } agreement || result.Result is not { } outcome) return InvokeResponse.Message($"Agreement #{id} does not exist.");
        var rounds = agreement.NegotiationRounds;
        var shown = rounds.FirstOrDefault(r => r.Number == round) ?? (rounds.Count > 0 ? rounds[^1] : null);
        if (shown is null) return InvokeResponse.Message(outcome.Message);
        return InvokeResponse.Card(await messages.CardAsync(agreement, shown, actor, cancellationToken,
            error: outcome.Recorded ? null : outcome.Message, notice: outcome.Recorded ? outcome.Message : null));
    }
}
