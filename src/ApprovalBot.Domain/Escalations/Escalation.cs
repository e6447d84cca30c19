using System.Globalization;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Calendars;
using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Escalations;

public enum EscalationState
{
    /// <summary>Waiting for the current level to acknowledge.</summary>
    Open,

    /// <summary>Someone responded; the resolution clock runs on.</summary>
    Acknowledged,

    /// <summary>Waiting for the customer or a third party: both clocks are paused.</summary>
    OnHold,

    Resolved,
    Closed,
}

/// <summary>A stretch of time, open-ended while it lasts (a hold not yet resumed).</summary>
public sealed record TimePeriod(DateTimeOffset From, DateTimeOffset? To);

/// <summary>
/// A support escalation against an agreement, following the <see cref="EscalationPolicy"/> snapshotted when it opened.
/// Every state change goes through a guarded method that throws <see cref="DomainException"/> (stable code) on an
/// illegal one and then changes nothing. Accepted changes, timer steps included, increment <see cref="Version"/> (the
/// concurrency token and the timers' fencing token) and append to <see cref="Timeline"/>.
/// </summary>
/// <remarks>
/// Two clocks run on the policy's calendar: response (open → acknowledged) and resolution (open → resolved). Neither
/// counts holds or time spent resolved before a reopen. Each level has the response target to acknowledge, counted
/// from when it was notified (<see cref="LevelStartedAt"/>); a miss notifies the next level. Every time is passed in
/// as <c>now</c>; a <c>now</c> earlier than the last recorded event (clock skew between instances) is taken as that
/// event's time, so no period ever runs backwards.
/// </remarks>
public sealed class Escalation
{
    public const int MaxTitleLength = 200;
    public const int MaxDescriptionLength = 4000;
    public const int MaxReasonLength = 2000;
    public const int MaxNoteLength = 4000;
    public const int MaxSurveyCommentLength = 2000;
    public const int MinSurveyScore = 1;
    public const int MaxSurveyScore = 5;

    /// <summary>The resolution warnings, in order; 100 is the breach.</summary>
    public static readonly IReadOnlyList<int> WarningPercents = [50, 75, 100];

    private List<TimePeriod> _holds = []; // not readonly: EF sets it from its JSON column
    private List<TimePeriod> _resolvedPeriods = []; // not readonly: EF sets it from its JSON column
    private readonly List<TimelineEntry> _timeline = [];
    private readonly List<SurveyAnswer> _surveyAnswers = [];
    private BusinessCalendar? _calendar;

    private Escalation()
    {
        Title = string.Empty;
        Description = string.Empty;
        Policy = null!; // set by Open, or by EF from its JSON column
    }

    public long Id { get; private set; }

    public long AgreementId { get; private set; }

    public string Title { get; private set; }

    public string Description { get; private set; }

    public Priority Priority { get; private set; }

    public PersonId Reporter { get; private set; }

    public PersonId? Assignee { get; private set; }

    /// <summary>The level whose contacts are responsible now.</summary>
    public SupportLevel Level { get; private set; }

    public EscalationState State { get; private set; }

    /// <summary>What this escalation follows, as it was when it opened.</summary>
    public EscalationPolicy Policy { get; private set; }

    public DateTimeOffset OpenedAt { get; private set; }

    /// <summary>The first response; it stays through a resolve and reopen.</summary>
    public DateTimeOffset? AcknowledgedAt { get; private set; }

    public PersonId? AcknowledgedBy { get; private set; }

    /// <summary>Set while Resolved or Closed; cleared by a reopen (the timeline keeps every resolution).</summary>
    public DateTimeOffset? ResolvedAt { get; private set; }

    public PersonId? ResolvedBy { get; private set; }

    public string? ResolutionNote { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>Every hold, oldest first; the last is open (no <see cref="TimePeriod.To"/>) while On hold.</summary>
    public IReadOnlyList<TimePeriod> HoldPeriods => _holds.AsReadOnly();

    /// <summary>Stretches spent Resolved or Closed before a reopen: not counted by either clock.</summary>
    public IReadOnlyList<TimePeriod> ResolvedPeriods => _resolvedPeriods.AsReadOnly();

    /// <summary>While On hold: Open or Acknowledged, the state <see cref="Resume"/> returns to.</summary>
    public EscalationState? StateBeforeHold { get; private set; }

    /// <summary>When the current level was notified: its response deadline counts from here.</summary>
    public DateTimeOffset LevelStartedAt { get; private set; }

    public ResolutionWarnings WarningsSent { get; private set; }

    /// <summary>When L3's response deadline passed unacknowledged (recorded once); the response SLA itself is <see cref="ResponseElapsed"/>.</summary>
    public DateTimeOffset? ResponseBreachedAt { get; private set; }

    /// <summary>When 100 % of the resolution target was used.</summary>
    public DateTimeOffset? ResolutionBreachedAt { get; private set; }

    public int ReopenCount { get; private set; }

    /// <summary>
    /// The resolution the escalation is on: 1 until the first reopen, then one more per reopen. While Resolved or
    /// Closed it numbers the current resolution, which a satisfaction survey answer is about.
    /// </summary>
    public int ResolutionNumber => ReopenCount + 1;

    /// <summary>When the reporter was last sent the satisfaction survey about this escalation (any resolution); null if never.</summary>
    public DateTimeOffset? SurveyAskedAt { get; private set; }

    /// <summary>The reporter's survey answers, at most one per resolution, in resolution order.</summary>
    public IReadOnlyList<SurveyAnswer> SurveyAnswers => _surveyAnswers.OrderBy(a => a.Resolution).ToList().AsReadOnly();

    /// <summary>The answer about resolution <paramref name="resolution"/>, if the reporter gave one.</summary>
    public SurveyAnswer? SurveyAnswerFor(int resolution) => _surveyAnswers.FirstOrDefault(a => a.Resolution == resolution);

    /// <summary>Append-only: every action and every timer step, in the order recorded.</summary>
    public IReadOnlyList<TimelineEntry> Timeline => _timeline.AsReadOnly();

    /// <summary>Incremented on every accepted change. Concurrency token on save; fencing token for timers.</summary>
    public long Version { get; private set; }

    /// <summary>Who is responsible at the current level: people and/or a channel.</summary>
    public EscalationContacts CurrentContacts => Policy.For(Level).Contacts;

    /// <summary>The current level's channel, whose members may act (the host checks membership).</summary>
    public string? LevelChannelId => CurrentContacts.ChannelId;

    /// <summary>Not resolved or closed.</summary>
    public bool IsActive => State is EscalationState.Open or EscalationState.Acknowledged or EscalationState.OnHold;

    private BusinessCalendar Calendar => _calendar ??= BusinessCalendar.Create(Policy.Calendar);

    /// <summary>Opens an escalation at L1 under <paramref name="policy"/> (see <see cref="EscalationPolicy.From"/>); both clocks start now.</summary>
    public static Escalation Open(EscalationPolicy policy, string title, string? description, PersonId reporter, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var escalation = new Escalation
        {
            AgreementId = policy.AgreementId,
            Title = Guard.RequiredText(title, "The title", MaxTitleLength),
            Description = Guard.OptionalText(description, "The description", MaxDescriptionLength) ?? string.Empty,
            Priority = policy.Priority,
            Reporter = Guard.Person(reporter, "The reporter"),
            Level = SupportLevel.L1,
            State = EscalationState.Open,
            Policy = policy,
            OpenedAt = now,
            LevelStartedAt = now,
            Version = 1,
        };
        var calendar = escalation.Calendar;
        escalation.Append(now, reporter, EscalationEventKind.Opened, detail: Invariant(
            $"{policy.Priority} against '{policy.AgreementName}' (revision {policy.AgreementRevision}): response within {Duration(policy.ResponseTarget)}, resolution within {Duration(policy.ResolutionTarget)} of business time on {calendar}. L1 notified; response due {escalation.Format(escalation.ResponseDueAt!.Value)}."));
        return escalation;
    }

    /// <summary>The message that tells L1 about a newly opened escalation (the host sends it with the save that creates it).</summary>
    public EscalationNotification OpeningNotification() =>
        Notify(EscalationEventKind.Opened, OpenedAt, SupportLevel.L1, null, Policy.For(SupportLevel.L1).Contacts, extraPeople: [], sequence: 1);

    /// <summary>True when <paramref name="person"/> is one of the current level's contact people, the assignee or the reporter.</summary>
    public bool MayAct(PersonId person) =>
        person.Value is not null && (CurrentContacts.People.Contains(person) || Assignee == person || Reporter == person);

    /// <summary>
    /// Throws <see cref="DomainException"/> <c>escalation.forbidden</c> unless <paramref name="actor"/> may act: see
    /// <see cref="MayAct"/>, or a member of the current level's channel (<paramref name="actorIsInLevelChannel"/>, which
    /// only the host can know; it counts only when the level has a channel).
    /// </summary>
    public void EnsureMayAct(PersonId actor, bool actorIsInLevelChannel)
    {
        Guard.Person(actor, "Who acts");
        if (MayAct(actor) || (actorIsInLevelChannel && LevelChannelId is not null)) return;
        var who = new List<string>();
        // No ids in the message: it is shown to people as it is, and the card beside it names who may act.
        if (CurrentContacts.People.Count > 0) who.Add($"the {Level} contacts");
        if (LevelChannelId is not null) who.Add($"members of the {Level} channel");
        if (Assignee is not null) who.Add("the assignee");
        who.Add("the reporter");
        throw new DomainException("escalation.forbidden",
            $"You may not act on escalation '{Title}': only {string.Join(", ", who.Take(who.Count - 1))} or {who[^1]} may.");
    }

    /// <summary>The first response: stops the response clock. From Open, or On hold when it was Open before the hold (it stays on hold, and resumes to Acknowledged).</summary>
    public TimelineEntry Acknowledge(EscalationActor actor, DateTimeOffset now)
    {
        now = Authorize(actor, now);
        if (AcknowledgedAt is not null)
            throw Transition($"It was already acknowledged by {AcknowledgedBy} at {Format(AcknowledgedAt.Value)}.");
        Require(State == EscalationState.Open || (State == EscalationState.OnHold && StateBeforeHold == EscalationState.Open), "acknowledge");

        var response = ResponseElapsed(now);
        AcknowledgedAt = now;
        AcknowledgedBy = actor.Person;
        if (State == EscalationState.OnHold) StateBeforeHold = EscalationState.Acknowledged;
        else State = EscalationState.Acknowledged;
        return Change(now, actor.Person, EscalationEventKind.Acknowledged,
            detail: Invariant($"Responded after {Duration(response.Elapsed)} of business time ({Percent(response)} of the {Duration(response.Target)} target)."));
    }

    /// <summary>Makes <paramref name="assignee"/> the person working on it (who may then act too). While not resolved or closed.</summary>
    public TimelineEntry Assign(EscalationActor actor, PersonId assignee, DateTimeOffset now)
    {
        now = Authorize(actor, now);
        Guard.Person(assignee, "The assignee");
        Require(IsActive, "assign");
        if (Assignee == assignee)
            throw new DomainException("escalation.already_assigned", $"Escalation '{Title}' is already assigned to {assignee}.");

        var previous = Assignee;
        Assignee = assignee;
        return Change(now, actor.Person, EscalationEventKind.Assigned,
            detail: previous is { } before ? $"Reassigned from {before} to {assignee}." : $"Assigned to {assignee}.");
    }

    /// <summary>Pauses both clocks while waiting for the customer or a third party. From Open or Acknowledged; the reason is required.</summary>
    public TimelineEntry Hold(EscalationActor actor, string reason, DateTimeOffset now)
    {
        now = Authorize(actor, now);
        Require(State is EscalationState.Open or EscalationState.Acknowledged, "put on hold");
        var text = Guard.RequiredText(reason, "The reason for the hold", MaxReasonLength);

        StateBeforeHold = State;
        State = EscalationState.OnHold;
        _holds.Add(new TimePeriod(now, null));
        return Change(now, actor.Person, EscalationEventKind.Held, reason: text, detail: "Clocks paused.");
    }

    /// <summary>Ends the hold: back to the state before it; every deadline moves by the business time the hold lasted.</summary>
    public TimelineEntry Resume(EscalationActor actor, DateTimeOffset now)
    {
        now = Authorize(actor, now);
        Require(State == EscalationState.OnHold, "resume");

        var hold = _holds[^1];
        var paused = Calendar.BusinessTimeBetween(hold.From, now);
        _holds[^1] = hold with { To = now };
        State = StateBeforeHold!.Value;
        StateBeforeHold = null;
        var due = new List<string>();
        if (ResponseDueAt is { } response) due.Add($"response due {Format(response)}");
        if (NextWarning() is { } percent && ResolutionDueAt(percent) is { } warning) due.Add(Invariant($"{percent} % of the resolution target at {Format(warning)}"));
        return Change(now, actor.Person, EscalationEventKind.Resumed,
            detail: $"Clocks resumed after {Duration(paused)} of business time on hold{(due.Count > 0 ? "; " + string.Join(", ", due) : string.Empty)}.");
    }

    /// <summary>
    /// Notifies the next level now, by hand (reason required): its response deadline counts from now. Refused at L3
    /// (<c>escalation.top_level</c>) and once resolved or closed. Returns the notification to send to the new level.
    /// </summary>
    public EscalationNotification EscalateManually(EscalationActor actor, string reason, DateTimeOffset now)
    {
        now = Authorize(actor, now);
        Require(IsActive, "escalate");
        if (Level == SupportLevel.L3)
            throw new DomainException("escalation.top_level", $"Escalation '{Title}' is already at L3, the top level; there is nobody further to escalate to.");
        var text = Guard.RequiredText(reason, "The reason for escalating", MaxReasonLength);

        var entry = RaiseLevel(Level + 1, now, actor.Person, text, "Escalated by hand");
        Version++;
        return Notify(EscalationEventKind.LevelRaised, now, Level, null, CurrentContacts, extraPeople: [], entry.Sequence);
    }

    /// <summary>Resolves it with a note (required) for the reporter. From Open, Acknowledged or On hold (the hold ends); both clocks stop.</summary>
    public TimelineEntry Resolve(EscalationActor actor, string note, DateTimeOffset now)
    {
        now = Authorize(actor, now);
        Require(IsActive, "resolve");
        var text = Guard.RequiredText(note, "The resolution note", MaxNoteLength);

        if (State == EscalationState.OnHold)
        {
            _holds[^1] = _holds[^1] with { To = now };
            StateBeforeHold = null;
        }

        var resolution = ResolutionElapsed(now);
        State = EscalationState.Resolved;
        ResolvedAt = now;
        ResolvedBy = actor.Person;
        ResolutionNote = text;
        return Change(now, actor.Person, EscalationEventKind.Resolved, reason: text,
            detail: Invariant($"Resolved after {Duration(resolution.Elapsed)} of business time ({Percent(resolution)} of the {Duration(resolution.Target)} target)."));
    }

    /// <summary>Closes a resolved escalation. It can still be reopened within the reopen window after its resolution.</summary>
    public TimelineEntry Close(EscalationActor actor, DateTimeOffset now)
    {
        now = Authorize(actor, now);
        Require(State == EscalationState.Resolved, "close");

        State = EscalationState.Closed;
        ClosedAt = now;
        return Change(now, actor.Person, EscalationEventKind.Closed);
    }

    /// <summary>
    /// Reopens a resolved or closed escalation within <see cref="EscalationPolicy.ReopenWindow"/> (wall-clock) of its
    /// resolution (<c>escalation.reopen_window_passed</c> after that), with a reason (required). It returns to
    /// Acknowledged, or Open if it was never acknowledged; the clocks continue where they stopped.
    /// </summary>
    public TimelineEntry Reopen(EscalationActor actor, string reason, DateTimeOffset now)
    {
        now = Authorize(actor, now);
        Require(State is EscalationState.Resolved or EscalationState.Closed, "reopen");
        var resolvedAt = ResolvedAt!.Value;
        if (now - resolvedAt > Policy.ReopenWindow)
        {
            throw new DomainException("escalation.reopen_window_passed",
                $"Escalation '{Title}' was resolved at {Format(resolvedAt)}; it can be reopened for {Duration(Policy.ReopenWindow)} after that. Open a new escalation instead.");
        }

        var text = Guard.RequiredText(reason, "The reason for reopening", MaxReasonLength);
        _resolvedPeriods.Add(new TimePeriod(resolvedAt, now));
        State = AcknowledgedAt is null ? EscalationState.Open : EscalationState.Acknowledged;
        ResolvedAt = null;
        ResolvedBy = null;
        ResolutionNote = null;
        ClosedAt = null;
        ReopenCount++;
        var resolution = ResolutionElapsed(now);
        return Change(now, actor.Person, EscalationEventKind.Reopened, reason: text,
            detail: Invariant($"Reopened as {State}; the resolution clock continues at {Duration(resolution.Elapsed)} ({Percent(resolution)})."));
    }

    /// <summary>
    /// Records that the reporter is being sent the satisfaction survey about the current resolution (the host decides
    /// whether to ask, and sends the card with the same save). Only while Resolved. Bookkeeping, not an event: no
    /// timeline entry, but <see cref="Version"/> moves like for every accepted change.
    /// </summary>
    public void AskSurvey(DateTimeOffset now)
    {
        Require(State == EscalationState.Resolved, "send the satisfaction survey for");
        SurveyAskedAt = Max(now, _timeline.Max(e => e.At));
        Version++;
    }

    /// <summary>
    /// The reporter's satisfaction survey answer about resolution <paramref name="resolution"/>: a score from 1 to 5 and
    /// an optional comment (≤ 2000). Only the reporter (<c>escalation.survey_forbidden</c>); only while Resolved or Closed
    /// (<c>escalation.transition</c>); only about the current resolution (<c>escalation.survey_outdated</c>: it was
    /// reopened since, and a new resolution asks again); one answer per resolution — a second one is refused
    /// (<c>escalation.survey_answered</c>), never replaces the first, so a double click or a second device cannot
    /// change what the first answer said. A score out of range: <c>escalation.survey_score</c>.
    /// </summary>
    public TimelineEntry AnswerSurvey(PersonId person, int resolution, int score, string? comment, DateTimeOffset now)
    {
        Guard.Person(person, "Who answers");
        if (person != Reporter)
            throw new DomainException("escalation.survey_forbidden", $"Only the person who reported escalation '{Title}' can answer its satisfaction survey.");
        Require(State is EscalationState.Resolved or EscalationState.Closed, "answer the satisfaction survey of");
        if (resolution != ResolutionNumber)
        {
            throw new DomainException("escalation.survey_outdated",
                $"Escalation '{Title}' was reopened after the resolution this survey asked about; you will be asked again when it is resolved.");
        }

        if (SurveyAnswerFor(resolution) is { } earlier)
        {
            throw new DomainException("escalation.survey_answered",
                Invariant($"You already answered this survey about escalation '{Title}' ({earlier.Score} of {MaxSurveyScore}) at {Format(earlier.At)}; an answer cannot be changed."));
        }

        if (score is < MinSurveyScore or > MaxSurveyScore)
            throw new DomainException("escalation.survey_score", Invariant($"Choose a score from {MinSurveyScore} (very dissatisfied) to {MaxSurveyScore} (very satisfied)."));
        var text = Guard.OptionalText(comment, "The comment", MaxSurveyCommentLength);

        now = Max(now, _timeline.Max(e => e.At));
        _surveyAnswers.Add(new SurveyAnswer(resolution, score, text, person, now));
        return Change(now, person, EscalationEventKind.SurveyAnswered, reason: text,
            detail: Invariant($"Rated resolution {resolution} {score} of {MaxSurveyScore}."));
    }

    /// <summary>True when either SLA clock has used its whole target by <paramref name="now"/> (the response or the resolution SLA is missed).</summary>
    public bool IsSlaBreached(DateTimeOffset now) => ResponseElapsed(now).IsBreached || ResolutionElapsed(now).IsBreached;

    /// <summary>The response clock: business time from opening to acknowledgement (or now), without holds and resolved stretches.</summary>
    public SlaClock ResponseElapsed(DateTimeOffset now) =>
        new(Policy.ResponseTarget, Counted(OpenedAt, AcknowledgedAt ?? now, now), State == EscalationState.Open);

    /// <summary>The resolution clock: business time from opening to resolution (or now), without holds and resolved stretches.</summary>
    public SlaClock ResolutionElapsed(DateTimeOffset now) =>
        new(Policy.ResolutionTarget, Counted(OpenedAt, ResolvedAt ?? now, now), State is EscalationState.Open or EscalationState.Acknowledged);

    /// <summary>
    /// When the current level's response target runs out: that much business time after <see cref="LevelStartedAt"/>,
    /// shifted by the holds (and resolved stretches) since. Null unless Open (acknowledged, on hold, resolved, closed).
    /// </summary>
    public DateTimeOffset? ResponseDueAt => State == EscalationState.Open ? DueAfter(LevelStartedAt, Policy.ResponseTarget) : null;

    /// <summary>When <paramref name="percent"/> % of the resolution target will be used; null unless Open or Acknowledged.</summary>
    public DateTimeOffset? ResolutionDueAt(int percent)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(percent);
        return State is EscalationState.Open or EscalationState.Acknowledged
            ? DueAfter(OpenedAt, TimeSpan.FromTicks(Policy.ResolutionTarget.Ticks * percent / 100))
            : null;
    }

    /// <summary>
    /// When a Resolved escalation closes by itself: <see cref="EscalationPolicy.ReopenWindow"/> (wall clock) after
    /// <see cref="ResolvedAt"/>, the last instant it could still be reopened. Null unless Resolved (a reopen or a close
    /// cancels it).
    /// </summary>
    public DateTimeOffset? AutoCloseAt => State == EscalationState.Resolved ? ResolvedAt!.Value + Policy.ReopenWindow : null;

    /// <summary>
    /// When the host should next wake up for this escalation (arm the timer with <see cref="Version"/>): the earliest
    /// pending deadline — the current level's response deadline while unacknowledged (once at L3), the next unsent
    /// resolution warning while unresolved, and <see cref="AutoCloseAt"/> while Resolved. Null on hold or closed, and
    /// when nothing is left. A time at or before <paramref name="now"/> means <see cref="FireDue"/> has work now (a
    /// timer was missed).
    /// </summary>
    /// <remarks>
    /// <paramref name="now"/> does not move a deadline (no pause is open while one is pending); it is taken so that
    /// timer code reads the same as <see cref="FireDue"/> and so <see cref="IsDue"/> can answer from the same call.
    /// </remarks>
    public DateTimeOffset? NextTimerAt(DateTimeOffset now) => State == EscalationState.Resolved ? AutoCloseAt : NextDeadline()?.At;

    /// <summary>True when <see cref="FireDue"/> at <paramref name="now"/> would apply something (token aside).</summary>
    public bool IsDue(DateTimeOffset now) => NextTimerAt(now) is { } at && at <= now;

    /// <summary>
    /// Applies every deadline that has passed by <paramref name="now"/>, in time order, each stamped with its own
    /// deadline and notified once: a missed acknowledgement raises the level (or, at L3, records the response breach);
    /// 50 % and 75 % of the resolution target warn; 100 % records the breach and raises the level to L3. A Resolved
    /// escalation whose <see cref="AutoCloseAt"/> has passed is closed by the system (no notification: the host updates
    /// the card copies). Changes nothing unless <paramref name="fencingToken"/> is the current <see cref="Version"/>;
    /// one call is one change (+1).
    /// </summary>
    public EscalationTimerResult FireDue(long fencingToken, DateTimeOffset now)
    {
        if (fencingToken != Version) return EscalationTimerResult.Nothing(EscalationTimerOutcome.StaleToken);
        if (State == EscalationState.Resolved)
        {
            if (AutoCloseAt is not { } closeAt || closeAt > now) return EscalationTimerResult.Nothing(EscalationTimerOutcome.NothingDue);
            AutoClose(closeAt);
            Version++;
            return new EscalationTimerResult(EscalationTimerOutcome.Applied, []);
        }

        if (State is not (EscalationState.Open or EscalationState.Acknowledged)) return EscalationTimerResult.Nothing(EscalationTimerOutcome.NotActive);

        var notifications = new List<EscalationNotification>();
        while (NextDeadline() is { } next && next.At <= now)
            notifications.Add(next.Percent is { } percent ? Warn(percent, next.At) : MissResponse(next.At));
        if (notifications.Count == 0) return EscalationTimerResult.Nothing(EscalationTimerOutcome.NothingDue);

        Version++;
        return new EscalationTimerResult(EscalationTimerOutcome.Applied, notifications.AsReadOnly());
    }

    /// <summary>The reopen window passed with nobody reopening it: closed by the system, stamped with the window's end.</summary>
    private void AutoClose(DateTimeOffset at)
    {
        State = EscalationState.Closed;
        ClosedAt = at;
        Append(at, null, EscalationEventKind.Closed, detail: Invariant(
            $"Closed automatically: nobody reopened it within {Duration(Policy.ReopenWindow)} of its resolution."));
    }

    private EscalationNotification MissResponse(DateTimeOffset at)
    {
        if (Level < SupportLevel.L3)
        {
            var missed = Level;
            var entry = RaiseLevel(Level + 1, at, null, null, Invariant($"{missed} did not acknowledge within {Duration(Policy.ResponseTarget)} of business time"));
            return Notify(EscalationEventKind.LevelRaised, at, Level, null, CurrentContacts, extraPeople: [], entry.Sequence);
        }

        ResponseBreachedAt = at;
        var breach = Append(at, null, EscalationEventKind.ResponseBreached, detail: Invariant(
            $"L3 did not acknowledge within {Duration(Policy.ResponseTarget)} of business time either; told {Recipients(CurrentContacts, Policy.OversightOwners)}."));
        return Notify(EscalationEventKind.ResponseBreached, at, Level, null, CurrentContacts, Policy.OversightOwners, breach.Sequence);
    }

    private EscalationNotification Warn(int percent, DateTimeOffset at)
    {
        WarningsSent |= Flag(percent);
        if (percent < 100)
        {
            IReadOnlyList<PersonId> assignee = Assignee is { } a ? [a] : [];
            var entry = Append(at, null, EscalationEventKind.ResolutionWarning, percent: percent, detail: Invariant(
                $"{percent} % of the {Duration(Policy.ResolutionTarget)} resolution target used; resolution due {Format(ResolutionDueAt(100)!.Value)}. Told {Recipients(CurrentContacts, assignee)}."));
            return Notify(EscalationEventKind.ResolutionWarning, at, Level, percent, CurrentContacts, assignee, entry.Sequence);
        }

        ResolutionBreachedAt = at;
        if (Level < SupportLevel.L3)
            RaiseLevel(SupportLevel.L3, at, null, null, "The resolution target was breached");

        var l3 = Policy.For(SupportLevel.L3).Contacts;
        var breach = Append(at, null, EscalationEventKind.ResolutionBreached, percent: 100, detail: Invariant(
            $"The {Duration(Policy.ResolutionTarget)} resolution target is breached; told {Recipients(l3, Policy.OversightOwners)}."));
        return Notify(EscalationEventKind.ResolutionBreached, at, SupportLevel.L3, 100, l3, Policy.OversightOwners, breach.Sequence);
    }

    private TimelineEntry RaiseLevel(SupportLevel to, DateTimeOffset at, PersonId? actor, string? reason, string why)
    {
        var from = Level;
        Level = to;
        LevelStartedAt = at;
        var due = ResponseDueAt is { } response ? $"; response due {Format(response)}" : string.Empty;
        return Append(at, actor, EscalationEventKind.LevelRaised, reason: reason,
            detail: $"{why}: {from} → {Level}, told {Recipients(CurrentContacts, [])}{due}.");
    }

    /// <summary>The next thing a timer must do: (deadline, null) for the response, (deadline, percent) for a warning; ties go to the response.</summary>
    private (DateTimeOffset At, int? Percent)? NextDeadline()
    {
        (DateTimeOffset At, int? Percent)? next = null;
        if (State == EscalationState.Open && !(Level == SupportLevel.L3 && ResponseBreachedAt is not null) && ResponseDueAt is { } response)
            next = (response, null);
        if (NextWarning() is { } percent && ResolutionDueAt(percent) is { } warning && (next is null || warning < next.Value.At))
            next = (warning, percent);
        return next;
    }

    private int? NextWarning()
    {
        foreach (var percent in WarningPercents)
        {
            if (!WarningsSent.HasFlag(Flag(percent))) return percent;
        }

        return null;
    }

    private static ResolutionWarnings Flag(int percent) => percent switch
    {
        50 => ResolutionWarnings.At50,
        75 => ResolutionWarnings.At75,
        _ => ResolutionWarnings.At100,
    };

    /// <summary>Business time from <paramref name="from"/> to <paramref name="to"/>, less the holds and resolved stretches inside it.</summary>
    private TimeSpan Counted(DateTimeOffset from, DateTimeOffset to, DateTimeOffset now)
    {
        if (to <= from) return TimeSpan.Zero;
        var paused = Calendar.BusinessTimeWithin(Pauses(now).Select(p => (Max(p.From, from), Min(p.To, to))));
        return Calendar.BusinessTimeBetween(from, to) - paused;
    }

    /// <summary>
    /// The instant at which <paramref name="budget"/> of business time, not counting pauses, has passed since
    /// <paramref name="start"/>. Only called while no pause is open, so every pause has an end.
    /// </summary>
    private DateTimeOffset DueAfter(DateTimeOffset start, TimeSpan budget)
    {
        var cursor = start;
        var remaining = budget;
        foreach (var (from, to) in Pauses(start).OrderBy(p => p.From))
        {
            if (to <= cursor) continue;
            var pauseStart = Max(from, cursor);
            var available = Calendar.BusinessTimeBetween(cursor, pauseStart);
            if (available >= remaining) return Calendar.AddBusinessTime(cursor, remaining);
            remaining -= available;
            cursor = to;
        }

        return Calendar.AddBusinessTime(cursor, remaining);
    }

    /// <summary>Holds and resolved stretches; one still open ends at <paramref name="now"/>.</summary>
    private IEnumerable<(DateTimeOffset From, DateTimeOffset To)> Pauses(DateTimeOffset now)
    {
        foreach (var period in _holds.Concat(_resolvedPeriods))
            yield return (period.From, period.To ?? Max(period.From, now));
        if (ResolvedAt is { } resolved)
            yield return (resolved, Max(resolved, now));
    }

    private DateTimeOffset Authorize(EscalationActor actor, DateTimeOffset now)
    {
        EnsureMayAct(actor.Person, actor.InLevelChannel);
        var last = _timeline.Count == 0 ? now : _timeline.Max(e => e.At);
        return Max(now, last);
    }

    private void Require(bool allowed, string action)
    {
        if (!allowed) throw Transition($"Cannot {action} it while it is {State}.");
    }

    private DomainException Transition(string why) => new("escalation.transition", $"Escalation '{Title}': {why}");

    private TimelineEntry Change(DateTimeOffset at, PersonId actor, EscalationEventKind kind, string? reason = null, string? detail = null)
    {
        var entry = Append(at, actor, kind, reason, detail);
        Version++;
        return entry;
    }

    private TimelineEntry Append(DateTimeOffset at, PersonId? actor, EscalationEventKind kind, string? reason = null, string? detail = null, int? percent = null)
    {
        var entry = new TimelineEntry(_timeline.Count + 1, at, actor, kind, Level, reason, detail, percent);
        _timeline.Add(entry);
        return entry;
    }

    private static EscalationNotification Notify(
        EscalationEventKind kind, DateTimeOffset at, SupportLevel level, int? percent, EscalationContacts contacts, IReadOnlyList<PersonId> extraPeople, int sequence) =>
        new(kind, at, level, percent, [.. extraPeople.Concat(contacts.People).Distinct()], contacts.ChannelId is { } channel ? [channel] : [], sequence);

    private static string Recipients(EscalationContacts contacts, IReadOnlyList<PersonId> extraPeople)
    {
        var parts = extraPeople.Concat(contacts.People).Distinct().Select(p => p.ToString()).ToList();
        if (contacts.ChannelId is { } channel) parts.Add($"channel {channel}");
        return string.Join(", ", parts);
    }

    private string Format(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, Calendar.TimeZone).ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture);

    /// <summary>"2d 3h 15m" (whole minutes; seconds only when under a minute).</summary>
    private static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.FromMinutes(1)) return Invariant($"{(int)span.TotalSeconds}s");
        var parts = new List<string>();
        if (span.Days > 0) parts.Add(Invariant($"{span.Days}d"));
        if (span.Hours > 0) parts.Add(Invariant($"{span.Hours}h"));
        if (span.Minutes > 0) parts.Add(Invariant($"{span.Minutes}m"));
        return string.Join(' ', parts);
    }

    private static string Percent(SlaClock clock) => Invariant($"{clock.PercentUsed:0.#} %");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
