using System.Globalization;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Breaches;

public enum BreachState
{
    /// <summary>The notification clock runs.</summary>
    Open,

    /// <summary>Closed by the reporter, an oversight owner or a data-protection contact: the clock stopped.</summary>
    Closed,
}

/// <summary>Whose data-protection contact someone is.</summary>
public enum BreachSide
{
    Ours,
    Provider,
}

/// <summary>A data-protection contact as the agreement named them when the breach was reported (the incident's snapshot).</summary>
public sealed record BreachContact(BreachSide Side, string Name, PersonId? Person, string? Email, string? Phone, string? Role)
{
    public static BreachContact From(BreachSide side, ContactPoint contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        return new BreachContact(side, contact.Name, contact.Person, contact.Email, contact.Phone, contact.Role);
    }

    /// <summary>How to reach them outside Teams, in words ("e-mail a@b.example, phone +1 555"), or null.</summary>
    public string? OtherWays => (Email, Phone) switch
    {
        (null, null) => null,
        ({ } e, null) => $"e-mail {e}",
        (null, { } p) => $"phone {p}",
        ({ } e, { } p) => $"e-mail {e}, phone {p}",
    };
}

/// <summary>What happened to a data breach: the incident's record, in the order recorded.</summary>
public enum BreachEventKind
{
    Opened,

    /// <summary>A contact was sent the incident card in Teams.</summary>
    Notified,

    /// <summary>A contact could not be sent the card (no Teams account, or Teams cannot reach them); the detail says why and how to reach them instead.</summary>
    Unreachable,

    Acknowledged,

    /// <summary>50, 75 or 90 % of the notification deadline used.</summary>
    Warning,

    /// <summary>The notification deadline passed while the incident was open.</summary>
    DeadlinePassed,

    Closed,
}

/// <summary>
/// One line of a breach's append-only record. Created only by <see cref="DataBreach"/>'s methods, never edited. A
/// warning is stamped with the instant it fell due, so after the bot was down <see cref="Sequence"/> (the order recorded)
/// and <see cref="At"/> can disagree.
/// </summary>
public sealed class BreachEvent
{
    private BreachEvent()
    {
    }

    internal BreachEvent(int sequence, DateTimeOffset at, BreachEventKind kind, PersonId? actor, string? contact, string? detail, int? percent)
    {
        Sequence = sequence;
        At = at;
        Kind = kind;
        Actor = actor;
        Contact = contact;
        Detail = detail;
        Percent = percent;
    }

    /// <summary>1, 2, 3, … within the incident.</summary>
    public int Sequence { get; private set; }

    public DateTimeOffset At { get; private set; }

    public BreachEventKind Kind { get; private set; }

    /// <summary>Who acted (reported, acknowledged, closed); for Notified and Unreachable the contact's Teams person, if any; null for the clock.</summary>
    public PersonId? Actor { get; private set; }

    /// <summary>For Notified, Unreachable and Acknowledged: the contact's name (and side) as the agreement gives it.</summary>
    public string? Contact { get; private set; }

    /// <summary>A sentence the bot wrote (the summary and deadline, why someone is unreachable, the close note, …).</summary>
    public string? Detail { get; private set; }

    /// <summary>For Warning and DeadlinePassed: 50, 75, 90 or 100.</summary>
    public int? Percent { get; private set; }
}

/// <summary>What a breach timer did (see <see cref="DataBreach.FireClock"/>).</summary>
public enum BreachTimerOutcome
{
    StaleToken,
    Closed,
    NothingDue,
    Warned,
}

public sealed record BreachTimerResult(BreachTimerOutcome Outcome, int? Percent = null);

/// <summary>
/// A data-protection incident reported against an Active agreement (issue 10 "Data protection"): its own notification
/// clock, from <see cref="ReportedAt"/> to <see cref="DeadlineAt"/> (the agreement's breach notification deadline,
/// snapshotted with the contacts and oversight owners when it is reported, rule 9), warnings at 50, 75 and 90 % and a
/// record when the deadline passes, who was notified and who could not be, who acknowledged, and the close. Every
/// accepted change increments <see cref="Version"/> (the concurrency token and the timer's fencing token) and appends to
/// <see cref="Events"/>; a refused one throws <see cref="DomainException"/> and changes nothing.
/// </summary>
public sealed class DataBreach
{
    public const int MaxSummaryLength = 1000;
    public const int MaxNoteLength = 2000;

    /// <summary>The clock's steps in % of the deadline: warnings at 50, 75 and 90; 100 is the deadline itself.</summary>
    public static readonly IReadOnlyList<int> ClockPercents = [50, 75, 90, 100];

    private readonly List<BreachEvent> _events = [];
    private List<BreachContact> _contacts = []; // not readonly: EF sets it from its JSON column
    private List<PersonId> _oversightOwners = []; // not readonly: EF sets it from its JSON column

    private DataBreach()
    {
        AgreementName = string.Empty;
        Summary = string.Empty;
    }

    public long Id { get; private set; }

    public long AgreementId { get; private set; }

    public string AgreementName { get; private set; }

    /// <summary>The revision in force when it was reported (whose contacts and deadline apply).</summary>
    public int AgreementRevision { get; private set; }

    /// <summary>What the reporter wrote.</summary>
    public string Summary { get; private set; }

    public PersonId ReportedBy { get; private set; }

    public DateTimeOffset ReportedAt { get; private set; }

    /// <summary>The agreement's breach notification deadline when it was reported.</summary>
    public TimeSpan NotificationDeadline { get; private set; }

    /// <summary><see cref="ReportedAt"/> + <see cref="NotificationDeadline"/>.</summary>
    public DateTimeOffset DeadlineAt { get; private set; }

    /// <summary>Both sides' data-protection contacts, ours first.</summary>
    public IReadOnlyList<BreachContact> Contacts => _contacts.AsReadOnly();

    /// <summary>The agreement's oversight owners (they may close it).</summary>
    public IReadOnlyList<PersonId> OversightOwners => _oversightOwners.AsReadOnly();

    public BreachState State { get; private set; }

    /// <summary>The last clock step recorded: 0 (none yet), 50, 75, 90 or 100.</summary>
    public int ClockPercent { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public PersonId? ClosedBy { get; private set; }

    public string? CloseNote { get; private set; }

    public IReadOnlyList<BreachEvent> Events => _events.AsReadOnly();

    public long Version { get; private set; }

    /// <summary>Who acknowledged, when, in order (at most once each).</summary>
    public IReadOnlyList<BreachEvent> Acknowledgements => [.. _events.Where(e => e.Kind == BreachEventKind.Acknowledged)];

    /// <summary>
    /// Opens an incident against <paramref name="agreement"/>, which must be Active with data-protection terms in force.
    /// The caller notifies the contacts and records each with <see cref="RecordNotified"/> or <see cref="RecordUnreachable"/>.
    /// </summary>
    public static DataBreach Open(Agreement agreement, string summary, PersonId reporter, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        var text = Guard.RequiredText(summary, "The summary", MaxSummaryLength);
        Guard.Person(reporter, "The reporter");
        if (agreement.Status != AgreementStatus.Active || agreement.TermsInForce is not { } terms)
            throw new DomainException("breach.agreement_not_active", $"Agreement '{agreement.Name}' is {agreement.Status}, not Active: a breach is reported against an agreement in force.");
        var dp = terms.DataProtection
            ?? throw new DomainException("breach.no_contacts", $"Agreement '{agreement.Name}' names no data-protection contacts or breach notification deadline; add them to its terms (a renewal) and tell the contacts yourself now.");
        var breach = new DataBreach
        {
            AgreementId = agreement.Id,
            AgreementName = agreement.Name,
            AgreementRevision = agreement.ActiveRevisionNumber ?? agreement.CurrentRevision.Number,
            Summary = text,
            ReportedBy = reporter,
            ReportedAt = now,
            NotificationDeadline = dp.NotificationDeadline,
            DeadlineAt = now + dp.NotificationDeadline,
            State = BreachState.Open,
            Version = 1,
            _contacts = [.. dp.OurContacts.Select(c => BreachContact.From(BreachSide.Ours, c)), .. dp.ProviderContacts.Select(c => BreachContact.From(BreachSide.Provider, c))],
            _oversightOwners = [.. terms.OversightOwners],
        };
        breach.Append(now, BreachEventKind.Opened, reporter, null,
            $"Reported against '{agreement.Name}' (revision {breach.AgreementRevision}): {text} — both sides' data-protection contacts are to be notified within {Duration(dp.NotificationDeadline)}, by {Format(breach.DeadlineAt)}.", null);
        return breach;
    }

    /// <summary>Whether <paramref name="person"/> is one of the incident's data-protection contacts (with a Teams account).</summary>
    public bool IsContact(PersonId person) => _contacts.Any(c => c.Person == person);

    /// <summary>The reporter, an oversight owner or a data-protection contact.</summary>
    public bool MayClose(PersonId person) => person == ReportedBy || _oversightOwners.Contains(person) || IsContact(person);

    /// <summary>When <paramref name="person"/> acknowledged, or null.</summary>
    public DateTimeOffset? AcknowledgedAt(PersonId person) => _events.FirstOrDefault(e => e.Kind == BreachEventKind.Acknowledged && e.Actor == person)?.At;

    /// <summary>The instant <paramref name="percent"/> % of the notification deadline is used.</summary>
    public DateTimeOffset ClockAt(int percent) => ReportedAt + TimeSpan.FromTicks(NotificationDeadline.Ticks / 100 * percent);

    /// <summary>When the clock timer fires next: the next step not yet recorded, while open; else null.</summary>
    public DateTimeOffset? NextClockAt => State == BreachState.Open && ClockPercents.FirstOrDefault(p => p > ClockPercent) is var next and > 0 ? ClockAt(next) : null;

    /// <summary>Records that <paramref name="contact"/> was sent the incident card in Teams.</summary>
    public void RecordNotified(BreachContact contact, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(contact);
        RequireOpen("notify its contacts");
        Append(now, BreachEventKind.Notified, contact.Person, Label(contact), "Sent the incident card in Teams.", null);
        Version++;
    }

    /// <summary>Records that <paramref name="contact"/> could not be sent the card, <paramref name="why"/>, and how to reach them instead.</summary>
    public void RecordUnreachable(BreachContact contact, string why, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(contact);
        RequireOpen("notify its contacts");
        var instead = contact.OtherWays is { } ways ? $" The reporter is to contact them directly: {ways}." : " There is no other way on record to reach them.";
        Append(now, BreachEventKind.Unreachable, contact.Person, Label(contact), $"Not reachable in Teams: {why}.{instead}", null);
        Version++;
    }

    /// <summary>A data-protection contact acknowledges the incident (once; only while it is open).</summary>
    public void Acknowledge(PersonId by, DateTimeOffset now)
    {
        Guard.Person(by, "Who acknowledges");
        RequireOpen("acknowledge it");
        var contact = _contacts.FirstOrDefault(c => c.Person == by)
            ?? throw new DomainException("breach.forbidden", $"Only the data-protection contacts of '{AgreementName}' named on incident {Reference} can acknowledge it.");
        if (AcknowledgedAt(by) is { } at)
            throw new DomainException("breach.already_acknowledged", $"You acknowledged incident {Reference} at {Format(at)} already.");
        Append(now, BreachEventKind.Acknowledged, by, Label(contact), null, null);
        Version++;
    }

    /// <summary>Closes the incident, with a note (required): the clock stops. The reporter, an oversight owner or a data-protection contact only.</summary>
    public void Close(PersonId by, string note, DateTimeOffset now)
    {
        Guard.Person(by, "Who closes");
        var text = Guard.RequiredText(note, "The closing note", MaxNoteLength);
        RequireOpen("close it");
        if (!MayClose(by))
            throw new DomainException("breach.forbidden", $"Only the reporter, the oversight owners of '{AgreementName}' and its data-protection contacts can close incident {Reference}.");
        State = BreachState.Closed;
        ClosedAt = now;
        ClosedBy = by;
        CloseNote = text;
        Append(now, BreachEventKind.Closed, by, null, text, null);
        Version++;
    }

    /// <summary>
    /// The clock timer fired with <paramref name="fencingToken"/>: if it is current and the incident open, records the
    /// latest step due at <paramref name="now"/> (earlier ones missed while the bot was down are folded into it, and said
    /// so), stamped with when it fell due. One step per fire; the caller arms the next.
    /// </summary>
    public BreachTimerResult FireClock(long fencingToken, DateTimeOffset now)
    {
        if (fencingToken != Version) return new BreachTimerResult(BreachTimerOutcome.StaleToken);
        if (State != BreachState.Open) return new BreachTimerResult(BreachTimerOutcome.Closed);
        var due = ClockPercents.Where(p => p > ClockPercent && ClockAt(p) <= now).ToList();
        if (due.Count == 0) return new BreachTimerResult(BreachTimerOutcome.NothingDue);
        var percent = due[^1];
        var missed = due.Count > 1 ? $" (the {string.Join(" and ", due.Take(due.Count - 1).Select(p => $"{p} %"))} step{(due.Count > 2 ? "s" : "")} fell due while the bot was down)" : "";
        ClockPercent = percent;
        if (percent == 100)
            Append(ClockAt(percent), BreachEventKind.DeadlinePassed, null, null, $"The notification deadline passed at {Format(DeadlineAt)} with the incident still open{missed}.", percent);
        else
            Append(ClockAt(percent), BreachEventKind.Warning, null, null,
                Invariant($"{percent} % of the notification deadline used; {Duration(DeadlineAt - ClockAt(percent))} left, until {Format(DeadlineAt)}{missed}."), percent);
        Version++;
        return new BreachTimerResult(BreachTimerOutcome.Warned, percent);
    }

    /// <summary>How people refer to it: <c>B-12</c>.</summary>
    public string Reference => Invariant($"B-{Id}");

    /// <summary>A contact as the record names them: "Priya Privacy (provider)".</summary>
    public static string Label(BreachContact contact) =>
        $"{(contact ?? throw new ArgumentNullException(nameof(contact))).Name} ({(contact.Side == BreachSide.Ours ? "our side" : "provider")})";

    /// <summary>"2026-10-04 13:00 UTC".</summary>
    public static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>"72 h", "1 h 30 min", "45 min".</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = TimeSpan.Zero;
        var hours = (long)span.TotalHours;
        var minutes = span.Minutes;
        return (hours, minutes) switch
        {
            (0, _) => Invariant($"{minutes} min"),
            (_, 0) => Invariant($"{hours} h"),
            _ => Invariant($"{hours} h {minutes} min"),
        };
    }

    private void RequireOpen(string action)
    {
        if (State != BreachState.Open)
            throw new DomainException("breach.closed", $"Cannot {action}: incident {Reference} was closed at {Format(ClosedAt ?? default)}.");
    }

    private void Append(DateTimeOffset at, BreachEventKind kind, PersonId? actor, string? contact, string? detail, int? percent) =>
        _events.Add(new BreachEvent(_events.Count + 1, at, kind, actor, contact, detail, percent));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
