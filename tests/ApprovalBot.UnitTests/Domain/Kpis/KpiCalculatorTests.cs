using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.CommunicationPlans;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Domain.Kpis;
using ApprovalBot.Domain.Uptime;
using static ApprovalBot.UnitTests.Domain.Calendars.Wall;
using static ApprovalBot.UnitTests.Domain.Escalations.EscalationSamples;

namespace ApprovalBot.UnitTests.Domain.Kpis;

/// <summary>
/// KPI arithmetic against hand-computed fixtures on the sample agreement's Berlin calendar (Monday to Friday
/// 09:00–17:00; P2 respond in 1 h, resolve in 8 h; P3 4 h and 2 d = 48 h of business time).
/// </summary>
public class KpiCalculatorTests
{
    /// <summary>The week of Monday 5 January 2026 in Berlin.</summary>
    internal static readonly KpiPeriod Week = new("2026-W02", "that week", At(Berlin, 2026, 1, 5, 0), At(Berlin, 2026, 1, 12, 0), ToDate: false);

    /// <summary>Wednesday 14 January 2026, 12:00 in Berlin.</summary>
    internal static readonly DateTimeOffset Now = At(Berlin, 2026, 1, 14, 12);

    private static DateTimeOffset Jan(int day, int hour, int minute = 0) => At(Berlin, 2026, 1, day, hour, minute);

    /// <summary>
    /// Five escalations opened in the week, and two outside it:
    /// E1 P2 Mon 09:00, acknowledged 09:30 (30 min), resolved 13:00 (4 h), closed 14:00.
    /// E2 P2 Fri 16:00, acknowledged 16:20 (20 min), on hold from Fri 16:30 over the weekend to Mon 10:00 (1 h 30 min of
    ///    business time), resolved Mon 15:00: 7 h of business time less the hold = 5 h 30 min.
    /// E3 P2 Tue 10:00, never acknowledged, still open: both targets long used up.
    /// E4 P2 Wed 09:00, acknowledged 11:00 (2 h: response missed), resolved 12:00, reopened Thu 09:00, resolved again
    ///    Thu 11:00: 10 h less the 5 h spent resolved = 5 h.
    /// E5 P3 Thu 14:00, acknowledged 14:10 (10 min), still open: 30 h of its 48 h used by now.
    /// Satisfaction survey answers: E1 4, E2 5, E4 3 about its first resolution and 2 about its second (mean 3.5 of 4).
    /// </summary>
    internal static List<Escalation> Fixture()
    {
        var e1 = Open(at: Jan(5, 9));
        e1.Acknowledge(Reporter, Jan(5, 9, 30));
        e1.Resolve(Reporter, "Restarted the mail relay.", Jan(5, 13));
        e1.Close(Reporter, Jan(5, 14));
        e1.AnswerSurvey(Reporter, 1, 4, "Quick.", Jan(5, 15));

        var e2 = Open(at: Jan(9, 16));
        e2.Acknowledge(Reporter, Jan(9, 16, 20));
        e2.Hold(Reporter, "Waiting for the customer.", Jan(9, 16, 30));
        e2.Resume(Reporter, Jan(12, 10));
        e2.Resolve(Reporter, "Customer confirmed.", Jan(12, 15));
        e2.AnswerSurvey(Reporter, 1, 5, null, Jan(12, 16));

        var e3 = Open(at: Jan(6, 10));

        var e4 = Open(at: Jan(7, 9));
        e4.Acknowledge(Reporter, Jan(7, 11));
        e4.Resolve(Reporter, "Replaced the disk.", Jan(7, 12));
        e4.AnswerSurvey(Reporter, 1, 3, null, Jan(7, 12, 30));
        e4.Reopen(Reporter, "The disk failed again.", Jan(8, 9));
        e4.Resolve(Reporter, "Replaced the controller.", Jan(8, 11));
        e4.AnswerSurvey(Reporter, 2, 2, "Took two tries.", Jan(8, 11, 30));

        var e5 = Open(Priority.P3, Jan(8, 14));
        e5.Acknowledge(Reporter, Jan(8, 14, 10));

        var before = Open(at: At(Berlin, 2026, 1, 2, 9)); // Friday 2 January: before the week
        var after = Open(at: Jan(12, 9)); // Monday 12 January 09:00: the week has ended
        return [e1, e2, e3, e4, e5, before, after];
    }

    private static KpiReport Compute(IEnumerable<Escalation> escalations, DateTimeOffset? now = null, KpiPeriod? period = null) =>
        KpiCalculator.Compute(null, "All agreements", period ?? Week, escalations, now ?? Now);

    [Fact]
    public void Opened_CountsTheEscalationsOpenedInThePeriod_ByPriority()
    {
        var report = Compute(Fixture());

        Assert.Equal(5, report.Opened);
        Assert.Equal([0, 4, 1, 0], report.OpenedByPriority.Select(p => p.Count));
        Assert.Equal([Priority.P1, Priority.P2, Priority.P3, Priority.P4], report.OpenedByPriority.Select(p => p.Priority));
    }

    [Fact]
    public void TimeToAcknowledge_IsMedianP90AndMeanOfTheAcknowledged_InBusinessTime_ExcludingTheUnacknowledged()
    {
        var tta = Compute(Fixture()).TimeToAcknowledge;

        // 10, 20, 30, 120 min: nearest-rank median is the 2nd, p90 the 4th; mean 180 / 4 = 45 min.
        Assert.Equal(4, tta.Counted);
        Assert.Equal(1, tta.Excluded);
        Assert.Equal(TimeSpan.FromMinutes(20), tta.Median);
        Assert.Equal(TimeSpan.FromHours(2), tta.P90);
        Assert.Equal(TimeSpan.FromMinutes(45), tta.Mean);
        Assert.Contains("1 not acknowledged (1 still waiting, 0 resolved without an acknowledgement) are excluded", tta.Note, StringComparison.Ordinal);
        Assert.Contains("business time", tta.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void TimeToResolve_LeavesOutHoldsAndResolvedStretches_AndExcludesTheOpenOnes()
    {
        var ttr = Compute(Fixture()).TimeToResolve;

        // 4 h, 5 h (reopened), 5 h 30 min (held over the weekend): median the 2nd, p90 the 3rd; mean 870 / 3 = 290 min.
        Assert.Equal(3, ttr.Counted);
        Assert.Equal(2, ttr.Excluded);
        Assert.Equal(TimeSpan.FromHours(5), ttr.Median);
        Assert.Equal(TimeSpan.FromMinutes(330), ttr.P90);
        Assert.Equal(TimeSpan.FromMinutes(290), ttr.Mean);
        Assert.Contains("2 still open (reopened ones included) are excluded, not counted as resolved; 1 reopened", ttr.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void SlaCompliance_IsMetOverDecided_CountingOverdueOpenOnesAsMissed_AndRunningOnesAsPending()
    {
        var report = Compute(Fixture());

        // Response: E1, E2, E5 met; E4 (2 h) and E3 (never, long overdue) missed.
        Assert.Equal((3, 2, 0), (report.ResponseSla.Met, report.ResponseSla.Missed, report.ResponseSla.Pending));
        Assert.Equal(60.0, report.ResponseSla.Percent);
        // Resolution: E1, E2, E4 met; E3 missed while still open; E5 within its 48 h: pending.
        Assert.Equal((3, 1, 1), (report.ResolutionSla.Met, report.ResolutionSla.Missed, report.ResolutionSla.Pending));
        Assert.Equal(75.0, report.ResolutionSla.Percent);
        Assert.Contains("1 still within the target are pending and excluded", report.ResolutionSla.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void OneAgreement_CountsOnlyItsEscalations()
    {
        var mine = Fixture();
        var report = KpiCalculator.Compute(mine[0].AgreementId + 1, "Another", Week, mine, Now);

        Assert.Equal(0, report.Opened);
        Assert.Equal(0, report.TimeToAcknowledge.Counted);
    }

    [Fact]
    public void NothingToMeasure_GivesNullFigures_NotZeros()
    {
        var report = Compute([]);

        Assert.Equal(0, report.Opened);
        Assert.Null(report.TimeToAcknowledge.Median);
        Assert.Null(report.TimeToResolve.Mean);
        Assert.Null(report.ResponseSla.Percent);
        Assert.Null(report.ResolutionSla.Percent);
    }

    [Fact]
    public void Csat_IsTheMeanOfEveryAnswerAboutTheCohort_OnePerResolution()
    {
        var report = Compute(Fixture());

        Assert.Equal((3.5, 4, (string?)null), (report.Csat.Average, report.Csat.Count, report.Csat.NotMeasured));
        Assert.Contains("4 satisfaction survey answers", report.Csat.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Csat_HasNoAverage_WhenNobodyAnswered()
    {
        var report = Compute([Open(at: Jan(5, 9))]);

        Assert.Equal((null, 0, (string?)null), (report.Csat.Average, report.Csat.Count, report.Csat.NotMeasured));
    }

    [Fact]
    public void Cadence_HasNothingDue_AndUptime_IsNotReported_WithTheReasons_WhenNothingWasRecorded()
    {
        var report = Compute(Fixture());

        Assert.Null(report.CadenceCompliance.Percent);
        Assert.Equal(KpiCalculator.CadenceNothingDue, report.CadenceCompliance.NotMeasured);
        Assert.Equal(((double?)null, 0, KpiCalculator.UptimeNotReported), (report.Uptime.Percent, report.Uptime.Count, report.Uptime.NotMeasured));
    }

    /// <summary>A daily 09:00 (Berlin) obligation due on 2026-01-<paramref name="day"/>, in the given end state.</summary>
    private static UpdateObligation Daily(long agreementId, int day, UpdateState state)
    {
        var due = Jan(day, 9);
        var o = UpdateObligation.Open(agreementId, due.AddDays(-1), due, due.AddDays(1), TimeSpan.FromDays(1), TimeSpan.FromDays(1), due.AddDays(-1));
        switch (state)
        {
            case UpdateState.OnTime: o.Post("pat", "Fine.", due.AddHours(-1)); break;
            case UpdateState.Late: o.Post("pat", "Late.", due.AddHours(2)); break;
            case UpdateState.Missed: o.Miss(due.AddDays(1)); break;
            case UpdateState.Cancelled: o.End(due.AddHours(-1)); break;
        }

        return o;
    }

    /// <summary>
    /// Agreement 1 in the week of 5 January: Mon on time, Tue late, Wed missed, Thu still open (overdue), Fri on time,
    /// Sat cancelled, Sun on time; Sun 4 and Mon 12 January lie outside. Agreement 2: Tue on time.
    /// Agreement 1: 3 on time of 6 due (the cancelled one excluded) = 50.0 %; all: 4 of 7 = 57.142… → 57.1 %.
    /// </summary>
    [Fact]
    public void Cadence_IsOnTimeOverDue_PerAgreementAndOverall_CancelledAndOutsideLeftOut()
    {
        List<UpdateObligation> updates =
        [
            Daily(1, 4, UpdateState.OnTime), Daily(1, 5, UpdateState.OnTime), Daily(1, 6, UpdateState.Late), Daily(1, 7, UpdateState.Missed),
            Daily(1, 8, UpdateState.Due), Daily(1, 9, UpdateState.OnTime), Daily(1, 10, UpdateState.Cancelled), Daily(1, 11, UpdateState.OnTime),
            Daily(1, 12, UpdateState.Late), Daily(2, 6, UpdateState.OnTime),
        ];

        var one = KpiCalculator.Compute(1, "One", Week, [], Now, updates: updates).CadenceCompliance;
        var all = KpiCalculator.Compute(null, "All", Week, [], Now, updates: updates).CadenceCompliance;

        Assert.Equal((50.0, 6, (string?)null), (one.Percent, one.Count, one.NotMeasured));
        Assert.Contains("3 on time, 1 late, 1 missed, 1 overdue and still open, of 6 due", one.Note, StringComparison.Ordinal);
        Assert.Contains("1 cancelled", one.Note, StringComparison.Ordinal);
        Assert.Equal((57.1, 7), (all.Percent, all.Count));
    }

    [Fact]
    public void Cadence_DoesNotCount_AnObligationStillToCome()
    {
        var period = new KpiPeriod("this week", "this week", Jan(12, 0), Jan(19, 0), ToDate: true);
        var figure = KpiCalculator.Cadence(period, Now, [Daily(1, 13, UpdateState.OnTime), Daily(1, 15, UpdateState.Due)]);

        Assert.Equal((100.0, 1), (figure.Percent, figure.Count));
        Assert.Contains("1 not yet due", figure.Note, StringComparison.Ordinal);
    }

    private static readonly DateTimeOffset UtcJan1 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The ten days [1 Jan, 11 Jan) UTC.</summary>
    private static readonly KpiPeriod TenDays = new("2026-01-01..2026-01-11", "ten days", UtcJan1, UtcJan1.AddDays(10), ToDate: false);

    private static UptimeReport Uptime(long agreementId, int fromDay, int toDay, double percent, string? service = null) =>
        UptimeReport.Create(agreementId, UtcJan1.AddDays(fromDay), UtcJan1.AddDays(toDay), percent, service, null, "monitoring", UtcJan1.AddDays(60));

    /// <summary>
    /// Agreement 1: 90 % over 27 Dec–2 Jan (1 of its 6 days inside), 100 % over 2–5 Jan (3 days inside), 95 % over
    /// 10–15 Jan (1 day inside), 0 % over 11–12 Jan (touches the end: outside). Agreement 2: 50 % over the whole ten days.
    /// </summary>
    private static List<UptimeReport> UptimeFixture() =>
        [Uptime(1, -5, 1, 90), Uptime(1, 1, 4, 100, "Mail"), Uptime(1, 9, 14, 95, "VPN"), Uptime(1, 10, 11, 0), Uptime(2, 0, 10, 50)];

    [Fact]
    public void Uptime_IsTheMeanWeightedByTheTimeOfEachReportInsideThePeriod()
    {
        var report = KpiCalculator.Compute(1, "Contoso", TenDays, [], UtcJan1.AddDays(60), UptimeFixture());

        // (90 × 1 d + 100 × 3 d + 95 × 1 d) ÷ 5 d = 485 ÷ 5 = 97.
        Assert.Equal((97.0, 3, (string?)null), (report.Uptime.Percent, report.Uptime.Count, report.Uptime.NotMeasured));
        Assert.Contains("Time-weighted mean of the 3 uptime reports", report.Uptime.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Uptime_ForAllAgreements_WeighsEveryAgreementsReports_ToThreeDecimals()
    {
        var report = KpiCalculator.Compute(null, "All agreements", TenDays, [], UtcJan1.AddDays(60), UptimeFixture());

        // (485 + 50 × 10 d) ÷ 15 d = 985 ÷ 15 = 65.6666… → 65.667.
        Assert.Equal((65.667, 4), (report.Uptime.Percent, report.Uptime.Count));
    }

    [Fact]
    public void Uptime_IsNull_WithTheReason_WhenNoReportOfTheAgreementOverlapsThePeriod()
    {
        var report = KpiCalculator.Compute(3, "Fabrikam", TenDays, [], UtcJan1.AddDays(60), [.. UptimeFixture(), Uptime(3, 10, 20, 99)]);

        Assert.Equal(((double?)null, 0, KpiCalculator.UptimeNotReported), (report.Uptime.Percent, report.Uptime.Count, report.Uptime.NotMeasured));
    }

    [Fact]
    public void ResponseSla_IsPending_WhileUnacknowledgedWithinTheTarget_AndMissed_AtExactlyTheTarget()
    {
        var waiting = Open(at: Jan(5, 9));

        Assert.Equal((0, 0, 1), Verdicts(Compute([waiting], Jan(5, 9, 59)).ResponseSla));
        Assert.Equal((0, 1, 0), Verdicts(Compute([waiting], Jan(5, 10)).ResponseSla));
    }

    [Fact]
    public void ResolvedWithoutAcknowledgement_IsExcludedFromTimeToAcknowledge_ButItsResponseClockDecidesTheSla()
    {
        var quick = Open(at: Jan(5, 9));
        quick.Resolve(Reporter, "The reporter found the fix.", Jan(5, 9, 40));

        var report = Compute([quick], Now);

        Assert.Equal(0, report.TimeToAcknowledge.Counted);
        Assert.Equal(1, report.TimeToAcknowledge.Excluded);
        Assert.Contains("0 still waiting, 1 resolved without an acknowledgement", report.TimeToAcknowledge.Note, StringComparison.Ordinal);
        Assert.Equal((1, 0, 0), Verdicts(report.ResponseSla)); // its response clock stopped at 40 min
        Assert.Equal(TimeSpan.FromMinutes(40), report.TimeToResolve.Median);
    }

    [Fact]
    public void ReopenedAndStillOpen_IsNotCountedAsResolved()
    {
        var again = Open(at: Jan(5, 9));
        again.Resolve(Reporter, "Fixed.", Jan(5, 10));
        again.Reopen(Reporter, "Not fixed.", Jan(5, 11));

        var report = Compute([again], Jan(5, 12));

        Assert.Equal(0, report.TimeToResolve.Counted);
        Assert.Equal(1, report.TimeToResolve.Excluded);
        Assert.Equal((0, 0, 1), Verdicts(report.ResolutionSla)); // 2 h of 8 h used: pending
    }

    [Theory]
    [InlineData(new[] { 7 }, 50, 7)]
    [InlineData(new[] { 7 }, 90, 7)]
    [InlineData(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 50, 5)]
    [InlineData(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 90, 9)]
    [InlineData(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 }, 90, 10)]
    [InlineData(new[] { 1, 2, 3 }, 50, 2)]
    public void NearestRank_TakesTheCeilingRank(int[] minutes, int percentile, int expected) =>
        Assert.Equal(TimeSpan.FromMinutes(expected), KpiCalculator.NearestRank([.. minutes.Select(m => TimeSpan.FromMinutes(m))], percentile));

    private static (int Met, int Missed, int Pending) Verdicts(ComplianceFigure figure) => (figure.Met, figure.Missed, figure.Pending);
}
