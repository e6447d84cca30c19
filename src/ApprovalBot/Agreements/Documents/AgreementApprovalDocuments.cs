using ApprovalBot.Approvals.Cards;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Agreements.Documents;

/// <summary>
/// The approval card's documents for an agreement request: the documents of the revision the request decides, each
/// with a fresh signed link, and a note when they differ from the revision before ("Draft replaced").
/// </summary>
public sealed class AgreementApprovalDocuments(BotDbContext db, DocumentLinks links) : IApprovalDocuments
{
    public async Task<ApprovalDocumentsView> ForAsync(ApprovalRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Subject.Kind != ApprovalSubjectKind.Agreement || request.Subject.Id is not { } id) return ApprovalDocumentsView.None;
        var agreement = db.Agreements.Local.FirstOrDefault(a => a.Id == id)
            ?? await db.Agreements.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        var revision = agreement?.Revisions.FirstOrDefault(r => r.Number == request.Subject.Revision);
        if (revision is null) return ApprovalDocumentsView.None;
        var previous = agreement!.Revisions.Where(r => r.Number < revision.Number).OrderByDescending(r => r.Number).FirstOrDefault();
        var shown = revision.Documents.OrderBy(d => d.Kind).Select(d => new ApprovalCardDocument(
            AgreementDocument.KindName(d.Kind), d.FileName, AgreementDocument.FormatSize(d.SizeBytes), d.ShortHash, links.For(id, d.Sha256))).ToList();
        return new ApprovalDocumentsView(shown, previous is null ? null : ChangeNote(previous, revision));
    }

    /// <summary>"The documents changed in revision 3: Draft replaced, Final contract added." or null when they did not.</summary>
    public static string? ChangeNote(AgreementRevision previous, AgreementRevision current)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        var changes = new List<string>();
        foreach (var kind in Enum.GetValues<DocumentKind>())
        {
            var before = previous.Documents.FirstOrDefault(d => d.Kind == kind);
            var now = current.Documents.FirstOrDefault(d => d.Kind == kind);
            var name = AgreementDocument.KindName(kind);
            if (before is null && now is not null) changes.Add($"{name} added");
            else if (before is not null && now is null) changes.Add($"{name} removed");
            else if (before is not null && now is not null && before.Sha256 != now.Sha256) changes.Add($"{name} replaced (was sha256 {before.ShortHash})");
        }
        return changes.Count == 0 ? null
            : $"The documents changed in revision {current.Number}: {string.Join(", ", changes)}. Decisions made on earlier documents do not count.";
    }
}
