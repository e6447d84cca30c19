using System.Globalization;
using ApprovalBot.Approvals.Api;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Uptime.Api;

/// <summary>
/// <c>GET /api/v1/agreements/{id}/uptime?from=&amp;to=</c>: the agreement's uptime reports whose period overlaps
/// [from, to) (either bound optional), oldest period first.
/// </summary>
internal static class ListUptime
{
    public static async Task<IResult> HandleAsync(long id, string? from, string? to, BotDbContext db, TeamsPeople people, CancellationToken cancellationToken)
    {
        var input = new ApiInput(people);
        var start = Instant(from, "from", input);
        var end = Instant(to, "to", input);
        if (start is { } s0 && end is { } e0 && e0 <= s0) input.Error("to", "to must be after from.");
        if (input.HasErrors) return input.Problem();

        if (!await db.Agreements.AnyAsync(a => a.Id == id, cancellationToken)) return ApiResults.NotFound($"There is no agreement {id}.");

        var query = db.UptimeReports.AsNoTracking().Where(r => r.AgreementId == id);
        if (start is { } s) query = query.Where(r => r.To > s);
        if (end is { } e) query = query.Where(r => r.From < e);
        var reports = await query.ToListAsync(cancellationToken);
        return Results.Ok(new UptimeListDto(id, start, end,
            [.. reports.OrderBy(r => r.From).ThenBy(r => r.Id).Select(r => r.ToDto())]));
    }

    private static DateTimeOffset? Instant(string? text, string field, ApiInput input)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            return at;
        input.Error(field, $"'{text}' is not an instant: use ISO 8601, e.g. 2026-11-01T00:00:00Z.");
        return null;
    }
}
