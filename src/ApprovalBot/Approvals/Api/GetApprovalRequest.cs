using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Approvals.Api;

/// <summary><c>GET /api/v1/approvals/{id}</c>: one request in full (stages snapshot, stage runs with seats and decisions, outcome).</summary>
internal static class GetApprovalRequest
{
    public static async Task<IResult> HandleAsync(long id, BotDbContext db, CancellationToken cancellationToken)
    {
        var request = await db.WholeApprovalRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        return request is null ? ApiResults.NotFound($"There is no approval request {id}.") : Results.Ok(request.ToDto());
    }
}
