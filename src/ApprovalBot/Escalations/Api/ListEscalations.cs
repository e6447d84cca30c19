using ApprovalBot.Approvals.Api;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Escalations.Api;

/// <summary>
/// <c>GET /api/v1/escalations</c>: escalations, newest first, in pages; filtered by state, agreement, level, priority and
/// whether an SLA clock is breached now. State, agreement, level and priority are columns and filter in the database;
/// <c>breached</c> is computed from the clocks (business time on each escalation's own calendar), so with it the
/// matching rows are read and judged one by one.
/// </summary>
internal static class ListEscalations
{
    public static async Task<IResult> HandleAsync(
        string? state, long? agreementId, string? level, bool? breached, string? priority, int? skip, int? take,
        BotDbContext db, TeamsPeople people, TimeProvider time, CancellationToken cancellationToken)
    {
        var input = new ApiInput(people);
        var inState = input.Enum<EscalationState>(state, "state");
        var atLevel = input.Enum<SupportLevel>(level, "level");
        var atPriority = input.Enum<Priority>(priority, "priority");
        var (s, t) = Paging.Read(skip, take, input);
        if (input.HasErrors) return input.Problem();

        var query = db.Escalations.AsNoTracking();
        if (inState is { } st) query = query.Where(e => e.State == st);
        if (agreementId is { } agreement) query = query.Where(e => e.AgreementId == agreement);
        if (atLevel is { } l) query = query.Where(e => e.Level == l);
        if (atPriority is { } p) query = query.Where(e => e.Priority == p);
        query = query.OrderByDescending(e => e.Id);
        var now = time.GetUtcNow();

        if (breached is not { } wanted)
        {
            var total = await query.CountAsync(cancellationToken);
            var page = await query.Skip(s).Take(t).ToListAsync(cancellationToken);
            return Results.Ok(new PageDto<EscalationSummaryDto>([.. page.Select(e => e.ToSummary(now))], total, s, t));
        }

        var matching = new List<Escalation>();
        await foreach (var escalation in query.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (escalation.IsSlaBreached(now) == wanted) matching.Add(escalation);
        }

        return Results.Ok(new PageDto<EscalationSummaryDto>([.. matching.Skip(s).Take(t).Select(e => e.ToSummary(now))], matching.Count, s, t));
    }
}
