using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Escalations;

/// <summary>Which resolution warnings were sent: at 50 %, 75 % and 100 % (the breach) of the resolution target.</summary>
[Flags]
public enum ResolutionWarnings
{
    None = 0,
    At50 = 1,
    At75 = 2,
    At100 = 4,
}

/// <summary>
/// A message the host must send (through the outbox) because of an escalation event. <see cref="TimelineSequence"/>
/// names the timeline entry that caused it: with the escalation's id it is a stable dedupe key.
/// </summary>
public sealed record EscalationNotification(
    EscalationEventKind Kind,
    DateTimeOffset At,
    SupportLevel Level,
    int? Percent,
    IReadOnlyList<PersonId> People,
    IReadOnlyList<string> ChannelIds,
    int TimelineSequence);

/// <summary>What a <see cref="Escalation.FireDue"/> call did. Anything but Applied changed nothing: a late, duplicate or superseded fire is harmless.</summary>
public enum EscalationTimerOutcome
{
    /// <summary>One or more deadlines had passed; they were recorded and <see cref="EscalationTimerResult.Notifications"/> must be sent (none for an automatic close).</summary>
    Applied,

    /// <summary>The escalation changed since the timer was armed (the fencing token differs).</summary>
    StaleToken,

    /// <summary>No deadline has passed yet (or every passed one was already handled).</summary>
    NothingDue,

    /// <summary>On hold or closed: no clock is running and nothing closes by itself.</summary>
    NotActive,
}

/// <summary>The outcome of a timer's call and, when Applied, the notifications to send, in the order of their deadlines.</summary>
public sealed record EscalationTimerResult(EscalationTimerOutcome Outcome, IReadOnlyList<EscalationNotification> Notifications)
{
    public bool Applied => Outcome == EscalationTimerOutcome.Applied;

    internal static EscalationTimerResult Nothing(EscalationTimerOutcome outcome) => new(outcome, []);
}

/// <summary>
/// One SLA clock at an instant: how much business time it counted against its target. It does not count holds or time
/// spent resolved; <see cref="Running"/> says whether it is counting now.
/// </summary>
public sealed record SlaClock(TimeSpan Target, TimeSpan Elapsed, bool Running)
{
    /// <summary>Business time left before the target is reached; zero once it is.</summary>
    public TimeSpan Remaining => Elapsed < Target ? Target - Elapsed : TimeSpan.Zero;

    /// <summary>Elapsed as a percentage of the target; more than 100 once breached.</summary>
    public double PercentUsed => Target > TimeSpan.Zero ? Elapsed.Ticks * 100.0 / Target.Ticks : 0;

    /// <summary>The target is used up (at exactly 100 % too: the deadline is the last instant that is still late).</summary>
    public bool IsBreached => Elapsed >= Target;
}

/// <summary>
/// Who performs an action, with what the host knows about them: whether they are a member of the current level's
/// channel (the domain cannot see channel membership). A <see cref="PersonId"/> converts to an actor who is not known
/// to be in the channel.
/// </summary>
public readonly record struct EscalationActor(PersonId Person, bool InLevelChannel = false)
{
    public static implicit operator EscalationActor(PersonId person) => new(person);

    /// <summary>The same as the implicit conversion: a person not known to be in the level's channel.</summary>
    public static EscalationActor FromPersonId(PersonId person) => new(person);

    /// <summary>A person the host has checked is a member of the current level's channel.</summary>
    public static EscalationActor InChannel(PersonId person) => new(person, InLevelChannel: true);
}
