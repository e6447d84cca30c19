using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Escalations;

/// <summary>What happened to an escalation: a person's action or a timer's step. Also the kind of a notification.</summary>
public enum EscalationEventKind
{
    Opened,
    Acknowledged,
    Assigned,
    Held,
    Resumed,

    /// <summary>The next level was notified: by hand (with a reason), because a level did not acknowledge in time, or because the resolution target was breached.</summary>
    LevelRaised,

    /// <summary>50 % or 75 % of the resolution target is used.</summary>
    ResolutionWarning,

    /// <summary>100 % of the resolution target is used.</summary>
    ResolutionBreached,

    /// <summary>L3 did not acknowledge within the response target either: nobody is left to escalate to.</summary>
    ResponseBreached,

    Resolved,
    Closed,
    Reopened,

    /// <summary>The reporter answered the satisfaction survey about a resolution (the comment is the entry's reason).</summary>
    SurveyAnswered,
}

/// <summary>
/// One line of an escalation's append-only timeline. Entries are created only by the escalation's own methods and
/// never edited. A timer's entry is stamped with the deadline that passed, not with when the timer ran, so
/// <see cref="Sequence"/> (the order things were recorded) and <see cref="At"/> (when they happened) can disagree
/// after the bot was down.
/// </summary>
public sealed class TimelineEntry
{
    private TimelineEntry()
    {
    }

    internal TimelineEntry(int sequence, DateTimeOffset at, PersonId? actor, EscalationEventKind kind, SupportLevel level, string? reason, string? detail, int? percent)
    {
        Sequence = sequence;
        At = at;
        Actor = actor;
        Kind = kind;
        Level = level;
        Reason = reason;
        Detail = detail;
        Percent = percent;
    }

    public long Id { get; private set; }

    /// <summary>1, 2, 3, … within the escalation: the order the entries were recorded in.</summary>
    public int Sequence { get; private set; }

    public DateTimeOffset At { get; private set; }

    /// <summary>Who acted; null for the system (timers).</summary>
    public PersonId? Actor { get; private set; }

    public EscalationEventKind Kind { get; private set; }

    /// <summary>The escalation's level after the event (for LevelRaised: the new level).</summary>
    public SupportLevel Level { get; private set; }

    /// <summary>What the person wrote: the hold or escalation reason, the resolution note, the reopen reason.</summary>
    public string? Reason { get; private set; }

    /// <summary>A sentence the bot wrote: who was told, how much of a target was used, when something is due.</summary>
    public string? Detail { get; private set; }

    /// <summary>For ResolutionWarning and ResolutionBreached: 50, 75 or 100.</summary>
    public int? Percent { get; private set; }

    /// <summary>The actor, or "system" for timer steps.</summary>
    public string Who => Actor is { } actor ? actor.ToString() : "system";
}
