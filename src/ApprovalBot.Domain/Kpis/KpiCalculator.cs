using System.Globalization;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.CommunicationPlans;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Domain.Uptime;

namespace ApprovalBot.Domain.Kpis;

/// <summary>
/// KPIs over stored escalations, with no I/O. The rules, stated once (the notes in the report repeat them):
/// <list type="bullet">
/// <item>The cohort is the escalations <b>opened in the period</b> [from, to); everything else is ignored. Each is judged
/// as it stands at <c>now</c>, so a report on last month counts an acknowledgement made this morning.</item>
/// <item>Times are <b>business time on each escalation's own snapshotted calendar, without holds and without time spent
/// resolved before a reopen</b> — exactly what the SLA clocks count (<see cref="Escalation.ResponseElapsed"/>,
/// <see cref="Escalation.ResolutionElapsed"/>), not wall time.</item>
/// <item>Time to acknowledge counts the acknowledged ones; unacknowledged ones (open, or resolved without an
/// acknowledgement) are excluded and counted. Time to resolve counts those resolved (or closed) at <c>now</c>; a
/// reopened one counts only once resolved again, with the stretch it spent resolved left out; unresolved ones are
/// excluded and counted.</item>
/// <item>Median and 90th percentile are <b>nearest-rank</b>: sort the n values ascending and take the ⌈p/100 × n⌉-th
/// (for an even n the median is the lower middle value). The mean is rounded to the second.</item>
/// <item>SLA compliance is met ÷ decided. The response SLA is decided once the response clock stops (acknowledged, or
/// resolved without an acknowledgement) or once it has used its whole target; the resolution SLA once resolved or once
/// it has used its whole target. Met means under the target (at exactly 100 % it is missed, as the clocks say).
/// Still running within the target: pending, counted but excluded. No decided one: no percentage.</item>
/// <item>CSAT is the mean score (1–5, two decimals) of every satisfaction survey answer about the cohort: one answer per
/// resolution, so a reopened escalation can have two. No answer: no average.</item>
/// <item>Uptime is the <b>time-weighted mean</b> of the uptime reports (of the agreement; for all agreements, of every
/// agreement) that overlap the period, each weighted by the part of its own period that lies inside the KPI period, to
/// three decimals; services of one agreement are weighted together. No report overlapping the period: no percentage.</item>
/// <item>Cadence compliance is provider updates on time ÷ updates due: the communication plan's obligations whose
/// <b>due time lies in the period and is not after <c>now</c></b> (one still to come is not counted); cancelled ones (the
/// agreement stopped being Active before they were due) are left out; late, missed and still-overdue ones count as due
/// and not on time. One decimal. None due: no percentage.</item>
/// </list>
/// </summary>
public static class KpiCalculator
{
    public const string TimeBasis = "business time on each agreement's calendar, holds and resolved stretches left out";

    public const string CadenceNothingDue = "no provider update was due in this period";
    public const string UptimeNotReported = "no uptime reported for this period";

    /// <summary>
    /// The report over those of <paramref name="escalations"/> opened in <paramref name="period"/>, judged at
    /// <paramref name="now"/>. <paramref name="scope"/> names what it covers ("Contoso help desk", "All agreements").
    /// <paramref name="uptime"/>: uptime reports, of which those of the agreement (any, for all) overlapping the period count.
    /// </summary>
    public static KpiReport Compute(long? agreementId, string scope, KpiPeriod period, IEnumerable<Escalation> escalations, DateTimeOffset now,
        IEnumerable<UptimeReport>? uptime = null, IEnumerable<UpdateObligation>? updates = null)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(escalations);
        var cohort = escalations
            .Where(e => e.OpenedAt >= period.From && e.OpenedAt < period.To && (agreementId is null || e.AgreementId == agreementId))
            .OrderBy(e => e.OpenedAt).ThenBy(e => e.Id)
            .ToList();

        var byPriority = Enum.GetValues<Priority>().Select(p => new PriorityCount(p, cohort.Count(e => e.Priority == p))).ToList();

        var acknowledged = cohort.Where(e => e.AcknowledgedAt is not null).Select(e => e.ResponseElapsed(now).Elapsed).ToList();
        var unacknowledged = cohort.Count - acknowledged.Count;
        var resolvedUnacknowledged = cohort.Count(e => e.AcknowledgedAt is null && e.ResolvedAt is not null);
        var tta = Durations(acknowledged, unacknowledged, unacknowledged == 0
            ? $"Over the {acknowledged.Count} acknowledged of those opened in the period; {TimeBasis}."
            : $"Over the {acknowledged.Count} acknowledged of those opened in the period; {unacknowledged} not acknowledged ({unacknowledged - resolvedUnacknowledged} still waiting, {resolvedUnacknowledged} resolved without an acknowledgement) are excluded; {TimeBasis}.");

        var resolved = cohort.Where(e => e.ResolvedAt is not null).Select(e => e.ResolutionElapsed(now).Elapsed).ToList();
        var unresolved = cohort.Count - resolved.Count;
        var reopened = cohort.Count(e => e.ReopenCount > 0);
        var ttr = Durations(resolved, unresolved,
            $"Over the {resolved.Count} resolved of those opened in the period; {unresolved} still open (reopened ones included) are excluded, not counted as resolved; {reopened} reopened at least once, timed to their latest resolution; {TimeBasis}.");

        var response = Compliance(cohort.Select(e => Judge(e.ResponseElapsed(now), stopped: e.AcknowledgedAt is not null || e.ResolvedAt is not null)),
            "response", "acknowledged (or resolved without an acknowledgement)");
        var resolution = Compliance(cohort.Select(e => Judge(e.ResolutionElapsed(now), stopped: e.ResolvedAt is not null)),
            "resolution", "resolved");

        var answers = cohort.SelectMany(e => e.SurveyAnswers).Select(a => a.Score).ToList();
        var csat = new AverageFigure(answers.Count == 0 ? null : Math.Round(answers.Average(), 2), answers.Count, null, answers.Count == 0
            ? "No satisfaction survey answers about those opened in the period yet."
            : $"Mean of the {answers.Count} satisfaction survey answers (1–5) about those opened in the period, one per resolution; a reporter is asked at most once per survey interval.");

        return new KpiReport(
            agreementId, scope, period, now, cohort.Count, byPriority, tta, ttr, response, resolution,
            csat,
            Cadence(period, now, (updates ?? []).Where(u => agreementId is null || u.AgreementId == agreementId)),
            Uptime(period, (uptime ?? []).Where(r => agreementId is null || r.AgreementId == agreementId)));
    }

    /// <summary>
    /// The time-weighted mean of <paramref name="reports"/> over <paramref name="period"/>: Σ(percent × overlap) ÷ Σ overlap,
    /// where overlap is the part of each report's period inside the KPI period; reports that do not overlap are left out.
    /// </summary>
    public static PercentFigure Uptime(KpiPeriod period, IEnumerable<UptimeReport> reports)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(reports);
        var used = reports
            .Select(r => (r.Percent, Seconds: ((r.To < period.To ? r.To : period.To) - (r.From > period.From ? r.From : period.From)).TotalSeconds))
            .Where(r => r.Seconds > 0)
            .ToList();
        if (used.Count == 0)
            return new PercentFigure(null, 0, UptimeNotReported, "Uptime of the agreement's services as reported through the API.");
        var weight = used.Sum(r => r.Seconds);
        var percent = Math.Round(used.Sum(r => r.Percent * r.Seconds) / weight, 3, MidpointRounding.AwayFromZero);
        var covered = TimeSpan.FromSeconds(weight);
        var note = string.Create(CultureInfo.InvariantCulture,
            $"Time-weighted mean of the {used.Count} uptime report{(used.Count == 1 ? "" : "s")} overlapping the period (reported through the API), each weighted by the part of its period inside this one ({covered.TotalHours:0.#} h of reports in all); services are weighted together.");
        return new PercentFigure(percent, used.Count, null, note);
    }

    /// <summary>
    /// Updates on time ÷ updates due over <paramref name="period"/>: the obligations due in [from, to) and by
    /// <paramref name="now"/>, cancelled ones left out.
    /// </summary>
    public static PercentFigure Cadence(KpiPeriod period, DateTimeOffset now, IEnumerable<UpdateObligation> updates)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(updates);
        var all = updates.Where(u => u.DueAt >= period.From && u.DueAt < period.To).ToList();
        var due = all.Where(u => u.CountsAsDue(now)).ToList();
        var future = all.Count(u => u.State != UpdateState.Cancelled && u.DueAt > now);
        var cancelled = all.Count(u => u.State == UpdateState.Cancelled);
        if (due.Count == 0)
            return new PercentFigure(null, 0, CadenceNothingDue, "Provider updates on time ÷ updates due under the communication plan.");
        var onTime = due.Count(u => u.State == UpdateState.OnTime);
        var late = due.Count(u => u.State == UpdateState.Late);
        var missed = due.Count(u => u.State == UpdateState.Missed);
        var open = due.Count(u => u.State == UpdateState.Due);
        var percent = Math.Round(onTime * 100.0 / due.Count, 1, MidpointRounding.AwayFromZero);
        var note = string.Create(CultureInfo.InvariantCulture,
            $"Updates on time ÷ updates due in the period: {onTime} on time, {late} late, {missed} missed, {open} overdue and still open, of {due.Count} due; {future} not yet due and {cancelled} cancelled (agreement no longer active) are excluded.");
        return new PercentFigure(percent, due.Count, null, note);
    }

    /// <summary>The nearest-rank <paramref name="percentile"/> (1–100) of <paramref name="sorted"/> (ascending, not empty).</summary>
    public static TimeSpan NearestRank(IReadOnlyList<TimeSpan> sorted, int percentile)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        ArgumentOutOfRangeException.ThrowIfZero(sorted.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(percentile, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        var rank = (int)Math.Ceiling(percentile * sorted.Count / 100.0);
        return sorted[Math.Max(rank, 1) - 1];
    }

    private enum Verdict { Met, Missed, Pending }

    private static Verdict Judge(SlaClock clock, bool stopped) =>
        clock.IsBreached ? Verdict.Missed : stopped ? Verdict.Met : Verdict.Pending;

    private static DurationFigure Durations(List<TimeSpan> values, int excluded, string note)
    {
        if (values.Count == 0) return new DurationFigure(0, excluded, null, null, null, note);
        values.Sort();
        var mean = TimeSpan.FromSeconds(Math.Round(values.Sum(v => v.Ticks) / (double)values.Count / TimeSpan.TicksPerSecond, MidpointRounding.AwayFromZero));
        return new DurationFigure(values.Count, excluded, NearestRank(values, 50), NearestRank(values, 90), mean, note);
    }

    private static ComplianceFigure Compliance(IEnumerable<Verdict> verdicts, string clock, string stoppedWhen)
    {
        var list = verdicts.ToList();
        var met = list.Count(v => v == Verdict.Met);
        var missed = list.Count(v => v == Verdict.Missed);
        var pending = list.Count(v => v == Verdict.Pending);
        double? percent = met + missed == 0 ? null : Math.Round(met * 100.0 / (met + missed), 1, MidpointRounding.AwayFromZero);
        var note = string.Create(CultureInfo.InvariantCulture,
            $"Met ÷ decided over those opened in the period: met = {stoppedWhen} under the {clock} target; missed = the {clock} clock reached its target, still open ones included; {pending} still within the target are pending and excluded.");
        return new ComplianceFigure(met, missed, pending, percent, note);
    }
}
