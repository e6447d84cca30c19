using System.Security.Claims;
using ApprovalBot.Approvals;
using ApprovalBot.Approvals.Api;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Uptime;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Uptime.Api;

/// <summary>
/// <c>POST /api/v1/agreements/{id}/uptime</c>: stores an <see cref="UptimeReport"/> on behalf of the calling API key.
/// Every invalid field is listed (400); an unknown agreement is a 404; a report whose period overlaps one already
/// stored for the same service (names compared ignoring case; no service = the agreement as a whole) is refused with a
/// 409 <c>uptime.overlap</c> naming it: reports are facts, never silently replaced.
/// </summary>
internal static class ReportUptime
{
    public sealed record Body(DateTimeOffset? From, DateTimeOffset? To, double? Percent, string? Service, string? Note);

    public static async Task<IResult> HandleAsync(long id, Body body, BotDbContext db, TeamsPeople people, ApprovalClock clock, ClaimsPrincipal user, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var now = clock.Now;
        var input = new ApiInput(people);
        if (body.From is null) input.Error("from", "from is required: the start of the period, an ISO 8601 instant.");
        if (body.To is null) input.Error("to", "to is required: the end of the period (exclusive), an ISO 8601 instant.");
        if (body.From is { } f && body.To is { } t) Check(input, "to", () => UptimeReport.CheckPeriod(f, t, now));
        if (body.Percent is not { } percent) input.Error("percent", "percent is required: the availability over the period, 0 to 100 with at most 3 decimals.");
        else Check(input, "percent", () => UptimeReport.CheckPercent(percent));
        Check(input, "service", () => UptimeReport.CheckService(body.Service));
        Check(input, "note", () => UptimeReport.CheckNote(body.Note));
        if (input.HasErrors) return input.Problem();

        if (!await db.Agreements.AnyAsync(a => a.Id == id, cancellationToken)) return ApiResults.NotFound($"There is no agreement {id}.");

        var logger = loggers.CreateLogger(typeof(ReportUptime));
        var keyName = user.Identity?.Name ?? "api";
        var report = UptimeReport.Create(id, body.From!.Value, body.To!.Value, body.Percent!.Value, body.Service, body.Note, keyName, now);
        var (from, to) = (report.From, report.To);
        // Check and insert under the agreement's lock: two overlapping reports sent at once must not both pass the check.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await StorageProviders.LockAgreementAsync(db, id, cancellationToken);
        var candidates = await db.UptimeReports.AsNoTracking()
            .Where(r => r.AgreementId == id && r.From < to && r.To > from)
            .ToListAsync(cancellationToken);
        if (candidates.FirstOrDefault(report.Overlaps) is { } clash)
        {
            UptimeApiLog.Overlap(logger, keyName, id, report.Service ?? "whole agreement", clash.Id);
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The current state does not allow this.",
                detail: $"Uptime report {clash.Id} ({clash.Service ?? "the agreement as a whole"}, {clash.From:O} to {clash.To:O}) already covers part of this period; report only time not yet reported.",
                extensions: new Dictionary<string, object?> { ["code"] = "uptime.overlap", ["overlaps"] = clash.Id });
        }

        db.UptimeReports.Add(report);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        UptimeApiLog.Reported(logger, keyName, report.Id, id, report.Service ?? "whole agreement", report.Percent, report.From, report.To);
        // There is no single-report endpoint: Location is the agreement's list, where the report now appears.
        return Results.Created($"/api/v1/agreements/{id}/uptime", report.ToDto());
    }

    private static void Check(ApiInput input, string field, Action check)
    {
        try
        {
            check();
        }
        catch (DomainException e)
        {
            input.Error(field, e.Message);
        }
    }

    private static void Check(ApiInput input, string field, Func<string?> check) => Check(input, field, () => { _ = check(); });
}
