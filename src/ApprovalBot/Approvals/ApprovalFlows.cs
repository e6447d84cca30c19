using System.Text.Json;
using System.Text.Json.Serialization;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Approvals;

/// <summary>
/// The approval flows people can start: read once from <see cref="ApprovalsOptions.FlowsFile"/> (flows are data, not
/// code), or the built-in agreement flow. A request copies its flow's stages when it is submitted, so editing the
/// file changes only requests submitted afterwards.
/// </summary>
public sealed class ApprovalFlows
{
    private readonly Dictionary<string, ApprovalFlow> _flows;

    public ApprovalFlows(IOptions<ApprovalsOptions> options, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        var file = options.Value.FlowsFile;
        var flows = string.IsNullOrWhiteSpace(file)
            ? [BuiltInFlows.Agreement()]
            : Load(Path.GetFullPath(file, environment.ContentRootPath));
        _flows = flows.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
        if (!_flows.ContainsKey(BuiltInFlows.AgreementFlowName))
            throw new InvalidOperationException($"The flows file '{file}' has no flow named '{BuiltInFlows.AgreementFlowName}'; agreements need it.");
    }

    public IReadOnlyList<ApprovalFlow> All => [.. _flows.Values.OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase)];

    public IReadOnlyList<string> Names => [.. All.Select(f => f.Name)];

    public ApprovalFlow Agreement => _flows[BuiltInFlows.AgreementFlowName];

    public ApprovalFlow? Find(string? name) => name is not null && _flows.TryGetValue(name.Trim(), out var flow) ? flow : null;

    /// <summary>Parses a flows file; every problem is reported with the flow and stage it is in.</summary>
    public static IReadOnlyList<ApprovalFlow> Parse(string json, string source)
    {
        FlowsFile? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<FlowsFile>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"The flows file '{source}' is not valid JSON: {e.Message}", e);
        }

        if (parsed?.Flows is not { Count: > 0 } flows)
            throw new InvalidOperationException($"The flows file '{source}' has no flows.");
        var result = new List<ApprovalFlow>();
        foreach (var (flow, i) in flows.Select((f, i) => (f, i)))
        {
            try
            {
                result.Add(ApprovalFlow.Create(flow.Name ?? "", (flow.Stages ?? []).Select(ToStage)));
            }
            catch (Exception e) when (e is DomainException or FormatException or ArgumentException)
            {
                throw new InvalidOperationException($"The flows file '{source}', flow {i + 1} ('{flow.Name}'): {e.Message}", e);
            }
        }

        var duplicate = result.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException($"The flows file '{source}' names the flow '{duplicate.Key}' twice.");
        return result;
    }

    private static List<ApprovalFlow> Load(string path)
    {
        if (!File.Exists(path))
            throw new InvalidOperationException($"Approvals:FlowsFile points to '{path}', which does not exist.");
        return [.. Parse(File.ReadAllText(path), path)];
    }

    private static StageDefinition ToStage(StageFile s)
    {
        var approvers = (s.Approvers ?? "").Trim() switch
        {
            var a when a.Equals("manager", StringComparison.OrdinalIgnoreCase) => ApproverRule.RequesterManager(),
            var a when a.StartsWith("group:", StringComparison.OrdinalIgnoreCase) => ApproverRule.Group(a[6..].Trim()),
            var a when a.StartsWith("people:", StringComparison.OrdinalIgnoreCase) =>
                ApproverRule.People(a[7..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => new PersonId(p))),
            var a => throw new FormatException($"stage '{s.Name}': approvers must be 'manager', 'group:<name>' or 'people:<id>,<id>', not '{a}'."),
        };
        var decision = (s.Decision ?? "any").Trim().ToUpperInvariant() switch
        {
            "ANY" => DecisionRule.Any,
            "ALL" => DecisionRule.All,
            var d when d.EndsWith(" OF M", StringComparison.Ordinal) && int.TryParse(d[..^5], out var n) => DecisionRule.NOfM(n),
            var d => throw new FormatException($"stage '{s.Name}': decision must be 'any', 'all' or 'N of M', not '{d}'."),
        };
        var escalateTo = (s.EscalateTo ?? "manager").Trim() switch
        {
            var e when e.Equals("manager", StringComparison.OrdinalIgnoreCase) => EscalationTarget.ApproversManager,
            var e when e.StartsWith("group:", StringComparison.OrdinalIgnoreCase) => EscalationTarget.Group(e[6..].Trim()),
            var e when e.StartsWith("people:", StringComparison.OrdinalIgnoreCase) =>
                EscalationTarget.People(e[7..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => new PersonId(p))),
            var e => throw new FormatException($"stage '{s.Name}': escalateTo must be 'manager', 'group:<name>' or 'people:<id>,<id>', not '{e}'."),
        };
        if (s.SlaHours is not > 0)
            throw new FormatException($"stage '{s.Name}': slaHours must be a positive number of business hours.");
        return new StageDefinition(
            s.Name ?? "", approvers, decision, TimeSpan.FromHours(s.SlaHours.Value),
            s.ReminderHours is > 0 ? TimeSpan.FromHours(s.ReminderHours.Value) : null, escalateTo, s.Description);
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private sealed record FlowsFile([property: JsonPropertyName("$comment")] string? Comment, List<FlowFile>? Flows);

    private sealed record FlowFile(string? Name, List<StageFile>? Stages);

    private sealed record StageFile(string? Name, string? Description, string? Approvers, string? Decision, double? SlaHours, double? ReminderHours, string? EscalateTo);
}
