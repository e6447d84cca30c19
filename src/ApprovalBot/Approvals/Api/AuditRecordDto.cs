namespace ApprovalBot.Approvals.Api;

/// <summary>One line of an audit trail, with the request it belongs to; the columns of the CSV export, in this order.</summary>
public sealed record AuditRecordDto(
    long RequestId,
    int Sequence,
    DateTimeOffset At,
    string? Actor,
    string? OnBehalfOf,
    string Action,
    string Outcome,
    string? Refusal,
    int Revision,
    int? Stage,
    string? StageName,
    string? DelegateTo,
    string? Comment,
    string? Detail);
