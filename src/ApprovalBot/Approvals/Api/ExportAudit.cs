using System.Runtime.CompilerServices;
using System.Security.Claims;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace ApprovalBot.Approvals.Api;

/// <summary>
/// <c>GET /api/v1/approvals/{id}/audit</c> and <c>GET /api/v1/audit?from=&amp;to=</c>: audit trails as JSON (an array)
/// or CSV (<c>?format=csv</c> or <c>Accept: text/csv</c>; <see cref="AuditCsv"/>), ordered by request and sequence.
/// Both stream: rows are read in pages by (request id, sequence) — a keyset on the table's primary key — and written
/// as they come, so an export of any size holds one page in memory.
/// </summary>
internal static class ExportAudit
{
    internal const int PageSize = 500;

    public static async Task<IResult> ForRequestAsync(long id, string? format, HttpContext http, BotDbContext db, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var csv = WantsCsv(format, http.Request, out var formatError);
        if (formatError is not null) return ApiResults.Validation(new Dictionary<string, string[]> { ["format"] = [formatError] });
        if (!await db.ApprovalRequests.AsNoTracking().AnyAsync(r => r.Id == id, cancellationToken))
            return ApiResults.NotFound($"There is no approval request {id}.");
        LogExport(loggers, http, $"request {id}", csv);
        var records = ReadAsync(db, id, null, null, cancellationToken);
        return csv ? new CsvResult(records, $"approval-{id}-audit.csv") : Results.Ok(records);
    }

    public static IResult ForPeriod(DateTimeOffset? from, DateTimeOffset? to, string? format, HttpContext http, BotDbContext db, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var errors = new Dictionary<string, string[]>();
        var csv = WantsCsv(format, http.Request, out var formatError);
        if (formatError is not null) errors["format"] = [formatError];
        if (from is { } f && to is { } t && f > t) errors["from"] = ["from must not be after to."];
        if (errors.Count > 0) return ApiResults.Validation(errors);
        LogExport(loggers, http, $"from {Stamp(from) ?? "the start"} to {Stamp(to) ?? "now"}", csv);
        var records = ReadAsync(db, null, from, to, cancellationToken);
        var name = $"audit-{Stamp(from) ?? "start"}-{Stamp(to) ?? "now"}.csv";
        return csv ? new CsvResult(records, name) : Results.Ok(records);
    }

    /// <summary>CSV when <c>format=csv</c>, or when no format is given and the Accept header asks for text/csv.</summary>
    private static bool WantsCsv(string? format, HttpRequest request, out string? error)
    {
        error = null;
        if (format is not null)
        {
            if (string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)) return true;
            if (string.Equals(format, "json", StringComparison.OrdinalIgnoreCase)) return false;
            error = "format must be json or csv.";
            return false;
        }

        return request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(AuditCsv.ContentType, StringComparison.OrdinalIgnoreCase));
    }

    private static void LogExport(ILoggerFactory loggers, HttpContext http, string scope, bool csv)
    {
        var logger = loggers.CreateLogger(typeof(ExportAudit));
        var keyName = http.User.Identity?.Name ?? "";
        var format = csv ? "csv" : "json";
        ApprovalsApiLog.AuditExported(logger, keyName, scope, format);
    }

    private static string? Stamp(DateTimeOffset? at) =>
        at?.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The audit rows, page by page in (request id, sequence) order; <paramref name="to"/> is exclusive.</summary>
    internal static async IAsyncEnumerable<AuditRecordDto> ReadAsync(
        BotDbContext db, long? requestId, DateTimeOffset? from, DateTimeOffset? to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long lastRequest = 0;
        var lastSequence = 0;
        while (true)
        {
            var query = db.ApprovalRequests.AsNoTracking().SelectMany(r => r.AuditTrail, (r, e) => new { RequestId = r.Id, Entry = e });
            if (requestId is { } id) query = query.Where(x => x.RequestId == id);
            if (from is { } f) query = query.Where(x => x.Entry.At >= f);
            if (to is { } t) query = query.Where(x => x.Entry.At < t);
            var (afterRequest, afterSequence) = (lastRequest, lastSequence);
            query = query.Where(x => x.RequestId > afterRequest || (x.RequestId == afterRequest && x.Entry.Sequence > afterSequence));
            var page = await query
                .OrderBy(x => x.RequestId).ThenBy(x => x.Entry.Sequence)
                .Take(PageSize)
                .Select(x => new
                {
                    x.RequestId, x.Entry.Sequence, x.Entry.At, x.Entry.Actor, x.Entry.OnBehalfOf, x.Entry.Action, x.Entry.Outcome,
                    x.Entry.Refusal, x.Entry.Revision, x.Entry.StageNumber, x.Entry.StageName, x.Entry.DelegateTo, x.Entry.Comment, x.Entry.Detail,
                    x.Entry.DocumentHashes,
                })
                .ToListAsync(cancellationToken);
            foreach (var e in page)
            {
                yield return new AuditRecordDto(
                    e.RequestId, e.Sequence, e.At.ToUniversalTime(), e.Actor?.Value, e.OnBehalfOf?.Value, e.Action.ToString(), e.Outcome.ToString(),
                    e.Refusal?.ToString(), e.Revision, e.StageNumber, e.StageName, e.DelegateTo?.Value, e.Comment, e.Detail, e.DocumentHashes);
            }

            if (page.Count < PageSize) yield break;
            (lastRequest, lastSequence) = (page[^1].RequestId, page[^1].Sequence);
        }
    }

    /// <summary>Streams the records as a CSV attachment.</summary>
    private sealed class CsvResult(IAsyncEnumerable<AuditRecordDto> records, string fileName) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = AuditCsv.ContentType + "; charset=utf-8; header=present";
            var disposition = new ContentDispositionHeaderValue("attachment");
            disposition.SetHttpFileName(fileName);
            response.Headers.ContentDisposition = disposition.ToString();
            await AuditCsv.WriteAsync(response.Body, records, httpContext.RequestAborted);
        }
    }
}
