using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using static ApprovalBot.UnitTests.Domain.Approvals.Requests;

namespace ApprovalBot.UnitTests.Domain.Approvals;

public class ResubmitTests
{
    private static Task<AuditEntry> Resubmit(ApprovalRequest request, PersonId? actor = null, Resubmission? resubmission = null, FakeDirectory? directory = null) =>
        request.ResubmitAsync(actor ?? People.Alice, resubmission ?? new Resubmission("Warranty added"), directory ?? FakeDirectory.Standard(), AroundTheClockCalendar.Instance, Monday10.AddHours(5));

    [Fact]
    public async Task Resubmit_StartsANewRevision_AtTheStageThatAskedForChanges()
    {
        var request = await Submit(BuiltInFlows.Agreement());
        await request.Approve(People.Bob);
        request.AskForChanges(People.Lena, "Liability cap missing");

        var entry = await Resubmit(request);

        Assert.Equal(AuditAction.Resubmitted, entry.Action);
        Assert.Equal("Warranty added", entry.Comment);
        Assert.Equal(ApprovalStatus.InProgress, request.Status);
        Assert.Equal(2, request.Revision);
        Assert.Equal(2, request.Subject.Revision);
        Assert.Equal(new CardState(2, 2), request.CurrentCard);
        Assert.Equal([People.Lena, People.Leo, People.Lou], request.WaitingFor);
        Assert.Null(request.Outcome);
        Assert.Equal(Monday10.AddHours(5), request.CurrentStage!.StartedAt);
    }

    [Fact]
    public async Task Resubmit_KeepsEarlierRevisionsDecisionsReadable()
    {
        var request = await Submit(BuiltInFlows.Agreement());
        await request.Approve(People.Bob);
        request.AskForChanges(People.Lena, "Liability cap missing");
        await Resubmit(request);
        await request.Approve(People.Leo);

        Assert.Equal(
            [(1, 1, StageRunStatus.Approved), (1, 2, StageRunStatus.ChangesRequested), (2, 2, StageRunStatus.Approved), (2, 3, StageRunStatus.InProgress)],
            request.StageRuns.Select(r => (r.Revision, r.StageNumber, r.Status)));
        var lena = request.StageRuns[1].Seats.Single(s => s.Owner == People.Lena);
        Assert.Equal(DecisionKind.RequestChanges, lena.Decision);
        Assert.Equal("Liability cap missing", lena.Comment);
        Assert.Contains(request.AuditTrail, a => a is { Action: AuditAction.RequestChanges, Revision: 1, StageNumber: 2, Comment: "Liability cap missing" });
        Assert.Contains(request.AuditTrail, a => a is { Action: AuditAction.Approve, Revision: 2, StageNumber: 2 } && a.Actor == People.Leo);
    }

    [Fact]
    public async Task Resubmit_Throws_WhenNotBackWithTheRequester()
    {
        var request = await Submit(BuiltInFlows.Agreement());

        var error = await Assert.ThrowsAsync<DomainException>(() => Resubmit(request));

        Assert.Equal("approval.transition", error.Code);
    }

    [Fact]
    public async Task Resubmit_Throws_WhenSomeoneElseResubmits()
    {
        var request = await Submit(BuiltInFlows.Agreement());
        request.AskForChanges(People.Bob);
        var version = request.Version;

        var error = await Assert.ThrowsAsync<DomainException>(() => Resubmit(request, actor: People.Bob));

        Assert.Equal("approval.not_requester", error.Code);
        Assert.Equal(version, request.Version);
        Assert.Equal(ApprovalStatus.ChangesRequested, request.Status);
    }

    [Fact]
    public async Task Resubmit_Throws_AndChangesNothing_WhenTheStageCannotBeResolved()
    {
        var request = await Submit(BuiltInFlows.Agreement());
        request.AskForChanges(People.Bob);
        var directory = FakeDirectory.Standard();
        directory.Managers.Clear();
        var (version, audit) = (request.Version, request.AuditTrail.Count);

        await Assert.ThrowsAsync<DomainException>(() => Resubmit(request, directory: directory));

        Assert.Equal((version, audit, 1, ApprovalStatus.ChangesRequested), (request.Version, request.AuditTrail.Count, request.Revision, request.Status));
    }

    [Fact]
    public async Task Resubmit_Throws_WhenAnAgreementSubjectRevisionDoesNotMoveOn()
    {
        var request = await ApprovalRequest.SubmitAsync(
            new NewApprovalRequest("Agreement", null, People.Alice, ApprovalSubject.Agreement(42, 3)),
            BuiltInFlows.Agreement(), FakeDirectory.Standard(), AroundTheClockCalendar.Instance, Monday10);
        request.AskForChanges(People.Bob);

        await Assert.ThrowsAsync<DomainException>(() => Resubmit(request));
        await Assert.ThrowsAsync<DomainException>(() => Resubmit(request, resubmission: new Resubmission(subjectRevision: 3)));
        await Resubmit(request, resubmission: new Resubmission(subjectRevision: 4));

        Assert.Equal(ApprovalSubject.Agreement(42, 4), request.Subject);
        Assert.Equal(2, request.Revision);
    }

    [Fact]
    public async Task Resubmit_CanReplaceTheLinks()
    {
        var request = await Submit(BuiltInFlows.Agreement());
        request.AskForChanges(People.Bob);

        await Resubmit(request, resubmission: new Resubmission(links: [new RequestLink("Quote v2", "https://example.com/quote-v2.pdf")]));

        Assert.Equal(["Quote v2"], request.Links.Select(l => l.Title));
    }
}
