using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Escalations;
using static ApprovalBot.UnitTests.Domain.Escalations.EscalationSamples;

namespace ApprovalBot.UnitTests.Domain.Escalations;

/// <summary>
/// Timers of a P2 escalation opened Monday 09:00 in Berlin: each level has 1 h to acknowledge; 50/75/100 % of the 8 h
/// resolution target fall at 13:00, 15:00 and 17:00.
/// </summary>
public class EscalationTimerTests
{
    [Fact]
    public void NextTimerAt_IsL1sResponseDeadline_WhenJustOpened()
    {
        var escalation = Open();

        Assert.Equal(Mon(10), escalation.NextTimerAt(Monday9));
        Assert.False(escalation.IsDue(Mon(9, 59)));
        Assert.True(escalation.IsDue(Mon(10)));
    }

    [Fact]
    public void FireDue_DoesNothing_BeforeTheDeadline()
    {
        var escalation = Open();

        var result = escalation.FireDue(escalation.Version, Mon(9, 59));

        Assert.Equal(EscalationTimerOutcome.NothingDue, result.Outcome);
        Assert.Empty(result.Notifications);
        Assert.Equal(1, escalation.Version);
    }

    [Fact]
    public void FireDue_RaisesEachLevel_WithItsDeadlineCountedFromWhenItWasNotified()
    {
        var escalation = Open();

        var toL2 = escalation.FireDue(escalation.Version, Mon(10));
        Assert.Equal(SupportLevel.L2, escalation.Level);
        Assert.Equal(Mon(10), escalation.LevelStartedAt);
        var l2 = Assert.Single(toL2.Notifications);
        Assert.Equal((EscalationEventKind.LevelRaised, SupportLevel.L2, Mon(10)), (l2.Kind, l2.Level, l2.At));
        Assert.Equal(["leo"], Ids(l2.People));
        Assert.Empty(l2.ChannelIds);
        Assert.Equal(Mon(11), escalation.NextTimerAt(Mon(10)));

        var toL3 = escalation.FireDue(escalation.Version, Mon(11, 5));
        var l3 = Assert.Single(toL3.Notifications);
        Assert.Equal((SupportLevel.L3, Mon(11)), (l3.Level, l3.At));
        Assert.Equal(["mia"], Ids(l3.People));
        Assert.Equal([L3Channel], l3.ChannelIds);
        Assert.Equal(Mon(11), escalation.LevelStartedAt);
        Assert.Equal(Mon(12), escalation.ResponseDueAt);

        var breach = Assert.Single(escalation.FireDue(escalation.Version, Mon(12)).Notifications);
        Assert.Equal((EscalationEventKind.ResponseBreached, SupportLevel.L3, Mon(12)), (breach.Kind, breach.Level, breach.At));
        Assert.Equal(["alice", "carol", "mia"], Ids(breach.People));
        Assert.Equal(Mon(12), escalation.ResponseBreachedAt);
        Assert.Equal(Mon(13), escalation.NextTimerAt(Mon(12))); // only the resolution warnings are left
        Assert.Equal(EscalationState.Open, escalation.State);
    }

    [Fact]
    public void ManualEscalation_RestartsTheResponseDeadline_ForTheNewLevel()
    {
        var escalation = Open();

        var notification = escalation.EscalateManually(Reporter, "Payroll run at noon", Mon(9, 30));

        Assert.Equal((EscalationEventKind.LevelRaised, SupportLevel.L2, Mon(9, 30)), (notification.Kind, notification.Level, notification.At));
        Assert.Equal(["leo"], Ids(notification.People));
        Assert.Equal(notification.TimelineSequence, escalation.Last().Sequence);
        Assert.Equal(("Payroll run at noon", Reporter), (escalation.Last().Reason, escalation.Last().Actor));
        Assert.Equal(Mon(10, 30), escalation.ResponseDueAt);
        Assert.Equal(EscalationTimerOutcome.NothingDue, escalation.FireDue(escalation.Version, Mon(10)).Outcome);
        escalation.FireDue(escalation.Version, Mon(10, 30));
        Assert.Equal(SupportLevel.L3, escalation.Level);
        Assert.Equal(Mon(11, 30), escalation.ResponseDueAt);
    }

    [Fact]
    public void EscalateManually_Throws_AtL3_AndWithoutAReason()
    {
        var escalation = Open();
        AssertCode("value.required", () => escalation.EscalateManually(Reporter, " ", Mon(9, 10)));
        escalation.EscalateManually(Reporter, "Big outage", Mon(9, 10));
        escalation.EscalateManually(Reporter, "Still down", Mon(9, 20));

        AssertCode("escalation.top_level", () => escalation.EscalateManually(Reporter, "Even further", Mon(9, 30)));
        Assert.Equal(SupportLevel.L3, escalation.Level);
        Assert.Equal(3, escalation.Version);
    }

    [Fact]
    public void FireDue_SendsWarningsToTheAssigneeAndLevel_AndTheBreachToL3AndTheOversightOwners()
    {
        var escalation = Open();
        escalation.Acknowledge(L1Member, Mon(9, 30));
        escalation.Assign(L1Member, Agent, Mon(9, 31));
        Assert.Equal(Mon(13), escalation.NextTimerAt(Mon(9, 31)));

        var half = Assert.Single(escalation.FireDue(escalation.Version, Mon(13)).Notifications);
        Assert.Equal((EscalationEventKind.ResolutionWarning, 50, SupportLevel.L1), (half.Kind, half.Percent, half.Level));
        Assert.Equal(["dan"], Ids(half.People));
        Assert.Equal([L1Channel], half.ChannelIds);
        Assert.Equal(ResolutionWarnings.At50, escalation.WarningsSent);

        var threeQuarters = Assert.Single(escalation.FireDue(escalation.Version, Mon(15)).Notifications);
        Assert.Equal((75, Mon(15)), (threeQuarters.Percent, threeQuarters.At));

        var breach = Assert.Single(escalation.FireDue(escalation.Version, Mon(17)).Notifications);
        Assert.Equal((EscalationEventKind.ResolutionBreached, 100, SupportLevel.L3), (breach.Kind, breach.Percent, breach.Level));
        Assert.Equal(["alice", "carol", "mia"], Ids(breach.People));
        Assert.Equal([L3Channel], breach.ChannelIds);
        Assert.Equal(Mon(17), escalation.ResolutionBreachedAt);
        Assert.Equal(SupportLevel.L3, escalation.Level);
        Assert.Equal(
            [(EscalationEventKind.LevelRaised, SupportLevel.L3), (EscalationEventKind.ResolutionBreached, SupportLevel.L3)],
            escalation.Timeline.TakeLast(2).Select(e => (e.Kind, e.Level)));
        Assert.Null(escalation.NextTimerAt(Mon(17)));
    }

    [Fact]
    public void FireDue_AppliesEveryMissedDeadlineInOneCall_InOrder_EachStampedWithItsOwnTime()
    {
        var escalation = Open();
        var token = escalation.Version;

        var result = escalation.FireDue(token, Mon(10, days: 1)); // the bot was down until Tuesday 10:00

        Assert.Equal(EscalationTimerOutcome.Applied, result.Outcome);
        Assert.Equal(
            [
                (EscalationEventKind.LevelRaised, Mon(10), SupportLevel.L2, (int?)null),
                (EscalationEventKind.LevelRaised, Mon(11), SupportLevel.L3, null),
                (EscalationEventKind.ResponseBreached, Mon(12), SupportLevel.L3, null),
                (EscalationEventKind.ResolutionWarning, Mon(13), SupportLevel.L3, 50),
                (EscalationEventKind.ResolutionWarning, Mon(15), SupportLevel.L3, 75),
                (EscalationEventKind.ResolutionBreached, Mon(17), SupportLevel.L3, 100),
            ],
            result.Notifications.Select(n => (n.Kind, n.At, n.Level, n.Percent)));
        Assert.Equal(
            [Monday9, Mon(10), Mon(11), Mon(12), Mon(13), Mon(15), Mon(17)],
            escalation.Timeline.Select(e => e.At));
        Assert.Equal(result.Notifications.Select(n => n.TimelineSequence), escalation.Timeline.Skip(1).Select(e => e.Sequence));
        Assert.All(escalation.Timeline.Skip(1), e => Assert.Null(e.Actor));
        Assert.Equal(token + 1, escalation.Version);
        Assert.Null(escalation.NextTimerAt(Mon(10, days: 1)));

        // The same timer firing again, or a newer one with nothing left: no change, nothing sent twice.
        var again = escalation.FireDue(token, Mon(10, days: 1));
        var fresh = escalation.FireDue(escalation.Version, Mon(11, days: 1));
        Assert.Equal((EscalationTimerOutcome.StaleToken, EscalationTimerOutcome.NothingDue), (again.Outcome, fresh.Outcome));
        Assert.Empty(again.Notifications);
        Assert.Empty(fresh.Notifications);
        Assert.Equal(7, escalation.Timeline.Count);
        Assert.Equal(token + 1, escalation.Version);
    }

    [Fact]
    public void FireDue_ChangesNothing_WhenTheTokenIsStale()
    {
        var escalation = Open();
        var armedWith = escalation.Version;
        escalation.Assign(Reporter, Agent, Mon(9, 5));

        var result = escalation.FireDue(armedWith, Mon(10));

        Assert.Equal(EscalationTimerOutcome.StaleToken, result.Outcome);
        Assert.Equal(SupportLevel.L1, escalation.Level);
        Assert.Equal(2, escalation.Version);
        Assert.Equal(EscalationTimerOutcome.Applied, escalation.FireDue(escalation.Version, Mon(10)).Outcome);
    }

    [Theory]
    [InlineData(EscalationLifecycleTests.Start.OnHoldFromOpen)]
    [InlineData(EscalationLifecycleTests.Start.OnHoldFromAcknowledged)]
    [InlineData(EscalationLifecycleTests.Start.Closed)]
    public void FireDue_IsNotActive_AndNoTimerIsPending_WhenNoClockRuns(EscalationLifecycleTests.Start start)
    {
        var escalation = EscalationLifecycleTests.In(start);
        var version = escalation.Version;

        var result = escalation.FireDue(version, Mon(10, days: 3));

        Assert.Equal(EscalationTimerOutcome.NotActive, result.Outcome);
        Assert.Equal(version, escalation.Version);
        Assert.Null(escalation.NextTimerAt(Mon(10, days: 3)));
    }

    [Fact]
    public void AcknowledgedEscalation_HasNoResponseDeadline_OnlyResolutionWarnings()
    {
        var escalation = Open();
        escalation.Acknowledge(L1Member, Mon(9, 59));

        var result = escalation.FireDue(escalation.Version, Mon(14));

        Assert.Equal(SupportLevel.L1, escalation.Level);
        Assert.Equal(EscalationEventKind.ResolutionWarning, Assert.Single(result.Notifications).Kind);
        Assert.Null(escalation.ResponseBreachedAt);
    }

    [Fact]
    public void HoldAndResume_MoveTheNextTimer_ByTheBusinessTimePaused()
    {
        var escalation = Open();
        escalation.Hold(Reporter, "Waiting for the customer", Mon(9, 30));
        escalation.Resume(Reporter, Mon(16, 45)); // 7 h 15 min paused: L1 still has 30 min, 15 today and 15 tomorrow

        Assert.Equal(Mon(9, 15, days: 1), escalation.NextTimerAt(Mon(16, 45)));
        Assert.Equal(EscalationTimerOutcome.NothingDue, escalation.FireDue(escalation.Version, Mon(17)).Outcome);
        var raised = escalation.FireDue(escalation.Version, Mon(9, 20, days: 1));
        Assert.Equal(Mon(9, 15, days: 1), Assert.Single(raised.Notifications).At);
        Assert.Equal(Mon(12, 15, days: 1), escalation.ResolutionDueAt(50));
    }
}
