using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.CommunicationPlans;

/// <summary>Where a provider update obligation stands.</summary>
public enum UpdateState
{
    /// <summary>Open: no update posted for it yet (before or after its due time).</summary>
    Due,

    /// <summary>An update was posted at or before the due time.</summary>
    OnTime,

    /// <summary>An update was posted after the due time, before the next occurrence closed the period.</summary>
    Late,

    /// <summary>The next occurrence arrived (or the agreement ended after the due time) with no update.</summary>
    Missed,

    /// <summary>The agreement stopped being Active before the due time: not counted.</summary>
    Cancelled,
}

/// <summary>What a fired timer of an obligation tells people.</summary>
public enum UpdateStep
{
    /// <summary>Before the due time: the provider's contacts are reminded.</summary>
    Reminder,

    /// <summary>At the due time with no update: the provider's contacts are told it is overdue.</summary>
    Overdue,

    /// <summary>The grace after the due time passed with no update: the oversight owners are told.</summary>
    Escalation,

    /// <summary>The period closed with no update: the oversight owners are told it was missed.</summary>
    Missed,
}

public enum UpdateTimerOutcome
{
    Applied,
    NothingDue,
    StaleToken,
    Closed,
}

/// <summary>What a timer fire did: the steps to notify (in order), empty unless <see cref="Outcome"/> is Applied.</summary>
public sealed record UpdateTimerResult(UpdateTimerOutcome Outcome, IReadOnlyList<UpdateStep> Steps)
{
    public bool Applied => Outcome == UpdateTimerOutcome.Applied;
}

/// <summary>
/// One due occurrence of an agreement's update cadence (its communication plan): the provider owes an update posted in
/// the period (<see cref="OpensAt"/>, <see cref="DueAt"/>]. Posted by then it is <see cref="UpdateState.OnTime"/>; posted
/// after it but before <see cref="ClosesAt"/> (the next occurrence) <see cref="UpdateState.Late"/>; nothing by
/// <see cref="ClosesAt"/> is <see cref="UpdateState.Missed"/>. The reminder and escalation times are snapshotted when the
/// obligation is opened (a changed setting applies from the next one). <see cref="Version"/> is the concurrency token
/// and the timers' fencing token. Cadence compliance is OnTime ÷ (every obligation due in the period, Cancelled
/// excepted), so it is computed from these rows alone.
/// </summary>
public sealed class UpdateObligation
{
    public const int MaxTextLength = 2000;
    public const int MaxPosterLength = 200;

    private UpdateObligation()
    {
        PostedBy = null;
    }

    public long Id { get; private set; }

    public long AgreementId { get; private set; }

    /// <summary>When the period began: the previous occurrence, or when the obligation was first opened.</summary>
    public DateTimeOffset OpensAt { get; private set; }

    public DateTimeOffset DueAt { get; private set; }

    /// <summary>The next occurrence: with no update by then the obligation is missed.</summary>
    public DateTimeOffset ClosesAt { get; private set; }

    /// <summary>When the provider's contacts are reminded; null: no reminder (none configured, or opened after that time).</summary>
    public DateTimeOffset? ReminderAt { get; private set; }

    /// <summary>When an unposted update is escalated to the oversight owners.</summary>
    public DateTimeOffset EscalateAt { get; private set; }

    public UpdateState State { get; private set; }

    public DateTimeOffset? PostedAt { get; private set; }

    /// <summary>Who posted it: a person's Entra object id, or <c>api:&lt;key name&gt;</c>.</summary>
    public string? PostedBy { get; private set; }

    public string? Text { get; private set; }

    public DateTimeOffset? RemindedAt { get; private set; }

    public DateTimeOffset? OverdueNoticeAt { get; private set; }

    public DateTimeOffset? EscalatedAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public long Version { get; private set; }

    public bool IsOpen => State == UpdateState.Due;

    /// <summary>
    /// Opens the obligation for the occurrence <paramref name="dueAt"/>. A reminder whose time is not after
    /// <paramref name="now"/> is not planned (it would arrive late or at once); <paramref name="reminderBefore"/> zero: none.
    /// </summary>
    public static UpdateObligation Open(long agreementId, DateTimeOffset opensAt, DateTimeOffset dueAt, DateTimeOffset closesAt,
        TimeSpan reminderBefore, TimeSpan escalateAfter, DateTimeOffset now)
    {
        Guard.That(opensAt <= dueAt, "update.invalid", "An update period opens before it is due.");
        Guard.That(dueAt < closesAt, "update.invalid", "The next occurrence comes after the due time.");
        Guard.That(reminderBefore >= TimeSpan.Zero, "update.invalid", "A reminder comes before the due time.");
        Guard.That(escalateAfter > TimeSpan.Zero, "update.invalid", "The escalation comes after the due time.");
        var reminder = dueAt - reminderBefore;
        return new UpdateObligation
        {
            AgreementId = agreementId,
            OpensAt = opensAt.ToUniversalTime(),
            DueAt = dueAt.ToUniversalTime(),
            ClosesAt = closesAt.ToUniversalTime(),
            ReminderAt = reminderBefore > TimeSpan.Zero && reminder > now ? reminder.ToUniversalTime() : null,
            EscalateAt = (dueAt + escalateAfter).ToUniversalTime(),
            State = UpdateState.Due,
            Version = 1,
        };
    }

    /// <summary>The next moment a timer must fire for this obligation; null once it is closed.</summary>
    public DateTimeOffset? NextTimerAt()
    {
        if (!IsOpen) return null;
        var pending = new List<DateTimeOffset> { ClosesAt };
        if (ReminderAt is { } reminder && RemindedAt is null && OverdueNoticeAt is null) pending.Add(reminder);
        if (OverdueNoticeAt is null) pending.Add(DueAt);
        if (EscalatedAt is null) pending.Add(EscalateAt);
        return pending.Min();
    }

    /// <summary>
    /// A fired timer: applies every step whose time has come, if <paramref name="fencingToken"/> is the current version.
    /// Once the period has closed only <see cref="UpdateStep.Missed"/> is told (older reminders are no longer worth sending);
    /// after the due time a reminder not yet sent is dropped.
    /// </summary>
    public UpdateTimerResult FireDue(long fencingToken, DateTimeOffset now)
    {
        if (!IsOpen) return new UpdateTimerResult(UpdateTimerOutcome.Closed, []);
        if (fencingToken != Version) return new UpdateTimerResult(UpdateTimerOutcome.StaleToken, []);
        var steps = new List<UpdateStep>();
        if (now >= ClosesAt)
        {
            Close(UpdateState.Missed, now);
            steps.Add(UpdateStep.Missed);
        }
        else
        {
            if (ReminderAt is { } reminder && RemindedAt is null && OverdueNoticeAt is null && now >= reminder && now < DueAt)
            {
                RemindedAt = now;
                steps.Add(UpdateStep.Reminder);
            }

            if (OverdueNoticeAt is null && now >= DueAt)
            {
                OverdueNoticeAt = now;
                steps.Add(UpdateStep.Overdue);
            }

            if (EscalatedAt is null && now >= EscalateAt)
            {
                EscalatedAt = now;
                steps.Add(UpdateStep.Escalation);
            }
        }

        if (steps.Count == 0) return new UpdateTimerResult(UpdateTimerOutcome.NothingDue, []);
        Version++;
        return new UpdateTimerResult(UpdateTimerOutcome.Applied, steps);
    }

    /// <summary>
    /// Records the update for this period: on time at or before <see cref="DueAt"/>, late after it. Refused when the
    /// obligation is closed, the period has not opened yet, or has closed (it is missed: close it first).
    /// </summary>
    public void Post(string postedBy, string text, DateTimeOffset now)
    {
        Guard.That(IsOpen, "update.transition", $"The update due {DueAt:u} is already {State}.");
        Guard.That(now >= OpensAt, "update.transition", "This update period has not begun yet.");
        Guard.That(now < ClosesAt, "update.transition", "This update period has closed: the update is missed.");
        var by = Guard.RequiredText(postedBy, "Who posted it", MaxPosterLength);
        Text = CheckText(text);
        PostedBy = by;
        PostedAt = now;
        Close(now <= DueAt ? UpdateState.OnTime : UpdateState.Late, now);
        Version++;
    }

    /// <summary>The period closed with no update (<paramref name="now"/> at or after <see cref="ClosesAt"/>).</summary>
    public void Miss(DateTimeOffset now)
    {
        Guard.That(IsOpen, "update.transition", $"The update due {DueAt:u} is already {State}.");
        Guard.That(now >= ClosesAt, "update.transition", "The period has not closed yet.");
        Close(UpdateState.Missed, now);
        Version++;
    }

    /// <summary>The agreement stopped being Active: before the due time the obligation is cancelled (not counted), after it missed.</summary>
    public void End(DateTimeOffset now)
    {
        Guard.That(IsOpen, "update.transition", $"The update due {DueAt:u} is already {State}.");
        Close(now < DueAt ? UpdateState.Cancelled : UpdateState.Missed, now);
        Version++;
    }

    /// <summary>Counted in cadence compliance at <paramref name="now"/>: its due time has passed and it was not cancelled.</summary>
    public bool CountsAsDue(DateTimeOffset now) => State != UpdateState.Cancelled && DueAt <= now;

    /// <summary>The text of an update, trimmed: required, at most <see cref="MaxTextLength"/> characters.</summary>
    public static string CheckText(string? text)
    {
        var trimmed = (text ?? string.Empty).Trim();
        if (trimmed.Length == 0) throw new DomainException("update.text", "Write the update: the text is empty.");
        if (trimmed.Length > MaxTextLength)
            throw new DomainException("update.text", $"An update is at most {MaxTextLength} characters; this one has {trimmed.Length}.");
        return trimmed;
    }

    private void Close(UpdateState state, DateTimeOffset now)
    {
        State = state;
        ClosedAt = now;
    }
}
