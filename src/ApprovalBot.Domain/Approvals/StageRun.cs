using ApprovalBot.Domain.Calendars;
using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Approvals;

public enum StageRunStatus
{
    InProgress,
    Approved,
    Rejected,
    ChangesRequested,

    /// <summary>Ended undecided: the subject changed (a new document) and the request restarted from its first stage.</summary>
    Superseded,
}

public enum DecisionKind
{
    Approve,
    Reject,
    RequestChanges,
}

/// <summary>
/// One run of a stage for one revision of a request: who its approvers were, their decisions, its due time and
/// reminders. Runs of earlier revisions stay on the request unchanged, so earlier decisions remain readable.
/// </summary>
public sealed class StageRun
{
    private readonly List<StageSeat> _seats = [];
    private List<DateTimeOffset> _reminderTimes = []; // not readonly: EF sets it from its JSON column

    private StageRun()
    {
        StageName = string.Empty;
        Rule = DecisionRule.Any;
    }

    public long Id { get; private set; }

    public int Revision { get; private set; }

    /// <summary>1-based position of the stage in the request's flow snapshot.</summary>
    public int StageNumber { get; private set; }

    public string StageName { get; private set; }

    public DecisionRule Rule { get; private set; }

    public StageRunStatus Status { get; private set; }

    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>StartedAt plus the approver SLA in business time, on the calendar the stage started with.</summary>
    public DateTimeOffset DueAt { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    /// <summary>The reminder times computed at start (business time on the calendar), all before <see cref="DueAt"/>.</summary>
    public IReadOnlyList<DateTimeOffset> ReminderTimes => _reminderTimes.AsReadOnly();

    /// <summary>How many of <see cref="ReminderTimes"/> have been sent (the number of the last one sent).</summary>
    public int RemindersSent { get; private set; }

    public DateTimeOffset? EscalatedAt { get; private set; }

    /// <summary>One seat per resolved approver, in resolution order.</summary>
    public IReadOnlyList<StageSeat> Seats => _seats.AsReadOnly();

    /// <summary>How many approvals complete this run.</summary>
    public int ApprovalsNeeded => Rule.ApprovalsNeeded(_seats.Count);

    /// <summary>The people who may still decide (the holder of each undecided seat).</summary>
    public IReadOnlyList<PersonId> Waiting => [.. _seats.Where(s => s.Decision is null).Select(s => s.Holder)];

    internal static StageRun Start(int revision, int stageNumber, StageDefinition definition, IReadOnlyList<PersonId> approvers, IBusinessCalendar calendar, DateTimeOffset now)
    {
        var run = new StageRun
        {
            Revision = revision,
            StageNumber = stageNumber,
            StageName = definition.Name,
            Rule = definition.Decision,
            Status = StageRunStatus.InProgress,
            StartedAt = now,
            DueAt = calendar.AddBusinessTime(now, definition.ApproverSla),
        };
        run._seats.AddRange(approvers.Select(a => new StageSeat(a)));
        if (definition.ReminderEvery is { } every)
        {
            for (var k = 1; every * k < definition.ApproverSla && k <= StageDefinition.MaxRemindersPerStage; k++)
            {
                var at = calendar.AddBusinessTime(now, every * k);
                if (at < run.DueAt) run._reminderTimes.Add(at);
            }
        }

        return run;
    }

    /// <summary>The seat the person decides for: as its owner (if not delegated) or as its delegate.</summary>
    internal StageSeat? SeatHeldBy(PersonId person) => _seats.Find(s => s.Holder == person);

    internal StageSeat? SeatOwnedBy(PersonId person) => _seats.Find(s => s.Owner == person);

    internal bool Involves(PersonId person) => _seats.Exists(s => s.Owner == person || s.Holder == person);

    /// <summary>The outcome the run would have if <paramref name="seat"/> decided <paramref name="kind"/> now.</summary>
    internal StageOutcome OutcomeIf(StageSeat seat, DecisionKind kind)
    {
        int Count(DecisionKind k) => _seats.Count(s => s == seat ? kind == k : s.Decision == k);
        return Rule.Evaluate(_seats.Count, Count(DecisionKind.Approve), Count(DecisionKind.Reject), Count(DecisionKind.RequestChanges) > 0);
    }

    internal void Complete(StageOutcome outcome, DateTimeOffset now)
    {
        Status = outcome switch
        {
            StageOutcome.Approved => StageRunStatus.Approved,
            StageOutcome.Rejected => StageRunStatus.Rejected,
            StageOutcome.ChangesRequested => StageRunStatus.ChangesRequested,
            _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "A pending run cannot complete."),
        };
        CompletedAt = now;
    }

    internal void Supersede(DateTimeOffset now)
    {
        Status = StageRunStatus.Superseded;
        CompletedAt = now;
    }

    /// <summary>The number of the latest reminder whose time has come (0 for none).</summary>
    internal int LatestReminderDue(DateTimeOffset now) => _reminderTimes.Count(t => t <= now);

    internal void MarkReminded(int number) => RemindersSent = number;

    internal void MarkEscalated(DateTimeOffset now) => EscalatedAt = now;
}

/// <summary>One approver's place in a stage run: the resolved approver, their delegate if any, and the one decision the seat gets.</summary>
public sealed class StageSeat
{
    private StageSeat()
    {
    }

    internal StageSeat(PersonId owner) => Owner = owner;

    public long Id { get; private set; }

    /// <summary>The approver the stage resolved to.</summary>
    public PersonId Owner { get; private set; }

    /// <summary>Who the owner (or an earlier delegate) handed the decision to.</summary>
    public PersonId? Delegate { get; private set; }

    /// <summary>Who may decide for this seat now.</summary>
    public PersonId Holder => Delegate ?? Owner;

    public DecisionKind? Decision { get; private set; }

    public PersonId? DecidedBy { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    public string? Comment { get; private set; }

    internal void DelegateTo(PersonId person) => Delegate = person;

    internal void Decide(DecisionKind kind, PersonId by, string? comment, DateTimeOffset now)
    {
        Decision = kind;
        DecidedBy = by;
        Comment = comment;
        DecidedAt = now;
    }
}
