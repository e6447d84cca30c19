using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Agreements;

public enum AgreementStatus
{
    /// <summary>Being written; never submitted, or revised after a rejection.</summary>
    Draft,

    /// <summary>Its current revision is going through the approval flow.</summary>
    InApproval,

    /// <summary>Approved on a flow that names signatories: it becomes Active when the last of them has signed.</summary>
    AwaitingSignatures,

    /// <summary>An approver sent it back; the requester revises it and resubmits into the same request.</summary>
    ChangesRequested,

    /// <summary>Rejected; it can be revised into a new draft, which a new request approves from the first stage.</summary>
    Rejected,

    /// <summary>Signed off: its terms are in force.</summary>
    Active,

    /// <summary>The term ran out without renewal (at 00:00 after its end date, in its time zone).</summary>
    Expired,

    /// <summary>Ended early, at the notice date of a termination.</summary>
    Terminated,
}

/// <summary>What the oversight owners chose for the end of the term.</summary>
public enum TermChoice
{
    /// <summary>A new revision for the next term is in approval (on the renewal flow).</summary>
    Renew,

    /// <summary>No renewal: no more reminders; the agreement expires at its end date.</summary>
    LetExpire,

    /// <summary>Terminated with notice: it ends at <see cref="Agreement.TerminationEffectiveAt"/>.</summary>
    Terminate,
}

/// <summary>What a term timer did (see <see cref="Agreement.FireTerm"/>).</summary>
public enum TermTimerOutcome
{
    /// <summary>The fencing token is older than the agreement: a change since armed its own timer.</summary>
    StaleToken,

    /// <summary>Not Active (any more): nothing to do.</summary>
    NotActive,

    NothingDue,
    Reminded,
    Expired,
    Terminated,
}

/// <summary>The outcome of a term timer; <see cref="ReminderDueAt"/> is the reminder sent when <see cref="Outcome"/> is Reminded.</summary>
public sealed record TermTimerResult(TermTimerOutcome Outcome, DateTimeOffset? ReminderDueAt = null)
{
    public bool Applied => Outcome is TermTimerOutcome.Reminded or TermTimerOutcome.Expired or TermTimerOutcome.Terminated;
}

/// <summary>How the host runs term reminders: lead times in days before the notice date, the local time of day, and the organisation's time zone (for terms without a calendar).</summary>
public sealed record TermPolicy(IReadOnlyList<int> ReminderLeadDays, TimeOnly ReminderTime, TimeZoneInfo FallbackZone);

/// <summary>
/// An IT support agreement with a provider, and its life: Draft → InApproval → (AwaitingSignatures →) Active → Expired | Terminated, with
/// ChangesRequested and Rejected sending it back to the requester. Content lives in <see cref="Revisions"/>: each
/// submission decides one revision, and earlier revisions (with their outcomes) stay readable. Every transition is a
/// guarded method; an illegal one throws <see cref="DomainException"/> (code <c>agreement.transition</c>) and changes nothing.
/// </summary>
public sealed class Agreement
{
    public const int MaxNameLength = 200;
    public const int MaxReasonLength = 2000;

    private readonly List<AgreementRevision> _revisions = [];
    private readonly List<AgreementSignature> _signingEvents = [];
    private readonly List<NegotiationRound> _negotiationRounds = [];

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

    /// <summary>When the termination was given (the <c>terminate</c> command or button); it takes effect at <see cref="TerminationEffectiveAt"/>.</summary>
    public DateTimeOffset? TerminationRequestedAt { get; private set; }

    /// <summary>00:00 of the notice date (the day notice was given + the notice period) in the agreement's time zone.</summary>
    public DateTimeOffset? TerminationEffectiveAt { get; private set; }

    /// <summary>The owners' choice for the end of the current term, and who made it when; null while undecided.</summary>
    public TermChoice? TermChoice { get; private set; }

    public PersonId? TermChoiceBy { get; private set; }

    public DateTimeOffset? TermChoiceAt { get; private set; }

    /// <summary>Reminders due at or before this instant are done (sent, or due before the term came into force).</summary>
    public DateTimeOffset? TermRemindedThrough { get; private set; }

    /// <summary>Who must sign the revision awaiting signatures; null when none is.</summary>
    public IReadOnlyList<PersonId>? Signatories { get; private set; }

    /// <summary>The SHA-256 the signatories sign (the final contract's, else the canonical terms JSON's); null when nothing awaits signatures.</summary>
    public string? SigningHash { get; private set; }

    public SigningHashSource? SigningHashSource { get; private set; }

    /// <summary>The final contract's file name when <see cref="SigningHashSource"/> is FinalContract.</summary>
    public string? SigningDocumentName { get; private set; }

    /// <summary>Every signing event, oldest first: signatures and refused attempts, each with the revision it was about.</summary>
    public IReadOnlyList<AgreementSignature> SigningEvents => _signingEvents.AsReadOnly();

    /// <summary>The signatures that count: those on the current revision (a new revision starts over).</summary>
    public IReadOnlyList<AgreementSignature> Signatures =>
        [.. _signingEvents.Where(s => s.Kind == SigningEventKind.Signature && s.Revision == CurrentRevision.Number)];

    /// <summary>Every negotiation round with the provider, oldest first (see <see cref="AgreementNegotiation"/>).</summary>
    public IReadOnlyList<NegotiationRound> NegotiationRounds => _negotiationRounds.AsReadOnly();

    /// <summary>The round waiting for the provider's answer: the last round, about the current revision, undecided, while in approval; else null.</summary>
    public NegotiationRound? OpenNegotiationRound =>
        Status == AgreementStatus.InApproval && _negotiationRounds.Count > 0 && _negotiationRounds[^1] is { Outcome: null } last && last.Revision == CurrentRevision.Number
            ? last
            : null;

    /// <summary>The round in which the provider accepted revision <paramref name="revision"/> ("Agreed upon"), or null.</summary>
    public NegotiationRound? AgreedUpon(int revision) =>
        _negotiationRounds.LastOrDefault(r => r.Revision == revision && r.Outcome == NegotiationOutcome.Accepted);

    /// <summary>
    /// The round whose change request made revision <paramref name="revision"/> ("Pending further negotiation": the
    /// provider asked for changes to the revision before it), or null.
    /// </summary>
    public NegotiationRound? PendingFurtherNegotiation(int revision) =>
        _negotiationRounds.LastOrDefault(r => r.Revision == revision - 1 && r.Outcome == NegotiationOutcome.ChangesRequested);

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
        else _revisions.Add(CurrentRevision.Next(terms, by, now));
        if (Status == AgreementStatus.Rejected) Status = AgreementStatus.Draft;
        Version++;
    }

    /// <summary>
    /// What adding <paramref name="file"/> as the <paramref name="kind"/> document would do now, or throws when it is
    /// refused (Active or ended: the documents are those it was signed off with; a renewal in approval).
    /// </summary>
    public DocumentChange DocumentChangeFor(DocumentKind kind, DocumentFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (Status is AgreementStatus.Active or AgreementStatus.Expired or AgreementStatus.Terminated)
            throw new DomainException("agreement.transition",
                $"Cannot add a document to agreement '{Name}': it is {Status}, and its documents are the ones revision {ActiveRevisionNumber ?? CurrentRevision.Number} was signed off with.");
        if (CurrentRevision.Documents.Any(d => d.Kind == kind && d.Sha256 == file.Sha256)) return DocumentChange.Unchanged;
        if (CurrentRevision.SubmittedAt is null) return DocumentChange.AddedToRevision;
        if (Status == AgreementStatus.AwaitingSignatures) return DocumentChange.NewRevisionAwaitingSignatures;
        return Status == AgreementStatus.InApproval ? DocumentChange.NewRevisionInApproval : DocumentChange.NewRevision;
    }

    /// <summary>
    /// Adds a document (replacing the revision's document of that kind) while the agreement is not in approval: into
    /// the current revision while it was not submitted, otherwise into a new revision (as <see cref="Revise"/> does; a
    /// rejected agreement becomes a Draft again). In approval use <see cref="AgreementApproval.AttachDocumentAsync"/>.
    /// </summary>
    public DocumentChange AttachDocument(DocumentKind kind, DocumentFile file, PersonId by, DateTimeOffset now)
    {
        Guard.Person(by, "Who adds the document");
        var change = DocumentChangeFor(kind, file);
        switch (change)
        {
            case DocumentChange.Unchanged:
                return change;
            case DocumentChange.NewRevisionInApproval:
                throw new DomainException("agreement.transition", $"Agreement '{Name}' is in approval: a new document restarts its approval (AgreementApproval.AttachDocumentAsync).");
            case DocumentChange.NewRevisionAwaitingSignatures:
                throw new DomainException("agreement.transition", $"Agreement '{Name}' awaits signatures: a new document goes into a new approval (AgreementApproval.AttachDocumentAsync).");
            case DocumentChange.AddedToRevision:
                CurrentRevision.PutDocument(new AgreementDocument(kind, file, by, now), now);
                break;
            default:
                var next = CurrentRevision.Next(CurrentRevision.Terms, by, now);
                next.PutDocument(new AgreementDocument(kind, file, by, now), now);
                _revisions.Add(next);
                break;
        }
        if (Status == AgreementStatus.Rejected) Status = AgreementStatus.Draft;
        Version++;
        return change;
    }

    /// <summary>
    /// A document changed while the current revision is in approval: the new revision (same terms, the document put in)
    /// replaces it in <paramref name="restarted"/>, which must already be about that new revision. Decisions on the
    /// superseded revision do not carry over; the superseded revision keeps its documents and gets no outcome. A
    /// negotiation round open on it (the revision was with the provider) is closed as
    /// <see cref="NegotiationOutcome.Superseded"/>: its cards can no longer be answered, and the next round goes out
    /// when the new revision reaches the negotiation stage again.
    /// </summary>
    public void SupersedeInApproval(DocumentKind kind, DocumentFile file, ApprovalRequest restarted, PersonId by, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(restarted);
        Guard.Person(by, "Who adds the document");
        if (DocumentChangeFor(kind, file) != DocumentChange.NewRevisionInApproval)
            throw new DomainException("agreement.transition", $"Agreement '{Name}' is {Status}, not in approval with a submitted revision.");
        EnsureAbout(restarted, CurrentRevision.Number + 1);
        OpenNegotiationRound?.Supersede(now);
        var next = CurrentRevision.Next(CurrentRevision.Terms, by, now);
        next.PutDocument(new AgreementDocument(kind, file, by, now), now);
        next.MarkSubmitted(by, now);
        _revisions.Add(next);
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
    /// ChangesRequested → back to the requester, Rejected → Rejected; in progress → nothing. A renewal's outcome: approved
    /// → its next term is in force (an agreement that expired meanwhile is Active again on it); rejected or sent back →
    /// the renewal ends and the agreement keeps its status. Idempotent: an outcome already applied, or one about an older
    /// revision, changes nothing. Returns whether anything changed.
    /// </summary>
    public bool ApplyApprovalOutcome(ApprovalRequest request, DateTimeOffset now) => ApplyApprovalOutcome(request, null, now);

    /// <summary>
    /// As <see cref="ApplyApprovalOutcome(ApprovalRequest, DateTimeOffset)"/>, but an approval with
    /// <paramref name="signing"/> makes the agreement AwaitingSignatures instead of Active (a renewal is unaffected).
    /// </summary>
    public bool ApplyApprovalOutcome(ApprovalRequest request, SigningRequirement? signing, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        EnsureAbout(request, revision: null);
        if (RenewalPending && request.Subject.Revision == CurrentRevision.Number) return ApplyRenewalOutcome(request, now);
        if (request.Subject.Revision != CurrentRevision.Number || Status != AgreementStatus.InApproval) return false;
        switch (request.Status)
        {
            case ApprovalStatus.Approved when signing is not null:
                AwaitSignatures(request, signing, now);
                return true;
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
        BecomeActive(now);
    }

    /// <summary>
    /// Final sign-off on a flow with signatories: the revision is approved and the agreement awaits the signatures of
    /// <paramref name="signing"/>'s signatories on its hash. Only with the approved request about its current revision.
    /// </summary>
    public void AwaitSignatures(ApprovalRequest finalSignOff, SigningRequirement signing, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(finalSignOff);
        ArgumentNullException.ThrowIfNull(signing);
        Require(Status == AgreementStatus.InApproval, "send for signing");
        EnsureAbout(finalSignOff, CurrentRevision.Number);
        if (finalSignOff.Status != ApprovalStatus.Approved)
            throw new DomainException("agreement.not_signed_off", $"Only final sign-off sends an agreement for signing; its approval request is {finalSignOff.Status}.");
        CurrentRevision.RecordOutcome(RevisionOutcome.Approved, finalSignOff.Outcome, now);
        Signatories = signing.Signatories;
        SigningHash = signing.Sha256;
        SigningHashSource = signing.Source;
        SigningDocumentName = signing.DocumentName;
        Status = AgreementStatus.AwaitingSignatures;
        Version++;
    }

    /// <summary>
    /// <paramref name="signer"/> signs the revision awaiting signatures from a card that showed
    /// <paramref name="cardRevision"/> and <paramref name="cardSha256"/>, typing <paramref name="typedName"/>, which
    /// must be <paramref name="directoryName"/> (their display name in the directory; case and spacing do not matter).
    /// Checks, in order: the card is current (else StaleCard), the signer is a signatory (else NotSignatory, audited),
    /// has not signed yet (AlreadySigned), typed their name (NameMismatch). The last signature activates the agreement.
    /// Only refusals for non-signatories are recorded; nothing else changes on a refusal.
    /// </summary>
    public SignResult Sign(PersonId signer, int cardRevision, string? cardSha256, string? typedName, string? directoryName, DateTimeOffset now)
    {
        Guard.Person(signer, "The signer");
        if (Status != AgreementStatus.AwaitingSignatures || cardRevision != CurrentRevision.Number
            || !string.Equals(cardSha256, SigningHash, StringComparison.OrdinalIgnoreCase))
        {
            return new SignResult(SignOutcome.StaleCard, Status == AgreementStatus.AwaitingSignatures || CurrentRevision.Number != cardRevision
                ? $"This card is out of date: the document of '{Name}' changed (now revision {CurrentRevision.Number}{(Status == AgreementStatus.AwaitingSignatures ? $", sha256 {SigningHash![..12]}…" : $", {Status}")}). Sign on the new card when it reaches you; nothing was recorded."
                : $"'{Name}' is {Status}, not awaiting signatures; nothing was recorded.");
        }
        var typed = (typedName ?? string.Empty).Trim();
        if (Signatories is not { } signatories || !signatories.Contains(signer))
        {
            _signingEvents.Add(new AgreementSignature(SigningEventKind.RefusedNotSignatory, CurrentRevision.Number, signer, now, SigningHash!, typed));
            return new SignResult(SignOutcome.NotSignatory, $"You are not a signatory of '{Name}': your signature was refused, and the attempt is on record.");
        }
        if (Signatures.Any(s => s.Signer == signer))
            return new SignResult(SignOutcome.AlreadySigned, $"You have already signed '{Name}' (revision {CurrentRevision.Number}); nothing changed.");
        if (typed.Length == 0)
            return new SignResult(SignOutcome.NameMismatch, "Type your full name to sign; nothing was recorded.");
        if (directoryName is null || NormalName(typed) != NormalName(directoryName))
            return new SignResult(SignOutcome.NameMismatch, "The name you typed is not your full name as the directory has it; type it exactly as shown in Teams (case and spacing do not matter). Nothing was recorded.");

        _signingEvents.Add(new AgreementSignature(SigningEventKind.Signature, CurrentRevision.Number, signer, now, SigningHash!, typed));
        if (signatories.All(p => Signatures.Any(s => s.Signer == p)))
        {
            BecomeActive(now);
            return new SignResult(SignOutcome.Activated, $"Signed. That was the last signature: '{Name}' is now Active.");
        }
        Version++;
        var left = signatories.Count(p => !Signatures.Any(s => s.Signer == p));
        return new SignResult(SignOutcome.Accepted, $"Signed. {left} more signature{(left == 1 ? " is" : "s are")} needed before '{Name}' becomes Active.");
    }

    /// <summary>
    /// A document changed while awaiting signatures: the new revision (same terms, the document put in) goes into
    /// <paramref name="request"/> (a new approval request about it), the agreement is InApproval again, and the
    /// signatures so far (on the earlier revision) no longer count. Use <see cref="AgreementApproval.AttachDocumentAsync"/>.
    /// </summary>
    public void SupersedeAwaitingSignatures(DocumentKind kind, DocumentFile file, ApprovalRequest request, PersonId by, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        Guard.Person(by, "Who adds the document");
        if (DocumentChangeFor(kind, file) != DocumentChange.NewRevisionAwaitingSignatures)
            throw new DomainException("agreement.transition", $"Agreement '{Name}' is {Status}, not awaiting signatures.");
        EnsureAbout(request, CurrentRevision.Number + 1);
        var next = CurrentRevision.Next(CurrentRevision.Terms, by, now);
        next.PutDocument(new AgreementDocument(kind, file, by, now), now);
        next.MarkSubmitted(request.Requester, now);
        _revisions.Add(next);
        ClearSigning();
        Status = AgreementStatus.InApproval;
        Version++;
    }

    /// <summary>
    /// The flow's negotiation stage approved the current revision and <paramref name="held"/> waits for the provider
    /// (<see cref="ApprovalStatus.AwaitingProvider"/>): a new round records that the revision went to
    /// <paramref name="negotiators"/> now, with its document hashes and <paramref name="termsSha256"/>. Refused unless
    /// in approval with that request about the current revision, and no round is already open.
    /// </summary>
    public NegotiationRound SendToProvider(ApprovalRequest held, IEnumerable<PersonId> negotiators, string termsSha256, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(held);
        Require(Status == AgreementStatus.InApproval, "send to the provider");
        EnsureAbout(held, CurrentRevision.Number);
        if (held.Status != ApprovalStatus.AwaitingProvider)
            throw new DomainException("agreement.request_state", $"The approval request is {held.Status}, not awaiting the provider.");
        if (OpenNegotiationRound is { } open)
            throw new DomainException("agreement.transition", $"Round {open.Number} of '{Name}' is still waiting for the provider.");
        var people = Guard.DistinctList(negotiators, "The provider's negotiators");
        Guard.That(people.Count > 0, "agreement.invalid", "A negotiation round needs at least one of the provider's negotiators.");
        Guard.That(termsSha256 is { Length: 64 } && termsSha256.All(Uri.IsHexDigit), "agreement.invalid", "The terms hash is a SHA-256 in hex.");
        var round = new NegotiationRound(_negotiationRounds.Count + 1, CurrentRevision.Number, people, CurrentRevision.DocumentFingerprint, termsSha256.ToLowerInvariant(), now);
        _negotiationRounds.Add(round);
        Version++;
        return round;
    }

    /// <summary>
    /// Why <paramref name="actor"/>'s <paramref name="decision"/> on a card of round <paramref name="round"/> is
    /// refused, or null when it may go ahead. In order: the round is the open one (else StaleCard), the actor is one
    /// of its negotiators (else NotNegotiator), a change request has a comment of at most
    /// <see cref="NegotiationRound.MaxCommentLength"/> characters.
    /// </summary>
    public NegotiationResult? CheckNegotiation(int round, PersonId actor, NegotiationDecision decision, string? comment)
    {
        var open = OpenNegotiationRound;
        if (open is null || open.Number != round)
        {
            var asked = _negotiationRounds.FirstOrDefault(r => r.Number == round);
            return new NegotiationResult(NegotiationResultKind.StaleCard, asked switch
            {
                { Outcome: NegotiationOutcome.Accepted, DecidedAt: { } at } =>
                    $"This card is out of date: round {round} of '{Name}' was accepted on {at:yyyy-MM-dd}. Nothing changed.",
                { Outcome: NegotiationOutcome.ChangesRequested, DecidedAt: { } at } =>
                    $"This card is out of date: changes to revision {asked.Revision} of '{Name}' were requested on {at:yyyy-MM-dd}, so revision {CurrentRevision.Number} replaced it. A new card comes when it is sent to the provider again. Nothing changed.",
                { Outcome: NegotiationOutcome.Superseded, DecidedAt: { } at } =>
                    $"This card is out of date: the documents of '{Name}' changed on {at:yyyy-MM-dd}, so revision {asked.Revision + 1} replaced revision {asked.Revision} and round {round} closed without an answer. A new card comes when it is sent to the provider again. Nothing changed.",
                _ when open is not null =>
                    $"This card is out of date: '{Name}' is in negotiation round {open.Number} (revision {open.Revision}) now; answer on that card. Nothing changed.",
                _ => $"This card is out of date: '{Name}' is not waiting for the provider now (revision {CurrentRevision.Number}, {Status}). Nothing changed.",
            });
        }
        if (!open.Negotiators.Contains(actor))
            return new NegotiationResult(NegotiationResultKind.NotNegotiator,
                $"You are not one of the provider's negotiators for '{Name}': nothing changed, and the attempt is on record.");
        if (decision != NegotiationDecision.RequestChanges) return null;
        if (string.IsNullOrWhiteSpace(comment))
            return new NegotiationResult(NegotiationResultKind.CommentRequired, "Say what should change: a change request needs a comment. Nothing changed.");
        return comment.Trim().Length > NegotiationRound.MaxCommentLength
            ? new NegotiationResult(NegotiationResultKind.CommentTooLong, $"A comment can be at most {NegotiationRound.MaxCommentLength} characters. Nothing changed.")
            : null;
    }

    /// <summary>The provider accepted the open round (checked with <see cref="CheckNegotiation"/>; see <see cref="AgreementNegotiation.AcceptAsync"/>).</summary>
    internal void RecordNegotiationAccepted(PersonId by, DateTimeOffset now)
    {
        var open = OpenNegotiationRound ?? throw new DomainException("agreement.transition", $"'{Name}' is not waiting for the provider.");
        open.Decide(NegotiationOutcome.Accepted, by, null, now);
        Version++;
    }

    /// <summary>
    /// The provider asked for changes in the open round: the revision sent gets the outcome "changes requested" (with
    /// <paramref name="decision"/>), and a new revision with the same terms and documents, submitted into
    /// <paramref name="restarted"/> (already about it), becomes the current one. See <see cref="AgreementNegotiation.RequestChangesAsync"/>.
    /// </summary>
    internal void RecordNegotiationChanges(PersonId by, string comment, ApprovalRequest restarted, RequestOutcome decision, DateTimeOffset now)
    {
        var open = OpenNegotiationRound ?? throw new DomainException("agreement.transition", $"'{Name}' is not waiting for the provider.");
        EnsureAbout(restarted, CurrentRevision.Number + 1);
        open.Decide(NegotiationOutcome.ChangesRequested, by, comment, now);
        CurrentRevision.RecordOutcome(RevisionOutcome.ChangesRequested, decision, now);
        var next = CurrentRevision.Next(CurrentRevision.Terms, by, now);
        next.MarkSubmitted(restarted.Requester, now);
        _revisions.Add(next);
        Version++;
    }

    /// <summary>"Jane  van der Berg" and "jane VAN der berg" are the same name: spacing collapsed, case ignored.</summary>
    private static string NormalName(string name) =>
        string.Join(' ', name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();

    private void ClearSigning()
    {
        Signatories = null;
        SigningHash = null;
        SigningHashSource = null;
        SigningDocumentName = null;
    }

    /// <summary>The one way into Active (final sign-off, or the last signature): its terms come into force.</summary>
    private void BecomeActive(DateTimeOffset now)
    {
        ActiveRevisionNumber = CurrentRevision.Number;
        ActivatedAt = now;
        TermRemindedThrough = now;
        ClearSigning();
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

    /// <summary>A renewal revision (the current one) is in approval while the agreement stays Active on its signed-off revision.</summary>
    public bool RenewalInApproval => Status == AgreementStatus.Active && RenewalPending;

    /// <summary>
    /// A renewal revision is still in approval: while the agreement is Active, or after it expired at its end date in
    /// the meantime (an approval then reinstates it on the next term, see <see cref="ApplyApprovalOutcome"/>).
    /// </summary>
    public bool RenewalPending => Status is AgreementStatus.Active or AgreementStatus.Expired && TermChoice == Agreements.TermChoice.Renew
        && CurrentRevision.Number != ActiveRevisionNumber && CurrentRevision.Outcome is null;

    /// <summary>Whether revision <paramref name="number"/> renews an earlier term (an earlier revision was signed off).</summary>
    public bool IsRenewalRevision(int number) => _revisions.Any(r => r.Number < number && r.Outcome == RevisionOutcome.Approved);

    /// <summary>The dates of the term in force (null unless Active with an end date and a notice period).</summary>
    public TermSchedule? TermSchedule(TimeZoneInfo fallbackZone) =>
        TermsInForce is { } terms ? Agreements.TermSchedule.Of(terms, fallbackZone) : null;

    /// <summary>The reasons the terms in force accept for a termination (empty: any stated reason).</summary>
    public IReadOnlyList<string> AcceptedTerminationReasons => TermsInForce?.TerminationReasons ?? [];

    /// <summary>
    /// When the term timer should fire next: the scheduled termination, the end of the term, or the next reminder
    /// (while nobody has chosen, before the notice deadline), whichever is first; null when not Active or the terms
    /// give no end date or notice period.
    /// </summary>
    public DateTimeOffset? NextTermTimerAt(TermPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (Status != AgreementStatus.Active || TermSchedule(policy.FallbackZone) is not { } schedule) return null;
        var next = schedule.EndsAt;
        if (TerminationEffectiveAt is { } terminate && terminate < next) next = terminate;
        foreach (var reminder in PendingReminders(schedule, policy).Take(1))
        {
            if (reminder < next) next = reminder;
        }
        return next;
    }

    private IEnumerable<DateTimeOffset> PendingReminders(TermSchedule schedule, TermPolicy policy)
    {
        if (TermChoice is not null) return [];
        var through = TermRemindedThrough ?? ActivatedAt ?? DateTimeOffset.MinValue;
        return schedule.Reminders(policy.ReminderLeadDays, policy.ReminderTime).Where(r => r > through && r < schedule.NoticeDeadline);
    }

    /// <summary>
    /// A term timer fired with <paramref name="fencingToken"/>: if it is still current, applies what is due at
    /// <paramref name="now"/> — the scheduled termination, else the expiry at the end of the term, else the latest
    /// reminder due (earlier ones missed while the bot was down are folded into it). One step per fire; the caller
    /// arms the next.
    /// </summary>
    public TermTimerResult FireTerm(long fencingToken, TermPolicy policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (fencingToken != Version) return new TermTimerResult(TermTimerOutcome.StaleToken);
        if (Status != AgreementStatus.Active || TermSchedule(policy.FallbackZone) is not { } schedule) return new TermTimerResult(TermTimerOutcome.NotActive);
        if (TerminationEffectiveAt is { } effective && effective <= now && effective <= schedule.EndsAt)
        {
            TerminatedAt = effective;
            Status = AgreementStatus.Terminated;
            Version++;
            return new TermTimerResult(TermTimerOutcome.Terminated);
        }
        if (schedule.EndsAt <= now)
        {
            Expire(schedule.EndsAt);
            return new TermTimerResult(TermTimerOutcome.Expired);
        }
        var due = PendingReminders(schedule, policy).Where(r => r <= now).ToList();
        if (due.Count == 0) return new TermTimerResult(TermTimerOutcome.NothingDue);
        TermRemindedThrough = due[^1];
        Version++;
        return new TermTimerResult(TermTimerOutcome.Reminded, due[^1]);
    }

    /// <summary>
    /// The owners chose not to renew: recorded, no more reminders; the agreement still expires at its end date.
    /// Refused while a renewal is in approval or a termination is scheduled.
    /// </summary>
    public void LetExpire(PersonId by, DateTimeOffset now)
    {
        Guard.Person(by, "Who decides");
        Require(Status == AgreementStatus.Active, "let expire");
        RequireNoPendingEnd("let it expire");
        if (TermChoice == Agreements.TermChoice.LetExpire) return;
        Choose(Agreements.TermChoice.LetExpire, by, now);
    }

    /// <summary>
    /// Schedules the end of an Active agreement: effective at 00:00 of the notice date (today, in the agreement's time
    /// zone, + the notice period), with the reason, which must be one of the accepted reasons when the terms list
    /// any. Refused when the notice date is after the end date (the notice deadline passed: it expires first), while
    /// a renewal is in approval, or when a termination is already scheduled. Returns the notice date.
    /// </summary>
    public DateOnly ScheduleTermination(string reason, PersonId by, DateTimeOffset now, TimeZoneInfo fallbackZone)
    {
        var text = Guard.RequiredText(reason, "The termination reason", MaxReasonLength);
        Guard.Person(by, "Who terminates");
        Require(Status == AgreementStatus.Active, "terminate");
        RequireNoPendingEnd("terminate it");
        var accepted = AcceptedTerminationReasons;
        if (accepted.Count > 0)
        {
            text = accepted.FirstOrDefault(r => string.Equals(r.Trim(), text, StringComparison.OrdinalIgnoreCase))?.Trim()
                ?? throw new DomainException("agreement.termination_reason",
                    $"'{text}' is not one of the termination reasons agreement '{Name}' accepts: {string.Join("; ", accepted)}.");
        }
        var schedule = TermSchedule(fallbackZone)
            ?? throw new DomainException("agreement.no_term", $"Agreement '{Name}' has no end date or notice period to count from.");
        var date = schedule.TerminationDate(now);
        if (date > schedule.EndDate)
            throw new DomainException("agreement.notice_too_late",
                $"Notice given today takes effect on {TermDates.Format(date)}, after the term ends ({TermDates.Format(schedule.EndDate)}); the notice deadline was {TermDates.Format(schedule.NoticeDate)}. Let the agreement expire instead.");
        TerminationReason = text;
        TerminatedBy = by;
        TerminationRequestedAt = now;
        TerminationEffectiveAt = TermDates.StartOfDay(date, schedule.Zone);
        Choose(Agreements.TermChoice.Terminate, by, now);
        return date;
    }

    /// <summary>
    /// Starts a renewal: <paramref name="terms"/> (the next term) become a new revision, submitted with
    /// <paramref name="request"/> (a new request about that revision); the agreement stays Active on its signed-off
    /// revision until the renewal is approved. Use <see cref="AgreementApproval.SubmitRenewalAsync"/>.
    /// </summary>
    public void StartRenewal(AgreementTerms terms, ApprovalRequest request, PersonId by, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(request);
        EnsureCanRenew();
        EnsureAbout(request, CurrentRevision.Number + 1);
        var revision = new AgreementRevision(CurrentRevision.Number + 1, terms, by, now);
        revision.MarkSubmitted(request.Requester, now);
        _revisions.Add(revision);
        Choose(Agreements.TermChoice.Renew, by, now);
    }

    /// <summary>Throws unless a renewal can start now: Active, no renewal in approval, no termination scheduled.</summary>
    public void EnsureCanRenew()
    {
        Require(Status == AgreementStatus.Active, "renew");
        RequireNoPendingEnd("renew it");
    }

    /// <summary>The ended agreement's status and since when, in words (for refusals): "expired on 2027-02-01", "terminated on …".</summary>
    public string EndedDescription(TimeZoneInfo fallbackZone)
    {
        var terms = ActiveRevisionNumber is { } n ? _revisions.Single(r => r.Number == n).Terms : Terms;
        var zone = Agreements.TermSchedule.ZoneOf(terms, fallbackZone);
        return Status switch
        {
            AgreementStatus.Expired => $"expired on {TermDates.Format(TermDates.LocalDate(ExpiredAt ?? default, zone))} (its term ended {TermDates.Format(terms.EndDate ?? default)})",
            AgreementStatus.Terminated => $"was terminated on {TermDates.Format(TermDates.LocalDate(TerminatedAt ?? default, zone))} (reason: {TerminationReason})",
            _ => $"is {Status}",
        };
    }

    private bool ApplyRenewalOutcome(ApprovalRequest request, DateTimeOffset now)
    {
        switch (request.Status)
        {
            case ApprovalStatus.Approved:
                CurrentRevision.RecordOutcome(RevisionOutcome.Approved, request.Outcome, now);
                ActiveRevisionNumber = CurrentRevision.Number;
                TermRemindedThrough = now;
                if (Status == AgreementStatus.Expired)
                {
                    // The old term ran out while the renewal was in approval: the approved next term (which starts the
                    // day after the old end date) is in force now, so the agreement is Active again on it.
                    ExpiredAt = null;
                    Status = AgreementStatus.Active;
                }
                break;
            case ApprovalStatus.ChangesRequested:
            case ApprovalStatus.Rejected:
                // The renewal ends here (a new Renew starts another); the agreement runs on to its end date.
                CurrentRevision.RecordOutcome(request.Status == ApprovalStatus.Rejected ? RevisionOutcome.Rejected : RevisionOutcome.ChangesRequested, request.Outcome, now);
                break;
            default:
                return false;
        }
        TermChoice = null;
        TermChoiceBy = null;
        TermChoiceAt = null;
        Version++;
        return true;
    }

    private void RequireNoPendingEnd(string action)
    {
        if (RenewalInApproval)
            throw new DomainException("agreement.term_choice", $"Cannot {action}: the renewal of '{Name}' (revision {CurrentRevision.Number}) is in approval.");
        if (TerminationEffectiveAt is { } at)
            throw new DomainException("agreement.term_choice", $"Cannot {action}: '{Name}' is already terminated with effect from {at:yyyy-MM-dd HH:mm} UTC.");
    }

    private void Choose(TermChoice choice, PersonId by, DateTimeOffset now)
    {
        TermChoice = choice;
        TermChoiceBy = by;
        TermChoiceAt = now;
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
    private readonly List<AgreementDocument> _documents = [];

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

    /// <summary>The revision's documents (at most one per <see cref="DocumentKind"/>), pinned by hash.</summary>
    public IReadOnlyList<AgreementDocument> Documents => _documents.AsReadOnly();

    /// <summary>The hashes a decision on this revision is made on (see <see cref="AgreementDocument.Fingerprint"/>); null for none.</summary>
    public string? DocumentFingerprint => AgreementDocument.Fingerprint(_documents);

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

    /// <summary>The next revision: <paramref name="terms"/>, and this revision's documents carried over.</summary>
    internal AgreementRevision Next(AgreementTerms terms, PersonId by, DateTimeOffset now)
    {
        var next = new AgreementRevision(Number + 1, terms, by, now);
        next._documents.AddRange(_documents.Select(d => d.Copy()));
        return next;
    }

    internal void PutDocument(AgreementDocument document, DateTimeOffset now)
    {
        _documents.RemoveAll(d => d.Kind == document.Kind);
        _documents.Add(document);
        UpdatedAt = now;
    }

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
