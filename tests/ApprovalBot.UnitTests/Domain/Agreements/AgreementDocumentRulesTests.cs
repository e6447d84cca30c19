using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.UnitTests.Domain.Approvals;
using static ApprovalBot.UnitTests.Domain.Approvals.Requests;

namespace ApprovalBot.UnitTests.Domain.Agreements;

/// <summary>Documents pinned by hash: where a new document goes, and which decisions still count after it.</summary>
public class AgreementDocumentRulesTests
{
    private readonly FakeDirectory _directory = FakeDirectory.Standard();

    private static DocumentFile File(char hash, string name = "draft.pdf") => new(name, "application/pdf", 1000, new string(hash, 64));

    private static Agreement Draft() => Agreement.CreateDraft("Contoso support 2026", SampleTerms.Complete(), People.Alice, Monday10);

    private Task<ApprovalRequest> SubmitAsync(Agreement agreement) =>
        AgreementApproval.SubmitAsync(agreement, BuiltInFlows.Agreement(), People.Alice, null, _directory, AroundTheClockCalendar.Instance, Monday10.AddMinutes(5));

    [Fact]
    public void AttachDocument_ToAnUnsubmittedDraft_ReplacesInPlace_AndTheSameFileAgainChangesNothing()
    {
        var agreement = Draft();
        Assert.Equal(DocumentChange.AddedToRevision, agreement.AttachDocument(DocumentKind.Draft, File('a'), People.Alice, Monday10));
        Assert.Equal(DocumentChange.AddedToRevision, agreement.AttachDocument(DocumentKind.Draft, File('b'), People.Alice, Monday10));
        var version = agreement.Version;
        Assert.Equal(DocumentChange.Unchanged, agreement.AttachDocument(DocumentKind.Draft, File('b'), People.Alice, Monday10));
        Assert.Equal(version, agreement.Version);
        Assert.Equal((1, $"Draft:{new string('b', 64)}"), (agreement.Revisions.Count, agreement.CurrentRevision.DocumentFingerprint));
    }

    [Fact]
    public async Task ADocumentChangedAfterChangesWereRequested_GoesIntoANewRevision_WhoseResubmissionRestartsFromTheFirstStage()
    {
        var agreement = Draft();
        agreement.AttachDocument(DocumentKind.Draft, File('a'), People.Alice, Monday10);
        var request = await SubmitAsync(agreement);
        Assert.Equal($"Draft:{new string('a', 64)}", request.DocumentHashes);
        await request.ApproveAsync(People.Bob, request.CurrentCard, null, _directory, AroundTheClockCalendar.Instance, Monday10.AddHours(1));
        request.RequestChanges(People.Lena, request.CurrentCard, "Fix clause 4", Monday10.AddHours(2));
        agreement.ApplyApprovalOutcome(request, Monday10.AddHours(2));
        Assert.Equal(new string('a', 64), request.AuditTrail.Single(e => e.Action == AuditAction.Approve).DocumentHashes![6..]);

        Assert.Equal(DocumentChange.NewRevision, agreement.AttachDocument(DocumentKind.Draft, File('c'), People.Alice, Monday10.AddHours(3)));
        Assert.Equal((2, AgreementStatus.ChangesRequested), (agreement.CurrentRevision.Number, agreement.Status));
        Assert.Equal(new string('a', 64), agreement.Revisions[0].Documents.Single().Sha256);

        await AgreementApproval.ResubmitAsync(agreement, request, People.Alice, "New draft", null, _directory, AroundTheClockCalendar.Instance, Monday10.AddHours(4));
        Assert.Equal(new CardState(2, 1), request.CurrentCard);   // not stage 2: Bob approved other documents
        Assert.Equal($"Draft:{new string('c', 64)}", request.DocumentHashes);
    }

    [Fact]
    public async Task ADocumentAddedInApproval_SupersedesTheRevision_AndRestartsTheRequestFromStageOne()
    {
        var agreement = Draft();
        var request = await SubmitAsync(agreement);
        await request.ApproveAsync(People.Bob, request.CurrentCard, null, _directory, AroundTheClockCalendar.Instance, Monday10.AddHours(1));
        Assert.Equal(2, request.CurrentStageNumber);

        var change = await AgreementApproval.AttachDocumentAsync(agreement, request, DocumentKind.FinalContract, File('d', "contract.pdf"), People.Alice,
            _directory, AroundTheClockCalendar.Instance, Monday10.AddHours(2));

        Assert.Equal(DocumentChange.NewRevisionInApproval, change);
        Assert.Equal((AgreementStatus.InApproval, 2), (agreement.Status, agreement.CurrentRevision.Number));
        Assert.NotNull(agreement.CurrentRevision.SubmittedAt);
        Assert.Equal((ApprovalStatus.InProgress, new CardState(2, 1), 2), (request.Status, request.CurrentCard, request.Subject.Revision));
        Assert.Contains(request.StageRuns, r => r is { StageNumber: 2, Status: StageRunStatus.Superseded });
        Assert.Contains("Final contract added: contract.pdf", request.AuditTrail.Last(e => e.Action == AuditAction.Resubmitted).Comment, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AttachDocument_IsRefused_OnceActive()
    {
        var agreement = Draft();
        var request = await SubmitAsync(agreement);
        foreach (var approver in new[] { People.Bob, People.Lena, People.Mia })
            await request.ApproveAsync(approver, request.CurrentCard, null, _directory, AroundTheClockCalendar.Instance, Monday10.AddHours(1));
        agreement.ApplyApprovalOutcome(request, Monday10.AddHours(1));
        Assert.Equal(AgreementStatus.Active, agreement.Status);

        var error = Assert.Throws<DomainException>(() => agreement.AttachDocument(DocumentKind.FinalContract, File('e'), People.Alice, Monday10.AddHours(2)));
        Assert.Equal("agreement.transition", error.Code);
        Assert.Empty(agreement.CurrentRevision.Documents);
    }
}
