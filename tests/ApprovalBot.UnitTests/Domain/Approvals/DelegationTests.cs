using ApprovalBot.Domain.Approvals;
using static ApprovalBot.UnitTests.Domain.Approvals.Requests;

namespace ApprovalBot.UnitTests.Domain.Approvals;

public class DelegationTests
{
    private static Task<ApprovalRequest> LegalAll() =>
        Submit(Flow(Stage("Legal", ApproverRule.Group("Legal"), DecisionRule.All)));

    [Fact]
    public async Task Delegate_LetsTheDelegateDecide_RecordedAsXForY()
    {
        var request = await LegalAll();

        var delegated = request.Delegate(People.Leo, request.CurrentCard, People.Dan, "On holiday", Monday10);
        var decided = await request.Approve(People.Dan);

        Assert.True(delegated.Accepted);
        Assert.Equal(AuditAction.Delegate, delegated.Entry.Action);
        Assert.Equal(People.Leo, delegated.Entry.Actor);
        Assert.Equal(People.Dan, delegated.Entry.DelegateTo);
        Assert.Equal("On holiday", delegated.Entry.Comment);

        Assert.True(decided.Accepted);
        Assert.Equal(People.Dan, decided.Entry.Actor);
        Assert.Equal(People.Leo, decided.Entry.OnBehalfOf);
        Assert.Equal("dan for leo", decided.Entry.Who);
        var seat = request.CurrentStage!.Seats.Single(s => s.Owner == People.Leo);
        Assert.Equal(People.Dan, seat.Holder);
        Assert.Equal(People.Dan, seat.DecidedBy);
    }

    [Fact]
    public async Task Delegate_TakesTheDecisionAwayFromTheOriginalApprover()
    {
        var request = await LegalAll();
        request.Delegate(People.Leo, request.CurrentCard, People.Dan, null, Monday10);

        var result = await request.Approve(People.Leo);

        Assert.Equal(RefusalReason.DelegatedAway, result.Refusal!.Reason);
        Assert.Contains("dan", result.Refusal.Message, StringComparison.Ordinal);
        Assert.True(request.CanDecide(People.Dan));
        Assert.False(request.CanDecide(People.Leo));
    }

    [Fact]
    public async Task Delegate_CanBePassedOn_StillForTheOriginalApprover()
    {
        var request = await LegalAll();
        request.Delegate(People.Leo, request.CurrentCard, People.Dan, null, Monday10);

        var passed = request.Delegate(People.Dan, request.CurrentCard, People.Zed, null, Monday10);
        var decided = request.RejectNow(People.Zed, "No");

        Assert.Equal(People.Leo, passed.Entry.OnBehalfOf);
        Assert.Equal("zed for leo", decided.Entry.Who);
    }

    [Fact]
    public async Task Delegate_IsRefused_ToSelf()
    {
        var request = await LegalAll();
        var version = request.Version;

        var result = request.Delegate(People.Leo, request.CurrentCard, People.Leo, null, Monday10);

        Assert.Equal(RefusalReason.DelegateToSelf, result.Refusal!.Reason);
        Assert.Equal(AuditOutcome.Refused, request.LastAudit().Outcome);
        Assert.Equal(version, request.Version);
    }

    [Fact]
    public async Task Delegate_IsRefused_ToSomeoneWhoAlreadyApprovesTheStage()
    {
        var request = await LegalAll();
        request.Delegate(People.Leo, request.CurrentCard, People.Dan, null, Monday10);

        Assert.Equal(RefusalReason.DelegateAlreadyApprover, request.Delegate(People.Lena, request.CurrentCard, People.Lou, null, Monday10).Refusal!.Reason);
        Assert.Equal(RefusalReason.DelegateAlreadyApprover, request.Delegate(People.Lena, request.CurrentCard, People.Dan, null, Monday10).Refusal!.Reason);
        Assert.Equal(RefusalReason.DelegateAlreadyApprover, request.Delegate(People.Dan, request.CurrentCard, People.Leo, null, Monday10).Refusal!.Reason);
        Assert.Equal(People.Leo, request.LastAudit().DelegateTo);
    }

    [Fact]
    public async Task Delegate_IsRefused_ToTheRequester()
    {
        var request = await LegalAll();

        var result = request.Delegate(People.Leo, request.CurrentCard, People.Alice, null, Monday10);

        Assert.Equal(RefusalReason.DelegateIsRequester, result.Refusal!.Reason);
    }

    [Fact]
    public async Task Delegate_IsRefused_ByANonApproverOrAfterDeciding()
    {
        var request = await LegalAll();
        await request.Approve(People.Lena);

        Assert.Equal(RefusalReason.NotAnApprover, request.Delegate(People.Zed, request.CurrentCard, People.Dan, null, Monday10).Refusal!.Reason);
        Assert.Equal(RefusalReason.AlreadyDecided, request.Delegate(People.Lena, request.CurrentCard, People.Dan, null, Monday10).Refusal!.Reason);
    }

    [Fact]
    public async Task Delegate_Throws_ForAnEmptyPersonId()
    {
        var request = await LegalAll();

        Assert.Throws<ApprovalBot.Domain.Common.DomainException>(() => request.Delegate(People.Leo, request.CurrentCard, default, null, Monday10));
    }
}
