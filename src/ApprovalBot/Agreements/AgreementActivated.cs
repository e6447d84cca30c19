using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;

namespace ApprovalBot.Agreements;

/// <summary>
/// Told, after the commit, that an agreement became Active on this instance — for features that act on Active
/// agreements (communication plans) and would otherwise notice only at their next periodic round.
/// </summary>
public interface IAgreementActivatedListener
{
    void Activated(long agreementId);
}

/// <summary>
/// Stages what follows from an approval decision that changed an agreement (its activation, a renewal approved or
/// rejected) in the same transaction as the decision (rule 13): called after the domain applied the outcome and before
/// the save. <paramref name="before"/> is the agreement's status before the decision.
/// </summary>
public interface IAgreementOutcomeStage
{
    Task StageAsync(Agreement agreement, ApprovalRequest request, AgreementStatus before, CancellationToken cancellationToken);
}
