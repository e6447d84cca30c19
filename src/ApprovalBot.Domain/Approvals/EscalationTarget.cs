using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Approvals;

public enum EscalationTargetKind
{
    /// <summary>The manager of each approver who has not decided (the default).</summary>
    ApproversManager,

    /// <summary>A named group, e.g. the stage's owners.</summary>
    Group,

    /// <summary>Explicit people, e.g. the stage's escalation contact.</summary>
    People,
}

/// <summary>Who is told when a stage is overdue. The host resolves it when it escalates (see <see cref="EscalationDue"/>).</summary>
public sealed record EscalationTarget
{
    private EscalationTarget(EscalationTargetKind kind, string? groupName, IReadOnlyList<PersonId> personIds)
    {
        Kind = kind;
        GroupName = groupName;
        PersonIds = personIds;
    }

    public EscalationTargetKind Kind { get; }

    public string? GroupName { get; }

    public IReadOnlyList<PersonId> PersonIds { get; }

    public static EscalationTarget ApproversManager { get; } = new(EscalationTargetKind.ApproversManager, null, []);

    public static EscalationTarget Group(string name) =>
        new(EscalationTargetKind.Group, Guard.RequiredText(name, "The escalation group name", 200), []);

    public static EscalationTarget People(params IEnumerable<PersonId> people)
    {
        var list = Guard.DistinctList(people, "The escalation contacts");
        Guard.That(list.Count is > 0 and <= ApproverRule.MaxPeople, "flow.invalid", "An escalation contact list needs 1 to 60 people.");
        return new EscalationTarget(EscalationTargetKind.People, null, list);
    }

    public bool Equals(EscalationTarget? other) =>
        other is not null && Kind == other.Kind
        && string.Equals(GroupName, other.GroupName, StringComparison.OrdinalIgnoreCase)
        && PersonIds.SequenceEqual(other.PersonIds);

    public override int GetHashCode() => HashCode.Combine(Kind, GroupName?.ToUpperInvariant(), PersonIds.Count);
}
