using ApprovalBot.Domain.Approvals;
using static ApprovalBot.UnitTests.Domain.Approvals.Requests;

namespace ApprovalBot.UnitTests.Domain.Approvals;

public class GuardTests
{
    private static Task<ApprovalRequest> LegalAll() =>
        Submit(Flow(Stage("Legal", ApproverRule.Group("Legal"), DecisionRule.All), Stage("Management", ApproverRule.Group("Management"))));

    private static void AssertRefusedAndAudited(ApprovalRequest request, DecisionResult result, RefusalReason reason, long versionBefore, int auditBefore)
    {
        Assert.False(result.Accepted);
        Assert.Equal(reason, result.Refusal!.Reason);
        Assert.False(string.IsNullOrWhiteSpace(result.Refusal.Message));
        Assert.Equal(versionBefore, request.Version);
        Assert.Equal(auditBefore + 1, request.AuditTrail.Count);
        var entry = request.LastAudit();
        Assert.Same(result.Entry, entry);
        Assert.Equal(AuditOutcome.Refused, entry.Outcome);
        Assert.Equal(reason, entry.Refusal);
        Assert.Equal(result.Refusal.Message, entry.Detail);
    }

    [Fact]
    public async Task Decision_IsRefusedAndAudited_WhenTheActorIsNotAnApprover()
    {
        var request = await LegalAll();
        var (version, audit) = (request.Version, request.AuditTrail.Count);

        var result = await request.Approve(People.Zed);

        AssertRefusedAndAudited(request, result, RefusalReason.NotAnApprover, version, audit);
        Assert.Equal(People.Zed, request.LastAudit().Actor);
        Assert.Equal(AuditAction.Approve, request.LastAudit().Action);
        Assert.Equal("Legal", request.LastAudit().StageName);
        Assert.Equal([People.Lena, People.Leo, People.Lou], request.WaitingFor);
    }

    [Fact]
    public async Task Decision_IsRefused_WhenTheSameApproverDecidesTwice()
    {
        var request = await LegalAll();
        await request.Approve(People.Lena);
        var (version, audit) = (request.Version, request.AuditTrail.Count);

        var again = request.RejectNow(People.Lena);

        AssertRefusedAndAudited(request, again, RefusalReason.AlreadyDecided, version, audit);
        Assert.Equal(DecisionKind.Approve, request.CurrentStage!.Seats[0].Decision);
    }

    [Fact]
    public async Task Decision_IsRefused_WhenTheCardShowsAnEarlierStage()
    {
        var request = await Submit(BuiltInFlows.Agreement());
        var managerCard = request.CurrentCard;
        await request.Approve(People.Bob);
        var (version, audit) = (request.Version, request.AuditTrail.Count);

        var stale = await request.Approve(People.Bob, card: managerCard);

        AssertRefusedAndAudited(request, stale, RefusalReason.StaleStage, version, audit);
        Assert.Equal(1, request.LastAudit().StageNumber);
    }

    [Fact]
    public async Task Decision_IsRefused_WhenTheCardShowsAnEarlierRevision()
    {
        var request = await LegalAll();
        var oldCard = request.CurrentCard;
        request.AskForChanges(People.Lena);
        await request.ResubmitAsync(People.Alice, new Resubmission("Done"), FakeDirectory.Standard(), AroundTheClockCalendar.Instance, Monday10.AddHours(2));
        var (version, audit) = (request.Version, request.AuditTrail.Count);

        var stale = await request.Approve(People.Leo, card: oldCard);

        AssertRefusedAndAudited(request, stale, RefusalReason.StaleRevision, version, audit);
        Assert.Equal(1, request.LastAudit().Revision);
    }

    [Fact]
    public async Task Decision_IsRefused_WhenTheRequestIsClosed()
    {
        var request = await Submit(Flow(Stage("Legal", ApproverRule.Group("Legal"))));
        var card = request.CurrentCard;
        await request.Approve(People.Lena);
        var (version, audit) = (request.Version, request.AuditTrail.Count);

        var late = await request.Approve(People.Leo, card: card); // "any one": the second click of a race

        AssertRefusedAndAudited(request, late, RefusalReason.RequestClosed, version, audit);
        Assert.Equal(ApprovalStatus.Approved, request.Status);
    }

    [Fact]
    public async Task Decision_IsRefused_WhileTheRequestIsBackWithTheRequester()
    {
        var request = await LegalAll();
        var card = request.CurrentCard;
        request.AskForChanges(People.Lena);
        var (version, audit) = (request.Version, request.AuditTrail.Count);

        var result = await request.Approve(People.Leo, card: card);

        AssertRefusedAndAudited(request, result, RefusalReason.NotAwaitingDecisions, version, audit);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public async Task RejectAndRequestChanges_AreRefused_WithoutAComment(string? comment)
    {
        var request = await LegalAll();
        var (version, audit) = (request.Version, request.AuditTrail.Count);

        AssertRefusedAndAudited(request, request.RejectNow(People.Lena, comment), RefusalReason.CommentRequired, version, audit);
        AssertRefusedAndAudited(request, request.AskForChanges(People.Lena, comment), RefusalReason.CommentRequired, version, audit + 1);
        Assert.Null(request.CurrentStage!.Seats[0].Decision);
    }

    [Fact]
    public async Task Decision_IsRefused_WhenTheCommentIsTooLong()
    {
        var request = await LegalAll();
        var (version, audit) = (request.Version, request.AuditTrail.Count);

        var result = request.RejectNow(People.Lena, new string('x', ApprovalRequest.MaxCommentLength + 1));

        AssertRefusedAndAudited(request, result, RefusalReason.CommentTooLong, version, audit);
        Assert.Equal(ApprovalRequest.MaxCommentLength, request.LastAudit().Comment!.Length);
    }

    [Fact]
    public async Task ThrowIfRefused_ThrowsTheTypedRefusal()
    {
        var request = await LegalAll();

        var error = Assert.Throws<DecisionRefusedException>(() => request.RejectNow(People.Zed).ThrowIfRefused());

        Assert.Equal(RefusalReason.NotAnApprover, error.Refusal.Reason);
        Assert.Equal("approval.refused.NotAnApprover", error.Code);
    }

    [Fact]
    public async Task ApproverIdentity_IsComparedWithoutCase()
    {
        var request = await LegalAll();

        var result = await request.Approve(new("LENA"));

        Assert.True(result.Accepted);
    }
}
