using ApprovalBot.Approvals;
using ApprovalBot.Domain.Kpis;
using ApprovalBot.Kpis;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Dashboard;

/// <summary>What to show: one agreement (null: all), the period as <c>kpi</c> reads it, and the trend's step.</summary>
public sealed record ShowDashboardInput(long? AgreementId, string? Period, TrendBucket Bucket);

/// <summary>An agreement the page offers in its selector.</summary>
public sealed record DashboardAgreement(long Id, string Name, string Status);

/// <summary>
/// Everything the page shows: the KPI result for the period (as <c>GET /api/v1/kpis</c> computes it), the trend
/// (one report per bucket, oldest first) for the same scope, and the agreements to choose from. <see cref="Error"/>
/// when the period cannot be read, <see cref="NotFound"/> for an unknown agreement: nothing else is computed then.
/// </summary>
public sealed record DashboardModel(
    ShowDashboardInput Input,
    KpiResult Kpis,
    IReadOnlyList<KpiReport> Trend,
    IReadOnlyList<DashboardAgreement> Agreements,
    TimeZoneInfo TimeZone,
    string? Error,
    bool NotFound);

/// <summary>
/// The dashboard's read: <see cref="ComputeKpis"/> for the period, and for the trend the escalations opened (and the
/// uptime reports overlapping) since the first bucket, judged by <see cref="KpiTrend"/> bucket by bucket. Reads only.
/// </summary>
public sealed class ShowDashboard(BotDbContext db, ComputeKpis kpis, ApprovalClock clock, IOptions<DashboardOptions> options)
{
    public async Task<DashboardModel> HandleAsync(ShowDashboardInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var agreements = (await db.Agreements.AsNoTracking()
                .Select(a => new { a.Id, a.Name, a.Status })
                .ToListAsync(cancellationToken))
            .OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase).ThenBy(a => a.Id)
            .Select(a => new DashboardAgreement(a.Id, a.Name, a.Status.ToString()))
            .ToList();
        var none = KpiResult.Refused(string.Empty);
        if (input.AgreementId is { } id && agreements.All(a => a.Id != id))
            return new DashboardModel(input, none, [], agreements, clock.TimeZone, $"There is no agreement {id}.", NotFound: true);

        var result = await kpis.HandleAsync(new ComputeKpisInput(input.AgreementId, input.Period), cancellationToken);
        if (result.Error is { } error) return new DashboardModel(input, result, [], agreements, clock.TimeZone, error, NotFound: false);

        var now = clock.Now;
        var count = input.Bucket == TrendBucket.Week ? options.Value.TrendWeeks : options.Value.TrendMonths;
        var buckets = KpiTrend.Buckets(input.Bucket, count, clock.TimeZone, now);
        var from = buckets[0].From;
        var escalations = db.Escalations.AsNoTracking().Where(e => e.OpenedAt >= from && e.OpenedAt < now);
        var uptime = db.UptimeReports.AsNoTracking().Where(r => r.From < now && r.To > from);
        if (input.AgreementId is { } one)
        {
            escalations = escalations.Where(e => e.AgreementId == one);
            uptime = uptime.Where(r => r.AgreementId == one);
        }

        var trend = KpiTrend.Compute(input.AgreementId, result.Overall!.Scope, buckets,
            await escalations.ToListAsync(cancellationToken), now, await uptime.ToListAsync(cancellationToken));
        return new DashboardModel(input, result, trend, agreements, clock.TimeZone, null, NotFound: false);
    }
}
