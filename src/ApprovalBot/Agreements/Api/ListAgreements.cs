using ApprovalBot.Approvals.Api;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Agreements.Api;

/// <summary><c>GET /api/v1/agreements</c>: agreements, oldest first, in pages, optionally of one status.</summary>
internal static class ListAgreements
{
    public static async Task<IResult> HandleAsync(string? status, int? skip, int? take, BotDbContext db, TeamsPeople people, CancellationToken cancellationToken)
    {
        var input = new ApiInput(people);
        var state = input.Enum<AgreementStatus>(status, "status");
        var (s, t) = Paging.Read(skip, take, input);
        if (input.HasErrors) return input.Problem();

        var query = db.Agreements.AsNoTracking();
        if (state is { } st) query = query.Where(a => a.Status == st);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderBy(a => a.Id).Skip(s).Take(t)
            .Select(a => new { a.Id, a.Name, a.Status, a.CreatedBy, a.CreatedAt, Revision = a.Revisions.Max(r => r.Number) })
            .ToListAsync(cancellationToken);
        return Results.Ok(new PageDto<AgreementSummaryDto>(
            [.. rows.Select(a => new AgreementSummaryDto(a.Id, a.Name, a.Status.ToString(), a.CreatedBy.Value, a.CreatedAt.ToUniversalTime(), a.Revision))],
            total, s, t));
    }
}
