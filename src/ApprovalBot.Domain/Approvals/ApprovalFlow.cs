using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Approvals;

/// <summary>A named, ordered list of stages: configuration as data. Requests copy it at submission.</summary>
public sealed class ApprovalFlow
{
    public const int MaxStages = 10;

    private readonly List<StageDefinition> _stages = [];

    private ApprovalFlow()
    {
        Name = string.Empty;
    }

    public long Id { get; private set; }

    public string Name { get; private set; }

    public IReadOnlyList<StageDefinition> Stages => _stages.AsReadOnly();

    /// <summary>Concurrency token for edits to the definition.</summary>
    public long Version { get; private set; }

    public static ApprovalFlow Create(string name, IEnumerable<StageDefinition> stages)
    {
        var flow = new ApprovalFlow { Name = Guard.RequiredText(name, "A flow name", 100) };
        flow.SetStages(stages);
        flow.Version = 1;
        return flow;
    }

    /// <summary>Replaces the stages. Requests already submitted keep the stages they were submitted with.</summary>
    public void ReplaceStages(IEnumerable<StageDefinition> stages)
    {
        SetStages(stages);
        Version++;
    }

    private void SetStages(IEnumerable<StageDefinition> stages)
    {
        ArgumentNullException.ThrowIfNull(stages);
        var list = stages.ToList();
        Guard.That(list.Count is > 0 and <= MaxStages, "flow.invalid", $"A flow has 1 to {MaxStages} stages.");
        Guard.That(list.TrueForAll(s => s is not null), "flow.invalid", "A flow's stages cannot be null.");
        var names = list.Select(s => s.Name).ToList();
        Guard.That(names.Distinct(StringComparer.OrdinalIgnoreCase).Count() == names.Count, "flow.invalid", "Stage names in a flow must be unique.");
        _stages.Clear();
        _stages.AddRange(list);
    }
}

/// <summary>The flows the product ships with. They are seeded as data and can be edited like any other flow.</summary>
public static class BuiltInFlows
{
    public const string AgreementFlowName = "IT support agreement";
    public const string LegalGroup = "Legal";
    public const string ManagementGroup = "Management";

    /// <summary>
    /// Department manager (preliminary draft) → Legal (compliance review of the final contract) → Management
    /// (final sign-off). Every stage is "any one": one lawyer and one member of management speak for their group,
    /// as a contract's sign-off usually needs one authorised signatory, and "all" would stall on one absence.
    /// SLAs are business hours (two, three and two working days of eight hours); reminders every working day;
    /// overdue goes to the approver's manager.
    /// </summary>
    public static ApprovalFlow Agreement() => ApprovalFlow.Create(AgreementFlowName,
    [
        new StageDefinition("Department manager", ApproverRule.RequesterManager(), DecisionRule.Any,
            approverSla: TimeSpan.FromHours(16), reminderEvery: TimeSpan.FromHours(8), description: "Preliminary draft"),
        new StageDefinition("Legal", ApproverRule.Group(LegalGroup), DecisionRule.Any,
            approverSla: TimeSpan.FromHours(24), reminderEvery: TimeSpan.FromHours(8), description: "Compliance review of the final contract"),
        new StageDefinition("Management", ApproverRule.Group(ManagementGroup), DecisionRule.Any,
            approverSla: TimeSpan.FromHours(16), reminderEvery: TimeSpan.FromHours(8), description: "Final sign-off"),
    ]);
}
