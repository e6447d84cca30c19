using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Approvals;

/// <summary>Why a decision attempt was refused; stable values the UI maps to a message.</summary>
public enum RefusalReason
{
    /// <summary>The request is approved or rejected: nothing is left to decide.</summary>
    RequestClosed,

    /// <summary>The request is back with the requester, or blocked; no stage is awaiting decisions.</summary>
    NotAwaitingDecisions,

    /// <summary>The card shows an older revision.</summary>
    StaleRevision,

    /// <summary>The card shows a stage that is no longer the current one (it was decided).</summary>
    StaleStage,

    /// <summary>The person is not an approver of the current stage.</summary>
    NotAnApprover,

    /// <summary>The person was an approver but delegated their decision.</summary>
    DelegatedAway,

    /// <summary>The person (or the approver they act for) has already decided this stage.</summary>
    AlreadyDecided,

    /// <summary>Reject and Request changes need a comment.</summary>
    CommentRequired,

    CommentTooLong,

    DelegateToSelf,

    /// <summary>The delegate already approves this stage (in their own right or for someone else).</summary>
    DelegateAlreadyApprover,

    /// <summary>The requester cannot approve their own request, not even as a delegate.</summary>
    DelegateIsRequester,
}

/// <summary>A refusal the UI can show: a stable reason and a sentence for people.</summary>
public sealed record DecisionRefusal(RefusalReason Reason, string Message);

/// <summary>
/// The answer to a decision attempt. Accepted or refused, the attempt is in the audit trail (<see cref="Entry"/>);
/// a refusal changes nothing else (no state, no <see cref="ApprovalRequest.Version"/>).
/// </summary>
public sealed record DecisionResult
{
    private DecisionResult(AuditEntry entry, DecisionRefusal? refusal)
    {
        Entry = entry;
        Refusal = refusal;
    }

    public AuditEntry Entry { get; }

    public DecisionRefusal? Refusal { get; }

    public bool Accepted => Refusal is null;

    internal static DecisionResult Accept(AuditEntry entry) => new(entry, null);

    internal static DecisionResult Refuse(AuditEntry entry, DecisionRefusal refusal) => new(entry, refusal);

    /// <summary>For callers that prefer exceptions: throws <see cref="DecisionRefusedException"/> when refused.</summary>
    public DecisionResult ThrowIfRefused() => Refusal is null ? this : throw new DecisionRefusedException(Refusal);
}

public sealed class DecisionRefusedException : DomainException
{
    public DecisionRefusedException()
        : this(new DecisionRefusal(RefusalReason.NotAwaitingDecisions, "The decision was refused."))
    {
    }

    public DecisionRefusedException(string message)
        : this(new DecisionRefusal(RefusalReason.NotAwaitingDecisions, message))
    {
    }

    public DecisionRefusedException(string message, Exception innerException)
        : base(message, innerException) => Refusal = new DecisionRefusal(RefusalReason.NotAwaitingDecisions, message);

    public DecisionRefusedException(DecisionRefusal refusal)
        : base("approval.refused." + refusal?.Reason.ToString(), refusal?.Message ?? "The decision was refused.") =>
        Refusal = refusal ?? new DecisionRefusal(RefusalReason.NotAwaitingDecisions, "The decision was refused.");

    public DecisionRefusal Refusal { get; }
}
