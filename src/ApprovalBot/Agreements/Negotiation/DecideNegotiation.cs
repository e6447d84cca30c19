using ApprovalBot.Approvals;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Agreements.Negotiation;

/// <summary>A provider's answer on the card of negotiation round <paramref name="Round"/> (or through the API), by <paramref name="Actor"/>.</summary>
public sealed record DecideNegotiationInput(long AgreementId, int Round, PersonId Actor, NegotiationDecision Decision, string? Comment = null);

/// <summary>The agreement as it is now (null: no such agreement) and what the answer did, or why it did nothing.</summary>
public sealed record DecideNegotiationResult(Agreement? Agreement, NegotiationResult? Result);

/// <summary>
/// Accept / Request changes for the provider, through the domain (<see cref="AgreementNegotiation"/>), which checks
/// that the round is the open one, the person is one of its negotiators and a change request has a comment. Accepted:
/// "Agreed upon" and the next stage starts, or the new revision goes back to the return stage; the event, every copy of
/// the negotiation card, the messages and the approval cards go in the same commit; then the request's timer is armed.
/// Refused: nothing changes but the audit trail (<c>agreement_events</c>: who tried what, and why not), logged as a warning.
/// </summary>
public sealed partial class DecideNegotiation(
    BotDbContext db, IApproverResolver resolver, ApprovalClock clock, ApprovalMessages approvalMessages, ApprovalTimers timers,
    ProviderNegotiation negotiation, NegotiationMessages messages, ILogger<DecideNegotiation> logger)
{
    public Task<DecideNegotiationResult> HandleAsync(DecideNegotiationInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return db.RetryOnConflictAsync(ct => AttemptAsync(input, ct), cancellationToken);
    }

    private async Task<DecideNegotiationResult> AttemptAsync(DecideNegotiationInput input, CancellationToken cancellationToken)
    {
        var agreement = await db.Agreements.FirstOrDefaultAsync(a => a.Id == input.AgreementId, cancellationToken);
        if (agreement is null) return new DecideNegotiationResult(null, null);
        var revision = agreement.CurrentRevision.Number;
        var request = await db.WholeApprovalRequests
            .Where(r => r.Subject.Kind == ApprovalSubjectKind.Agreement && r.Subject.Id == agreement.Id && r.Subject.Revision == revision
                        && r.Status == ApprovalStatus.AwaitingProvider)
            .OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        var seen = request?.AuditTrail.Count ?? 0;
        var now = clock.Now;

        NegotiationResult result;
        try
        {
            result = input.Decision == NegotiationDecision.Accept
                ? await AgreementNegotiation.AcceptAsync(agreement, request, input.Round, input.Actor, resolver, clock.Calendar, now, cancellationToken)
                : await AgreementNegotiation.RequestChangesAsync(agreement, request, input.Round, input.Actor, input.Comment,
                    negotiation.PlanFor(request)?.ReturnStage ?? request?.CurrentStageNumber ?? 1, resolver, clock.Calendar, now, cancellationToken);
        }
        catch (DomainException e)
        {
            db.ChangeTracker.Clear();
            return await RefuseAsync(agreement, input, e.Code, new NegotiationResult(NegotiationResultKind.StaleCard, e.Message), cancellationToken);
        }
        if (!result.Recorded) return await RefuseAsync(agreement, input, result.Code!, result, cancellationToken);

        var round = agreement.NegotiationRounds.Single(r => r.Number == input.Round);
        db.AgreementEvents.Add(AgreementEvent.Record(agreement.Id,
            round.Outcome == NegotiationOutcome.Accepted ? AgreementEventKind.AgreedUpon : AgreementEventKind.ProviderRequestedChanges,
            input.Actor, now, round.Outcome == NegotiationOutcome.Accepted
                ? $"Round {round.Number}: revision {round.Revision} agreed upon (documents {round.DocumentHashes ?? "none"}; terms sha256 {round.TermsSha256})."
                : $"Round {round.Number}: changes to revision {round.Revision} requested; revision {agreement.CurrentRevision.Number} is pending further negotiation. \u201c{round.Comment}\u201d"));
        await messages.UpdateCopiesAsync(agreement, cancellationToken);
        await messages.TellAnswerAsync(agreement, request!, round, cancellationToken);
        await approvalMessages.StageAsync(request!, seen, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await timers.ArmAsync(request!, cancellationToken);
        LogAnswered(logger, agreement.Id, input.Actor.Value, round.Number, round.Outcome!.Value);
        return new DecideNegotiationResult(agreement, result);
    }

    /// <summary>Nothing changes but the audit trail: the refusal is stored (<c>agreement_events</c>) and logged.</summary>
    private async Task<DecideNegotiationResult> RefuseAsync(Agreement agreement, DecideNegotiationInput input, string code, NegotiationResult refusal, CancellationToken cancellationToken)
    {
        LogRefused(logger, agreement.Id, input.Actor.Value, input.Decision, input.Round, code);
        db.AgreementEvents.Add(AgreementEvent.Record(agreement.Id, AgreementEventKind.Refused, input.Actor, clock.Now,
            $"Round {input.Round}: {refusal.Message}", input.Decision == NegotiationDecision.Accept ? "NegotiationAccept" : "NegotiationRequestChanges", code));
        await db.SaveChangesAsync(cancellationToken);
        return new DecideNegotiationResult(agreement, refusal);
    }

    [LoggerMessage(EventId = 4894, Level = LogLevel.Information, Message = "Agreement {AgreementId}: {Person} answered negotiation round {Round} for the provider: {Outcome}")]
    private static partial void LogAnswered(ILogger logger, long agreementId, string person, int round, NegotiationOutcome outcome);

    [LoggerMessage(EventId = 4895, Level = LogLevel.Warning, Message = "Agreement {AgreementId}: {Decision} by {Person} on negotiation round {Round} refused ({Code})")]
    private static partial void LogRefused(ILogger logger, long agreementId, string person, NegotiationDecision decision, int round, string code);
}
