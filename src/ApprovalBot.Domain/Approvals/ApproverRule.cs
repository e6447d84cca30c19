using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Approvals;

public enum ApproverRuleKind
{
    /// <summary>The requester's manager, from the directory.</summary>
    RequesterManager,

    /// <summary>The members of a named directory group (Legal, Management, …).</summary>
    Group,

    /// <summary>Explicitly named people.</summary>
    People,
}

/// <summary>
/// Who approves a stage, as a rule. It is resolved to concrete people by an <see cref="IApproverResolver"/>
/// when the stage starts, not when the flow is written or the request submitted.
/// </summary>
public sealed record ApproverRule
{
    public const int MaxPeople = 60; // the Teams limit of refresh.userIds on a card

    private ApproverRule(ApproverRuleKind kind, string? groupName, IReadOnlyList<PersonId> personIds)
    {
        Kind = kind;
        GroupName = groupName;
        PersonIds = personIds;
    }

    public ApproverRuleKind Kind { get; }

    /// <summary>Set for <see cref="ApproverRuleKind.Group"/> only.</summary>
    public string? GroupName { get; }

    /// <summary>Non-empty for <see cref="ApproverRuleKind.People"/> only.</summary>
    public IReadOnlyList<PersonId> PersonIds { get; }

    public static ApproverRule RequesterManager() => new(ApproverRuleKind.RequesterManager, null, []);

    public static ApproverRule Group(string name) =>
        new(ApproverRuleKind.Group, Guard.RequiredText(name, "The approver group name", 200), []);

    public static ApproverRule People(params IEnumerable<PersonId> people)
    {
        var list = Guard.DistinctList(people, "The approver list");
        Guard.That(list.Count > 0, "flow.invalid", "An explicit approver list needs at least one person.");
        Guard.That(list.Count <= MaxPeople, "flow.invalid", $"An explicit approver list holds at most {MaxPeople} people.");
        return new ApproverRule(ApproverRuleKind.People, null, list);
    }

    public bool Equals(ApproverRule? other) =>
        other is not null && Kind == other.Kind
        && string.Equals(GroupName, other.GroupName, StringComparison.OrdinalIgnoreCase)
        && PersonIds.SequenceEqual(other.PersonIds);

    public override int GetHashCode() => HashCode.Combine(Kind, GroupName?.ToUpperInvariant(), PersonIds.Count);

    public override string ToString() => Kind switch
    {
        ApproverRuleKind.RequesterManager => "the requester's manager",
        ApproverRuleKind.Group => $"group {GroupName}",
        _ => string.Join(", ", PersonIds),
    };
}
