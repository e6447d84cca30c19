using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Escalations;
using static ApprovalBot.UnitTests.Domain.Escalations.EscalationSamples;

namespace ApprovalBot.UnitTests.Domain.Escalations;

/// <summary>
/// A resolved escalation closes by itself when its reopen window (wall clock, 7 days by default) has passed since the
/// resolution: one more timer deadline, fenced like the others. Resolved here Monday 11:00 (Berlin).
/// </summary>
public class EscalationAutoCloseTests
{
    private static readonly DateTimeOffset ResolvedAt = Mon(11);
    private static readonly DateTimeOffset WindowEnds = Mon(11).AddDays(7);

    private static Escalation Resolved(TimeSpan? reopenWindow = null)
    {
        var escalation = Open(reopenWindow: reopenWindow);
        escalation.Acknowledge(L1Member, Mon(9, 10));
        escalation.Resolve(Reporter, "Restarted the relay", ResolvedAt);
        return escalation;
    }

    [Fact]
    public void NextTimerAt_IsTheEndOfTheReopenWindow_WhenResolved()
    {
        var escalation = Resolved();

        Assert.Equal(WindowEnds, escalation.AutoCloseAt);
        Assert.Equal(WindowEnds, escalation.NextTimerAt(ResolvedAt));
        Assert.False(escalation.IsDue(WindowEnds.AddMinutes(-1)));
        Assert.True(escalation.IsDue(WindowEnds));
    }

    [Fact]
    public void NextTimerAt_FollowsThePolicysWindow_InWallClockTime_NotTheBusinessCalendar()
    {
        // Resolved Monday 11:00 on a weekdays 9–5 calendar, a 1-day window: Tuesday 11:00, not a business day later.
        var escalation = Resolved(TimeSpan.FromDays(1));

        Assert.Equal(Mon(11, days: 1), escalation.NextTimerAt(ResolvedAt));
    }

    [Fact]
    public void FireDue_DoesNothing_BeforeTheWindowEnds()
    {
        var escalation = Resolved();
        var version = escalation.Version;

        var result = escalation.FireDue(version, WindowEnds.AddMinutes(-1));

        Assert.Equal(EscalationTimerOutcome.NothingDue, result.Outcome);
        Assert.Equal((EscalationState.Resolved, version), (escalation.State, escalation.Version));
    }

    [Fact]
    public void FireDue_ClosesItOnce_AsTheSystem_StampedWithTheWindowsEnd_WhenTheWindowHasPassed()
    {
        var escalation = Resolved();
        var version = escalation.Version;
        var entries = escalation.Timeline.Count;

        // The bot was down when the window ended: the close is stamped with the deadline, not with the late fire.
        var result = escalation.FireDue(version, WindowEnds.AddHours(5));

        Assert.Equal(EscalationTimerOutcome.Applied, result.Outcome);
        Assert.Empty(result.Notifications);
        Assert.Equal((EscalationState.Closed, WindowEnds, version + 1), (escalation.State, escalation.ClosedAt, escalation.Version));
        Assert.Equal(entries + 1, escalation.Timeline.Count);
        var closed = escalation.Last();
        Assert.Equal((EscalationEventKind.Closed, (PersonId?)null, WindowEnds, "system"), (closed.Kind, closed.Actor, closed.At, closed.Who));
        Assert.Contains("Closed automatically", closed.Detail, StringComparison.Ordinal);
        Assert.Equal(ResolvedAt, escalation.ResolvedAt); // the resolution stays on record
        Assert.Null(escalation.NextTimerAt(WindowEnds.AddHours(5)));

        // A repeat of the same fire, and a fire with the new token, change nothing.
        Assert.Equal(EscalationTimerOutcome.StaleToken, escalation.FireDue(version, WindowEnds.AddHours(6)).Outcome);
        Assert.Equal(EscalationTimerOutcome.NotActive, escalation.FireDue(escalation.Version, WindowEnds.AddHours(6)).Outcome);
        Assert.Equal((version + 1, entries + 1), (escalation.Version, escalation.Timeline.Count));
    }

    [Fact]
    public void FireDue_ChangesNothing_WhenTheTokenIsStale()
    {
        var escalation = Resolved();
        var version = escalation.Version;

        var result = escalation.FireDue(version - 1, WindowEnds);

        Assert.Equal(EscalationTimerOutcome.StaleToken, result.Outcome);
        Assert.Equal((EscalationState.Resolved, version), (escalation.State, escalation.Version));
    }

    [Fact]
    public void AReopenBeforeTheWindowEnds_CancelsTheAutoClose_AndTheOldTimerIsStale()
    {
        var escalation = Resolved();
        var armedWith = escalation.Version;

        escalation.Reopen(Reporter, "Mail is stuck again", Mon(11, days: 2));

        Assert.Null(escalation.AutoCloseAt);
        Assert.Equal(EscalationTimerOutcome.StaleToken, escalation.FireDue(armedWith, WindowEnds).Outcome);
        Assert.Equal(EscalationState.Acknowledged, escalation.State);
        // What is armed now is the resolution clock again, not a close.
        Assert.Equal(escalation.ResolutionDueAt(50), escalation.NextTimerAt(Mon(11, days: 2)));
    }

    [Fact]
    public void ASecondResolution_GetsItsOwnWindow()
    {
        var escalation = Resolved();
        escalation.Reopen(Reporter, "Mail is stuck again", Mon(11, days: 2));

        escalation.Resolve(Reporter, "Replaced the relay", Mon(12, days: 3));

        Assert.Equal(Mon(12, days: 10), escalation.NextTimerAt(Mon(12, days: 3)));
        Assert.Equal(EscalationTimerOutcome.NothingDue, escalation.FireDue(escalation.Version, WindowEnds).Outcome);
        Assert.True(escalation.FireDue(escalation.Version, Mon(12, days: 10)).Applied);
        Assert.Equal(EscalationState.Closed, escalation.State);
    }

    [Fact]
    public void AManualCloseBeforeTheWindowEnds_CancelsTheAutoClose()
    {
        var escalation = Resolved();
        var armedWith = escalation.Version;

        escalation.Close(Reporter, Mon(12));
        var version = escalation.Version;

        Assert.Null(escalation.NextTimerAt(Mon(12)));
        Assert.Equal(EscalationTimerOutcome.StaleToken, escalation.FireDue(armedWith, WindowEnds).Outcome);
        Assert.Equal(EscalationTimerOutcome.NotActive, escalation.FireDue(version, WindowEnds).Outcome);
        Assert.Equal((Mon(12), version, Reporter), (escalation.ClosedAt, escalation.Version, escalation.Last().Actor));
        Assert.Single(escalation.Timeline, e => e.Kind == EscalationEventKind.Closed);
    }

    [Fact]
    public void AnAutoClosedEscalation_CanStillBeReopened_AtTheLastInstantOfTheWindow()
    {
        var escalation = Resolved();
        escalation.FireDue(escalation.Version, WindowEnds);

        escalation.Reopen(Reporter, "Not fixed after all", WindowEnds);

        Assert.Equal(EscalationState.Acknowledged, escalation.State);
        AssertCode("escalation.reopen_window_passed", () =>
        {
            var late = Resolved();
            late.FireDue(late.Version, WindowEnds);
            late.Reopen(Reporter, "Too late", WindowEnds.AddMinutes(1));
        });
    }
}
