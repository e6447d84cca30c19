namespace ApprovalBot.Agreements;

/// <summary>
/// Told, after the commit, that an agreement became Active on this instance — for features that act on Active
/// agreements (communication plans) and would otherwise notice only at their next periodic round.
/// </summary>
public interface IAgreementActivatedListener
{
    void Activated(long agreementId);
}
