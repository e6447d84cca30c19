using ApprovalBot.Approvals;
using ApprovalBot.Domain.Approvals;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Agreements.Negotiation;

/// <summary>
/// Negotiation with the provider, per approval flow (section <c>Agreements:Negotiation</c>): after which stage the
/// approved revision goes to the provider's contacts, and which stage a change request sends it back to.
/// </summary>
public sealed class NegotiationOptions
{
    public const string SectionName = "Agreements:Negotiation";

    /// <summary>The value that turns negotiation off for a flow.</summary>
    public const string Off = "none";

    /// <summary>
    /// Flow name (any case) → the stage (any case) after whose approval the revision goes to the provider, or
    /// <c>none</c>. A flow not listed has no negotiation. Default: the agreement flow after its Legal stage.
    /// </summary>
    public Dictionary<string, string> AfterStage { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        [BuiltInFlows.AgreementFlowName] = BuiltInFlows.LegalGroup,
    };

    /// <summary>
    /// Flow name (any case) → the stage a provider's change request returns to: the negotiation stage or one before it.
    /// A flow not listed returns to its <see cref="AfterStage"/> (the default).
    /// </summary>
    public Dictionary<string, string> ReturnStage { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Where a request on <paramref name="flowName"/> with the stages <paramref name="stages"/> (its snapshot) goes to
    /// the provider: the 1-based stage after which it does and the stage a change request returns to; null when the
    /// flow has no negotiation, or the stage is not one of these stages (a flows file without it) or is the last stage.
    /// </summary>
    public NegotiationPlan? PlanFor(string? flowName, IReadOnlyList<StageDefinition> stages)
    {
        ArgumentNullException.ThrowIfNull(stages);
        var after = StageNumber(Lookup(AfterStage, flowName), stages);
        if (after is not { } handsOver || handsOver >= stages.Count) return null;
        var back = StageNumber(Lookup(ReturnStage, flowName), stages);
        return new NegotiationPlan(handsOver, back is { } b && b <= handsOver ? b : handsOver);
    }

    /// <summary>
    /// Why the options cannot work with <paramref name="flows"/>, or null. The built-in default (the agreement flow after
    /// Legal) is exempt: with a flows file whose agreement flow has no Legal stage, or ends with it, negotiation is off.
    /// </summary>
    public string? Problem(ApprovalFlows flows)
    {
        ArgumentNullException.ThrowIfNull(flows);
        foreach (var (flowName, stage) in AfterStage)
        {
            if (IsOff(stage)) continue;
            if (flows.Find(flowName) is not { } flow)
                return $"Agreements:Negotiation:AfterStage names the flow '{flowName}', which is not a flow; flows: {string.Join(", ", flows.Names)}.";
            var isDefault = string.Equals(flowName.Trim(), BuiltInFlows.AgreementFlowName, StringComparison.OrdinalIgnoreCase)
                && string.Equals(stage.Trim(), BuiltInFlows.LegalGroup, StringComparison.OrdinalIgnoreCase);
            var number = StageNumber(stage, flow.Stages);
            if (number is null && !isDefault)
                return $"Agreements:Negotiation:AfterStage: '{stage}' is not a stage of the flow '{flow.Name}'; its stages: {string.Join(", ", flow.Stages.Select(s => s.Name))}.";
            if (number == flow.Stages.Count && !isDefault)
                return $"Agreements:Negotiation:AfterStage: '{stage}' is the last stage of the flow '{flow.Name}'; the provider's answer must come before a later stage (the final approval).";
        }
        foreach (var (flowName, stage) in ReturnStage)
        {
            if (IsOff(stage)) continue;
            if (flows.Find(flowName) is not { } flow)
                return $"Agreements:Negotiation:ReturnStage names the flow '{flowName}', which is not a flow; flows: {string.Join(", ", flows.Names)}.";
            if (StageNumber(Lookup(AfterStage, flowName), flow.Stages) is not { } after) continue;
            var number = StageNumber(stage, flow.Stages);
            if (number is null || number > after)
                return $"Agreements:Negotiation:ReturnStage: '{stage}' must be the stage '{flow.Stages[after - 1].Name}' of the flow '{flow.Name}' or one before it.";
        }
        return null;
    }

    private static string? Lookup(Dictionary<string, string> map, string? flowName) =>
        flowName is null ? null : map.FirstOrDefault(f => string.Equals(f.Key.Trim(), flowName.Trim(), StringComparison.OrdinalIgnoreCase)).Value;

    private static bool IsOff(string? stage) => string.IsNullOrWhiteSpace(stage) || string.Equals(stage.Trim(), Off, StringComparison.OrdinalIgnoreCase);

    private static int? StageNumber(string? stage, IReadOnlyList<StageDefinition> stages)
    {
        if (IsOff(stage)) return null;
        for (var i = 0; i < stages.Count; i++)
        {
            if (string.Equals(stages[i].Name, stage!.Trim(), StringComparison.OrdinalIgnoreCase)) return i + 1;
        }
        return null;
    }
}

/// <summary>A flow's negotiation: the revision goes to the provider after stage <see cref="AfterStage"/>; a change request returns to <see cref="ReturnStage"/> (1-based).</summary>
public sealed record NegotiationPlan(int AfterStage, int ReturnStage);

/// <summary>Refuses to start with a negotiation stage or return stage that no flow has.</summary>
internal sealed class NegotiationOptionsValidator(ApprovalFlows flows) : IValidateOptions<NegotiationOptions>
{
    public ValidateOptionsResult Validate(string? name, NegotiationOptions options) =>
        (options ?? throw new ArgumentNullException(nameof(options))).Problem(flows) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
