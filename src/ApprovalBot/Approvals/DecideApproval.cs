using ApprovalBot.Agreements;
using ApprovalBot.Agreements.Negotiation;
using ApprovalBot.Agreements.Signing;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Approvals;

public enum DecisionVerb
{
    Approve,
    Reject,
    RequestChanges,
    Delegate,
}

/// <summary>An approver's decision on the card they saw (<paramref name="Card"/>): the revision and stage it showed.</summary>
public sealed record DecideApprovalInput(long RequestId, PersonId Actor, CardState Card, DecisionVerb Verb, string? Comment, string? DelegateTo = null);

/// <summary>
/// The answer: the request as it is now (null when there is no such request), and why the decision was refused, if it
/// was. A refusal changed nothing but the audit trail.
/// </summary>
public sealed record DecideApprovalResult(ApprovalRequest? Request, DecisionRefusal? Refusal)
{
    public bool Accepted => Request is not null && Refusal is null;
}

/// <summary>
/// Records a decision (approve, reject, request changes, delegate) through the domain, which guards every rule and
/// audits refusals too; applies the outcome to the agreement it is about (and stages what follows from it: the
/// announcement, the end-of-term cards, see <see cref="IAgreementOutcomeStage"/>; after the flow's negotiation stage the
/// revision goes to the provider instead of the next stage, see <see cref="ProviderNegotiation"/>); stages the cards and messages; commits; then
/// re-arms the request's timer. Two approvers deciding at once: the loser of the save reloads and decides again, and
/// the domain answers it (e.g. "already approved"). Used by the card actions and the REST API.
/// </summary>
public sealed class DecideApproval(
    BotDbContext db, IApproverResolver resolver, ApprovalClock clock, ApprovalMessages messages, ApprovalTimers timers, TeamsPeople people,
    IEnumerable<IAgreementActivatedListener> activated, IEnumerable<IAgreementOutcomeStage> outcomeStages, AgreementSigning signing, SigningMessages signingMessages,
    ProviderNegotiation negotiation)
{
    public Task<DecideApprovalResult> HandleAsync(DecideApprovalInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return db.RetryOnConflictAsync(ct => AttemptAsync(input, ct), cancellationToken);
    }

    private async Task<DecideApprovalResult> AttemptAsync(DecideApprovalInput input, CancellationToken cancellationToken)
    {
        var request = await db.WholeApprovalRequests.FirstOrDefaultAsync(r => r.Id == input.RequestId, cancellationToken);
        if (request is null) return new DecideApprovalResult(null, null);
        var now = clock.Now;
        var seen = request.AuditTrail.Count;

        DecisionResult result;
        IReadOnlyList<PersonId> negotiators = [];
        switch (input.Verb)
        {
            case DecisionVerb.Approve:
                // The flow's negotiation stage: when this approval completes it, the revision goes to the provider first.
                negotiators = await negotiation.NegotiatorsIfHandingOverAsync(request, cancellationToken);
                result = await request.ApproveAsync(input.Actor, input.Card, input.Comment, negotiators.Count > 0, resolver, clock.Calendar, now, cancellationToken);
                break;
            case DecisionVerb.Reject:
                result = request.Reject(input.Actor, input.Card, input.Comment, now);
                break;
            case DecisionVerb.RequestChanges:
                result = request.RequestChanges(input.Actor, input.Card, input.Comment, now);
                break;
            default:
                var to = string.IsNullOrWhiteSpace(input.DelegateTo) ? null : await people.FindAsync(input.DelegateTo, cancellationToken);
                if (to is null)
                    return new DecideApprovalResult(request, new DecisionRefusal(RefusalReason.NotAwaitingDecisions,
                        string.IsNullOrWhiteSpace(input.DelegateTo)
                            ? "Whom should I delegate to? Enter their e-mail address."
                            : $"Nobody with the address '{input.DelegateTo.Trim()}' is in the directory."));
                result = request.Delegate(input.Actor, input.Card, to.Id, input.Comment, now);
                break;
        }

        long? activatedAgreement = null;
        if (result.Accepted)
        {
            if (request.Subject is { Kind: ApprovalSubjectKind.Agreement, Id: { } agreementId }
                && await db.Agreements.FirstOrDefaultAsync(a => a.Id == agreementId, cancellationToken) is { } agreement)
            {
                var before = agreement.Status;
                // A flow with signatories: final approval sends the agreement for signing; the last signature activates it.
                var signatories = agreement.Status == AgreementStatus.InApproval ? await signing.RequirementAsync(agreement, request, cancellationToken) : null;
                if (agreement.ApplyApprovalOutcome(request, signatories, now))
                {
                    foreach (var stage in outcomeStages) await stage.StageAsync(agreement, request, before, cancellationToken);
                    if (agreement.Status == AgreementStatus.Active) activatedAgreement = agreement.Id;
                    else if (agreement.Status == AgreementStatus.AwaitingSignatures) await signingMessages.StageSigningCardsAsync(agreement, cancellationToken);
                }
                else
                {
                    await negotiation.StageHandOverAsync(agreement, request, negotiators, cancellationToken);
                }
            }
            await messages.StageAsync(request, seen, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        if (result.Accepted) await timers.ArmAsync(request, cancellationToken);
        if (activatedAgreement is { } active)
        {
            foreach (var listener in activated) listener.Activated(active);
        }
        return new DecideApprovalResult(request, result.Refusal);
    }
}
