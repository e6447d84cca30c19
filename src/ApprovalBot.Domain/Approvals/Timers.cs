using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Approvals;

/// <summary>A reminder the timer should send now. Pass <see cref="Number"/> and <see cref="FencingToken"/> back to <see cref="ApprovalRequest.MarkReminded"/>.</summary>
public sealed record ReminderDue(int Number, DateTimeOffset ScheduledAt, int StageNumber, IReadOnlyList<PersonId> Remind, long FencingToken);

/// <summary>An overdue stage to escalate: whom it waits for and the stage's target rule (the host resolves it, e.g. to managers).</summary>
public sealed record EscalationDue(int StageNumber, DateTimeOffset DueAt, IReadOnlyList<PersonId> Waiting, EscalationTarget Target, long FencingToken);

/// <summary>What a timer's call did. Anything but Applied changed nothing: a late, duplicate or superseded fire is harmless.</summary>
public enum TimerResult
{
    Applied,

    /// <summary>The request changed since the timer was armed (fencing token differs).</summary>
    StaleToken,

    /// <summary>The request has no stage in progress any more.</summary>
    NotInProgress,

    /// <summary>Nothing of that kind is due at this time.</summary>
    NotDue,

    /// <summary>That reminder was sent, or the stage escalated, already.</summary>
    AlreadyDone,
}
