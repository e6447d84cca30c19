using ApprovalBot.Agreements;
using ApprovalBot.Approvals;
using ApprovalBot.Approvals.Teams;
using ApprovalBot.Domain.Common;
using ApprovalBot.Escalations.Cards;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Storage;
using ApprovalBot.Teams;

namespace ApprovalBot.Escalations.Teams;

/// <summary>
/// Open on a list or "who" card: posts the escalation's card below (recorded as a copy, so it stays current) for
/// someone who may see it (<see cref="EscalationReplies.MaySee"/>); the list stays as it is.
/// </summary>
public sealed class OpenEscalationCardHandler(TeamsPeople people, EscalationReplies replies) : IActivityHandler
{
    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        if (new ActionData(turn.CardAction?.Action?.Data).Number("escalationId") is not { } id)
            return InvokeResponse.Error(400, "BadRequest", "This card is missing its escalation.");
        var viewer = await people.IdentifyAsync(turn.Activity, cancellationToken);
        return await replies.PostCardAsync(turn, id, viewer, cancellationToken)
            ? InvokeResponse.Message($"{EscalationCardModel.Reference(id)} is posted below.")
            : InvokeResponse.Message($"There is no escalation {EscalationCardModel.Reference(id)} that you take part in.");
    }
}

/// <summary>
/// The escalation form's Open escalation: every field error is shown on the form at once, values kept; when valid, the
/// escalation opens (<see cref="OpenEscalation"/>) and the form turns into its card (recorded as a copy, so it stays current).
/// </summary>
public sealed class SubmitEscalationFormHandler(BotDbContext db, OpenEscalation open, EscalationFormCards forms, TeamsPeople people, EscalationMessages messages) : IActivityHandler
{
    public async ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var values = EscalationForm.Parse(new ActionData(turn.CardAction?.Action?.Data).Element);
        var active = (await ActiveAgreementNames.ListAsync(db, cancellationToken)).Select(a => new EscalationFormAgreement(a.Id, a.Name)).ToList();
        if (await people.IdentifyAsync(turn.Activity, cancellationToken) is not { } me)
            return InvokeResponse.Card(forms.Render(active, values, error: "I cannot tell who you are (your Teams account has no directory id)."));
        var errors = EscalationForm.Validate(values, active);
        if (errors.Count > 0)
            return InvokeResponse.Card(forms.Render(active, values, errors));

        try
        {
            var shared = !turn.IsPersonal;
            var escalation = await open.HandleAsync(new OpenEscalationInput(
                EscalationForm.AgreementId(values, active)!.Value, EscalationForm.PriorityOf(values)!.Value, values.Title!, values.Description, me,
                CardAt: turn.Activity.ReplyToId is { } formId ? new PostedCard(turn.Activity.ServiceUrl!, turn.ConversationId, formId) : null,
                CardViewer: shared ? null : me), cancellationToken);
            return InvokeResponse.Card(await messages.CardAsync(escalation, shared ? null : me, cancellationToken,
                notice: $"Opened {EscalationCardModel.Reference(escalation.Id)}; {escalation.Level} has been notified."));
        }
        catch (DomainException e)
        {
            return InvokeResponse.Card(forms.Render(active, values, error: e.Message));
        }
    }
}
