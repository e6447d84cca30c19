namespace ApprovalBot.Approvals.Api;

/// <summary>
/// One line of an audit trail, with the request it belongs to; the columns of the CSV export, in this order.
/// <c>DocumentHashes</c>: for a submission, resubmission or decision on an agreement with documents, the hashes of
/// the documents it was made on (<c>Draft:&lt;sha256&gt; FinalContract:&lt;sha256&gt;</c>); last, so that readers of the
/// earlier columns by position are not disturbed.
/// </summary>
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
    string? Detail,
    string? DocumentHashes);
