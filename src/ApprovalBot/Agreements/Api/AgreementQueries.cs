using ApprovalBot.Domain.Approvals;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Agreements.Api;

/// <summary>Reads the agreement endpoints share.</summary>
internal static class AgreementQueries
{
    /// <summary>The ids of the approval requests about the agreement, oldest first.</summary>
    public static async Task<IReadOnlyList<long>> ApprovalRequestIdsAsync(BotDbContext db, long agreementId, CancellationToken cancellationToken) =>
        await db.ApprovalRequests.AsNoTracking()
            .Where(r => r.Subject.Kind == ApprovalSubjectKind.Agreement && r.Subject.Id == agreementId)
            .OrderBy(r => r.Id).Select(r => r.Id).ToListAsync(cancellationToken);
}
