using System.Globalization;
using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Agreements;

public enum SigningMeetingState
{
    /// <summary>Planned: reminders run, the signing cards show it.</summary>
    Scheduled,

    /// <summary>Called off by someone allowed to schedule it: no more reminders; a calendar event is cancelled.</summary>
    Cancelled,

    /// <summary>
    /// The agreement stopped awaiting signatures on the meeting's revision (every signature is in, or a changed document
    /// started a new revision): no more reminders. A calendar event is left as it is (it may still be useful).
    /// </summary>
    Closed,
}

/// <summary>What a reminder timer did (see <see cref="SigningMeeting.FireReminder"/>).</summary>
public enum SigningMeetingTimerOutcome
{
    StaleToken,
    NotScheduled,
    NothingDue,
    Reminded,

    /// <summary>The bot was down through the meeting's start: the reminders that fell due are dropped, not sent late.</summary>
    MeetingStarted,
}

public sealed record SigningMeetingTimerResult(SigningMeetingTimerOutcome Outcome, TimeSpan? Lead = null, DateTimeOffset? DueAt = null);

/// <summary>What the calendar (Microsoft Graph) must be told about a meeting, if anything.</summary>
public enum CalendarWork
{
    None,
    Create,
    Update,
    Cancel,
}

/// <summary>
/// The signing meeting of an agreement awaiting signatures (issue 10 "Signing"): when (an instant, and the time zone it
/// was given in), how long, notes (the place, a dial-in, …), who attends (the revision's signatories, snapshotted) and the
/// hash they sign, with reminders at lead times snapshotted when it was scheduled (rule 9). With a calendar organizer
/// (Graph mode) it also tracks the calendar event: the work still to do (<see cref="PendingCalendarWork"/>), the event id
/// and join URL once created, and failed attempts with their back-off. One row per scheduling: rescheduling changes it,
/// cancelling ends it (scheduling again makes a new one). Every change increments <see cref="Version"/> (the concurrency
/// token and the fencing token of its timers); a refused one throws <see cref="DomainException"/> and changes nothing.
/// </summary>
public sealed class SigningMeeting
{
    public const int MaxNotesLength = 1000;
    public const int MaxErrorLength = 1000;
    public static readonly TimeSpan MinDuration = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(12);

    /// <summary>How far ahead a meeting may be scheduled.</summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromDays(366);

    private List<PersonId> _attendees = []; // not readonly: EF sets it from its JSON column
    private List<TimeSpan> _reminderLeads = []; // not readonly: EF sets it from its JSON column

    private SigningMeeting()
    {
        AgreementName = string.Empty;
        TimeZoneId = string.Empty;
        Sha256 = string.Empty;
    }

    public long Id { get; private set; }

    public long AgreementId { get; private set; }

    public string AgreementName { get; private set; }

    /// <summary>The revision awaiting signatures when it was scheduled; the meeting is about that revision only.</summary>
    public int Revision { get; private set; }

    /// <summary>The SHA-256 the attendees sign (the agreement's signing hash when it was scheduled).</summary>
    public string Sha256 { get; private set; }

    /// <summary>The final contract's file name, when the hash is its SHA-256.</summary>
    public string? DocumentName { get; private set; }

    public DateTimeOffset StartsAt { get; private set; }

    public TimeSpan Duration { get; private set; }

    public DateTimeOffset EndsAt => StartsAt + Duration;

    /// <summary>The IANA id of the zone the time was given in (the bot's configured zone): reminders by whole days keep its wall-clock time.</summary>
    public string TimeZoneId { get; private set; }

    public string? Notes { get; private set; }

    /// <summary>The signatories of <see cref="Revision"/>, when it was (re)scheduled.</summary>
    public IReadOnlyList<PersonId> Attendees => _attendees.AsReadOnly();

    /// <summary>Reminder lead times, longest first (snapshotted from the configuration when scheduled).</summary>
    public IReadOnlyList<TimeSpan> ReminderLeads => _reminderLeads.AsReadOnly();

    public SigningMeetingState State { get; private set; }

    public PersonId ScheduledBy { get; private set; }

    public DateTimeOffset ScheduledAt { get; private set; }

    /// <summary>The last (re)scheduling or the cancellation or closing: who and when.</summary>
    public PersonId ChangedBy { get; private set; }

    public DateTimeOffset ChangedAt { get; private set; }

    /// <summary>Why it was cancelled or closed.</summary>
    public string? EndReason { get; private set; }

    /// <summary>Reminders due at or before this instant are done (sent, or due before the last (re)scheduling).</summary>
    public DateTimeOffset RemindedThrough { get; private set; }

    /// <summary>1 when scheduled, +1 per reschedule and at cancellation: what the calendar event must catch up with.</summary>
    public int Sequence { get; private set; }

    /// <summary>The calendar owner (UPN or object id) in Graph mode; null: no calendar (file-directory mode).</summary>
    public string? Organizer { get; private set; }

    /// <summary>The <see cref="Sequence"/> the calendar reflects (0: nothing done yet).</summary>
    public int CalendarSequence { get; private set; }

    /// <summary>The calendar event's id in the organizer's mailbox, once created.</summary>
    public string? CalendarEventId { get; private set; }

    /// <summary>The Teams meeting's join URL, once the event is created (absolute https, else not kept).</summary>
    public string? JoinUrl { get; private set; }

    /// <summary>Failed calendar attempts since the last success.</summary>
    public int CalendarAttempts { get; private set; }

    /// <summary>When the calendar work is tried next (null: none to do).</summary>
    public DateTimeOffset? CalendarRetryAt { get; private set; }

    /// <summary>Why the last calendar attempt failed (cleared by a success).</summary>
    public string? CalendarError { get; private set; }

    public long Version { get; private set; }

    /// <summary>
    /// Schedules the signing meeting of <paramref name="agreement"/>, which must await signatures: its signatories are the
    /// attendees. <paramref name="startsAt"/> must be in the future (and within <see cref="MaxAhead"/>).
    /// </summary>
    public static SigningMeeting Schedule(
        Agreement agreement, DateTimeOffset startsAt, TimeSpan duration, TimeZoneInfo zone, string? notes,
        IEnumerable<TimeSpan> reminderLeads, string? organizer, PersonId by, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(zone);
        Guard.Person(by, "Who schedules it");
        RequireAwaiting(agreement);
        var meeting = new SigningMeeting
        {
            AgreementId = agreement.Id,
            AgreementName = agreement.Name,
            Revision = agreement.CurrentRevision.Number,
            Sha256 = agreement.SigningHash!,
            DocumentName = agreement.SigningDocumentName,
            TimeZoneId = zone.Id,
            State = SigningMeetingState.Scheduled,
            ScheduledBy = by,
            ScheduledAt = now,
            Organizer = string.IsNullOrWhiteSpace(organizer) ? null : organizer.Trim(),
            _attendees = [.. agreement.Signatories!],
            _reminderLeads = [.. (reminderLeads ?? []).Where(l => l > TimeSpan.Zero).Distinct().OrderDescending()],
        };
        meeting.Set(startsAt, duration, notes, by, now);
        return meeting;
    }

    /// <summary>Moves the meeting (and its notes): reminders start over from now; the calendar event is updated.</summary>
    public void Reschedule(Agreement agreement, DateTimeOffset startsAt, TimeSpan duration, string? notes, PersonId by, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        Guard.Person(by, "Who reschedules it");
        RequireScheduled("reschedule it");
        RequireAwaiting(agreement);
        if (agreement.Id != AgreementId || agreement.CurrentRevision.Number != Revision)
            throw new DomainException("signing_meeting.stale", $"This meeting was for revision {Revision} of '{AgreementName}'; schedule a new one.");
        Set(startsAt, duration, notes, by, now);
        _attendees = [.. agreement.Signatories!];
        Version++;
    }

    /// <summary>Calls the meeting off: no more reminders; a calendar event is cancelled (its creation, if still to do, is dropped).</summary>
    public void Cancel(PersonId by, string? reason, DateTimeOffset now)
    {
        Guard.Person(by, "Who cancels it");
        RequireScheduled("cancel it");
        State = SigningMeetingState.Cancelled;
        EndReason = Guard.OptionalText(reason, "The reason", MaxNotesLength) ?? "cancelled";
        ChangedBy = by;
        ChangedAt = now;
        Sequence++;
        CalendarAttempts = 0;
        CalendarError = null;
        if (Organizer is not null && PendingCalendarWork == CalendarWork.None) CalendarSequence = Sequence; // no event yet: nothing to cancel
        CalendarRetryAt = PendingCalendarWork == CalendarWork.None ? null : now;
        Version++;
    }

    /// <summary>
    /// The agreement no longer awaits signatures on <see cref="Revision"/>: the meeting closes (no more reminders). True
    /// when it did; false when it still applies or was already over.
    /// </summary>
    public bool CloseIfMoot(Agreement agreement, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        if (State != SigningMeetingState.Scheduled || StillApplies(agreement)) return false;
        State = SigningMeetingState.Closed;
        EndReason = agreement.CurrentRevision.Number != Revision
            ? Invariant($"revision {agreement.CurrentRevision.Number} replaced revision {Revision}, which it was for")
            : Invariant($"'{agreement.Name}' is {agreement.Status}");
        ChangedAt = now;
        CalendarRetryAt = null;
        Version++;
        return true;
    }

    /// <summary>Whether the agreement still awaits signatures on this meeting's revision.</summary>
    public bool StillApplies(Agreement agreement) =>
        (agreement ?? throw new ArgumentNullException(nameof(agreement))).Status == AgreementStatus.AwaitingSignatures
        && agreement.Id == AgreementId && agreement.CurrentRevision.Number == Revision;

    /// <summary>The meeting's zone (UTC if this machine does not know it).</summary>
    public TimeZoneInfo Zone => TimeZoneInfo.TryFindSystemTimeZoneById(TimeZoneId, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>
    /// When the reminder <paramref name="lead"/> before the start falls: whole days are calendar days in the meeting's
    /// zone (same wall-clock time, so "1 day before" a meeting on the day after a clock change is 23 or 25 hours), the
    /// rest is elapsed time. A wall-clock time skipped by a clock change moves forward to when the clock jumped to; one
    /// that occurs twice is its first occurrence.
    /// </summary>
    public DateTimeOffset ReminderAt(TimeSpan lead) => ReminderAt(StartsAt, lead, Zone);

    /// <inheritdoc cref="ReminderAt(TimeSpan)"/>
    public static DateTimeOffset ReminderAt(DateTimeOffset startsAt, TimeSpan lead, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var days = lead.Days;
        var rest = lead - TimeSpan.FromDays(days);
        if (days == 0) return startsAt - rest;
        var local = TimeZoneInfo.ConvertTime(startsAt, zone).DateTime.AddDays(-days);
        return ToInstant(local, zone) - rest;
    }

    /// <summary>A wall-clock time in <paramref name="zone"/> as an instant: skipped times move forward past the gap; repeated ones are their first occurrence.</summary>
    public static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        for (var i = 0; i < 240 && zone.IsInvalidTime(local); i++) local = local.AddMinutes(1);
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    /// <summary>
    /// A meeting time someone typed, in <paramref name="zone"/>: refused when the clocks skip it (a clock change); a time
    /// that occurs twice is its first occurrence.
    /// </summary>
    public static DateTimeOffset StartFromLocal(DateTime local, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
            throw new DomainException("signing_meeting.time", Invariant($"{local:yyyy-MM-dd HH:mm} does not exist in {zone.Id}: the clocks skip it (a change to summer time). Choose another time."));
        return ToInstant(local, zone);
    }

    /// <summary>Every reminder instant, earliest first (those not after <see cref="RemindedThrough"/> included).</summary>
    public IReadOnlyList<(TimeSpan Lead, DateTimeOffset At)> Reminders =>
        [.. _reminderLeads.Select(l => (Lead: l, At: ReminderAt(l))).Where(r => r.At < StartsAt).OrderBy(r => r.At)];

    /// <summary>When the reminder timer fires next: the next reminder not yet done, while scheduled; else null.</summary>
    public DateTimeOffset? NextReminderAt
    {
        get
        {
            if (State != SigningMeetingState.Scheduled) return null;
            foreach (var reminder in Reminders)
            {
                if (reminder.At > RemindedThrough) return reminder.At;
            }
            return null;
        }
    }

    /// <summary>
    /// The reminder timer fired with <paramref name="fencingToken"/>: if it is current and the meeting scheduled, records
    /// the latest reminder due at <paramref name="now"/> (earlier ones missed while the bot was down fold into it). After
    /// the meeting started nothing is sent. The caller sends the reminder and arms the next.
    /// </summary>
    public SigningMeetingTimerResult FireReminder(long fencingToken, DateTimeOffset now)
    {
        if (fencingToken != Version) return new SigningMeetingTimerResult(SigningMeetingTimerOutcome.StaleToken);
        if (State != SigningMeetingState.Scheduled) return new SigningMeetingTimerResult(SigningMeetingTimerOutcome.NotScheduled);
        var due = Reminders.Where(r => r.At > RemindedThrough && r.At <= now).ToList();
        if (due.Count == 0) return new SigningMeetingTimerResult(SigningMeetingTimerOutcome.NothingDue);
        if (now >= StartsAt)
        {
            RemindedThrough = due[^1].At;
            Version++;
            return new SigningMeetingTimerResult(SigningMeetingTimerOutcome.MeetingStarted);
        }
        RemindedThrough = due[^1].At;
        Version++;
        return new SigningMeetingTimerResult(SigningMeetingTimerOutcome.Reminded, due[^1].Lead, due[^1].At);
    }

    /// <summary>What the calendar still needs to be told (None without an organizer).</summary>
    public CalendarWork PendingCalendarWork
    {
        get
        {
            if (Organizer is null || CalendarSequence == Sequence) return CalendarWork.None;
            return State switch
            {
                SigningMeetingState.Scheduled => CalendarEventId is null ? CalendarWork.Create : CalendarWork.Update,
                SigningMeetingState.Cancelled => CalendarEventId is null ? CalendarWork.None : CalendarWork.Cancel,
                _ => CalendarWork.None,
            };
        }
    }

    /// <summary>When the calendar timer fires next: while there is calendar work, its retry time (now, at first).</summary>
    public DateTimeOffset? NextCalendarAt => PendingCalendarWork == CalendarWork.None ? null : CalendarRetryAt ?? ChangedAt;

    /// <summary>
    /// The calendar did the work for <paramref name="sequence"/>: records the event id and join URL (kept from before when
    /// not given). A change since (a later sequence) leaves work to do.
    /// </summary>
    public void RecordCalendarDone(int sequence, string? eventId, string? joinUrl, DateTimeOffset now)
    {
        if (sequence > Sequence || sequence <= CalendarSequence) return;
        CalendarSequence = sequence;
        if (!string.IsNullOrWhiteSpace(eventId)) CalendarEventId = eventId.Trim();
        if (Uri.TryCreate(joinUrl, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps) JoinUrl = url.AbsoluteUri;
        CalendarAttempts = 0;
        CalendarError = null;
        CalendarRetryAt = PendingCalendarWork == CalendarWork.None ? null : now;
        Version++;
    }

    /// <summary>
    /// A calendar attempt failed: the next one is after <paramref name="retryAfter"/>. Returns true for the first failure
    /// since the last success or change (the one to report).
    /// </summary>
    public bool RecordCalendarFailure(string error, TimeSpan retryAfter, DateTimeOffset now)
    {
        CalendarAttempts++;
        var text = string.IsNullOrWhiteSpace(error) ? "unknown error" : error.Trim();
        CalendarError = text.Length <= MaxErrorLength ? text : text[..MaxErrorLength];
        CalendarRetryAt = now + (retryAfter < TimeSpan.Zero ? TimeSpan.Zero : retryAfter);
        Version++;
        return CalendarAttempts == 1;
    }

    /// <summary>"2026-12-10 14:00 (Europe/Berlin)": the start as it was given.</summary>
    public string FormatStart() => FormatIn(StartsAt, Zone);

    /// <summary>"2026-12-10 14:00 (Europe/Berlin)".</summary>
    public static string FormatIn(DateTimeOffset at, TimeZoneInfo zone) =>
        Invariant($"{TimeZoneInfo.ConvertTime(at, zone ?? throw new ArgumentNullException(nameof(zone))):yyyy-MM-dd HH:mm} ({zone.Id})");

    /// <summary>"1 h", "1 h 30 min", "45 min", "2 days", "1 day 2 h".</summary>
    public static string FormatSpan(TimeSpan span)
    {
        var parts = new List<string>();
        if (span.Days > 0) parts.Add(Invariant($"{span.Days} day{(span.Days == 1 ? "" : "s")}"));
        if (span.Hours > 0) parts.Add(Invariant($"{span.Hours} h"));
        if (span.Minutes > 0) parts.Add(Invariant($"{span.Minutes} min"));
        return parts.Count == 0 ? "0 min" : string.Join(' ', parts);
    }

    private void Set(DateTimeOffset startsAt, TimeSpan duration, string? notes, PersonId by, DateTimeOffset now)
    {
        if (startsAt <= now)
            throw new DomainException("signing_meeting.past", $"{FormatIn(startsAt, Zone)} is in the past; choose a time after now ({FormatIn(now, Zone)}).");
        if (startsAt > now + MaxAhead)
            throw new DomainException("signing_meeting.too_far", $"{FormatIn(startsAt, Zone)} is more than a year ahead.");
        if (duration < MinDuration || duration > MaxDuration || duration.Ticks % TimeSpan.TicksPerMinute != 0)
            throw new DomainException("signing_meeting.duration", $"The duration must be whole minutes from {FormatSpan(MinDuration)} to {FormatSpan(MaxDuration)}; it is {FormatSpan(duration)}.");
        Notes = Guard.OptionalText(notes, "The notes", MaxNotesLength);
        StartsAt = startsAt;
        Duration = duration;
        ChangedBy = by;
        ChangedAt = now;
        RemindedThrough = now;
        Sequence++;
        CalendarAttempts = 0;
        CalendarError = null;
        CalendarRetryAt = Organizer is null ? null : now;
        Version++;
    }

    private void RequireScheduled(string action)
    {
        if (State != SigningMeetingState.Scheduled)
            throw new DomainException("signing_meeting.over", $"Cannot {action}: the signing meeting of '{AgreementName}' was {State.ToString().ToLowerInvariant()} ({EndReason}).");
    }

    private static void RequireAwaiting(Agreement agreement)
    {
        if (agreement.Status != AgreementStatus.AwaitingSignatures || agreement.Signatories is not { Count: > 0 } || agreement.SigningHash is null)
            throw new DomainException("signing_meeting.not_awaiting",
                $"'{agreement.Name}' is {agreement.Status}: a signing meeting is scheduled only while an agreement awaits signatures.");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
