using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Escalations.Api;

/// <summary><c>GET /api/v1/escalations/{id}</c>: one escalation in full, its clocks computed at the time of the answer.</summary>
internal static class GetEscalation
{
    public static async Task<IResult> HandleAsync(long id, BotDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var escalation = await db.Escalations.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        return escalation is null ? EscalationApiResults.NotFound(id) : Results.Ok(escalation.ToDto(time.GetUtcNow()));
    }
}
