using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Approvals;

public enum AuditAction
{
    Submitted,
    Resubmitted,
    StageStarted,

    /// <summary>A stage could not start: its approvers could not be resolved.</summary>
    StageBlocked,

    /// <summary>A stage could not start because the directory did not answer; it starts by itself once it does.</summary>
    DirectoryUnavailable,

    /// <summary>
    /// An approver (<see cref="AuditEntry.OnBehalfOf"/>) was out of office when the stage started: their seat went to
    /// <see cref="AuditEntry.DelegateTo"/>, or, when that is null, stayed with them (the detail says why).
    /// </summary>
    OutOfOffice,
    StageCompleted,
    Approve,
    Reject,
    RequestChanges,
    Delegate,
    Reminded,
    Escalated,

    /// <summary>The request reached its end: approved or rejected.</summary>
    Completed,

    /// <summary>A stage that hands the subject to the provider was approved: the request waits for the provider.</summary>
    HeldForProvider,

    /// <summary>The provider (<see cref="AuditEntry.Actor"/>) accepted the revision: the next stage starts.</summary>
    ProviderAccepted,

    /// <summary>The provider asked for changes (the comment): a new revision restarts at the configured return stage.</summary>
    ProviderRequestedChanges,
}

public enum AuditOutcome
{
    Accepted,
    Refused,
}

/// <summary>
/// One line of a request's append-only audit trail: every decision, every refused attempt and every system step
/// (stage start, reminder, escalation). Entries are only ever created by the request's own methods; nothing edits them.
/// </summary>
public sealed class AuditEntry
{
    private AuditEntry()
    {
    }

    internal AuditEntry(
        int sequence,
        DateTimeOffset at,
        PersonId? actor,
        PersonId? onBehalfOf,
        AuditAction action,
        AuditOutcome outcome,
        RefusalReason? refusal,
        string? detail,
        string? comment,
        int revision,
        int? stageNumber,
        string? stageName,
        PersonId? delegateTo)
    {
        Sequence = sequence;
        At = at;
        Actor = actor;
        OnBehalfOf = onBehalfOf;
        Action = action;
        Outcome = outcome;
        Refusal = refusal;
        Detail = detail;
        Comment = comment;
        Revision = revision;
        StageNumber = stageNumber;
        StageName = stageName;
        DelegateTo = delegateTo;
    }

    public long Id { get; private set; }

    /// <summary>1, 2, 3, … within the request: the order things happened in.</summary>
    public int Sequence { get; private set; }

    public DateTimeOffset At { get; private set; }

    /// <summary>Who acted; null for the system (stage start, reminders, escalations).</summary>
    public PersonId? Actor { get; private set; }

    /// <summary>The approver the actor acted for, when the actor is a delegate ("X for Y").</summary>
    public PersonId? OnBehalfOf { get; private set; }

    public AuditAction Action { get; private set; }

    public AuditOutcome Outcome { get; private set; }

    /// <summary>Set when <see cref="Outcome"/> is Refused.</summary>
    public RefusalReason? Refusal { get; private set; }

    /// <summary>A sentence: the refusal message, who was reminded, why a stage was blocked, …</summary>
    public string? Detail { get; private set; }

    public string? Comment { get; private set; }

    /// <summary>The request revision concerned (for a refused click: the revision the card showed).</summary>
    public int Revision { get; private set; }

    /// <summary>The stage concerned, 1-based (for a refused click: the stage the card showed).</summary>
    public int? StageNumber { get; private set; }

    public string? StageName { get; private set; }

    /// <summary>For Delegate: the person the decision was handed to.</summary>
    public PersonId? DelegateTo { get; private set; }

    /// <summary>
    /// For submissions and decisions: the document hashes of the subject revision they were made on
    /// ("Draft:&lt;sha256&gt; FinalContract:&lt;sha256&gt;"); null when the subject has no documents.
    /// </summary>
    public string? DocumentHashes { get; private set; }

    internal void PinDocuments(string? hashes) => DocumentHashes = hashes;

    /// <summary>"X for Y" when acting for someone, otherwise "X"; "system" for system steps.</summary>
    public string Who => Actor is not { } actor ? "system" : OnBehalfOf is { } principal ? $"{actor} for {principal}" : actor.ToString();
}
