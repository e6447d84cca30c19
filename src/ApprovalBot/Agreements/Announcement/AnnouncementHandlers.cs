using ApprovalBot.Approvals.Teams;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Teams;

namespace ApprovalBot.Agreements.Announcement;

/// <summary>
/// Acknowledge on an announcement (<see cref="AnnouncementVerbs.Acknowledge"/>): records it and answers with the card
/// showing every acknowledgement (the other copies are updated through the outbox); a repeated, stale, misplaced or
/// unknown click gets a clear message and changes nothing.
/// </summary>
public sealed class AnnouncementAcknowledgeHandler(AcknowledgeAnnouncement acknowledge, TeamsPeople people) : IActivityHandler
{
    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var data = new ActionData(turn.CardAction?.Action?.Data);
        if (data.Number("agreementId") is not { } id || data.SmallNumber("revision") is not { } revision)
            return InvokeResponse.Error(400, "BadRequest", "This card is missing its agreement.");
        if (await people.IdentifyAsync(turn.Activity, cancellationToken) is not { } me)
            return InvokeResponse.Message("I cannot tell who you are (your Teams account has no directory id).");
        var channel = turn.IsPersonal ? null : turn.Activity.ChannelData?.Channel?.Id ?? turn.ConversationId.Split(';')[0];
        var result = await acknowledge.HandleAsync(new AcknowledgeAnnouncementInput(id, revision, me, channel), cancellationToken);
        return result.Card is { } card ? InvokeResponse.Card(card) : InvokeResponse.Message(result.Refusal ?? "Nothing was recorded.");
    }
}

/// <summary>An approval made an agreement Active, or approved its renewal: announce the terms now in force, with the decision.</summary>
internal sealed class AnnounceOnActivation(AnnouncementMessages messages) : IAgreementOutcomeStage
{
    public async Task StageAsync(Agreement agreement, ApprovalRequest request, AgreementStatus before, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Status == ApprovalStatus.Approved && agreement.Status == AgreementStatus.Active && agreement.ActiveRevisionNumber == request.Subject.Revision)
            await messages.StageAsync(agreement, request.Requester, cancellationToken);
    }
}
