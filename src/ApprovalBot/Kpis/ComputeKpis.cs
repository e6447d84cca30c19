using ApprovalBot.Approvals;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Domain.Kpis;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Kpis;

/// <summary>What to compute: one agreement (null: all of them) over a period as typed (null or empty: 30 days).</summary>
public sealed record ComputeKpisInput(long? AgreementId, string? Period);

/// <summary>
/// The answer: <see cref="Overall"/> for the scope asked, and for all agreements also one report per agreement (every
/// Active one, and any other that had escalations opened in the period), by name. <see cref="Error"/> when the period
/// cannot be read (nothing is computed then).
/// </summary>
public sealed record KpiResult(KpiPeriod? Period, KpiReport? Overall, IReadOnlyList<KpiReport> Agreements, string? Error)
{
    public static KpiResult Refused(string error) => new(null, null, [], error);
}

/// <summary>
/// Computes KPIs (<see cref="KpiCalculator"/>) from the stored escalations. The period is read in the organisation's
/// time zone (<c>Approvals:TimeZone</c>); the escalations loaded are those whose lifetime overlaps it (opened before its
/// end and not resolved before its start), and the calculator keeps those opened in it; likewise the uptime reports
/// overlapping the period, and the provider update obligations due in it (cadence compliance). Reads only.
/// </summary>
public sealed class ComputeKpis(BotDbContext db, ApprovalClock clock)
{
    public const string AllScope = "All agreements";

    /// <summary>The result; an unknown <see cref="ComputeKpisInput.AgreementId"/> is the caller's to check first.</summary>
    public async Task<KpiResult> HandleAsync(ComputeKpisInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var now = clock.Now;
        if (!KpiPeriod.TryParse(input.Period, clock.TimeZone, now, out var period, out var error))
            return KpiResult.Refused(error!);
        return await HandleAsync(input.AgreementId, period, cancellationToken);
    }

    /// <summary>The result over an explicit <paramref name="period"/> (e.g. since the last review meeting).</summary>
    public async Task<KpiResult> HandleAsync(long? agreementId, KpiPeriod period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        var now = clock.Now;
        var input = new ComputeKpisInput(agreementId, period.Text);
        var (from, to) = (period.From, period.To);
        var query = db.Escalations.AsNoTracking().Where(e => e.OpenedAt < to && (e.ResolvedAt == null || e.ResolvedAt >= from));
        if (input.AgreementId is { } id) query = query.Where(e => e.AgreementId == id);
        var escalations = await query.ToListAsync(cancellationToken);
        var uptimeQuery = db.UptimeReports.AsNoTracking().Where(r => r.From < to && r.To > from);
        if (input.AgreementId is { } uid) uptimeQuery = uptimeQuery.Where(r => r.AgreementId == uid);
        var uptime = await uptimeQuery.ToListAsync(cancellationToken);
        var updateQuery = db.UpdateObligations.AsNoTracking().Where(u => u.DueAt >= from && u.DueAt < to);
        if (input.AgreementId is { } oid) updateQuery = updateQuery.Where(u => u.AgreementId == oid);
        var updates = await updateQuery.ToListAsync(cancellationToken);

        var withEscalations = escalations.Where(e => e.OpenedAt >= from).Select(e => e.AgreementId).Distinct().ToList();
        var agreements = await db.Agreements.AsNoTracking()
            .Where(a => input.AgreementId == null ? a.Status == AgreementStatus.Active || withEscalations.Contains(a.Id) : a.Id == input.AgreementId)
            .Select(a => new { a.Id, a.Name })
            .ToListAsync(cancellationToken);

        if (input.AgreementId is { } one)
        {
            var name = agreements.SingleOrDefault()?.Name ?? Snapshot(escalations) ?? $"Agreement {one}";
            return new KpiResult(period, KpiCalculator.Compute(one, name, period, escalations, now, uptime, updates), [], null);
        }

        var each = agreements
            .OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase).ThenBy(a => a.Id)
            .Select(a => KpiCalculator.Compute(a.Id, a.Name, period, escalations, now, uptime, updates))
            .ToList();
        return new KpiResult(period, KpiCalculator.Compute(null, AllScope, period, escalations, now, uptime, updates), each, null);
    }

    private static string? Snapshot(List<Escalation> escalations) => escalations.Count > 0 ? escalations[0].Policy.AgreementName : null;
}
