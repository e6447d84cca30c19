using ApprovalBot.Agreements;

namespace ApprovalBot.CommunicationPlans;

/// <summary>
/// An agreement became Active: the plan auditor runs a round now, which opens its first update obligation and arms the
/// reminder and review timers (the auditor's work is idempotent, so a round run twice changes nothing).
/// </summary>
internal sealed class PlanActivation(PlanTimerAuditor auditor) : IAgreementActivatedListener
{
    public void Activated(long agreementId) => auditor.Nudge();
}
