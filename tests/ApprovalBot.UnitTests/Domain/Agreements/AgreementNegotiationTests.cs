using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.UnitTests.Domain.Approvals;
using static ApprovalBot.UnitTests.Domain.Approvals.Requests;

namespace ApprovalBot.UnitTests.Domain.Agreements;

/// <summary>
/// Negotiation with the provider: the negotiation stage (Legal) approves → the request waits for the provider and a
/// round is recorded; Accept → "Agreed upon" and the next stage; Request changes (comment required) → a new revision,
/// pending further negotiation, back at the return stage; stale rounds and non-negotiators are refused and change nothing.
/// </summary>
public class AgreementNegotiationTests
{
    private const int Legal = 2;
    private static readonly string TermsHash = new('c', 64);
    private static readonly PersonId Pat = People.Zed;   // the provider's negotiator
    private static readonly PersonId Sam = People.Dan;   // another of the provider's negotiators
    private readonly FakeDirectory _directory = FakeDirectory.Standard();

    private static DateTimeOffset At(int hours) => Monday10.AddHours(hours);

    /// <summary>Submitted; Bob (manager) and Lena (Legal) approve, Legal's approval holding for the provider; round 1 goes to Pat and Sam.</summary>
    private async Task<(Agreement Agreement, ApprovalRequest Request)> WithTheProviderAsync()
    {
        var agreement = Agreement.CreateDraft("Contoso support 2026", SampleTerms.Complete(), People.Alice, Monday10);
        var request = await AgreementApproval.SubmitAsync(agreement, BuiltInFlows.Agreement(), People.Alice, null, _directory, AroundTheClockCalendar.Instance, Monday10);
        (await request.ApproveAsync(People.Bob, request.CurrentCard, null, holdForProvider: false, _directory, AroundTheClockCalendar.Instance, At(1))).ThrowIfRefused();
        (await request.ApproveAsync(People.Lena, request.CurrentCard, null, holdForProvider: true, _directory, AroundTheClockCalendar.Instance, At(2))).ThrowIfRefused();
        Assert.False(agreement.ApplyApprovalOutcome(request, At(2)));
        agreement.SendToProvider(request, [Pat, Sam], TermsHash, At(2));
        return (agreement, request);
    }

    private Task<NegotiationResult> AcceptAsync(Agreement agreement, ApprovalRequest request, PersonId who, int round = 1, int hours = 3) =>
        AgreementNegotiation.AcceptAsync(agreement, request, round, who, _directory, AroundTheClockCalendar.Instance, At(hours));

    private Task<NegotiationResult> RequestChangesAsync(Agreement agreement, ApprovalRequest request, PersonId who, string? comment, int round = 1, int hours = 3) =>
        AgreementNegotiation.RequestChangesAsync(agreement, request, round, who, comment, Legal, _directory, AroundTheClockCalendar.Instance, At(hours));

    [Fact]
    public async Task ApproveAsync_WaitsForTheProvider_WhenItCompletesTheNegotiationStage()
    {
        var (agreement, request) = await WithTheProviderAsync();

        Assert.Equal((ApprovalStatus.AwaitingProvider, Legal), (request.Status, request.CurrentStageNumber));
        Assert.Null(request.CurrentStage);
        Assert.DoesNotContain(request.StageRuns, r => r.StageNumber == 3);
        Assert.Contains(request.AuditTrail, e => e.Action == AuditAction.HeldForProvider && e.StageNumber == Legal);
        Assert.Equal(AgreementStatus.InApproval, agreement.Status);

        var early = await request.ApproveAsync(People.Mia, new CardState(1, 3), null, _directory, AroundTheClockCalendar.Instance, At(3));
        Assert.Equal(RefusalReason.NotAwaitingDecisions, early.Refusal?.Reason);
        Assert.Contains("provider", early.Refusal!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApproveAsync_DoesNotHold_AtTheLastStage()
    {
        var agreement = Agreement.CreateDraft("Contoso support 2026", SampleTerms.Complete(), People.Alice, Monday10);
        var request = await AgreementApproval.SubmitAsync(agreement, BuiltInFlows.Agreement(), People.Alice, null, _directory, AroundTheClockCalendar.Instance, Monday10);
        foreach (var approver in new[] { People.Bob, People.Lena, People.Mia })
            (await request.ApproveAsync(approver, request.CurrentCard, null, holdForProvider: approver == People.Mia, _directory, AroundTheClockCalendar.Instance, At(1))).ThrowIfRefused();

        Assert.Equal(ApprovalStatus.Approved, request.Status);
    }

    [Fact]
    public async Task SendToProvider_RecordsTheRound_WithWhenToWhomAndTheHashes_AndOnlyOneRoundIsOpen()
    {
        var (agreement, request) = await WithTheProviderAsync();

        var round = Assert.Single(agreement.NegotiationRounds);
        Assert.Equal((1, 1, At(2), TermsHash), (round.Number, round.Revision, round.SentAt, round.TermsSha256));
        Assert.Equal([Pat, Sam], round.Negotiators);
        Assert.Null(round.DocumentHashes);   // SampleTerms has no documents
        Assert.Null(round.Outcome);
        Assert.Same(round, agreement.OpenNegotiationRound);
        var again = Assert.Throws<DomainException>(() => agreement.SendToProvider(request, [Pat], TermsHash, At(3)));
        Assert.Equal("agreement.transition", again.Code);
    }

    [Fact]
    public async Task Accept_RecordsAgreedUpon_AndTheNextStageStarts_ThenFinalApprovalActivates()
    {
        var (agreement, request) = await WithTheProviderAsync();

        var result = await AcceptAsync(agreement, request, Sam);

        Assert.Equal(NegotiationResultKind.Accepted, result.Outcome);
        var round = agreement.AgreedUpon(1)!;
        Assert.Equal((NegotiationOutcome.Accepted, Sam, At(3)), (round.Outcome, round.DecidedBy, round.DecidedAt));
        Assert.Null(agreement.OpenNegotiationRound);
        Assert.Equal((ApprovalStatus.InProgress, 3), (request.Status, request.CurrentStageNumber));
        Assert.Equal([People.Mia, People.Max], request.WaitingFor);
        Assert.Contains(request.AuditTrail, e => e.Action == AuditAction.ProviderAccepted && e.Actor == Sam);

        (await request.ApproveAsync(People.Mia, request.CurrentCard, null, _directory, AroundTheClockCalendar.Instance, At(4))).ThrowIfRefused();
        Assert.True(agreement.ApplyApprovalOutcome(request, At(4)));
        Assert.Equal(AgreementStatus.Active, agreement.Status);
        Assert.NotNull(agreement.AgreedUpon(agreement.ActiveRevisionNumber!.Value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public async Task RequestChanges_IsRefused_WithoutAComment_AndChangesNothing(string? comment)
    {
        var (agreement, request) = await WithTheProviderAsync();
        var versions = (agreement.Version, request.Version);

        var result = await RequestChangesAsync(agreement, request, Pat, comment);

        Assert.Equal(NegotiationResultKind.CommentRequired, result.Outcome);
        Assert.Equal("negotiation.comment_required", result.Code);
        Assert.Contains("comment", result.Message, StringComparison.Ordinal);
        Assert.Equal(versions, (agreement.Version, request.Version));
        Assert.Equal(ApprovalStatus.AwaitingProvider, request.Status);
        Assert.Single(agreement.Revisions);
        Assert.NotNull(agreement.OpenNegotiationRound);
    }

    [Fact]
    public async Task RequestChanges_MakesANewRevisionPendingFurtherNegotiation_BackAtTheReturnStage_WithEarlierDecisionsNotCarriedOver()
    {
        var (agreement, request) = await WithTheProviderAsync();
        var oldLegalCard = new CardState(1, Legal);

        var result = await RequestChangesAsync(agreement, request, Pat, "  The P1 response must be 30 minutes.  ");

        Assert.Equal(NegotiationResultKind.ChangesRequested, result.Outcome);
        Assert.Equal(2, agreement.Revisions.Count);
        var sent = agreement.Revisions[0];
        Assert.Equal(RevisionOutcome.ChangesRequested, sent.Outcome);
        Assert.Equal(("The P1 response must be 30 minutes.", Pat), (sent.Decision!.Comment, sent.Decision.DecidedBy));
        var pending = agreement.CurrentRevision;
        Assert.Equal((2, At(3)), (pending.Number, pending.SubmittedAt));
        Assert.Equal(sent.Terms, pending.Terms);
        var round = agreement.PendingFurtherNegotiation(2)!;
        Assert.Equal((1, NegotiationOutcome.ChangesRequested, "The P1 response must be 30 minutes."), (round.Number, round.Outcome, round.Comment));
        Assert.Equal(AgreementStatus.InApproval, agreement.Status);
        Assert.Null(agreement.OpenNegotiationRound);

        // Back at Legal on revision 2: all of Legal decides anew; the manager's approval stands (not asked again).
        Assert.Equal((ApprovalStatus.InProgress, 2, Legal), (request.Status, request.Revision, request.CurrentStageNumber));
        Assert.Equal(2, request.Subject.Revision);
        Assert.Equal([People.Lena, People.Leo, People.Lou], request.WaitingFor);
        Assert.Single(request.StageRuns, r => r.StageNumber == 1);
        Assert.Contains(request.AuditTrail, e => e.Action == AuditAction.ProviderRequestedChanges && e.Actor == Pat && e.Comment == "The P1 response must be 30 minutes.");
        var stale = await request.ApproveAsync(People.Lena, oldLegalCard, null, _directory, AroundTheClockCalendar.Instance, At(4));
        Assert.Equal(RefusalReason.StaleRevision, stale.Refusal?.Reason);

        // The round-1 card is stale now.
        var again = await AcceptAsync(agreement, request, Pat, round: 1, hours: 4);
        Assert.Equal(NegotiationResultKind.StaleCard, again.Outcome);
        Assert.Contains("out of date", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rounds_Repeat_UntilTheProviderAccepts()
    {
        var (agreement, request) = await WithTheProviderAsync();
        await RequestChangesAsync(agreement, request, Pat, "Longer notice period, please.");

        (await request.ApproveAsync(People.Leo, request.CurrentCard, null, holdForProvider: true, _directory, AroundTheClockCalendar.Instance, At(4))).ThrowIfRefused();
        var second = agreement.SendToProvider(request, [Pat, Sam], TermsHash, At(4));
        Assert.Equal((2, 2), (second.Number, second.Revision));
        var onTheOldCard = await AcceptAsync(agreement, request, Pat, round: 1, hours: 5);
        Assert.Equal(NegotiationResultKind.StaleCard, onTheOldCard.Outcome);

        var accepted = await AcceptAsync(agreement, request, Pat, round: 2, hours: 5);

        Assert.Equal(NegotiationResultKind.Accepted, accepted.Outcome);
        Assert.Same(second, agreement.AgreedUpon(2));
        Assert.Null(agreement.AgreedUpon(1));
        Assert.Equal((ApprovalStatus.InProgress, 3), (request.Status, request.CurrentStageNumber));
    }

    [Fact]
    public async Task SomeoneWhoIsNotANegotiator_IsRefused_AndNothingChanges()
    {
        var (agreement, request) = await WithTheProviderAsync();
        var versions = (agreement.Version, request.Version);

        var accept = await AcceptAsync(agreement, request, People.Alice);
        var changes = await RequestChangesAsync(agreement, request, People.Lena, "Let me change it myself.");

        Assert.Equal((NegotiationResultKind.NotNegotiator, NegotiationResultKind.NotNegotiator), (accept.Outcome, changes.Outcome));
        Assert.Equal("negotiation.not_negotiator", accept.Code);
        Assert.Equal(versions, (agreement.Version, request.Version));
        Assert.Equal(ApprovalStatus.AwaitingProvider, request.Status);
        Assert.Null(agreement.NegotiationRounds[0].Outcome);
    }

    [Fact]
    public async Task AnsweredRound_IsRefusedAsStale_TheSecondTime()
    {
        var (agreement, request) = await WithTheProviderAsync();
        await AcceptAsync(agreement, request, Pat);

        var twice = await RequestChangesAsync(agreement, request, Sam, "Too late?", hours: 4);

        Assert.Equal(NegotiationResultKind.StaleCard, twice.Outcome);
        Assert.Contains("accepted", twice.Message, StringComparison.Ordinal);
        Assert.Equal(NegotiationOutcome.Accepted, agreement.NegotiationRounds[0].Outcome);
    }

    [Fact]
    public async Task RestartForProviderChanges_RefusesAReturnStageAfterTheNegotiationStage_AndChangesNothing()
    {
        var (_, request) = await WithTheProviderAsync();
        var version = request.Version;

        var error = await Assert.ThrowsAsync<DomainException>(() => request.RestartForProviderChangesAsync(
            Pat, 2, 3, "Changes", null, _directory, AroundTheClockCalendar.Instance, At(3)));

        Assert.Equal("approval.invalid_stage", error.Code);
        Assert.Equal((ApprovalStatus.AwaitingProvider, version), (request.Status, request.Version));
    }

    [Fact]
    public async Task ContinueAfterProvider_IsRefused_UnlessTheRequestWaitsForTheProvider()
    {
        var agreement = Agreement.CreateDraft("Contoso support 2026", SampleTerms.Complete(), People.Alice, Monday10);
        var request = await AgreementApproval.SubmitAsync(agreement, BuiltInFlows.Agreement(), People.Alice, null, _directory, AroundTheClockCalendar.Instance, Monday10);

        var error = await Assert.ThrowsAsync<DomainException>(() => request.ContinueAfterProviderAsync(Pat, _directory, AroundTheClockCalendar.Instance, At(1)));

        Assert.Equal("approval.transition", error.Code);
        Assert.Equal(ApprovalStatus.InProgress, request.Status);
    }

    [Fact]
    public async Task ADocumentAddedWhileWithTheProvider_RestartsFromTheFirstStage_AndTheOpenRoundBecomesStale()
    {
        var (agreement, request) = await WithTheProviderAsync();
        var contract = new DocumentFile("contract-v2.pdf", "application/pdf", 4096, new string('b', 64));

        var change = await AgreementApproval.AttachDocumentAsync(agreement, request, DocumentKind.FinalContract, contract, People.Alice, _directory, AroundTheClockCalendar.Instance, At(3));

        Assert.Equal(DocumentChange.NewRevisionInApproval, change);
        Assert.Equal((ApprovalStatus.InProgress, 1, 2), (request.Status, request.CurrentStageNumber, request.Subject.Revision));
        Assert.Null(agreement.OpenNegotiationRound);
        Assert.Equal(NegotiationResultKind.StaleCard, (await AcceptAsync(agreement, request, Pat, hours: 4)).Outcome);
    }

    [Fact]
    public async Task SupersedeInApproval_ClosesTheOpenRoundAsSuperseded_WithoutAnAnswer_AndTheNextRoundGoesOutAfterTheRestart()
    {
        var (agreement, request) = await WithTheProviderAsync();
        var contract = new DocumentFile("contract-v2.pdf", "application/pdf", 4096, new string('b', 64));

        await AgreementApproval.AttachDocumentAsync(agreement, request, DocumentKind.FinalContract, contract, People.Alice, _directory, AroundTheClockCalendar.Instance, At(3));

        var round = Assert.Single(agreement.NegotiationRounds);
        Assert.Equal((NegotiationOutcome.Superseded, At(3), (PersonId?)null, (string?)null), (round.Outcome, round.DecidedAt, round.DecidedBy, round.Comment));
        Assert.Null(agreement.AgreedUpon(1));
        Assert.Null(agreement.PendingFurtherNegotiation(2));
        var versions = (agreement.Version, request.Version);
        var stale = await RequestChangesAsync(agreement, request, Pat, "Too late?", hours: 4);
        Assert.Equal(NegotiationResultKind.StaleCard, stale.Outcome);
        Assert.Contains("documents of 'Contoso support 2026' changed", stale.Message, StringComparison.Ordinal);
        Assert.Contains("revision 2 replaced revision 1", stale.Message, StringComparison.Ordinal);
        Assert.Equal(versions, (agreement.Version, request.Version));
        Assert.Equal(NegotiationOutcome.Superseded, round.Outcome);

        // The restarted approval reaches Legal again: round 2 opens on revision 2 and can be accepted.
        (await request.ApproveAsync(People.Bob, request.CurrentCard, null, holdForProvider: false, _directory, AroundTheClockCalendar.Instance, At(4))).ThrowIfRefused();
        (await request.ApproveAsync(People.Lena, request.CurrentCard, null, holdForProvider: true, _directory, AroundTheClockCalendar.Instance, At(5))).ThrowIfRefused();
        var second = agreement.SendToProvider(request, [Pat, Sam], TermsHash, At(5));
        Assert.Equal((2, 2), (second.Number, second.Revision));
        Assert.Equal(NegotiationResultKind.StaleCard, (await AcceptAsync(agreement, request, Pat, round: 1, hours: 6)).Outcome);
        Assert.Equal(NegotiationResultKind.Accepted, (await AcceptAsync(agreement, request, Pat, round: 2, hours: 6)).Outcome);
        Assert.Equal(NegotiationOutcome.Superseded, agreement.NegotiationRounds[0].Outcome);
    }

    [Fact]
    public async Task SupersedeInApproval_LeavesAnAnsweredRoundAsItWas()
    {
        var (agreement, request) = await WithTheProviderAsync();
        await AcceptAsync(agreement, request, Pat);
        var contract = new DocumentFile("contract-v2.pdf", "application/pdf", 4096, new string('b', 64));

        await AgreementApproval.AttachDocumentAsync(agreement, request, DocumentKind.FinalContract, contract, People.Alice, _directory, AroundTheClockCalendar.Instance, At(4));

        var round = Assert.Single(agreement.NegotiationRounds);
        Assert.Equal((NegotiationOutcome.Accepted, Pat, At(3)), (round.Outcome, round.DecidedBy, round.DecidedAt));
        Assert.Equal((ApprovalStatus.InProgress, 1, 2), (request.Status, request.CurrentStageNumber, request.Subject.Revision));
    }
}
