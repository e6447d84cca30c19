using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Approvals;

/// <summary>
/// One stage of a flow, as data. Copied by value onto every request at submission (the snapshot), so editing a
/// flow never changes a request already in flight.
/// </summary>
public sealed record StageDefinition
{
    public const int MaxRemindersPerStage = 50;
    public static readonly TimeSpan MinReminderInterval = TimeSpan.FromMinutes(15);

    public StageDefinition(
        string name,
        ApproverRule approvers,
        DecisionRule decision,
        TimeSpan approverSla,
        TimeSpan? reminderEvery = null,
        EscalationTarget? escalateTo = null,
        string? description = null)
    {
        ArgumentNullException.ThrowIfNull(approvers);
        ArgumentNullException.ThrowIfNull(decision);
        Name = Guard.RequiredText(name, "A stage name", 100);
        Guard.That(approverSla > TimeSpan.Zero, "flow.invalid", $"Stage '{Name}': the approver SLA must be positive.");
        if (reminderEvery is { } every)
        {
            Guard.That(every >= MinReminderInterval, "flow.invalid", $"Stage '{Name}': reminders can be at most every {MinReminderInterval.TotalMinutes} minutes.");
            Guard.That(every < approverSla, "flow.invalid", $"Stage '{Name}': the reminder interval must be shorter than the approver SLA.");
            Guard.That(approverSla.Ticks / every.Ticks <= MaxRemindersPerStage, "flow.invalid", $"Stage '{Name}': at most {MaxRemindersPerStage} reminders per stage.");
        }

        if (decision.Kind == DecisionRuleKind.NOfM && approvers.Kind == ApproverRuleKind.People)
            Guard.That(decision.Required <= approvers.PersonIds.Count, "flow.invalid", $"Stage '{Name}': {decision.Required} of {approvers.PersonIds.Count} approvers can never be reached.");
        if (decision.Kind == DecisionRuleKind.NOfM && approvers.Kind == ApproverRuleKind.RequesterManager)
            Guard.That(decision.Required == 1, "flow.invalid", $"Stage '{Name}': the requester's manager is one person; N of M needs N = 1.");

        Approvers = approvers;
        Decision = decision;
        ApproverSla = approverSla;
        ReminderEvery = reminderEvery;
        EscalateTo = escalateTo ?? EscalationTarget.ApproversManager;
        Description = Guard.OptionalText(description, "A stage description", 500);
    }

    public string Name { get; }

    /// <summary>What the stage approves, shown on the card, e.g. "compliance review of the final contract".</summary>
    public string? Description { get; }

    public ApproverRule Approvers { get; }

    public DecisionRule Decision { get; }

    /// <summary>Business time the approvers have, counted on the business calendar from the stage's start.</summary>
    public TimeSpan ApproverSla { get; }

    /// <summary>Business time between reminders before the due time; null for no reminders.</summary>
    public TimeSpan? ReminderEvery { get; }

    public EscalationTarget EscalateTo { get; }

    /// <summary>A deep copy for a request's snapshot (no instance is shared between a flow and a request).</summary>
    internal StageDefinition Snapshot() =>
        new(Name, Approvers with { }, Decision with { }, ApproverSla, ReminderEvery, EscalateTo with { }, Description);
}
