using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Approvals;

public enum DecisionRuleKind
{
    /// <summary>The first decision of any approver decides the stage, whichever way it goes.</summary>
    Any,

    /// <summary>Every approver must approve; one rejection rejects.</summary>
    All,

    /// <summary><see cref="DecisionRule.Required"/> approvals complete the stage; it is rejected only when that many can no longer be reached.</summary>
    NOfM,
}

/// <summary>
/// How a stage's parallel decisions combine. The outcome rules (see <see cref="Evaluate"/>):
/// <list type="bullet">
/// <item><b>Any</b> ("first to respond"): the first approval approves the stage, the first rejection rejects the request.</item>
/// <item><b>All</b>: approved when every approver has approved; any rejection rejects (all can no longer be reached).</item>
/// <item><b>N of M</b>: approved at N approvals; rejected only when rejections exceed M − N, so a dissent is
/// recorded without ending the stage while N approvals are still possible.</item>
/// <item><b>Request changes</b>, under every rule, sends the request back at once: the content is about to change,
/// and the other approvers will decide on the new revision when the stage restarts.</item>
/// </list>
/// </summary>
public sealed record DecisionRule
{
    public const int MaxRequired = ApproverRule.MaxPeople;

    private DecisionRule(DecisionRuleKind kind, int required)
    {
        Kind = kind;
        Required = required;
    }

    public DecisionRuleKind Kind { get; }

    /// <summary>N for <see cref="DecisionRuleKind.NOfM"/>; 1 for Any; 0 (meaning "everyone") for All.</summary>
    public int Required { get; }

    public static DecisionRule Any { get; } = new(DecisionRuleKind.Any, 1);

    public static DecisionRule All { get; } = new(DecisionRuleKind.All, 0);

    public static DecisionRule NOfM(int n)
    {
        Guard.That(n is >= 1 and <= MaxRequired, "flow.invalid", $"N of M needs N between 1 and {MaxRequired}.");
        return new DecisionRule(DecisionRuleKind.NOfM, n);
    }

    /// <summary>How many approvals complete a stage that has <paramref name="approvers"/> approvers.</summary>
    public int ApprovalsNeeded(int approvers) => Kind switch
    {
        DecisionRuleKind.Any => 1,
        DecisionRuleKind.All => approvers,
        _ => Required,
    };

    /// <summary>The stage outcome for the given counts of decisions among <paramref name="approvers"/> seats.</summary>
    public StageOutcome Evaluate(int approvers, int approvals, int rejections, bool changesRequested)
    {
        if (changesRequested) return StageOutcome.ChangesRequested;
        var needed = ApprovalsNeeded(approvers);
        if (approvals >= needed) return StageOutcome.Approved;
        var unreachable = Kind == DecisionRuleKind.Any ? rejections > 0 : approvers - rejections < needed;
        return unreachable ? StageOutcome.Rejected : StageOutcome.Pending;
    }

    public override string ToString() => Kind switch
    {
        DecisionRuleKind.Any => "any one",
        DecisionRuleKind.All => "all",
        _ => $"{Required} of M",
    };
}

/// <summary>Where a stage stands after its decisions so far.</summary>
public enum StageOutcome
{
    Pending,
    Approved,
    Rejected,
    ChangesRequested,
}
