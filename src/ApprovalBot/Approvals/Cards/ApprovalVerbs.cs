namespace ApprovalBot.Approvals.Cards;

/// <summary>
/// The <c>Action.Execute</c> verbs of the approval cards. Every action's data carries the <see cref="ApprovalActionData"/>
/// of the card shown (<c>requestId</c>, <c>revision</c>, <c>stage</c>), merged with the inputs <c>comment</c> and, for
/// <see cref="Delegate"/>, <c>delegateTo</c>. <see cref="Open"/> (approvals list) carries <c>requestId</c> only.
/// </summary>
public static class ApprovalVerbs
{
    public const string Approve = "approval.approve";
    public const string Reject = "approval.reject";
    public const string RequestChanges = "approval.requestChanges";
    public const string Delegate = "approval.delegate";
    public const string Refresh = "approval.refresh";
    public const string Open = "approval.open";
    public const string Resubmit = "approval.resubmit";

    /// <summary>Input id of the comment box (approvers' decisions and the requester's resubmission).</summary>
    public const string CommentInput = "comment";

    /// <summary>Input id of the delegate's e-mail address or UPN, inside the "Delegate…" card.</summary>
    public const string DelegateToInput = "delegateTo";
}
