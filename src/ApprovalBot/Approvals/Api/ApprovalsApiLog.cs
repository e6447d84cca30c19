namespace ApprovalBot.Approvals.Api;

/// <summary>What the agreements and approvals endpoints log: which API key did what (never the key itself).</summary>
internal static partial class ApprovalsApiLog
{
    [LoggerMessage(EventId = 4200, Level = LogLevel.Information, Message = "API key {KeyName} created approval request {RequestId} on flow {FlowName}")]
    public static partial void RequestCreated(ILogger logger, string keyName, long requestId, string flowName);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "API key {KeyName} created agreement {AgreementId}")]
    public static partial void AgreementCreated(ILogger logger, string keyName, long agreementId);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information, Message = "API key {KeyName} revised agreement {AgreementId} to revision {Revision}")]
    public static partial void AgreementRevised(ILogger logger, string keyName, long agreementId, int revision);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Information, Message = "API key {KeyName} submitted agreement {AgreementId}: approval request {RequestId}")]
    public static partial void AgreementSubmitted(ILogger logger, string keyName, long agreementId, long requestId);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Information, Message = "API key {KeyName} exported the audit trail ({Scope}) as {Format}")]
    public static partial void AuditExported(ILogger logger, string keyName, string scope, string format);
}
