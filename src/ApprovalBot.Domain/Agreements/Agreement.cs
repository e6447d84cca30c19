using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Agreements;

public enum AgreementStatus
{
    /// <summary>Being written; never submitted, or revised after a rejection.</summary>
    Draft,

    /// <summary>Its current revision is going through the approval flow.</summary>
    InApproval,

    /// <summary>An approver sent it back; the requester revises it and resubmits into the same request.</summary>
    ChangesRequested,

    /// <summary>Rejected; it can be revised into a new draft, which a new request approves from the first stage.</summary>
    Rejected,

    /// <summary>Signed off: its terms are in force.</summary>
    Active,

    Expired,
    Terminated,
}

/// <summary>
/// An IT support agreement with a provider, and its life: Draft → InApproval → Active → Expired | Terminated, with
/// ChangesRequested and Rejected sending it back to the requester. Content lives in <see cref="Revisions"/>: each
/// submission decides one revision, and earlier revisions (with their outcomes) stay readable. Every transition is a
/// guarded method; an illegal one throws <see cref="DomainException"/> (code <c>agreement.transition</c>) and changes nothing.
/// </summary>
public sealed class Agreement
{
    public const int MaxNameLength = 200;
    public const int MaxReasonLength = 2000;

    private readonly List<AgreementRevision> _revisions = [];

    private Agreement()
    {
        Name = string.Empty;
    }

    public long Id { get; private set; }

    /// <summary>How people refer to it in commands (<c>escalate &lt;agreement&gt; …</c>).</summary>
    public string Name { get; private set; }

    public PersonId CreatedBy { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public AgreementStatus Status { get; private set; }

    /// <summary>All revisions, oldest first.</summary>
    public IReadOnlyList<AgreementRevision> Revisions => _revisions.AsReadOnly();

    public AgreementRevision CurrentRevision => _revisions[^1];

    /// <summary>The terms being drafted or decided (the current revision's).</summary>
    public AgreementTerms Terms => CurrentRevision.Terms;

    /// <summary>The revision that was signed off, once Active (and kept after expiry or termination).</summary>
    public int? ActiveRevisionNumber { get; private set; }

    /// <summary>The terms in force: the signed-off revision's while Active, otherwise none.</summary>
    public AgreementTerms? TermsInForce => Status == AgreementStatus.Active ? _revisions.Single(r => r.Number == ActiveRevisionNumber).Terms : null;

    public DateTimeOffset? ActivatedAt { get; private set; }

    public DateTimeOffset? ExpiredAt { get; private set; }

    public DateTimeOffset? TerminatedAt { get; private set; }

    public PersonId? TerminatedBy { get; private set; }

    public string? TerminationReason { get; private set; }

    /// <summary>Incremented on every change: the concurrency token (and the fencing token of agreement timers).</summary>
    public long Version { get; private set; }

    public static Agreement CreateDraft(string name, AgreementTerms terms, PersonId createdBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var agreement = new Agreement
        {
            Name = Guard.RequiredText(name, "The agreement's name", MaxNameLength),
            CreatedBy = Guard.Person(createdBy, "The author"),
            CreatedAt = now,
            Status = AgreementStatus.Draft,
            Version = 1,
        };
        agreement._revisions.Add(new AgreementRevision(1, terms, createdBy, now));
        return agreement;
    }

    /// <summary>
    /// Changes the terms. A revision not yet submitted is edited in place; after a request for changes or a rejection
    /// the terms go into a new revision (the decided one stays as it was). After a rejection the agreement is a Draft
    /// again. Refused while in approval and once Active or ended.
    /// </summary>
    public void Revise(AgreementTerms terms, PersonId by, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(terms);
        Guard.Person(by, "The author");
        Require(Status is AgreementStatus.Draft or AgreementStatus.ChangesRequested or AgreementStatus.Rejected, "revise");
        if (CurrentRevision.SubmittedAt is null) CurrentRevision.ReplaceTerms(terms, by, now);
        else _revisions.Add(new AgreementRevision(CurrentRevision.Number + 1, terms, by, now));
        if (Status == AgreementStatus.Rejected) Status = AgreementStatus.Draft;
        Version++;
    }

    /// <summary>Throws unless the current revision can be submitted now: Draft or ChangesRequested, revised since the last decision, and complete.</summary>
    public void EnsureCanSubmit()
    {
        Require(Status is AgreementStatus.Draft or AgreementStatus.ChangesRequested, "submit");
        if (CurrentRevision.SubmittedAt is not null)
            throw new DomainException("agreement.not_revised", $"Revision {CurrentRevision.Number} was already decided on; revise the agreement before submitting it again.");
        var problems = Terms.Problems();
        if (problems.Count > 0) throw new AgreementIncompleteException(problems);
    }

    /// <summary>
    /// Records that the current revision went into approval with <paramref name="request"/> (a new request from a
    /// Draft; the same request, resubmitted, from ChangesRequested). Use <see cref="AgreementApproval"/>, which creates
    /// or resubmits the request and calls this.
    /// </summary>
    public void Submit(ApprovalRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        EnsureCanSubmit();
        EnsureAbout(request, CurrentRevision.Number);
        if (request.Status is not (ApprovalStatus.InProgress or ApprovalStatus.Blocked))
            throw new DomainException("agreement.request_state", $"The approval request is {request.Status}, not in progress.");
        CurrentRevision.MarkSubmitted(request.Requester, now);
        Status = AgreementStatus.InApproval;
        Version++;
    }

    /// <summary>
    /// Brings the agreement in line with its approval request after a decision: Approved → Active (final sign-off),
    /// ChangesRequested → back to the requester, Rejected → Rejected; in progress → nothing. Idempotent: an outcome
    /// already applied, or one about an older revision, changes nothing. Returns whether anything changed.
    /// </summary>
    public bool ApplyApprovalOutcome(ApprovalRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        EnsureAbout(request, revision: null);
        if (request.Subject.Revision != CurrentRevision.Number || Status != AgreementStatus.InApproval) return false;
        switch (request.Status)
        {
            case ApprovalStatus.Approved:
                Activate(request, now);
                return true;
            case ApprovalStatus.ChangesRequested:
                CurrentRevision.RecordOutcome(RevisionOutcome.ChangesRequested, request.Outcome, now);
                Status = AgreementStatus.ChangesRequested;
                Version++;
                return true;
            case ApprovalStatus.Rejected:
                CurrentRevision.RecordOutcome(RevisionOutcome.Rejected, request.Outcome, now);
                Status = AgreementStatus.Rejected;
                Version++;
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Final sign-off: the agreement becomes Active and its terms come into force. Only with the approved request
    /// about its current revision; anything else throws.
    /// </summary>
    public void Activate(ApprovalRequest finalSignOff, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(finalSignOff);
        Require(Status == AgreementStatus.InApproval, "activate");
        EnsureAbout(finalSignOff, CurrentRevision.Number);
        if (finalSignOff.Status != ApprovalStatus.Approved)
            throw new DomainException("agreement.not_signed_off", $"Only final sign-off activates an agreement; its approval request is {finalSignOff.Status}.");
        CurrentRevision.RecordOutcome(RevisionOutcome.Approved, finalSignOff.Outcome, now);
        ActiveRevisionNumber = CurrentRevision.Number;
        ActivatedAt = now;
        Status = AgreementStatus.Active;
        Version++;
    }

    /// <summary>The term ran out without renewal. Only an Active agreement expires; when is the term timer's call.</summary>
    public void Expire(DateTimeOffset now)
    {
        Require(Status == AgreementStatus.Active, "expire");
        ExpiredAt = now;
        Status = AgreementStatus.Expired;
        Version++;
    }

    /// <summary>Ends an Active agreement early, with the reason (required).</summary>
    public void Terminate(string reason, PersonId by, DateTimeOffset now)
    {
        var text = Guard.RequiredText(reason, "The termination reason", MaxReasonLength);
        Guard.Person(by, "Who terminates");
        Require(Status == AgreementStatus.Active, "terminate");
        TerminationReason = text;
        TerminatedBy = by;
        TerminatedAt = now;
        Status = AgreementStatus.Terminated;
        Version++;
    }

    private void Require(bool allowed, string action)
    {
        if (!allowed)
            throw new DomainException("agreement.transition", $"Cannot {action} agreement '{Name}': it is {Status}.");
    }

    private void EnsureAbout(ApprovalRequest request, int? revision)
    {
        var subject = request.Subject;
        if (subject.Kind != ApprovalSubjectKind.Agreement || subject.Id != Id)
            throw new DomainException("agreement.wrong_request", $"That approval request is about {subject}, not agreement {Id}.");
        if (revision is { } r && subject.Revision != r)
            throw new DomainException("agreement.stale_request", $"That approval request is about revision {subject.Revision}; the agreement is at revision {r}.");
    }
}

public enum RevisionOutcome
{
    Approved,
    ChangesRequested,
    Rejected,
}

/// <summary>One version of an agreement's content, with who wrote it, when it was submitted and what was decided.</summary>
public sealed class AgreementRevision
{
    private AgreementRevision()
    {
        Terms = new AgreementTerms();
    }

    internal AgreementRevision(int number, AgreementTerms terms, PersonId by, DateTimeOffset now)
    {
        Number = number;
        Terms = terms;
        CreatedBy = by;
        CreatedAt = now;
        UpdatedAt = now;
    }

    public long Id { get; private set; }

    public int Number { get; private set; }

    public AgreementTerms Terms { get; private set; }

    public PersonId CreatedBy { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Set once the revision went into approval; from then on its terms never change.</summary>
    public DateTimeOffset? SubmittedAt { get; private set; }

    public PersonId? SubmittedBy { get; private set; }

    public RevisionOutcome? Outcome { get; private set; }

    public DateTimeOffset? OutcomeAt { get; private set; }

    /// <summary>The decision that ended the revision's approval (who, for whom, comment), from the request.</summary>
    public RequestOutcome? Decision { get; private set; }

    internal void ReplaceTerms(AgreementTerms terms, PersonId by, DateTimeOffset now)
    {
        Terms = terms;
        CreatedBy = by;
        UpdatedAt = now;
    }

    internal void MarkSubmitted(PersonId by, DateTimeOffset now)
    {
        SubmittedAt = now;
        SubmittedBy = by;
    }

    internal void RecordOutcome(RevisionOutcome outcome, RequestOutcome? decision, DateTimeOffset now)
    {
        Outcome = outcome;
        Decision = decision;
        OutcomeAt = now;
    }
}

/// <summary>A submission of incomplete or inconsistent terms; <see cref="Problems"/> lists every problem at once.</summary>
public sealed class AgreementIncompleteException : DomainException
{
    public AgreementIncompleteException()
        : this([])
    {
    }

    public AgreementIncompleteException(string message)
        : base("agreement.incomplete", message) => Problems = [];

    public AgreementIncompleteException(string message, Exception innerException)
        : base(message, innerException) => Problems = [];

    public AgreementIncompleteException(IReadOnlyList<TermsProblem> problems)
        : base("agreement.incomplete", "The agreement is not complete: " + string.Join(" ", (problems ?? []).Select(p => p.Message))) =>
        Problems = problems ?? [];

    public IReadOnlyList<TermsProblem> Problems { get; }
}
