using ApprovalBot.Agreements.Announcement;
using ApprovalBot.Approvals;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Agreements.Signing;

/// <summary>A signature from a signing card: who pressed Sign (the activity's AAD object id), the revision and hash the card showed, and the name typed.</summary>
public sealed record SignAgreementInput(long AgreementId, PersonId Signer, int CardRevision, string? CardSha256, string? TypedName);

/// <summary>The agreement as it is now (null: no such agreement) and what the attempt did.</summary>
public sealed record SignAgreementResult(Agreement? Agreement, SignResult? Result);

/// <summary>
/// Records a signature through the domain, which checks the card is current, the signer is a signatory who has not
/// signed yet, and the typed name is their directory display name. A signature updates every copy of the signing card
/// in the same commit; the last one activates the agreement and stages its announcement in that commit, and the
/// activation listeners run after it, as after a final approval. A refusal of someone who is not a signatory is saved (the audit record) and logged.
/// </summary>
public sealed partial class SignAgreement(
    BotDbContext db, TeamsPeople people, SigningMessages messages, AnnouncementMessages announcements, ApprovalClock clock,
    IEnumerable<IAgreementActivatedListener> activated, ILogger<SignAgreement> logger)
{
    public Task<SignAgreementResult> HandleAsync(SignAgreementInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return db.RetryOnConflictAsync(ct => AttemptAsync(input, ct), cancellationToken);
    }

    private async Task<SignAgreementResult> AttemptAsync(SignAgreementInput input, CancellationToken cancellationToken)
    {
        var agreement = await db.Agreements.FirstOrDefaultAsync(a => a.Id == input.AgreementId, cancellationToken);
        if (agreement is null) return new SignAgreementResult(null, null);
        var directoryName = (await people.GetAsync(input.Signer, cancellationToken))?.DisplayName;
        var result = agreement.Sign(input.Signer, input.CardRevision, input.CardSha256, input.TypedName, directoryName, clock.Now);
        switch (result.Outcome)
        {
            case SignOutcome.Accepted or SignOutcome.Activated:
                await messages.UpdateCopiesAsync(agreement, cancellationToken);
                // In force now: the departments' announcement goes in the same commit, as after a final approval.
                if (result.Outcome == SignOutcome.Activated)
                    await announcements.StageAsync(agreement, agreement.CurrentRevision.SubmittedBy ?? agreement.CreatedBy, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                LogSigned(logger, agreement.Id, input.Signer.Value, agreement.CurrentRevision.Number, agreement.SigningEvents[^1].Sha256);
                break;
            case SignOutcome.NotSignatory:
                await db.SaveChangesAsync(cancellationToken);
                LogRefused(logger, agreement.Id, input.Signer.Value, result.Outcome);
                break;
            default:
                LogRefused(logger, agreement.Id, input.Signer.Value, result.Outcome);
                break;
        }
        if (result.Outcome == SignOutcome.Activated)
        {
            foreach (var listener in activated) listener.Activated(agreement.Id);
        }
        return new SignAgreementResult(agreement, result);
    }

    [LoggerMessage(EventId = 4864, Level = LogLevel.Information, Message = "Agreement {AgreementId}: {Person} signed revision {Revision} (sha256 {Sha256})")]
    private static partial void LogSigned(ILogger logger, long agreementId, string person, int revision, string sha256);

    [LoggerMessage(EventId = 4865, Level = LogLevel.Warning, Message = "Agreement {AgreementId}: signature by {Person} refused ({Outcome})")]
    private static partial void LogRefused(ILogger logger, long agreementId, string person, SignOutcome outcome);
}
