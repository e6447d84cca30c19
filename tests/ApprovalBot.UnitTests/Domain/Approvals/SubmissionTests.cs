using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using static ApprovalBot.UnitTests.Domain.Approvals.Requests;

namespace ApprovalBot.UnitTests.Domain.Approvals;

public class SubmissionTests
{
    [Fact]
    public async Task Submit_StartsTheFirstStage_WithTheResolvedApprovers()
    {
        var request = await Submit(BuiltInFlows.Agreement());

        Assert.Equal(ApprovalStatus.InProgress, request.Status);
        Assert.Equal(1, request.Revision);
        Assert.Equal(new CardState(1, 1), request.CurrentCard);
        Assert.Equal([People.Bob], request.CurrentStage!.Seats.Select(s => s.Owner));
        Assert.Equal([People.Bob], request.WaitingFor);
        Assert.True(request.CanDecide(People.Bob));
        Assert.False(request.CanDecide(People.Alice));
        Assert.Equal(1, request.Version);
        Assert.Equal([AuditAction.Submitted, AuditAction.StageStarted], request.AuditTrail.Select(a => a.Action));
        Assert.Equal(People.Alice, request.AuditTrail[0].Actor);
    }

    [Fact]
    public async Task Submit_Throws_WhenTheFirstStageHasNobodyToDecide()
    {
        var directory = FakeDirectory.Standard();
        directory.Managers.Clear();

        var error = await Assert.ThrowsAsync<DomainException>(() => Submit(BuiltInFlows.Agreement(), directory));

        Assert.Equal("approval.unresolved", error.Code);
        Assert.Contains("alice has no manager", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_LeavesTheRequesterOut_OfTheirOwnApprovers()
    {
        var directory = FakeDirectory.Standard();
        directory.Groups["Legal"].Add(People.Alice);

        var request = await Submit(Flow(Stage("Legal", ApproverRule.Group("Legal"), DecisionRule.All)), directory);

        Assert.DoesNotContain(People.Alice, request.WaitingFor);
        Assert.Equal(3, request.CurrentStage!.Seats.Count);
    }

    [Fact]
    public async Task Submit_Throws_WhenTheRequesterIsTheOnlyApprover()
    {
        var error = await Assert.ThrowsAsync<DomainException>(() => Submit(Flow(Stage("Self", ApproverRule.People(People.Alice)))));
        Assert.Contains("cannot approve their own request", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_Throws_WhenFewerApproversResolveThanNOfMNeeds()
    {
        var error = await Assert.ThrowsAsync<DomainException>(() => Submit(Flow(Stage("Mgmt", ApproverRule.Group("Management"), DecisionRule.NOfM(3)))));
        Assert.Contains("3 approvals are needed but only 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_SnapshotsTheFlow_SoEditingItLaterDoesNotChangeTheRequest()
    {
        var flow = BuiltInFlows.Agreement();
        var request = await Submit(flow);

        flow.ReplaceStages([Stage("Only the CFO", ApproverRule.People(People.Zed), DecisionRule.All, sla: TimeSpan.FromHours(1))]);

        Assert.Equal(["Department manager", "Legal", "Management"], request.Stages.Select(s => s.Name));
        Assert.Equal(TimeSpan.FromHours(16), request.Stages[0].ApproverSla);
        Assert.Equal(BuiltInFlows.AgreementFlowName, request.FlowName);

        var directory = FakeDirectory.Standard();
        await request.Approve(People.Bob, directory);
        Assert.Equal("Legal", request.CurrentStage!.StageName);
        Assert.Equal([People.Lena, People.Leo, People.Lou], request.WaitingFor);
    }

    [Fact]
    public async Task Submit_ResolvesEachStage_OnlyWhenItStarts()
    {
        var directory = FakeDirectory.Standard();
        var request = await Submit(BuiltInFlows.Agreement(), directory);
        Assert.Equal(1, directory.Calls);

        directory.Groups["Legal"] = [People.Leo]; // Legal changed while the manager was deciding
        await request.Approve(People.Bob, directory);

        Assert.Equal(2, directory.Calls);
        Assert.Equal([People.Leo], request.WaitingFor);
    }

    [Fact]
    public void NewRequest_Throws_WhenTitleIsMissingOrThereAreTooManyLinks()
    {
        Assert.Throws<DomainException>(() => new NewApprovalRequest(" ", null, People.Alice, ApprovalSubject.Other()));
        var links = Enumerable.Range(1, 11).Select(i => new RequestLink($"L{i}", $"https://example.com/{i}"));
        Assert.Throws<DomainException>(() => new NewApprovalRequest("T", null, People.Alice, ApprovalSubject.Other(), links));
    }
}
