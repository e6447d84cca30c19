using ApprovalBot.Approvals.Api;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Agreements.Api;

/// <summary><c>GET /api/v1/agreements/{id}</c>: the agreement with every revision and the ids of its approval requests.</summary>
internal static class GetAgreement
{
    public static async Task<IResult> HandleAsync(long id, BotDbContext db, CancellationToken cancellationToken)
    {
        var agreement = await db.Agreements.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (agreement is null) return ApiResults.NotFound($"There is no agreement {id}.");
        return Results.Ok(agreement.ToDto(await AgreementQueries.ApprovalRequestIdsAsync(db, id, cancellationToken)));
    }
}
