using ApprovalBot.Domain.Approvals;
using static ApprovalBot.UnitTests.Domain.Approvals.Requests;

namespace ApprovalBot.UnitTests.Domain.Approvals;

public class DecisionTests
{
    private static ApprovalFlow LegalThenManagement(DecisionRule legal) =>
        Flow(Stage("Legal", ApproverRule.Group("Legal"), legal), Stage("Management", ApproverRule.Group("Management")));

    [Fact]
    public async Task Any_FirstApprovalCompletesTheStage_AndStartsTheNext()
    {
        var request = await Submit(LegalThenManagement(DecisionRule.Any));

        var result = await request.Approve(People.Leo);

        Assert.True(result.Accepted);
        Assert.Equal(StageRunStatus.Approved, request.StageRuns[0].Status);
        Assert.Equal(new CardState(1, 2), request.CurrentCard);
        Assert.Equal([People.Mia, People.Max], request.WaitingFor);
    }

    [Fact]
    public async Task Any_OneRejectionRejectsTheRequest()
    {
        var request = await Submit(LegalThenManagement(DecisionRule.Any));

        var result = request.RejectNow(People.Lou, "Clause 7 is unlawful");

        Assert.True(result.Accepted);
        Assert.Equal(ApprovalStatus.Rejected, request.Status);
        Assert.Equal(StageRunStatus.Rejected, request.StageRuns[0].Status);
        Assert.Equal(new RequestOutcome(DecisionKind.Reject, People.Lou, null, "Clause 7 is unlawful", Monday10.AddHours(1), 1, 1), request.Outcome);
        Assert.Single(request.StageRuns);
        Assert.Equal(AuditAction.Completed, request.LastAudit().Action);
    }

    [Fact]
    public async Task All_NeedsEveryApprover()
    {
        var request = await Submit(LegalThenManagement(DecisionRule.All));

        await request.Approve(People.Lena);
        await request.Approve(People.Leo);
        Assert.Equal(1, request.CurrentStageNumber);
        Assert.Equal([People.Lou], request.WaitingFor);

        await request.Approve(People.Lou);
        Assert.Equal(2, request.CurrentStageNumber);
    }

    [Fact]
    public async Task All_OneRejectionRejects_EvenAfterOtherApprovals()
    {
        var request = await Submit(LegalThenManagement(DecisionRule.All));
        await request.Approve(People.Lena);

        request.RejectNow(People.Leo);

        Assert.Equal(ApprovalStatus.Rejected, request.Status);
    }

    [Fact]
    public async Task NOfM_CompletesAtNApprovals()
    {
        var request = await Submit(LegalThenManagement(DecisionRule.NOfM(2)));

        await request.Approve(People.Lena);
        Assert.Equal(1, request.CurrentStageNumber);
        await request.Approve(People.Lou);

        Assert.Equal(2, request.CurrentStageNumber);
        Assert.Equal(DecisionKind.Approve, request.StageRuns[0].Seats.Single(s => s.Owner == People.Lou).Decision);
        Assert.Null(request.StageRuns[0].Seats.Single(s => s.Owner == People.Leo).Decision);
    }

    [Fact]
    public async Task NOfM_RecordsADissent_WithoutEndingTheStage_WhileNIsStillReachable()
    {
        var request = await Submit(LegalThenManagement(DecisionRule.NOfM(2)));

        var result = request.RejectNow(People.Lena, "I would not sign this");

        Assert.True(result.Accepted);
        Assert.Equal(ApprovalStatus.InProgress, request.Status);
        Assert.Equal([People.Leo, People.Lou], request.WaitingFor);
        await request.Approve(People.Leo);
        await request.Approve(People.Lou);
        Assert.Equal(2, request.CurrentStageNumber);
    }

    [Fact]
    public async Task NOfM_Rejects_WhenNApprovalsCanNoLongerBeReached()
    {
        var request = await Submit(LegalThenManagement(DecisionRule.NOfM(2)));

        request.RejectNow(People.Lena);
        request.RejectNow(People.Leo);

        Assert.Equal(ApprovalStatus.Rejected, request.Status);
    }

    [Fact]
    public async Task RequestChanges_SendsTheRequestBack_EvenUnderAll()
    {
        var request = await Submit(LegalThenManagement(DecisionRule.All));
        await request.Approve(People.Lena);

        var result = request.AskForChanges(People.Leo, "Add a data-processing annex");

        Assert.True(result.Accepted);
        Assert.Equal(ApprovalStatus.ChangesRequested, request.Status);
        Assert.Equal(StageRunStatus.ChangesRequested, request.StageRuns[0].Status);
        Assert.Equal("Add a data-processing annex", request.Outcome!.Comment);
        Assert.Equal(People.Leo, request.Outcome.DecidedBy);
        Assert.Empty(request.WaitingFor);
    }

    [Fact]
    public async Task LastStageApproval_ApprovesTheRequest()
    {
        var request = await Submit(BuiltInFlows.Agreement());

        await request.Approve(People.Bob);
        await request.Approve(People.Lena);
        var last = await request.Approve(People.Max, comment: "Signed");

        Assert.True(last.Accepted);
        Assert.Equal(ApprovalStatus.Approved, request.Status);
        Assert.Equal(Monday10.AddHours(1), request.CompletedAt);
        Assert.Equal(new RequestOutcome(DecisionKind.Approve, People.Max, null, "Signed", Monday10.AddHours(1), 1, 3), request.Outcome);
        Assert.Equal(3, request.StageRuns.Count);
        Assert.All(request.StageRuns, r => Assert.Equal(StageRunStatus.Approved, r.Status));
        Assert.Null(request.CurrentStage);
        Assert.Null(request.NextTimerAt);
    }

    [Fact]
    public async Task EveryAcceptedChange_IncrementsTheVersion()
    {
        var request = await Submit(LegalThenManagement(DecisionRule.All));
        var versions = new List<long> { request.Version };

        await request.Approve(People.Lena);
        versions.Add(request.Version);
        request.Delegate(People.Leo, request.CurrentCard, People.Dan, null, Monday10);
        versions.Add(request.Version);
        request.RejectNow(People.Dan);
        versions.Add(request.Version);

        Assert.Equal([1, 2, 3, 4], versions);
    }

    [Fact]
    public async Task NextStage_Blocks_WhenItsApproversCannotBeResolved_AndRetryStartsIt()
    {
        var directory = FakeDirectory.Standard();
        directory.Groups.Remove("Management");
        var request = await Submit(LegalThenManagement(DecisionRule.Any), directory);

        var result = await request.Approve(People.Lena, directory);

        Assert.True(result.Accepted);
        Assert.Equal(ApprovalStatus.Blocked, request.Status);
        Assert.Equal(2, request.CurrentStageNumber);
        Assert.Equal("there is no group named Management", request.BlockedReason);
        Assert.Equal(AuditAction.StageBlocked, request.LastAudit().Action);
        Assert.Equal(RefusalReason.NotAwaitingDecisions, request.RejectNow(People.Mia, card: new CardState(1, 2)).Refusal!.Reason);

        Assert.False(await request.RetryBlockedStageAsync(directory, AroundTheClockCalendar.Instance, Monday10.AddHours(2)));
        directory.Groups["Management"] = [People.Mia];
        Assert.True(await request.RetryBlockedStageAsync(directory, AroundTheClockCalendar.Instance, Monday10.AddHours(3)));

        Assert.Equal(ApprovalStatus.InProgress, request.Status);
        Assert.Null(request.BlockedReason);
        Assert.Equal([People.Mia], request.WaitingFor);
        Assert.Equal(Monday10.AddHours(3), request.CurrentStage!.StartedAt);
    }
}
