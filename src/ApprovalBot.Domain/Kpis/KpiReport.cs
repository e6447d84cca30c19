using ApprovalBot.Domain.Agreements;

namespace ApprovalBot.Domain.Kpis;

/// <summary>
/// The KPIs of one agreement (or of all of them) over a <see cref="KpiPeriod"/>, computed by <see cref="KpiCalculator"/>
/// at <see cref="ComputedAt"/>. Every figure carries the counts it rests on and a note that says what it leaves out.
/// Figures with nothing to measure (no survey answer, no uptime report in the period; cadence, which nothing measures
/// yet) are present with a null value and the reason, so the shape never changes.
/// </summary>
/// <param name="AgreementId">Null for all agreements together.</param>
/// <param name="Opened">Escalations opened in the period: the cohort every other figure is computed over.</param>
/// <param name="OpenedByPriority">The same by priority, P1 to P4, zero included.</param>
public sealed record KpiReport(
    long? AgreementId,
    string Scope,
    KpiPeriod Period,
    DateTimeOffset ComputedAt,
    int Opened,
    IReadOnlyList<PriorityCount> OpenedByPriority,
    DurationFigure TimeToAcknowledge,
    DurationFigure TimeToResolve,
    ComplianceFigure ResponseSla,
    ComplianceFigure ResolutionSla,
    AverageFigure Csat,
    PercentFigure CadenceCompliance,
    PercentFigure Uptime);

/// <summary>How many escalations of <paramref name="Priority"/> were opened.</summary>
public sealed record PriorityCount(Priority Priority, int Count);

/// <summary>
/// A time to acknowledge or resolve: <paramref name="Counted"/> escalations measured, their median, 90th percentile
/// (both nearest-rank) and mean (rounded to the second); null when none was counted. <paramref name="Excluded"/> of the
/// cohort were left out, for the reason in <paramref name="Note"/>.
/// </summary>
public sealed record DurationFigure(int Counted, int Excluded, TimeSpan? Median, TimeSpan? P90, TimeSpan? Mean, string Note);

/// <summary>
/// SLA compliance: <paramref name="Met"/> ÷ (<paramref name="Met"/> + <paramref name="Missed"/>) as a percentage with
/// one decimal, null when nothing is decided yet. <paramref name="Pending"/>: still running within the target, not
/// counted either way.
/// </summary>
public sealed record ComplianceFigure(int Met, int Missed, int Pending, double? Percent, string Note)
{
    public int Decided => Met + Missed;
}

/// <summary>An average of <paramref name="Count"/> ratings (CSAT); null with <paramref name="NotMeasured"/> saying why.</summary>
public sealed record AverageFigure(double? Average, int Count, string? NotMeasured, string Note);

/// <summary>A percentage over <paramref name="Count"/> observations; null with <paramref name="NotMeasured"/> saying why.</summary>
public sealed record PercentFigure(double? Percent, int Count, string? NotMeasured, string Note);
