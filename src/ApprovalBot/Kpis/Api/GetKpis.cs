using ApprovalBot.Approvals;
using ApprovalBot.Approvals.Api;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace ApprovalBot.Kpis.Api;

/// <summary>
/// <c>GET /api/v1/kpis?agreementId=&amp;period=&amp;format=</c>: the same numbers as <c>kpi</c> in chat, as JSON
/// (<see cref="KpisDto"/>) or CSV (<c>format=csv</c> or <c>Accept: text/csv</c>; <see cref="KpiCsv"/>). Without
/// <c>agreementId</c>: all agreements together and each one. Any agreement, not only Active ones.
/// </summary>
internal static class GetKpis
{
    public static async Task<IResult> HandleAsync(long? agreementId, string? period, string? format, HttpContext http, BotDbContext db, ComputeKpis kpis, ApprovalClock clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var csv = false;
        if (format is null) csv = http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(AuditCsv.ContentType, StringComparison.OrdinalIgnoreCase));
        else if (string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)) csv = true;
        else if (!string.Equals(format, "json", StringComparison.OrdinalIgnoreCase)) errors["format"] = ["format must be json or csv."];
        if (errors.Count > 0) return ApiResults.Validation(errors);

        if (agreementId is { } id && !await db.Agreements.AsNoTracking().AnyAsync(a => a.Id == id, cancellationToken))
            return ApiResults.NotFound($"There is no agreement {id}.");

        var result = await kpis.HandleAsync(new ComputeKpisInput(agreementId, period), cancellationToken);
        if (result.Error is { } error) return ApiResults.Validation(new Dictionary<string, string[]> { ["period"] = [error] });

        var dto = result.ToDto(clock.TimeZone);
        if (!csv) return Results.Ok(dto);
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName($"kpis-{(agreementId is { } a ? $"agreement-{a}" : "all")}-{dto.Period.Text.Replace(' ', '-')}.csv");
        http.Response.Headers.ContentDisposition = disposition.ToString();
        return Results.Text(KpiCsv.Write(dto), AuditCsv.ContentType + "; charset=utf-8; header=present");
    }
}
