namespace ApprovalBot.Uptime.Api;

/// <summary>What the uptime endpoints log: which API key reported what (never the key itself).</summary>
internal static partial class UptimeApiLog
{
    [LoggerMessage(EventId = 4400, Level = LogLevel.Information, Message = "API key {KeyName} reported uptime report {ReportId} for agreement {AgreementId} ({Service}): {Percent} % from {From} to {To}")]
    public static partial void Reported(ILogger logger, string keyName, long reportId, long agreementId, string service, double percent, DateTimeOffset from, DateTimeOffset to);

    [LoggerMessage(EventId = 4401, Level = LogLevel.Information, Message = "API key {KeyName}: uptime for agreement {AgreementId} ({Service}) refused, it overlaps report {OverlapsId}")]
    public static partial void Overlap(ILogger logger, string keyName, long agreementId, string service, long overlapsId);
}
