namespace ApprovalBot.Approvals.Api;

/// <summary><c>GET /api/v1/flows</c>: the configured approval flows and their stages, in words and as data.</summary>
internal static class ListFlows
{
    public static IReadOnlyList<FlowDto> Handle(ApprovalFlows flows) => [.. flows.All.Select(f => f.ToDto())];
}
