using ApprovalBot.Approvals.Teams;
using ApprovalBot.Escalations.Cards;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Teams;

namespace ApprovalBot.Escalations.Teams;

/// <summary>
/// Send on the satisfaction survey card: the answer goes through <see cref="ActOnEscalation"/> (the domain checks who,
/// when, which resolution, the score) and the card is replaced by the thank-you, or shows why nothing changed. A score
/// that is not a whole number reads as none, which the domain refuses like one out of range.
/// </summary>
public sealed class EscalationSurveyHandler(ActOnEscalation act, TeamsPeople people, EscalationMessages messages) : IActivityHandler
{
    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var data = new ActionData(turn.CardAction?.Action?.Data);
        if (data.Number("escalationId") is not { } id || data.SmallNumber("resolution") is not { } resolution)
            return InvokeResponse.Error(400, "BadRequest", "This card is missing its escalation.");
        if (await people.IdentifyAsync(turn.Activity, cancellationToken) is not { } actor)
            return InvokeResponse.Message("I cannot tell who you are (your Teams account has no directory id).");
        var result = await act.HandleAsync(new ActOnEscalationInput(id, actor, false, EscalationAction.AnswerSurvey,
            data.Text(EscalationVerbs.CommentInput), Score: data.SmallNumber(EscalationVerbs.ScoreInput), Resolution: resolution), cancellationToken);
        if (result.Escalation is not { } escalation) return InvokeResponse.Message($"Escalation E-{id} does not exist.");
        return InvokeResponse.Card(await messages.SurveyCardAsync(escalation, resolution, actor, cancellationToken, error: result.Refusal));
    }
}
