using ApprovalBot.Api;
using ApprovalBot.Approvals.Api;
using ApprovalBot.Domain.Kpis;

namespace ApprovalBot.Kpis.Api;

/// <summary>The KPI endpoint of the REST API (<c>/api/v1/kpis</c>), read role.</summary>
public static class KpisApi
{
    public static IEndpointRouteBuilder MapKpisApi(this IEndpointRouteBuilder app)
    {
        app.MapApiGroup().MapGet("/kpis", GetKpis.HandleAsync)
            .RequireApiPolicy(ApiPolicies.Read)
            .WithName("GetKpis").WithTags("KPIs")
            .WithSummary("Escalation KPIs of one agreement, or of all together and each, over a period: incidents opened, time to acknowledge and resolve (median, p90, mean), response and resolution SLA compliance.")
            .WithDescription($"agreementId (optional: all agreements); period: {KpiPeriod.Forms} — months, quarters and years in the organisation's time zone (Approvals:TimeZone). Counted over escalations opened in the period as they stand now; durations are seconds of business time on each agreement's calendar without holds; median and p90 are nearest-rank; each figure says what it excludes (note). CSAT is the mean of the survey answers; uptime the time-weighted mean of the uptime reports overlapping the period (POST /api/v1/agreements/{{id}}/uptime); cadence compliance is provider updates on time ÷ updates due in the period (obligations not yet due and cancelled ones excluded); a figure with nothing to measure is null with the reason (notMeasured). JSON by default; CSV (one row per agreement and figure) with format=csv or Accept: text/csv. An unknown agreement: 404; a period that cannot be read or has not begun: 400.")
            .Produces<KpisDto>(StatusCodes.Status200OK, "application/json", AuditCsv.ContentType)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}
