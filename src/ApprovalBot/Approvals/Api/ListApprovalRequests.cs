using ApprovalBot.Domain.Approvals;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Approvals.Api;

/// <summary>
/// <c>GET /api/v1/approvals</c>: requests, newest first, in pages; filtered by status, by requester and by whom the
/// current stage waits for (people by e-mail, UPN or Entra object id).
/// </summary>
internal static class ListApprovalRequests
{
    public static async Task<IResult> HandleAsync(
        string? status, string? requester, string? waitingFor, int? skip, int? take,
        BotDbContext db, TeamsPeople people, CancellationToken cancellationToken)
    {
        return await ApiResults.GuardAsync(async () =>
        {
            var input = new ApiInput(people);
            var state = input.Enum<ApprovalStatus>(status, "status");
            var (s, t) = Paging.Read(skip, take, input);
            var by = await input.PersonAsync(requester, "requester", required: false, cancellationToken);
            var waiting = await input.PersonAsync(waitingFor, "waitingFor", required: false, cancellationToken);
            if (input.HasErrors) return input.Problem();

            var query = db.WholeApprovalRequests.AsNoTracking();
            if (state is { } st) query = query.Where(r => r.Status == st);
            if (by is { } person) query = query.Where(r => r.Requester == person);
            if (waiting is { } w)
            {
                // The current stage run is the only one in progress; a seat waits while undecided, held by its delegate or else its owner.
                query = query.Where(r => r.Status == ApprovalStatus.InProgress && r.StageRuns.Any(run => run.Status == StageRunStatus.InProgress
                    && run.Seats.Any(seat => seat.Decision == null && (seat.Delegate == w || (seat.Delegate == null && seat.Owner == w)))));
            }

            var total = await query.CountAsync(cancellationToken);
            var page = await query.OrderByDescending(r => r.Id).Skip(s).Take(t).AsSplitQuery().ToListAsync(cancellationToken);
            return Results.Ok(new PageDto<ApprovalSummaryDto>([.. page.Select(r => r.ToSummary())], total, s, t));
        });
    }
}
