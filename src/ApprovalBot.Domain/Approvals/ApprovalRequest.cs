using System.Globalization;
using ApprovalBot.Domain.Calendars;
using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Approvals;

public enum ApprovalStatus
{
    /// <summary>A stage is collecting decisions.</summary>
    InProgress,

    /// <summary>An approver asked for changes; the requester revises and resubmits.</summary>
    ChangesRequested,

    /// <summary>The next stage's approvers could not be resolved; see <see cref="ApprovalRequest.BlockedReason"/>.</summary>
    Blocked,

    Approved,
    Rejected,

    /// <summary>
    /// A stage that hands the subject to the other party (an agreement's provider) was approved: the next stage waits
    /// until the provider accepts (<see cref="ApprovalRequest.ContinueAfterProviderAsync"/>) or asks for changes
    /// (<see cref="ApprovalRequest.RestartForProviderChangesAsync"/>).
    /// </summary>
    AwaitingProvider,
}

/// <summary>The decision that took the request out of a stage (approved, rejected or sent back), with its comment.</summary>
public sealed record RequestOutcome(DecisionKind Decision, PersonId DecidedBy, PersonId? OnBehalfOf, string? Comment, DateTimeOffset At, int Revision, int StageNumber);

/// <summary>
/// A request for approval moving through the ordered stages of a flow snapshot. Every state change goes through a
/// method here, guarded; accepted changes increment <see cref="Version"/> (the optimistic concurrency token and the
/// timers' fencing token); every decision attempt, accepted or refused, is appended to <see cref="AuditTrail"/>.
/// </summary>
public sealed class ApprovalRequest
{
    public const int MaxTitleLength = 200;
    public const int MaxDetailsLength = 4000;
    public const int MaxLinks = 10;
    public const int MaxCommentLength = 2000;

    private List<RequestLink> _links = []; // not readonly: EF sets it from its JSON column
    private List<StageDefinition> _stages = []; // not readonly: EF sets it from its JSON column
    private readonly List<StageRun> _stageRuns = [];
    private readonly List<AuditEntry> _auditTrail = [];

    private ApprovalRequest()
    {
        Title = string.Empty;
        Details = string.Empty;
        FlowName = string.Empty;
        Subject = ApprovalSubject.Other();
    }

    public long Id { get; private set; }

    public string Title { get; private set; }

    public string Details { get; private set; }

    public IReadOnlyList<RequestLink> Links => _links.AsReadOnly();

    public PersonId Requester { get; private set; }

    public ApprovalSubject Subject { get; private set; }

    /// <summary>The name of the flow the request was submitted with.</summary>
    public string FlowName { get; private set; }

    /// <summary>The flow's stages as they were at submission: the request follows these, not today's flow.</summary>
    public IReadOnlyList<StageDefinition> Stages => _stages.AsReadOnly();

    public ApprovalStatus Status { get; private set; }

    /// <summary>1 at submission, +1 on every resubmission.</summary>
    public int Revision { get; private set; }

    /// <summary>The stage (1-based) in progress, blocked, or that sent the request back or ended it.</summary>
    public int CurrentStageNumber { get; private set; }

    public DateTimeOffset SubmittedAt { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    public string? BlockedReason { get; private set; }

    /// <summary>
    /// True when the request is Blocked because the directory did not answer (not because of something to fix): it
    /// continues by itself once the directory answers.
    /// </summary>
    public bool IsWaitingForDirectory =>
        Status == ApprovalStatus.Blocked
        && _auditTrail.LastOrDefault(e => e.Action is AuditAction.StageBlocked or AuditAction.DirectoryUnavailable)?.Action == AuditAction.DirectoryUnavailable;

    /// <summary>The decision that last ended a stage run with the request leaving InProgress; null while undecided.</summary>
    public RequestOutcome? Outcome { get; private set; }

    /// <summary>
    /// The document hashes of the subject revision being decided (see <see cref="AuditEntry.DocumentHashes"/>); every
    /// decision records them. Null when the subject has no documents.
    /// </summary>
    public string? DocumentHashes { get; private set; }

    /// <summary>Every stage run of every revision, oldest first.</summary>
    public IReadOnlyList<StageRun> StageRuns => _stageRuns.AsReadOnly();

    /// <summary>Append-only: decisions, refused attempts and system steps, in order.</summary>
    public IReadOnlyList<AuditEntry> AuditTrail => _auditTrail.AsReadOnly();

    /// <summary>Incremented on every accepted change. Concurrency token on save; fencing token for timers.</summary>
    public long Version { get; private set; }

    /// <summary>The stage run collecting decisions, when <see cref="Status"/> is InProgress.</summary>
    public StageRun? CurrentStage => Status == ApprovalStatus.InProgress ? _stageRuns[^1] : null;

    /// <summary>What a card for the current stage shows; clicks carry it back.</summary>
    public CardState CurrentCard => new(Revision, CurrentStageNumber);

    /// <summary>The people who may still decide the current stage (empty when no stage is in progress).</summary>
    public IReadOnlyList<PersonId> WaitingFor => CurrentStage?.Waiting ?? [];

    /// <summary>True when <paramref name="person"/> holds an undecided seat of the current stage (their card shows buttons).</summary>
    public bool CanDecide(PersonId person) => CurrentStage?.SeatHeldBy(person) is { Decision: null };

    /// <summary>
    /// Creates a request, snapshots the flow's stages, resolves the first stage's approvers and starts it (approvers who
    /// are out of office hand their seat to their stand-in, see <see cref="IApproverResolver.AbsenceAsync"/>).
    /// Throws <see cref="DomainException"/> (code <c>approval.unresolved</c>) when the first stage has nobody to
    /// decide, so the requester learns at once; nothing is created then. When the directory does not answer, the
    /// request is created Blocked and waits for it (<see cref="RetryBlockedStageAsync"/>).
    /// </summary>
    public static async Task<ApprovalRequest> SubmitAsync(
        NewApprovalRequest request,
        ApprovalFlow flow,
        IApproverResolver resolver,
        IBusinessCalendar calendar,
        DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(calendar);
        var stages = flow.Stages.Select(s => s.Snapshot()).ToList();
        var first = await ResolveStageAsync(stages[0], request.Requester, resolver, now, cancellationToken);
        if (first is { Approvers: null, DirectoryDown: false })
            throw new DomainException("approval.unresolved", $"Stage 1 ({stages[0].Name}) cannot start: {first.Failure}.");

        var created = new ApprovalRequest
        {
            Title = request.Title,
            Details = request.Details,
            Requester = request.Requester,
            Subject = request.Subject,
            FlowName = flow.Name,
            Revision = 1,
            SubmittedAt = now,
            DocumentHashes = request.DocumentHashes,
            Version = 1,
        };
        created._links.AddRange(request.Links);
        created._stages.AddRange(stages);
        created.Append(now, request.Requester, null, AuditAction.Submitted, detail: $"Flow '{flow.Name}', {stages.Count} stage(s), subject {request.Subject}.", stageNumber: null);
        created.StartOrBlock(1, first, calendar, now);
        return created;
    }

    /// <summary>
    /// Approves for the seat the actor holds in the current stage. When that completes the stage, the next stage's
    /// approvers are resolved and it starts (or the request becomes Blocked when they cannot be resolved); after the
    /// last stage the request is Approved. The resolver is called before anything changes.
    /// </summary>
    public Task<DecisionResult> ApproveAsync(
        PersonId actor,
        CardState card,
        string? comment,
        IApproverResolver resolver,
        IBusinessCalendar calendar,
        DateTimeOffset now,
        CancellationToken cancellationToken = default) =>
        ApproveAsync(actor, card, comment, holdForProvider: false, resolver, calendar, now, cancellationToken);

    /// <summary>
    /// As <see cref="ApproveAsync(PersonId, CardState, string?, IApproverResolver, IBusinessCalendar, DateTimeOffset, CancellationToken)"/>;
    /// with <paramref name="holdForProvider"/>, a stage this approval completes (and that is not the last) does not
    /// start the next one: the request becomes <see cref="ApprovalStatus.AwaitingProvider"/>.
    /// </summary>
    public async Task<DecisionResult> ApproveAsync(
        PersonId actor,
        CardState card,
        string? comment,
        bool holdForProvider,
        IApproverResolver resolver,
        IBusinessCalendar calendar,
        DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(calendar);
        comment = Normalize(comment);
        var refusal = CheckDecision(actor, card, out var run, out var seat) ?? CheckComment(comment, required: false);
        if (refusal is not null) return Refuse(actor, card, AuditAction.Approve, refusal, comment, null, now);

        var outcome = run!.OutcomeIf(seat!, DecisionKind.Approve);
        var hold = holdForProvider && outcome == StageOutcome.Approved && run.StageNumber < _stages.Count;
        StageResolution? next = null;
        if (outcome == StageOutcome.Approved && run.StageNumber < _stages.Count && !hold)
        {
            var version = Version;
            next = await ResolveStageAsync(_stages[run.StageNumber], Requester, resolver, now, cancellationToken);
            EnsureUnchangedSince(version);
        }

        var entry = RecordDecision(run, seat!, actor, DecisionKind.Approve, comment, now);
        if (outcome == StageOutcome.Approved)
        {
            CompleteStage(run, outcome, now);
            if (hold)
            {
                Status = ApprovalStatus.AwaitingProvider;
                Append(now, null, null, AuditAction.HeldForProvider, stageNumber: run.StageNumber,
                    detail: $"Revision {Revision} goes to the provider, who accepts it or asks for changes, before stage {run.StageNumber + 1} ({_stages[run.StageNumber].Name}) starts.");
            }
            else if (next is null) Finish(ApprovalStatus.Approved, run, seat!, DecisionKind.Approve, actor, comment, now);
            else StartOrBlock(run.StageNumber + 1, next, calendar, now);
        }

        Version++;
        return DecisionResult.Accept(entry);
    }

    /// <summary>
    /// Rejects for the actor's seat (comment required). Under Any and All the request is rejected at once; under
    /// N of M only when the rejections leave fewer than N possible approvals, otherwise the dissent is recorded.
    /// </summary>
    public DecisionResult Reject(PersonId actor, CardState card, string? comment, DateTimeOffset now)
    {
        comment = Normalize(comment);
        var refusal = CheckDecision(actor, card, out var run, out var seat) ?? CheckComment(comment, required: true);
        if (refusal is not null) return Refuse(actor, card, AuditAction.Reject, refusal, comment, null, now);

        var outcome = run!.OutcomeIf(seat!, DecisionKind.Reject);
        var entry = RecordDecision(run, seat!, actor, DecisionKind.Reject, comment, now);
        if (outcome == StageOutcome.Rejected)
        {
            CompleteStage(run, outcome, now);
            Finish(ApprovalStatus.Rejected, run, seat!, DecisionKind.Reject, actor, comment, now);
        }

        Version++;
        return DecisionResult.Accept(entry);
    }

    /// <summary>Sends the request back to the requester with the comment (required), under every decision rule.</summary>
    public DecisionResult RequestChanges(PersonId actor, CardState card, string? comment, DateTimeOffset now)
    {
        comment = Normalize(comment);
        var refusal = CheckDecision(actor, card, out var run, out var seat) ?? CheckComment(comment, required: true);
        if (refusal is not null) return Refuse(actor, card, AuditAction.RequestChanges, refusal, comment, null, now);

        var entry = RecordDecision(run!, seat!, actor, DecisionKind.RequestChanges, comment, now);
        CompleteStage(run!, StageOutcome.ChangesRequested, now);
        Status = ApprovalStatus.ChangesRequested;
        Outcome = new RequestOutcome(DecisionKind.RequestChanges, actor, OnBehalfOf(seat!, actor), comment, now, Revision, run!.StageNumber);
        Version++;
        return DecisionResult.Accept(entry);
    }

    /// <summary>
    /// Hands the actor's seat in the current stage to <paramref name="to"/>, recorded as "delegate for owner". The
    /// delegate decides (or delegates again) for the original approver; the original approver cannot decide that
    /// stage any more and cannot take it back (that would be a second person able to decide one seat). The due time
    /// does not move.
    /// </summary>
    public DecisionResult Delegate(PersonId actor, CardState card, PersonId to, string? comment, DateTimeOffset now)
    {
        Guard.Person(to, "The delegate");
        comment = Normalize(comment);
        var refusal = CheckDecision(actor, card, out var run, out var seat) ?? CheckComment(comment, required: false);
        if (refusal is null && to == actor)
            refusal = new DecisionRefusal(RefusalReason.DelegateToSelf, "You cannot delegate to yourself.");
        if (refusal is null && run!.Involves(to))
            refusal = new DecisionRefusal(RefusalReason.DelegateAlreadyApprover, $"{to} already approves this stage; choose someone else.");
        if (refusal is null && to == Requester)
            refusal = new DecisionRefusal(RefusalReason.DelegateIsRequester, "The requester cannot approve their own request.");
        if (refusal is not null) return Refuse(actor, card, AuditAction.Delegate, refusal, comment, to, now);

        var entry = Append(now, actor, OnBehalfOf(seat!, actor), AuditAction.Delegate, comment: comment, stageNumber: run!.StageNumber, delegateTo: to,
            detail: $"Delegated to {to}.");
        seat!.DelegateTo(to);
        Version++;
        return DecisionResult.Accept(entry);
    }

    /// <summary>
    /// The requester answers a request for changes: a new revision that restarts at the stage that asked for changes
    /// (earlier stages' approvals stand; that stage's approvers are resolved again and all decide anew). For an
    /// agreement subject pass the agreement's new revision number; for Other it is counted up by one.
    /// Throws <see cref="DomainException"/> when not in ChangesRequested, when someone other than the requester
    /// resubmits, or when the stage's approvers cannot be resolved (nothing changes then). When the directory does not
    /// answer, the new revision is recorded and waits Blocked for it.
    /// </summary>
    public async Task<AuditEntry> ResubmitAsync(
        PersonId actor,
        Resubmission resubmission,
        IApproverResolver resolver,
        IBusinessCalendar calendar,
        DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resubmission);
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(calendar);
        if (Status != ApprovalStatus.ChangesRequested)
            throw new DomainException("approval.transition", $"Only a request sent back for changes can be resubmitted; this one is {Status}.");
        if (actor != Requester)
            throw new DomainException("approval.not_requester", "Only the requester can resubmit a request.");
        var comment = Normalize(resubmission.Comment);
        if (comment is { Length: > MaxCommentLength })
            throw new DomainException("value.too_long", $"A comment must be at most {MaxCommentLength} characters.");
        var subjectRevision = resubmission.SubjectRevision ?? (Subject.Kind == ApprovalSubjectKind.Other ? Subject.Revision + 1 : 0);
        if (subjectRevision <= Subject.Revision)
            throw new DomainException("approval.stale_subject", $"A resubmission needs a newer revision of {Subject} than {Subject.Revision}.");

        var stageNumber = resubmission.RestartFromFirstStage ? 1 : CurrentStageNumber;
        var version = Version;
        var resolution = await ResolveStageAsync(_stages[stageNumber - 1], Requester, resolver, now, cancellationToken);
        EnsureUnchangedSince(version);
        if (resolution is { Approvers: null, DirectoryDown: false })
            throw new DomainException("approval.unresolved", $"Stage {stageNumber} ({_stages[stageNumber - 1].Name}) cannot start: {resolution.Failure}.");

        Revision++;
        Subject = Subject.WithRevision(subjectRevision);
        if (resubmission.Links is { } links)
        {
            _links.Clear();
            _links.AddRange(links);
        }

        Outcome = null;
        DocumentHashes = resubmission.DocumentHashes;
        var entry = Append(now, actor, null, AuditAction.Resubmitted, comment: comment, stageNumber: stageNumber,
            detail: $"Revision {Revision} ({Subject}) restarts at stage {stageNumber}"
                    + (resubmission.RestartFromFirstStage ? ": its documents changed, so earlier decisions do not carry over." : "."));
        StartOrBlock(stageNumber, resolution, calendar, now);
        Version++;
        return entry;
    }

    /// <summary>
    /// The subject changed while in approval (a document was added or replaced): a new revision about
    /// <paramref name="subjectRevision"/> restarts from the first stage, so no earlier decision carries over. The stage
    /// in progress ends Superseded. Only while InProgress, Blocked or AwaitingProvider; the first stage's approvers are resolved before
    /// anything changes (unresolved: throws, nothing changes). <paramref name="actor"/> is whoever changed the subject
    /// (its owner decides who may). Recorded as a resubmission with <paramref name="reason"/> as its comment.
    /// </summary>
    public async Task<AuditEntry> RestartForChangedSubjectAsync(
        PersonId actor,
        int subjectRevision,
        string reason,
        string? documentHashes,
        IApproverResolver resolver,
        IBusinessCalendar calendar,
        DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        Guard.Person(actor, "Who changed the subject");
        if (Status is not (ApprovalStatus.InProgress or ApprovalStatus.Blocked or ApprovalStatus.AwaitingProvider))
            throw new DomainException("approval.transition", $"Only a request in approval restarts for a changed subject; this one is {Status}.");
        var comment = Guard.RequiredText(reason, "The reason", MaxCommentLength);
        return await RestartAsync(actor, subjectRevision, 1, AuditAction.Resubmitted, comment, documentHashes,
            "its documents changed, so earlier decisions do not carry over", resolver, calendar, now, cancellationToken);
    }

    /// <summary>
    /// The provider accepted the revision the request holds for them (<see cref="ApprovalStatus.AwaitingProvider"/>):
    /// recorded (who, when, the document hashes), and the next stage's approvers are resolved and it starts (or the
    /// request becomes Blocked when they cannot be resolved, as after any approval). Throws when not awaiting the provider.
    /// </summary>
    public async Task<AuditEntry> ContinueAfterProviderAsync(
        PersonId provider,
        IApproverResolver resolver,
        IBusinessCalendar calendar,
        DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(calendar);
        Guard.Person(provider, "The provider's negotiator");
        if (Status != ApprovalStatus.AwaitingProvider)
            throw new DomainException("approval.transition", $"Only a request awaiting the provider continues after the provider accepts; this one is {Status}.");
        var stageNumber = CurrentStageNumber + 1;
        var version = Version;
        var next = await ResolveStageAsync(_stages[stageNumber - 1], Requester, resolver, now, cancellationToken);
        EnsureUnchangedSince(version);

        var entry = Append(now, provider, null, AuditAction.ProviderAccepted, stageNumber: CurrentStageNumber,
            detail: $"The provider accepted revision {Revision} ({Subject}); stage {stageNumber} ({_stages[stageNumber - 1].Name}) follows.");
        StartOrBlock(stageNumber, next, calendar, now);
        Version++;
        return entry;
    }

    /// <summary>
    /// The provider asked for changes (<paramref name="comment"/>, required) to the revision the request holds for
    /// them: a new revision about <paramref name="subjectRevision"/> restarts at <paramref name="returnStageNumber"/>
    /// (at or before the stage that handed it to the provider), whose approvers all decide anew; stages before it
    /// stand, as after a resubmission. The return stage's approvers are resolved before anything changes
    /// (unresolved: throws, nothing changes).
    /// </summary>
    public async Task<AuditEntry> RestartForProviderChangesAsync(
        PersonId provider,
        int subjectRevision,
        int returnStageNumber,
        string comment,
        string? documentHashes,
        IApproverResolver resolver,
        IBusinessCalendar calendar,
        DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        Guard.Person(provider, "The provider's negotiator");
        if (Status != ApprovalStatus.AwaitingProvider)
            throw new DomainException("approval.transition", $"Only a request awaiting the provider goes back for the provider's changes; this one is {Status}.");
        if (returnStageNumber < 1 || returnStageNumber > CurrentStageNumber)
            throw new DomainException("approval.invalid_stage", $"A change request returns to a stage from 1 to {CurrentStageNumber}, not {returnStageNumber}.");
        var text = Guard.RequiredText(comment, "The provider's comment", MaxCommentLength);
        return await RestartAsync(provider, subjectRevision, returnStageNumber, AuditAction.ProviderRequestedChanges, text, documentHashes,
            "the provider asked for changes, so it is pending further negotiation and earlier decisions on it do not carry over", resolver, calendar, now, cancellationToken);
    }

    /// <summary>
    /// A new revision about <paramref name="subjectRevision"/> restarts at <paramref name="stageNumber"/>: its approvers
    /// are resolved first (unresolved: throws and nothing changes; directory down: it waits Blocked), the stage in
    /// progress ends Superseded, and the restart is recorded as <paramref name="action"/> with the comment.
    /// </summary>
    private async Task<AuditEntry> RestartAsync(
        PersonId actor,
        int subjectRevision,
        int stageNumber,
        AuditAction action,
        string comment,
        string? documentHashes,
        string why,
        IApproverResolver resolver,
        IBusinessCalendar calendar,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(calendar);
        if (subjectRevision <= Subject.Revision)
            throw new DomainException("approval.stale_subject", $"A restart needs a newer revision of {Subject} than {Subject.Revision}.");
        var version = Version;
        var resolution = await ResolveStageAsync(_stages[stageNumber - 1], Requester, resolver, now, cancellationToken);
        EnsureUnchangedSince(version);
        if (resolution is { Approvers: null, DirectoryDown: false })
            throw new DomainException("approval.unresolved", $"Stage {stageNumber} ({_stages[stageNumber - 1].Name}) cannot start: {resolution.Failure}.");

        if (CurrentStage is { } running) running.Supersede(now);
        Revision++;
        Subject = Subject.WithRevision(subjectRevision);
        Outcome = null;
        DocumentHashes = documentHashes;
        var entry = Append(now, actor, null, action, comment: comment, stageNumber: stageNumber,
            detail: $"Revision {Revision} ({Subject}) restarts at stage {stageNumber}: {why}.");
        StartOrBlock(stageNumber, resolution, calendar, now);
        Version++;
        return entry;
    }

    /// <summary>
    /// Tries again to start a Blocked stage (after the directory was fixed, or answers again). True when it started;
    /// otherwise the request is Blocked again, with the reason as it is now.
    /// </summary>
    public async Task<bool> RetryBlockedStageAsync(IApproverResolver resolver, IBusinessCalendar calendar, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(calendar);
        if (Status != ApprovalStatus.Blocked)
            throw new DomainException("approval.transition", $"Only a blocked request can retry its stage; this one is {Status}.");
        var version = Version;
        var resolution = await ResolveStageAsync(_stages[CurrentStageNumber - 1], Requester, resolver, now, cancellationToken);
        EnsureUnchangedSince(version);
        StartOrBlock(CurrentStageNumber, resolution, calendar, now);
        Version++;
        return Status == ApprovalStatus.InProgress;
    }

    /// <summary>Whether the current stage has passed its due time.</summary>
    public bool IsOverdue(DateTimeOffset now) => CurrentStage is { } run && now >= run.DueAt;

    /// <summary>
    /// The reminder to send now, if any: the latest reminder time that has come and was not yet sent (reminders
    /// missed while down collapse into one). None once the stage is overdue: then it escalates instead.
    /// </summary>
    public ReminderDue? RemindersDue(DateTimeOffset now)
    {
        if (CurrentStage is not { } run || now >= run.DueAt) return null;
        var latest = run.LatestReminderDue(now);
        return latest > run.RemindersSent
            ? new ReminderDue(latest, run.ReminderTimes[latest - 1], run.StageNumber, run.Waiting, Version)
            : null;
    }

    /// <summary>The escalation to make now, if the current stage is overdue and was not escalated yet.</summary>
    public EscalationDue? EscalationDue(DateTimeOffset now) =>
        CurrentStage is { } run && now >= run.DueAt && run.EscalatedAt is null
            ? new EscalationDue(run.StageNumber, run.DueAt, run.Waiting, _stages[run.StageNumber - 1].EscalateTo, Version)
            : null;

    /// <summary>
    /// When the host should next wake up for this request: the next unsent reminder, else the due time; null once the
    /// stage has escalated or no stage is in progress. A time in the past means "now" (a timer was missed).
    /// </summary>
    public DateTimeOffset? NextTimerAt =>
        CurrentStage is not { EscalatedAt: null } run ? null
        : run.RemindersSent < run.ReminderTimes.Count ? run.ReminderTimes[run.RemindersSent]
        : run.DueAt;

    /// <summary>Records that reminder <paramref name="number"/> was sent. Changes nothing unless the token is current and that reminder is the one due.</summary>
    public TimerResult MarkReminded(long fencingToken, int number, DateTimeOffset now)
    {
        if (fencingToken != Version) return TimerResult.StaleToken;
        if (CurrentStage is not { } run) return TimerResult.NotInProgress;
        if (number <= run.RemindersSent) return TimerResult.AlreadyDone;
        if (RemindersDue(now) is not { } due || due.Number != number) return TimerResult.NotDue;

        run.MarkReminded(number);
        Append(now, null, null, AuditAction.Reminded, stageNumber: run.StageNumber,
            detail: $"Reminder {number} of {run.ReminderTimes.Count} to {string.Join(", ", due.Remind)}; due {Format(run.DueAt)}.");
        Version++;
        return TimerResult.Applied;
    }

    /// <summary>Records that the overdue stage was escalated to <paramref name="notified"/>. Once per stage run; fenced like reminders.</summary>
    public TimerResult MarkEscalated(long fencingToken, IEnumerable<PersonId> notified, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(notified);
        if (fencingToken != Version) return TimerResult.StaleToken;
        if (CurrentStage is not { } run) return TimerResult.NotInProgress;
        if (run.EscalatedAt is not null) return TimerResult.AlreadyDone;
        if (now < run.DueAt) return TimerResult.NotDue;

        run.MarkEscalated(now);
        Append(now, null, null, AuditAction.Escalated, stageNumber: run.StageNumber,
            detail: $"Overdue since {Format(run.DueAt)}; waiting for {string.Join(", ", run.Waiting)}; escalated to {string.Join(", ", notified)}.");
        Version++;
        return TimerResult.Applied;
    }

    private DecisionRefusal? CheckDecision(PersonId actor, CardState card, out StageRun? run, out StageSeat? seat)
    {
        run = null;
        seat = null;
        if (Status is ApprovalStatus.Approved or ApprovalStatus.Rejected)
            return new DecisionRefusal(RefusalReason.RequestClosed, $"This request has already been {Status.ToString().ToLowerInvariant()}.");
        if (Status != ApprovalStatus.InProgress)
        {
            return new DecisionRefusal(RefusalReason.NotAwaitingDecisions, Status switch
            {
                ApprovalStatus.ChangesRequested => "This request is back with the requester for changes.",
                ApprovalStatus.AwaitingProvider => "This request is with the provider, who accepts it or asks for changes; the next stage starts after that.",
                _ => "This request is waiting for its next stage to start.",
            });
        }

        if (card.Revision != Revision)
            return new DecisionRefusal(RefusalReason.StaleRevision, $"This card shows revision {card.Revision}; the request is at revision {Revision} now.");
        var current = CurrentStage!;
        if (card.StageNumber != current.StageNumber)
            return new DecisionRefusal(RefusalReason.StaleStage, $"This card shows stage {card.StageNumber}; the request is at stage {current.StageNumber} ({current.StageName}) now.");
        var held = current.SeatHeldBy(actor);
        if (held is null)
        {
            return current.SeatOwnedBy(actor) is { } owned
                ? new DecisionRefusal(RefusalReason.DelegatedAway, WasAwayAtStart(current, actor)
                    ? $"You were out of office when this stage started, so {owned.Holder} decides for you."
                    : $"You delegated this decision to {owned.Holder}.")
                : new DecisionRefusal(RefusalReason.NotAnApprover, $"You are not an approver of stage {current.StageNumber} ({current.StageName}).");
        }

        if (held.Decision is { } decided)
            return new DecisionRefusal(RefusalReason.AlreadyDecided, $"This stage already has your decision ({decided}).");

        run = current;
        seat = held;
        return null;
    }

    private static DecisionRefusal? CheckComment(string? comment, bool required)
    {
        if (required && comment is null) return new DecisionRefusal(RefusalReason.CommentRequired, "Please add a comment: it goes to the requester.");
        if (comment is { Length: > MaxCommentLength }) return new DecisionRefusal(RefusalReason.CommentTooLong, $"A comment can be at most {MaxCommentLength} characters.");
        return null;
    }

    private static string? Normalize(string? comment) => string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();

    private static PersonId? OnBehalfOf(StageSeat seat, PersonId actor) => seat.Owner == actor ? null : seat.Owner;

    private DecisionResult Refuse(PersonId actor, CardState card, AuditAction action, DecisionRefusal refusal, string? comment, PersonId? delegateTo, DateTimeOffset now)
    {
        var stageName = card.StageNumber >= 1 && card.StageNumber <= _stages.Count ? _stages[card.StageNumber - 1].Name : null;
        var entry = new AuditEntry(
            _auditTrail.Count + 1, now, actor, null, action, AuditOutcome.Refused, refusal.Reason, refusal.Message,
            comment is { Length: > MaxCommentLength } ? comment[..MaxCommentLength] : comment,
            card.Revision, card.StageNumber, stageName, delegateTo);
        _auditTrail.Add(entry);
        return DecisionResult.Refuse(entry, refusal);
    }

    private AuditEntry RecordDecision(StageRun run, StageSeat seat, PersonId actor, DecisionKind kind, string? comment, DateTimeOffset now)
    {
        var action = kind switch
        {
            DecisionKind.Approve => AuditAction.Approve,
            DecisionKind.Reject => AuditAction.Reject,
            _ => AuditAction.RequestChanges,
        };
        var entry = Append(now, actor, OnBehalfOf(seat, actor), action, comment: comment, stageNumber: run.StageNumber);
        seat.Decide(kind, actor, comment, now);
        return entry;
    }

    private void CompleteStage(StageRun run, StageOutcome outcome, DateTimeOffset now)
    {
        run.Complete(outcome, now);
        Append(now, null, null, AuditAction.StageCompleted, stageNumber: run.StageNumber, detail: $"Stage {run.StageNumber} ({run.StageName}): {run.Status}.");
    }

    private void Finish(ApprovalStatus status, StageRun run, StageSeat seat, DecisionKind decision, PersonId actor, string? comment, DateTimeOffset now)
    {
        Status = status;
        CompletedAt = now;
        Outcome = new RequestOutcome(decision, actor, OnBehalfOf(seat, actor), comment, now, Revision, run.StageNumber);
        Append(now, null, null, AuditAction.Completed, stageNumber: run.StageNumber, detail: $"Request {status.ToString().ToLowerInvariant()}.");
    }

    private void StartOrBlock(int stageNumber, StageResolution resolution, IBusinessCalendar calendar, DateTimeOffset now)
    {
        CurrentStageNumber = stageNumber;
        var definition = _stages[stageNumber - 1];
        if (resolution.Approvers is null)
        {
            Status = ApprovalStatus.Blocked;
            if (resolution.DirectoryDown)
            {
                BlockedReason = $"the directory is not answering, so the approvers of stage {stageNumber} ({definition.Name}) cannot be looked up; "
                                + "the request continues by itself once it answers again";
                Append(now, null, null, AuditAction.DirectoryUnavailable, stageNumber: stageNumber, detail: $"Stage {stageNumber} ({definition.Name}) is waiting: {BlockedReason}.");
                return;
            }

            BlockedReason = resolution.Failure;
            Append(now, null, null, AuditAction.StageBlocked, stageNumber: stageNumber, detail: $"Stage {stageNumber} ({definition.Name}) cannot start: {resolution.Failure}.");
            return;
        }

        var run = StageRun.Start(Revision, stageNumber, definition, resolution.Approvers, calendar, now);
        _stageRuns.Add(run);
        Status = ApprovalStatus.InProgress;
        BlockedReason = null;
        Append(now, null, null, AuditAction.StageStarted, stageNumber: stageNumber,
            detail: $"Approvers ({definition.Decision}): {string.Join(", ", resolution.Approvers)}; due {Format(run.DueAt)}.");
        foreach (var (approver, absence) in resolution.Absences)
            HandOverForAbsence(run, approver, absence, now);
    }

    /// <summary>
    /// An approver is out of office as their stage starts: their seat goes to the proposed stand-in, unless that is
    /// nobody, the approver themself, the requester, or someone who already decides in this stage (then it stays, and
    /// the audit trail says why). The stand-in decides "for" the approver from then on, like a manual delegate.
    /// </summary>
    private void HandOverForAbsence(StageRun run, PersonId approver, ApproverAbsence absence, DateTimeOffset now)
    {
        var seat = run.SeatOwnedBy(approver)!;
        var role = absence.StandInRole ?? "their stand-in";
        var keep = absence.StandIn is not { } standIn ? absence.NoStandIn ?? "nobody was found to decide for them"
            : standIn == approver ? $"{role} is themself"
            : standIn == Requester ? $"{role} {standIn} is the requester, who cannot approve their own request"
            : run.Involves(standIn) ? $"{role} {standIn} already decides in this stage"
            : null;
        if (keep is not null)
        {
            Append(now, null, approver, AuditAction.OutOfOffice, stageNumber: run.StageNumber,
                detail: $"{approver} is out of office ({absence.Why}) but keeps the approval: {keep}.");
            return;
        }

        seat.DelegateTo(absence.StandIn!.Value);
        Append(now, null, approver, AuditAction.OutOfOffice, stageNumber: run.StageNumber, delegateTo: absence.StandIn,
            detail: $"Delegated automatically: {approver} is out of office ({absence.Why}); {absence.StandIn} ({role}) decides for {approver}.");
    }

    private bool WasAwayAtStart(StageRun run, PersonId approver) => _auditTrail.Exists(e =>
        e.Action == AuditAction.OutOfOffice && e.OnBehalfOf == approver && e.DelegateTo is not null
        && e.Revision == run.Revision && e.StageNumber == run.StageNumber);

    private AuditEntry Append(
        DateTimeOffset at,
        PersonId? actor,
        PersonId? onBehalfOf,
        AuditAction action,
        int? stageNumber,
        string? detail = null,
        string? comment = null,
        PersonId? delegateTo = null)
    {
        var stageName = stageNumber is { } n ? _stages[n - 1].Name : null;
        var entry = new AuditEntry(_auditTrail.Count + 1, at, actor, onBehalfOf, action, AuditOutcome.Accepted, null, detail, comment, Revision, stageNumber, stageName, delegateTo);
        if (action is AuditAction.Submitted or AuditAction.Resubmitted or AuditAction.Approve or AuditAction.Reject or AuditAction.RequestChanges
            or AuditAction.ProviderAccepted or AuditAction.ProviderRequestedChanges)
            entry.PinDocuments(DocumentHashes);
        _auditTrail.Add(entry);
        return entry;
    }

    private void EnsureUnchangedSince(long version)
    {
        if (Version != version)
            throw new DomainException("approval.concurrent", "The request changed while its approvers were being resolved; reload it and try again.");
    }

    private static string Format(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>
    /// Resolves a stage's rule to seats: distinct people, never the requester, enough for the decision rule; and which
    /// of them are out of office at <paramref name="now"/>. A directory that does not answer gives a resolution that
    /// says so (the stage then waits for it).
    /// </summary>
    private static async Task<StageResolution> ResolveStageAsync(StageDefinition stage, PersonId requester, IApproverResolver resolver, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            var resolution = await resolver.ResolveAsync(stage.Approvers, requester, cancellationToken);
            if (!resolution.IsResolved) return new StageResolution(null, resolution.Failure);
            var people = resolution.Approvers.Distinct().Where(p => p != requester).ToList();
            if (people.Count == 0)
            {
                return new StageResolution(null, resolution.Approvers.Contains(requester)
                    ? $"the only approver for {stage.Approvers} is the requester, who cannot approve their own request"
                    : $"nobody was found for {stage.Approvers}");
            }

            if (people.Count > ApproverRule.MaxPeople)
                return new StageResolution(null, $"{people.Count} approvers were found for {stage.Approvers}; a stage can have at most {ApproverRule.MaxPeople}");
            if (stage.Decision.ApprovalsNeeded(people.Count) > people.Count)
                return new StageResolution(null, $"{stage.Decision.Required} approvals are needed but only {people.Count} approver(s) were found for {stage.Approvers}");

            var absences = new List<(PersonId, ApproverAbsence)>();
            foreach (var person in people)
            {
                if (await resolver.AbsenceAsync(person, now, cancellationToken) is { } absence)
                    absences.Add((person, absence));
            }

            return new StageResolution(people, null) { Absences = absences };
        }
        catch (ApproversUnavailableException e)
        {
            return new StageResolution(null, e.Message) { DirectoryDown = true };
        }
    }

    private sealed record StageResolution(IReadOnlyList<PersonId>? Approvers, string? Failure)
    {
        /// <summary>The directory did not answer: the stage waits for it rather than for a fix.</summary>
        public bool DirectoryDown { get; init; }

        /// <summary>The resolved approvers who are out of office, in seat order, with their proposed stand-ins.</summary>
        public IReadOnlyList<(PersonId Approver, ApproverAbsence Absence)> Absences { get; init; } = [];
    }
}

/// <summary>What a requester submits; validated on construction.</summary>
public sealed record NewApprovalRequest
{
    public NewApprovalRequest(string title, string? details, PersonId requester, ApprovalSubject subject, IEnumerable<RequestLink>? links = null)
    {
        ArgumentNullException.ThrowIfNull(subject);
        Title = Guard.RequiredText(title, "The title", ApprovalRequest.MaxTitleLength);
        Details = Guard.OptionalText(details, "The details", ApprovalRequest.MaxDetailsLength) ?? string.Empty;
        Requester = Guard.Person(requester, "The requester");
        Subject = subject;
        Links = ValidLinks(links);
    }

    public string Title { get; }

    public string Details { get; }

    public PersonId Requester { get; }

    public ApprovalSubject Subject { get; }

    public IReadOnlyList<RequestLink> Links { get; }

    /// <summary>The document hashes of the subject being decided (see <see cref="ApprovalRequest.DocumentHashes"/>).</summary>
    public string? DocumentHashes { get; init; }

    internal static IReadOnlyList<RequestLink> ValidLinks(IEnumerable<RequestLink>? links)
    {
        var list = (links ?? []).ToList();
        Guard.That(list.Count <= ApprovalRequest.MaxLinks, "request.invalid", $"A request has at most {ApprovalRequest.MaxLinks} links.");
        Guard.That(list.TrueForAll(l => l is not null), "request.invalid", "A link cannot be null.");
        return list.AsReadOnly();
    }
}

/// <summary>The requester's answer to a request for changes.</summary>
public sealed record Resubmission
{
    public Resubmission(string? comment = null, int? subjectRevision = null, IEnumerable<RequestLink>? links = null)
    {
        Comment = comment;
        SubjectRevision = subjectRevision;
        Links = links is null ? null : NewApprovalRequest.ValidLinks(links);
    }

    /// <summary>What changed, for the approvers.</summary>
    public string? Comment { get; }

    /// <summary>The subject's new revision (required for agreements; counted up for Other when null).</summary>
    public int? SubjectRevision { get; }

    /// <summary>Replacement links, or null to keep the current ones.</summary>
    public IReadOnlyList<RequestLink>? Links { get; }

    /// <summary>The document hashes of the resubmitted subject revision.</summary>
    public string? DocumentHashes { get; init; }

    /// <summary>Restart at the first stage rather than at the stage that asked for changes (the documents changed).</summary>
    public bool RestartFromFirstStage { get; init; }
}
