using ApprovalBot.Approvals.Teams;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Teams;

namespace ApprovalBot.Agreements.Signing;

/// <summary>
/// Sign on the signing card: answers with the card as the signer sees it now, with what happened or why nothing did
/// (not a signatory, already signed, wrong name, stale card). Who signs is the activity's authenticated user.
/// </summary>
public sealed class SignActionHandler(SignAgreement sign, SigningMessages messages, TeamsPeople people) : IActivityHandler
{
    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var data = new ActionData(turn.CardAction?.Action?.Data);
        if (data.Number("agreementId") is not { } id || data.SmallNumber("revision") is not { } revision)
            return InvokeResponse.Error(400, "BadRequest", "This card is missing its agreement.");
        if (await people.IdentifyAsync(turn.Activity, cancellationToken) is not { } signer)
            return InvokeResponse.Message("I cannot tell who you are (your Teams account has no directory id).");
        var result = await sign.HandleAsync(new SignAgreementInput(id, signer, revision, data.Text("sha256"), data.Text(SigningVerbs.TypedNameInput)), cancellationToken);
        if (result.Agreement is not { } agreement || result.Result is not { } outcome) return InvokeResponse.Message($"Agreement #{id} does not exist.");
        var shown = agreement.Revisions.Any(r => r.Number == revision) ? revision : agreement.CurrentRevision.Number;
        return InvokeResponse.Card(await messages.CardAsync(agreement, signer, shown, cancellationToken,
            error: outcome.Recorded ? null : outcome.Message, notice: outcome.Recorded ? outcome.Message : null));
    }
}
