using ApprovalBot.Domain.Approvals;

namespace ApprovalBot.Approvals.Cards;

/// <summary>The documents an approval card shows for the request's subject revision, and a note when they changed.</summary>
public sealed record ApprovalDocumentsView(IReadOnlyList<ApprovalCardDocument> Documents, string? Note)
{
    public static readonly ApprovalDocumentsView None = new([], null);
}

/// <summary>
/// Finds the documents of a request's subject (the agreements feature provides it for agreement subjects). Keeps the
/// approvals feature from knowing where documents live.
/// </summary>
public interface IApprovalDocuments
{
    Task<ApprovalDocumentsView> ForAsync(ApprovalRequest request, CancellationToken cancellationToken);
}
