using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Storage;

namespace ApprovalBot.Agreements.Term;

/// <summary>
/// A renewal was decided (approved, rejected or sent back): every copy of the end-of-term card is updated in place to
/// the outcome (renewed until the new end date; or rejected, with the choices still open), and the decision goes into
/// the agreement's audit trail — in the decision's transaction. An approval that comes after the agreement expired
/// reinstates it (see <see cref="Agreement.ApplyApprovalOutcome"/>), recorded as such.
/// </summary>
internal sealed class RenewalOutcome(BotDbContext db, TermMessages messages, TermClock clock) : IAgreementOutcomeStage
{
    public async Task StageAsync(Agreement agreement, ApprovalRequest request, AgreementStatus before, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(request);
        var revision = request.Subject.Revision;
        if (!agreement.IsRenewalRevision(revision) || agreement.CurrentRevision.Number != revision || agreement.CurrentRevision.Outcome is not { } outcome) return;

        var by = request.Outcome?.DecidedBy;
        var now = clock.Now;
        if (outcome == RevisionOutcome.Approved)
        {
            var terms = agreement.TermsInForce!;
            var until = terms.EndDate is { } end ? $" until {TermDates.Format(end)}" : "";
            db.AgreementEvents.Add(AgreementEvent.Record(agreement.Id, AgreementEventKind.RenewalApproved, by, now, $"Revision {revision} approved: {agreement.Name} runs{until}."));
            if (before == AgreementStatus.Expired)
                db.AgreementEvents.Add(AgreementEvent.Record(agreement.Id, AgreementEventKind.Reinstated, by, now,
                    $"{agreement.Name} had expired while its renewal was in approval; the approved next term is in force, so it is Active again."));
        }
        else
        {
            var verdict = outcome == RevisionOutcome.Rejected ? "rejected" : "sent back for changes";
            db.AgreementEvents.Add(AgreementEvent.Record(agreement.Id, AgreementEventKind.RenewalRejected, by, now,
                $"Revision {revision} {verdict}{(string.IsNullOrWhiteSpace(request.Outcome?.Comment) ? "" : $": {request.Outcome!.Comment!.Trim()}")}"));
        }
        await messages.UpdateCopiesAsync(agreement, cancellationToken);
    }
}
