using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.UnitTests.Domain.Approvals;
using static ApprovalBot.UnitTests.Domain.Approvals.Requests;

namespace ApprovalBot.UnitTests.Domain.Agreements;

public class AgreementLifecycleTests
{
    private readonly FakeDirectory _directory = FakeDirectory.Standard();

    private static Agreement Draft(AgreementTerms? terms = null) =>
        Agreement.CreateDraft("Contoso support 2026", terms ?? SampleTerms.Complete(), People.Alice, Monday10);

    private Task<ApprovalRequest> SubmitAsync(Agreement agreement, DateTimeOffset? at = null) =>
        AgreementApproval.SubmitAsync(agreement, BuiltInFlows.Agreement(), People.Alice, [new RequestLink("Draft", "https://example.com/draft.docx")],
            _directory, AroundTheClockCalendar.Instance, at ?? Monday10.AddMinutes(5));

    private Task<AuditEntry> ResubmitAsync(Agreement agreement, ApprovalRequest request) =>
        AgreementApproval.ResubmitAsync(agreement, request, People.Alice, "Liability capped", null, _directory, AroundTheClockCalendar.Instance, Monday10.AddHours(4));

    private async Task SignOff(Agreement agreement, ApprovalRequest request)
    {
        foreach (var approver in new[] { People.Bob, People.Lena, People.Mia })
        {
            (await request.ApproveAsync(approver, request.CurrentCard, null, _directory, AroundTheClockCalendar.Instance, Monday10.AddHours(6))).ThrowIfRefused();
            agreement.ApplyApprovalOutcome(request, Monday10.AddHours(6));
        }
    }

    private static void AssertTransitionRefused(Action action)
    {
        var error = Assert.Throws<DomainException>(action);
        Assert.Equal("agreement.transition", error.Code);
    }

    [Fact]
    public void CreateDraft_StartsAtRevisionOne_AsADraft()
    {
        var agreement = Draft();

        Assert.Equal(AgreementStatus.Draft, agreement.Status);
        Assert.Equal(1, agreement.CurrentRevision.Number);
        Assert.Null(agreement.CurrentRevision.SubmittedAt);
        Assert.Equal("Contoso IT Services", agreement.Terms.ProviderName);
        Assert.Null(agreement.TermsInForce);
        Assert.Equal(1, agreement.Version);
    }

    [Fact]
    public void CreateDraft_AcceptsIncompleteTerms_AndReviseCompletesThemInPlace()
    {
        var agreement = Draft(new AgreementTerms { ProviderName = "Contoso" });

        agreement.Revise(SampleTerms.Complete(), People.Alice, Monday10.AddMinutes(1));

        Assert.Single(agreement.Revisions);
        Assert.Equal("Contoso IT Services", agreement.Terms.ProviderName);
        Assert.Equal(2, agreement.Version);
    }

    [Fact]
    public async Task Submit_Throws_WithEveryProblem_WhenTheTermsAreIncomplete()
    {
        var agreement = Draft(new AgreementTerms { ProviderName = "Contoso" });

        var error = await Assert.ThrowsAsync<AgreementIncompleteException>(() => SubmitAsync(agreement));

        Assert.Equal("agreement.incomplete", error.Code);
        Assert.Equal(14, error.Problems.Count);
        Assert.Equal(AgreementStatus.Draft, agreement.Status);
        Assert.Equal(0, _directory.Calls);
    }

    [Fact]
    public async Task Submit_PutsTheCurrentRevisionIntoApproval()
    {
        var agreement = Draft();

        var request = await SubmitAsync(agreement);

        Assert.Equal(AgreementStatus.InApproval, agreement.Status);
        Assert.Equal(Monday10.AddMinutes(5), agreement.CurrentRevision.SubmittedAt);
        Assert.Equal(People.Alice, agreement.CurrentRevision.SubmittedBy);
        Assert.Equal(ApprovalSubject.Agreement(agreement.Id, 1), request.Subject);
        Assert.Equal("IT support agreement: Contoso support 2026", request.Title);
        Assert.Contains("Provider: Contoso IT Services", request.Details, StringComparison.Ordinal);
        Assert.Contains("Pricing: Monthly retainer, 4,500 EUR", request.Details, StringComparison.Ordinal);
        Assert.Contains("Services: Data backup and recovery, Help desk, Other (Printer fleet care)", request.Details, StringComparison.Ordinal);
        Assert.Contains("Coverage: Both", request.Details, StringComparison.Ordinal);
        Assert.Equal(BuiltInFlows.AgreementFlowName, request.FlowName);
        Assert.Equal([People.Bob], request.WaitingFor);
    }

    [Fact]
    public async Task FinalSignOff_MakesTheAgreementActive_WithItsTermsInForce()
    {
        var agreement = Draft();
        var request = await SubmitAsync(agreement);

        await request.ApproveAsync(People.Bob, request.CurrentCard, null, _directory, AroundTheClockCalendar.Instance, Monday10.AddHours(1));
        Assert.False(agreement.ApplyApprovalOutcome(request, Monday10.AddHours(1)));
        await request.ApproveAsync(People.Leo, request.CurrentCard, null, _directory, AroundTheClockCalendar.Instance, Monday10.AddHours(2));
        Assert.False(agreement.ApplyApprovalOutcome(request, Monday10.AddHours(2)));
        Assert.Equal(AgreementStatus.InApproval, agreement.Status);
        await request.ApproveAsync(People.Max, request.CurrentCard, "Signed", _directory, AroundTheClockCalendar.Instance, Monday10.AddHours(3));

        Assert.True(agreement.ApplyApprovalOutcome(request, Monday10.AddHours(3)));

        Assert.Equal(AgreementStatus.Active, agreement.Status);
        Assert.Equal(Monday10.AddHours(3), agreement.ActivatedAt);
        Assert.Equal(1, agreement.ActiveRevisionNumber);
        Assert.Same(agreement.Revisions[0].Terms, agreement.TermsInForce);
        Assert.Equal(RevisionOutcome.Approved, agreement.CurrentRevision.Outcome);
        Assert.Equal(People.Max, agreement.CurrentRevision.Decision!.DecidedBy);
        Assert.False(agreement.ApplyApprovalOutcome(request, Monday10.AddHours(4)));
    }

    [Fact]
    public async Task Activate_Throws_UnlessTheRequestIsApproved()
    {
        var agreement = Draft();
        var request = await SubmitAsync(agreement);
        await request.ApproveAsync(People.Bob, request.CurrentCard, null, _directory, AroundTheClockCalendar.Instance, Monday10.AddHours(1));

        var error = Assert.Throws<DomainException>(() => agreement.Activate(request, Monday10.AddHours(1)));

        Assert.Equal("agreement.not_signed_off", error.Code);
        Assert.Equal(AgreementStatus.InApproval, agreement.Status);
    }

    [Fact]
    public async Task Activate_Throws_ForADraft_OrARequestAboutSomethingElse()
    {
        var signedOff = Draft();
        var request = await SubmitAsync(signedOff);
        await SignOff(signedOff, request);

        AssertTransitionRefused(() => Draft().Activate(request, Monday10.AddHours(7)));

        var other = await ApprovalRequest.SubmitAsync(new NewApprovalRequest("Laptops", null, People.Alice, ApprovalSubject.Other()),
            BuiltInFlows.Agreement(), _directory, AroundTheClockCalendar.Instance, Monday10);
        var inApproval = Draft();
        await SubmitAsync(inApproval);
        Assert.Equal("agreement.wrong_request", Assert.Throws<DomainException>(() => inApproval.Activate(other, Monday10.AddHours(7))).Code);
    }

    [Fact]
    public async Task RequestChanges_ReviseAndResubmit_MakesRevisionTwo_RestartingAtThatStage()
    {
        var agreement = Draft();
        var request = await SubmitAsync(agreement);
        await request.ApproveAsync(People.Bob, request.CurrentCard, null, _directory, AroundTheClockCalendar.Instance, Monday10.AddHours(1));
        request.RequestChanges(People.Lena, request.CurrentCard, "Cap the liability", Monday10.AddHours(2));

        Assert.True(agreement.ApplyApprovalOutcome(request, Monday10.AddHours(2)));
        Assert.Equal(AgreementStatus.ChangesRequested, agreement.Status);
        Assert.Equal(RevisionOutcome.ChangesRequested, agreement.CurrentRevision.Outcome);
        Assert.Equal("Cap the liability", agreement.CurrentRevision.Decision!.Comment);

        var revised = SampleTerms.Complete() with { Pricing = new Pricing(PricingStructure.MonthlyRetainer, 4200m, "EUR") };
        agreement.Revise(revised, People.Alice, Monday10.AddHours(3));
        Assert.Equal(AgreementStatus.ChangesRequested, agreement.Status);
        Assert.Equal(2, agreement.CurrentRevision.Number);
        await ResubmitAsync(agreement, request);

        Assert.Equal(AgreementStatus.InApproval, agreement.Status);
        Assert.Equal(ApprovalSubject.Agreement(agreement.Id, 2), request.Subject);
        Assert.Equal(new CardState(2, 2), request.CurrentCard);
        Assert.Equal(4500m, agreement.Revisions[0].Terms.Pricing!.Amount);
        Assert.Equal(4200m, agreement.Revisions[1].Terms.Pricing!.Amount);
        Assert.Equal(RevisionOutcome.ChangesRequested, agreement.Revisions[0].Outcome);

        await request.ApproveAsync(People.Lena, request.CurrentCard, null, _directory, AroundTheClockCalendar.Instance, Monday10.AddHours(5));
        await request.ApproveAsync(People.Mia, request.CurrentCard, null, _directory, AroundTheClockCalendar.Instance, Monday10.AddHours(6));
        agreement.ApplyApprovalOutcome(request, Monday10.AddHours(6));
        Assert.Equal(AgreementStatus.Active, agreement.Status);
        Assert.Equal(2, agreement.ActiveRevisionNumber);
        Assert.Equal(4200m, agreement.TermsInForce!.Pricing!.Amount);
    }

    [Fact]
    public async Task Resubmit_Throws_UntilTheAgreementIsRevised()
    {
        var agreement = Draft();
        var request = await SubmitAsync(agreement);
        request.RequestChanges(People.Bob, request.CurrentCard, "Shorter term", Monday10.AddHours(1));
        agreement.ApplyApprovalOutcome(request, Monday10.AddHours(1));

        var error = await Assert.ThrowsAsync<DomainException>(() => ResubmitAsync(agreement, request));

        Assert.Equal("agreement.not_revised", error.Code);
        Assert.Equal(ApprovalStatus.ChangesRequested, request.Status);
    }

    [Fact]
    public async Task Rejection_ThenRevise_MakesANewDraft_ThatANewRequestApprovesFromTheStart()
    {
        var agreement = Draft();
        var first = await SubmitAsync(agreement);
        first.Reject(People.Bob, first.CurrentCard, "Not this provider", Monday10.AddHours(1));
        agreement.ApplyApprovalOutcome(first, Monday10.AddHours(1));
        Assert.Equal(AgreementStatus.Rejected, agreement.Status);
        await Assert.ThrowsAsync<DomainException>(() => SubmitAsync(agreement));

        agreement.Revise(SampleTerms.Complete() with { ProviderName = "Fabrikam" }, People.Alice, Monday10.AddHours(2));
        Assert.Equal(AgreementStatus.Draft, agreement.Status);
        var second = await SubmitAsync(agreement, Monday10.AddHours(3));

        Assert.Equal(ApprovalSubject.Agreement(agreement.Id, 2), second.Subject);
        Assert.Equal(new CardState(1, 1), second.CurrentCard);
        Assert.Equal(RevisionOutcome.Rejected, agreement.Revisions[0].Outcome);
        Assert.Equal("Not this provider", agreement.Revisions[0].Decision!.Comment);
        Assert.False(agreement.ApplyApprovalOutcome(first, Monday10.AddHours(4))); // an old outcome changes nothing
        Assert.Equal(AgreementStatus.InApproval, agreement.Status);
    }

    [Fact]
    public async Task Revise_Throws_WhileInApprovalOrActive()
    {
        var agreement = Draft();
        var request = await SubmitAsync(agreement);
        AssertTransitionRefused(() => agreement.Revise(SampleTerms.Complete(), People.Alice, Monday10));

        await SignOff(agreement, request);
        AssertTransitionRefused(() => agreement.Revise(SampleTerms.Complete(), People.Alice, Monday10));
    }

    [Fact]
    public async Task Expire_EndsAnActiveAgreement_Only()
    {
        AssertTransitionRefused(() => Draft().Expire(Monday10));
        var agreement = Draft();
        var request = await SubmitAsync(agreement);
        await SignOff(agreement, request);

        agreement.Expire(Monday10.AddDays(400));

        Assert.Equal(AgreementStatus.Expired, agreement.Status);
        Assert.Equal(Monday10.AddDays(400), agreement.ExpiredAt);
        Assert.Null(agreement.TermsInForce);
        AssertTransitionRefused(() => agreement.Expire(Monday10.AddDays(401)));
        AssertTransitionRefused(() => agreement.Terminate("Too late", People.Carol, Monday10.AddDays(401)));
    }

    [Fact]
    public async Task Terminate_NeedsAReason_AndAnActiveAgreement()
    {
        AssertTransitionRefused(() => Draft().Terminate("Changed our mind", People.Carol, Monday10));
        var agreement = Draft();
        var request = await SubmitAsync(agreement);
        await SignOff(agreement, request);
        Assert.Equal("value.required", Assert.Throws<DomainException>(() => agreement.Terminate("  ", People.Carol, Monday10.AddDays(30))).Code);

        agreement.Terminate("Repeated SLA breaches", People.Carol, Monday10.AddDays(30));

        Assert.Equal(AgreementStatus.Terminated, agreement.Status);
        Assert.Equal("Repeated SLA breaches", agreement.TerminationReason);
        Assert.Equal(People.Carol, agreement.TerminatedBy);
        Assert.Equal(Monday10.AddDays(30), agreement.TerminatedAt);
        AssertTransitionRefused(() => agreement.Expire(Monday10.AddDays(31)));
    }

    [Fact]
    public async Task Submit_Throws_WhenTheFirstApproverCannotBeResolved_AndChangesNothing()
    {
        _directory.Managers.Clear();
        var agreement = Draft();

        await Assert.ThrowsAsync<DomainException>(() => SubmitAsync(agreement));

        Assert.Equal(AgreementStatus.Draft, agreement.Status);
        Assert.Null(agreement.CurrentRevision.SubmittedAt);
        Assert.Equal(1, agreement.Version);
    }

    [Fact]
    public async Task Submit_DirectlyWithoutItsRequest_IsNotPossible()
    {
        var agreement = Draft();
        var unrelated = await ApprovalRequest.SubmitAsync(new NewApprovalRequest("Agreement", null, People.Alice, ApprovalSubject.Agreement(agreement.Id, 5)),
            BuiltInFlows.Agreement(), _directory, AroundTheClockCalendar.Instance, Monday10);

        Assert.Equal("agreement.stale_request", Assert.Throws<DomainException>(() => agreement.Submit(unrelated, Monday10)).Code);
        Assert.Equal(AgreementStatus.Draft, agreement.Status);
    }
}
