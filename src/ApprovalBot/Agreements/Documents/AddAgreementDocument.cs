using System.Globalization;
using ApprovalBot.Agreements.Negotiation;
using ApprovalBot.Agreements.Signing;
using ApprovalBot.Approvals;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Agreements.Documents;

/// <summary>What an accepted upload did: the agreement, the document now in its current revision, and the change.</summary>
public sealed record DocumentAdded(Agreement Agreement, AgreementDocument Document, DocumentChange Change)
{
    /// <summary>One sentence for the uploader.</summary>
    public string Summary()
    {
        var what = $"{AgreementDocument.KindName(Document.Kind)} '{Document.FileName}' ({AgreementDocument.FormatSize(Document.SizeBytes)}, sha256 {Document.ShortHash})";
        var revision = Agreement.CurrentRevision.Number;
        return Change switch
        {
            DocumentChange.Unchanged => $"{what} is already in revision {revision} of '{Agreement.Name}': nothing changed.",
            DocumentChange.AddedToRevision => $"Stored {what} in revision {revision} of '{Agreement.Name}'.",
            DocumentChange.NewRevision => $"Stored {what} in revision {revision} of '{Agreement.Name}', a new revision: submit it when it is ready (agreement submit {Agreement.Id}).",
            DocumentChange.NewRevisionAwaitingSignatures => $"Stored {what} in revision {revision} of '{Agreement.Name}'. The documents changed while it awaited signatures, so revision {revision} goes through approval again from the first stage; the signatures so far do not count.",
            _ => $"Stored {what} in revision {revision} of '{Agreement.Name}'. The documents changed while it was in approval, so its approval restarts from the first stage; earlier decisions do not count.",
        };
    }
}

/// <summary>
/// Adds a checked file to an agreement as its Draft or FinalContract document (the author or an oversight owner only).
/// The bytes go to the document store and the metadata to the revision in one save; in approval, the request restarts
/// from its first stage on the new revision (approvers get the new card; every copy of the old one is updated) and
/// its timers are re-armed after the save. When the revision was with the provider, the open negotiation round closes
/// as superseded in the same save: every copy of its card is updated (no buttons, why it closed), its negotiators are
/// told once, and the closing is in the agreement's events; the next round goes out when the new revision reaches the
/// negotiation stage again.
/// </summary>
public sealed partial class AddAgreementDocument(
    BotDbContext db, IDocumentStore store, IApproverResolver resolver, ApprovalClock clock, ApprovalMessages messages, ApprovalTimers timers,
    ApprovalFlows flows, SigningMessages signingMessages, NegotiationMessages negotiationMessages, ILogger<AddAgreementDocument> logger)
{
    public async Task<DocumentAdded?> HandleAsync(long agreementId, DocumentKind kind, DocumentFile file, byte[] content, PersonId by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(content);
        var agreement = await db.Agreements.FirstOrDefaultAsync(a => a.Id == agreementId, cancellationToken);
        if (agreement is null) return null;
        AgreementAccess.EnsureCanChange(agreement, by);

        if (agreement.DocumentChangeFor(kind, file) == DocumentChange.NewRevisionAwaitingSignatures)
            return await SupersedeSigningAsync(agreement, kind, file, content, by, cancellationToken);

        ApprovalRequest? request = null;
        var seen = 0;
        if (agreement.DocumentChangeFor(kind, file) == DocumentChange.NewRevisionInApproval)
        {
            var revision = agreement.CurrentRevision.Number;
            request = await db.WholeApprovalRequests
                .Where(r => r.Subject.Kind == ApprovalSubjectKind.Agreement && r.Subject.Id == agreementId && r.Subject.Revision == revision
                            && (r.Status == ApprovalStatus.InProgress || r.Status == ApprovalStatus.Blocked || r.Status == ApprovalStatus.AwaitingProvider))
                .OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken)
                ?? throw new DomainException("agreement.transition", $"The approval request of revision {revision} of '{agreement.Name}' was not found.");
            seen = request.AuditTrail.Count;
        }

        var withTheProvider = agreement.OpenNegotiationRound;
        var change = await AgreementApproval.AttachDocumentAsync(agreement, request, kind, file, by, resolver, clock.Calendar, clock.Now, cancellationToken);
        if (change != DocumentChange.Unchanged)
        {
            await store.PutAsync(file.Sha256, content, cancellationToken);
            if (request is not null) await messages.StageAsync(request, seen, cancellationToken);
            var superseded = request is not null && withTheProvider is { Outcome: NegotiationOutcome.Superseded } ? withTheProvider : null;
            if (superseded is not null) await StageSupersededRoundAsync(agreement, request!, superseded, kind, file, by, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            if (request is not null) await timers.ArmAsync(request, cancellationToken);
            if (superseded is not null) LogRoundSuperseded(logger, agreement.Id, superseded.Number, superseded.Revision, agreement.CurrentRevision.Number);
        }

        return new DocumentAdded(agreement, agreement.CurrentRevision.Documents.Single(d => d.Kind == kind), change);
    }

    /// <summary>
    /// The document closed the negotiation round that waited for the provider: recorded in the agreement's events (who
    /// added what), every copy of the round's card updated in place, and its negotiators told. Staged before the save.
    /// </summary>
    private async Task StageSupersededRoundAsync(
        Agreement agreement, ApprovalRequest request, NegotiationRound round, DocumentKind kind, DocumentFile file, PersonId by, CancellationToken cancellationToken)
    {
        db.AgreementEvents.Add(AgreementEvent.Record(agreement.Id, AgreementEventKind.NegotiationSuperseded, by, clock.Now, string.Create(CultureInfo.InvariantCulture,
            $"Round {round.Number}: closed without the provider's answer. {AgreementDocument.KindName(kind)} '{file.FileName}' (sha256 {file.Sha256[..12]}) made revision {agreement.CurrentRevision.Number}, which replaced revision {round.Revision}; the approval restarted from the first stage.")));
        await negotiationMessages.UpdateCopiesAsync(agreement, cancellationToken);
        await negotiationMessages.TellSupersededAsync(agreement, request, round, cancellationToken);
    }

    /// <summary>
    /// A document changed while the agreement awaits signatures: the new revision goes through approval again (a new
    /// request on the flow the signed-off revision went through), the signatures so far no longer count, and every
    /// signing card shows that it is out of date.
    /// </summary>
    private async Task<DocumentAdded> SupersedeSigningAsync(Agreement agreement, DocumentKind kind, DocumentFile file, byte[] content, PersonId by, CancellationToken cancellationToken)
    {
        var revision = agreement.CurrentRevision.Number;
        var approved = await db.ApprovalRequests
            .Where(r => r.Subject.Kind == ApprovalSubjectKind.Agreement && r.Subject.Id == agreement.Id && r.Subject.Revision == revision && r.Status == ApprovalStatus.Approved)
            .OrderByDescending(r => r.Id).Select(r => r.FlowName).FirstOrDefaultAsync(cancellationToken);
        var flow = flows.Find(approved) ?? flows.Agreement;
        var request = await AgreementApproval.AttachDocumentAwaitingSignaturesAsync(agreement, flow, kind, file, by, resolver, clock.Calendar, clock.Now, cancellationToken);
        await store.PutAsync(file.Sha256, content, cancellationToken);
        await signingMessages.UpdateCopiesAsync(agreement, cancellationToken);
        await SubmitApproval.SaveNewAsync(db, request, messages, null, cancellationToken);
        await timers.ArmAsync(request, cancellationToken);
        return new DocumentAdded(agreement, agreement.CurrentRevision.Documents.Single(d => d.Kind == kind), DocumentChange.NewRevisionAwaitingSignatures);
    }

    [LoggerMessage(EventId = 4896, Level = LogLevel.Information, Message = "Agreement {AgreementId}: negotiation round {Round} on revision {Revision} closed without the provider's answer: a document change made revision {NewRevision}")]
    private static partial void LogRoundSuperseded(ILogger logger, long agreementId, int round, int revision, int newRevision);
}
