using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.UnitTests.Domain.Approvals;
using static ApprovalBot.UnitTests.Domain.Approvals.Requests;

namespace ApprovalBot.UnitTests.Domain.Agreements;

/// <summary>Signing: final approval → AwaitingSignatures, each signatory signs the hash, the last signature → Active; refusals change nothing.</summary>
public class AgreementSigningTests
{
    private static readonly string Hash = new('a', 64);
    private static readonly DocumentFile Contract = new("contract-v2.pdf", "application/pdf", 4096, new string('b', 64));
    private readonly FakeDirectory _directory = FakeDirectory.Standard();

    private async Task<(Agreement Agreement, ApprovalRequest Request)> ApprovedAsync(SigningRequirement? signing)
    {
        var agreement = Agreement.CreateDraft("Contoso support 2026", SampleTerms.Complete(), People.Alice, Monday10);
        var request = await AgreementApproval.SubmitAsync(agreement, BuiltInFlows.Agreement(), People.Alice, null, _directory, AroundTheClockCalendar.Instance, Monday10);
        foreach (var approver in new[] { People.Bob, People.Lena, People.Mia })
        {
            (await request.ApproveAsync(approver, request.CurrentCard, null, _directory, AroundTheClockCalendar.Instance, Monday10.AddHours(1))).ThrowIfRefused();
            agreement.ApplyApprovalOutcome(request, signing, Monday10.AddHours(1));
        }
        return (agreement, request);
    }

    private static SigningRequirement Signing() => new([People.Max, People.Zed], Hash, SigningHashSource.Terms, null);

    private static SignResult Sign(Agreement agreement, PersonId who, string typed, string directoryName, string? hash = null, int revision = 1) =>
        agreement.Sign(who, revision, hash ?? Hash, typed, directoryName, Monday10.AddHours(2));

    [Fact]
    public async Task FinalApproval_MakesTheAgreementAwaitSignatures_WhenTheFlowNamesSignatories()
    {
        var (agreement, _) = await ApprovedAsync(Signing());

        Assert.Equal(AgreementStatus.AwaitingSignatures, agreement.Status);
        Assert.Equal([People.Max, People.Zed], agreement.Signatories);
        Assert.Equal(Hash, agreement.SigningHash);
        Assert.Equal(RevisionOutcome.Approved, agreement.CurrentRevision.Outcome);
        Assert.Null(agreement.ActivatedAt);
        Assert.Null(agreement.TermsInForce);
    }

    [Fact]
    public async Task FinalApproval_ActivatesAsBefore_WhenTheFlowNamesNoSignatories()
    {
        var (agreement, _) = await ApprovedAsync(null);

        Assert.Equal(AgreementStatus.Active, agreement.Status);
        Assert.Null(agreement.Signatories);
    }

    [Fact]
    public async Task LastSignature_ActivatesTheAgreement_AndEachSignatureRecordsWhoWhenHashAndTypedName()
    {
        var (agreement, _) = await ApprovedAsync(Signing());

        var first = Sign(agreement, People.Max, "  max   MUSTERMANN ", "Max Mustermann");
        Assert.Equal(SignOutcome.Accepted, first.Outcome);
        Assert.Equal(AgreementStatus.AwaitingSignatures, agreement.Status);

        var last = Sign(agreement, People.Zed, "Zed Zulu", "Zed Zulu");

        Assert.Equal(SignOutcome.Activated, last.Outcome);
        Assert.Equal(AgreementStatus.Active, agreement.Status);
        Assert.Equal(1, agreement.ActiveRevisionNumber);
        Assert.Equal(Monday10.AddHours(2), agreement.ActivatedAt);
        Assert.NotNull(agreement.TermsInForce);
        Assert.Null(agreement.SigningHash);
        var max = agreement.Signatures.Single(s => s.Signer == People.Max);
        Assert.Equal(("max   MUSTERMANN", Hash, 1, Monday10.AddHours(2)), (max.TypedName, max.Sha256, max.Revision, max.At));
        Assert.Equal(2, agreement.Signatures.Count);
    }

    [Fact]
    public async Task Sign_RefusesAndAudits_WhenTheSignerIsNotASignatory()
    {
        var (agreement, _) = await ApprovedAsync(Signing());
        var version = agreement.Version;

        var result = Sign(agreement, People.Bob, "Bob Builder", "Bob Builder");

        Assert.Equal(SignOutcome.NotSignatory, result.Outcome);
        Assert.Contains("not a signatory", result.Message, StringComparison.Ordinal);
        Assert.Empty(agreement.Signatures);
        var audit = Assert.Single(agreement.SigningEvents);
        Assert.Equal((SigningEventKind.RefusedNotSignatory, People.Bob, Hash), (audit.Kind, audit.Signer, audit.Sha256));
        Assert.Equal(version, agreement.Version);
        Assert.Equal(AgreementStatus.AwaitingSignatures, agreement.Status);
    }

    [Fact]
    public async Task Sign_RecordsNothing_WhenTheTypedNameIsNotTheDirectoryName()
    {
        var (agreement, _) = await ApprovedAsync(Signing());

        var result = Sign(agreement, People.Max, "Maxine Mustermann", "Max Mustermann");

        Assert.Equal(SignOutcome.NameMismatch, result.Outcome);
        Assert.Empty(agreement.SigningEvents);
        Assert.Equal(SignOutcome.NameMismatch, Sign(agreement, People.Max, "   ", "Max Mustermann").Outcome);
        Assert.Empty(agreement.SigningEvents);
    }

    [Fact]
    public async Task Sign_AnswersAlreadySigned_AndChangesNothing_WhenTheSignatorySignsTwice()
    {
        var (agreement, _) = await ApprovedAsync(Signing());
        Sign(agreement, People.Max, "Max Mustermann", "Max Mustermann");
        var version = agreement.Version;

        var again = Sign(agreement, People.Max, "Max Mustermann", "Max Mustermann");

        Assert.Equal(SignOutcome.AlreadySigned, again.Outcome);
        Assert.Single(agreement.SigningEvents);
        Assert.Equal(version, agreement.Version);
    }

    [Fact]
    public async Task Sign_RefusesAStaleCard_WhenTheHashOrRevisionDiffers()
    {
        var (agreement, _) = await ApprovedAsync(Signing());

        Assert.Equal(SignOutcome.StaleCard, Sign(agreement, People.Max, "Max Mustermann", "Max Mustermann", hash: new string('c', 64)).Outcome);
        Assert.Equal(SignOutcome.StaleCard, Sign(agreement, People.Max, "Max Mustermann", "Max Mustermann", revision: 2).Outcome);
        Assert.Empty(agreement.SigningEvents);
    }

    [Fact]
    public async Task Sign_RefusesAStaleCard_WhenTheAgreementIsNotAwaitingSignatures()
    {
        var (agreement, _) = await ApprovedAsync(null);

        var result = Sign(agreement, People.Max, "Max Mustermann", "Max Mustermann");

        Assert.Equal(SignOutcome.StaleCard, result.Outcome);
        Assert.Contains("Active", result.Message, StringComparison.Ordinal);
        Assert.Empty(agreement.SigningEvents);
    }

    [Fact]
    public async Task AwaitingSignatures_RefusesRevise_Terminate_AndPlainAttach()
    {
        var (agreement, _) = await ApprovedAsync(Signing());

        Assert.Equal("agreement.transition", Assert.Throws<DomainException>(() => agreement.Revise(SampleTerms.Complete(), People.Alice, Monday10.AddHours(3))).Code);
        Assert.Equal("agreement.transition", Assert.Throws<DomainException>(() => agreement.Terminate("Breach", People.Mia, Monday10.AddHours(3))).Code);
        Assert.Equal("agreement.transition", Assert.Throws<DomainException>(() => agreement.AttachDocument(DocumentKind.FinalContract, Contract, People.Alice, Monday10.AddHours(3))).Code);
        Assert.Equal(AgreementStatus.AwaitingSignatures, agreement.Status);
    }

    [Fact]
    public async Task DocumentChanged_WhileAwaitingSignatures_StartsANewRevisionThroughApproval_AndTheSignaturesNoLongerCount()
    {
        var (agreement, _) = await ApprovedAsync(Signing());
        Sign(agreement, People.Max, "Max Mustermann", "Max Mustermann");
        Assert.Equal(DocumentChange.NewRevisionAwaitingSignatures, agreement.DocumentChangeFor(DocumentKind.FinalContract, Contract));

        var request = await AgreementApproval.AttachDocumentAwaitingSignaturesAsync(agreement, BuiltInFlows.Agreement(), DocumentKind.FinalContract, Contract,
            People.Alice, _directory, AroundTheClockCalendar.Instance, Monday10.AddHours(3));

        Assert.Equal(AgreementStatus.InApproval, agreement.Status);
        Assert.Equal(2, agreement.CurrentRevision.Number);
        Assert.Equal(ApprovalSubject.Agreement(agreement.Id, 2), request.Subject);
        Assert.Equal(ApprovalStatus.InProgress, request.Status);
        Assert.Empty(agreement.Signatures);
        Assert.Single(agreement.SigningEvents);
        Assert.Null(agreement.Signatories);
        Assert.Equal(SignOutcome.StaleCard, Sign(agreement, People.Zed, "Zed Zulu", "Zed Zulu").Outcome);
    }

    [Fact]
    public void SigningRequirement_NeedsASignatoryAndAHexSha256()
    {
        Assert.Throws<DomainException>(() => new SigningRequirement([], Hash, SigningHashSource.Terms, null));
        Assert.Throws<DomainException>(() => new SigningRequirement([People.Max], "not-a-hash", SigningHashSource.Terms, null));
        Assert.Throws<DomainException>(() => new SigningRequirement([People.Max], Hash, SigningHashSource.FinalContract, null));
    }
}
