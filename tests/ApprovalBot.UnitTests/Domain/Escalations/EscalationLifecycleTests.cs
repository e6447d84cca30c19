using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Escalations;
using static ApprovalBot.UnitTests.Domain.Escalations.EscalationSamples;

namespace ApprovalBot.UnitTests.Domain.Escalations;

public class EscalationLifecycleTests
{
    public enum Start
    {
        Open,
        Acknowledged,
        OnHoldFromOpen,
        OnHoldFromAcknowledged,
        Resolved,
        Closed,
    }

    private static readonly string[] Actions = ["acknowledge", "assign", "hold", "resume", "escalate", "resolve", "close", "reopen"];

    // What each action accepts; everything else is refused with escalation.transition.
    private static readonly Dictionary<string, Start[]> Allowed = new()
    {
        ["acknowledge"] = [Start.Open, Start.OnHoldFromOpen],
        ["assign"] = [Start.Open, Start.Acknowledged, Start.OnHoldFromOpen, Start.OnHoldFromAcknowledged],
        ["hold"] = [Start.Open, Start.Acknowledged],
        ["resume"] = [Start.OnHoldFromOpen, Start.OnHoldFromAcknowledged],
        ["escalate"] = [Start.Open, Start.Acknowledged, Start.OnHoldFromOpen, Start.OnHoldFromAcknowledged],
        ["resolve"] = [Start.Open, Start.Acknowledged, Start.OnHoldFromOpen, Start.OnHoldFromAcknowledged],
        ["close"] = [Start.Resolved],
        ["reopen"] = [Start.Resolved, Start.Closed],
    };

    public static TheoryData<string, Start, bool> TransitionMatrix()
    {
        var data = new TheoryData<string, Start, bool>();
        foreach (var action in Actions)
        {
            foreach (var start in Enum.GetValues<Start>())
                data.Add(action, start, Allowed[action].Contains(start));
        }

        return data;
    }

    internal static Escalation In(Start start)
    {
        var escalation = Open();
        if (start is Start.Acknowledged or Start.OnHoldFromAcknowledged) escalation.Acknowledge(L1Member, Mon(9, 10));
        if (start is Start.OnHoldFromOpen or Start.OnHoldFromAcknowledged) escalation.Hold(Reporter, "Waiting for the customer's logs", Mon(9, 20));
        if (start is Start.Resolved or Start.Closed) escalation.Resolve(Reporter, "Restarted the mail relay", Mon(9, 30));
        if (start is Start.Closed) escalation.Close(Reporter, Mon(9, 40));
        return escalation;
    }

    private static void Do(Escalation escalation, string action, DateTimeOffset at)
    {
        switch (action)
        {
            case "acknowledge": escalation.Acknowledge(L1Member, at); break;
            case "assign": escalation.Assign(Reporter, Agent, at); break;
            case "hold": escalation.Hold(Reporter, "Waiting for a vendor", at); break;
            case "resume": escalation.Resume(Reporter, at); break;
            case "escalate": escalation.EscalateManually(Reporter, "Customer's CEO is affected", at); break;
            case "resolve": escalation.Resolve(Reporter, "Fixed", at); break;
            case "close": escalation.Close(Reporter, at); break;
            case "reopen": escalation.Reopen(Reporter, "It broke again", at); break;
            default: throw new ArgumentOutOfRangeException(nameof(action), action, null);
        }
    }

    [Theory]
    [MemberData(nameof(TransitionMatrix))]
    public void Action_IsAcceptedOrRefusedWithTransitionCode_DependingOnTheState(string action, Start start, bool allowed)
    {
        var escalation = In(start);
        var (state, version, entries) = (escalation.State, escalation.Version, escalation.Timeline.Count);

        if (allowed)
        {
            Do(escalation, action, Mon(10));
            Assert.Equal(version + 1, escalation.Version);
            Assert.Equal(entries + 1, escalation.Timeline.Count);
        }
        else
        {
            AssertCode("escalation.transition", () => Do(escalation, action, Mon(10)));
            Assert.Equal(state, escalation.State);
            Assert.Equal(version, escalation.Version);
            Assert.Equal(entries, escalation.Timeline.Count);
        }
    }

    [Fact]
    public void Open_StartsAtL1_OpenWithBothClocksRunning()
    {
        var escalation = Open();

        Assert.Equal(EscalationState.Open, escalation.State);
        Assert.Equal(SupportLevel.L1, escalation.Level);
        Assert.Equal(Priority.P2, escalation.Priority);
        Assert.Equal(Reporter, escalation.Reporter);
        Assert.Equal(Monday9, escalation.OpenedAt);
        Assert.Equal(Monday9, escalation.LevelStartedAt);
        Assert.Equal(1, escalation.Version);
        var opened = Assert.Single(escalation.Timeline);
        Assert.Equal((1, EscalationEventKind.Opened, SupportLevel.L1), (opened.Sequence, opened.Kind, opened.Level));
        Assert.Contains("response due 2026-01-05 10:00 +01:00", opened.Detail, StringComparison.Ordinal);
        Assert.True(escalation.ResponseElapsed(Mon(9, 30)).Running);
        Assert.True(escalation.ResolutionElapsed(Mon(9, 30)).Running);
    }

    [Fact]
    public void OpeningNotification_TellsL1()
    {
        var notification = Open().OpeningNotification();

        Assert.Equal((EscalationEventKind.Opened, SupportLevel.L1, 1), (notification.Kind, notification.Level, notification.TimelineSequence));
        Assert.Empty(notification.People);
        Assert.Equal([L1Channel], notification.ChannelIds);
    }

    [Theory]
    [InlineData("", "value.required")]
    [InlineData("   ", "value.required")]
    public void Open_Throws_WhenTheTitleIsMissing(string title, string code) =>
        AssertCode(code, () => Escalation.Open(Policy(), title, null, Reporter, Monday9));

    [Fact]
    public void Open_Throws_WhenTitleOrDescriptionIsTooLong()
    {
        var policy = Policy();
        AssertCode("value.too_long", () => Escalation.Open(policy, new string('t', 201), null, Reporter, Monday9));
        AssertCode("value.too_long", () => Escalation.Open(policy, "Title", new string('d', 4001), Reporter, Monday9));
        Assert.Equal(4000, Escalation.Open(policy, new string('t', 200), new string('d', 4000), Reporter, Monday9).Description.Length);
    }

    [Fact]
    public void Acknowledge_StopsTheResponseClock_WhenOpen()
    {
        var escalation = Open();

        escalation.Acknowledge(L1Member, Mon(9, 40));

        Assert.Equal(EscalationState.Acknowledged, escalation.State);
        Assert.Equal(Mon(9, 40), escalation.AcknowledgedAt);
        Assert.Equal(L1Member.Person, escalation.AcknowledgedBy);
        var response = escalation.ResponseElapsed(Mon(16));
        Assert.Equal(TimeSpan.FromMinutes(40), response.Elapsed);
        Assert.False(response.Running);
        Assert.Null(escalation.ResponseDueAt);
        Assert.Contains("40m of business time (66.7 % of the 1h target)", escalation.Last().Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Acknowledge_KeepsItOnHold_AndResumeReturnsToAcknowledged_WhenHeldBeforeAnyResponse()
    {
        var escalation = In(Start.OnHoldFromOpen);

        escalation.Acknowledge(L1Member, Mon(9, 50));

        Assert.Equal(EscalationState.OnHold, escalation.State);
        Assert.Equal(EscalationState.Acknowledged, escalation.StateBeforeHold);
        Assert.Equal(TimeSpan.FromMinutes(20), escalation.ResponseElapsed(Mon(12)).Elapsed);
        escalation.Resume(Reporter, Mon(10));
        Assert.Equal(EscalationState.Acknowledged, escalation.State);
    }

    [Fact]
    public void Acknowledge_Throws_WhenAlreadyAcknowledged_NamingWhoAndWhen()
    {
        var escalation = In(Start.Acknowledged);

        var error = Assert.Throws<ApprovalBot.Domain.Common.DomainException>(() => escalation.Acknowledge(Reporter, Mon(10)));

        Assert.Equal("escalation.transition", error.Code);
        Assert.Contains("already acknowledged by lou at 2026-01-05 09:10 +01:00", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Assign_SetsTheAssignee_AndReassigns()
    {
        var escalation = Open();

        escalation.Assign(L1Member, Agent, Mon(9, 5));
        escalation.Assign(Agent, People.Leo, Mon(9, 6));

        Assert.Equal(People.Leo, escalation.Assignee);
        Assert.Equal("Reassigned from dan to leo.", escalation.Last().Detail);
        Assert.Equal(EscalationState.Open, escalation.State);
    }

    [Fact]
    public void Assign_Throws_WhenAlreadyAssignedToThatPerson()
    {
        var escalation = Open();
        escalation.Assign(Reporter, Agent, Mon(9, 5));

        AssertCode("escalation.already_assigned", () => escalation.Assign(Reporter, Agent, Mon(9, 6)));
        Assert.Equal(2, escalation.Version);
    }

    [Fact]
    public void Hold_PausesBothClocks_AndRecordsTheReason()
    {
        var escalation = Open();

        escalation.Hold(Reporter, "Waiting for the customer's logs", Mon(9, 20));

        Assert.Equal(EscalationState.OnHold, escalation.State);
        Assert.Equal(EscalationState.Open, escalation.StateBeforeHold);
        Assert.Equal(new TimePeriod(Mon(9, 20), null), Assert.Single(escalation.HoldPeriods));
        Assert.Equal("Waiting for the customer's logs", escalation.Last().Reason);
        Assert.Equal(TimeSpan.FromMinutes(20), escalation.ResponseElapsed(Mon(15)).Elapsed);
        Assert.Equal(TimeSpan.FromMinutes(20), escalation.ResolutionElapsed(Mon(15)).Elapsed);
        Assert.False(escalation.ResolutionElapsed(Mon(15)).Running);
        Assert.Null(escalation.ResponseDueAt);
        Assert.Null(escalation.ResolutionDueAt(100));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    public void Hold_Throws_WhenNoReasonIsGiven(string? reason)
    {
        var escalation = Open();

        AssertCode("value.required", () => escalation.Hold(Reporter, reason!, Mon(9, 20)));
        Assert.Equal(EscalationState.Open, escalation.State);
        Assert.Empty(escalation.HoldPeriods);
        Assert.Equal(1, escalation.Version);
    }

    [Fact]
    public void Resume_ReturnsToTheStateBeforeTheHold_AndClosesThePeriod()
    {
        var escalation = In(Start.OnHoldFromAcknowledged);

        escalation.Resume(Reporter, Mon(11));

        Assert.Equal(EscalationState.Acknowledged, escalation.State);
        Assert.Null(escalation.StateBeforeHold);
        Assert.Equal(new TimePeriod(Mon(9, 20), Mon(11)), Assert.Single(escalation.HoldPeriods));
        Assert.StartsWith("Clocks resumed after 1h 40m of business time on hold", escalation.Last().Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_StopsTheResolutionClock_AndEndsAHold()
    {
        var escalation = In(Start.OnHoldFromAcknowledged);

        escalation.Resolve(Reporter, "Customer confirmed the fix", Mon(12));

        Assert.Equal(EscalationState.Resolved, escalation.State);
        Assert.Equal(Mon(12), escalation.ResolvedAt);
        Assert.Equal("Customer confirmed the fix", escalation.ResolutionNote);
        Assert.Equal(new TimePeriod(Mon(9, 20), Mon(12)), Assert.Single(escalation.HoldPeriods));
        Assert.Equal(TimeSpan.FromMinutes(20), escalation.ResolutionElapsed(Mon(12, days: 1)).Elapsed);
        Assert.False(escalation.ResolutionElapsed(Mon(13)).Running);
    }

    [Fact]
    public void Resolve_Throws_WhenNoNoteIsGiven()
    {
        var escalation = Open();

        AssertCode("value.required", () => escalation.Resolve(Reporter, "", Mon(10)));
        Assert.Equal(EscalationState.Open, escalation.State);
    }

    [Fact]
    public void Close_ClosesAResolvedEscalation()
    {
        var escalation = In(Start.Resolved);

        escalation.Close(Reporter, Mon(10));

        Assert.Equal(EscalationState.Closed, escalation.State);
        Assert.Equal(Mon(10), escalation.ClosedAt);
        Assert.False(escalation.IsActive);
    }

    [Fact]
    public void Version_CountsEveryAcceptedChange_AndTheTimelineRecordsThemInOrder()
    {
        var escalation = Open();
        escalation.Assign(Reporter, Agent, Mon(9, 1));
        escalation.Acknowledge(Agent, Mon(9, 2));
        escalation.Hold(Agent, "Vendor", Mon(9, 3));
        escalation.Resume(Agent, Mon(9, 4));
        escalation.EscalateManually(Agent, "Needs L2", Mon(9, 5));
        escalation.Resolve(Agent, "Fixed", Mon(9, 6));
        escalation.Close(Reporter, Mon(9, 7));
        escalation.Reopen(Reporter, "Broke again", Mon(9, 8));

        Assert.Equal(9, escalation.Version);
        Assert.Equal(
            [EscalationEventKind.Opened, EscalationEventKind.Assigned, EscalationEventKind.Acknowledged, EscalationEventKind.Held, EscalationEventKind.Resumed,
             EscalationEventKind.LevelRaised, EscalationEventKind.Resolved, EscalationEventKind.Closed, EscalationEventKind.Reopened],
            escalation.Timeline.Select(e => e.Kind));
        Assert.Equal(Enumerable.Range(1, 9), escalation.Timeline.Select(e => e.Sequence));
        Assert.All(escalation.Timeline.Skip(1), e => Assert.NotNull(e.Actor));
    }

    [Fact]
    public void Actions_TakeTheLastEventsTime_WhenNowIsEarlier()
    {
        var escalation = In(Start.OnHoldFromOpen);

        escalation.Resume(Reporter, Mon(9, 10));

        Assert.Equal(new TimePeriod(Mon(9, 20), Mon(9, 20)), Assert.Single(escalation.HoldPeriods));
        Assert.Equal(Mon(9, 20), escalation.Last().At);
    }
}
