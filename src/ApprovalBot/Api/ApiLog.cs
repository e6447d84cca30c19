using System.Net;

namespace ApprovalBot.Api;

/// <summary>What the API logs. Keys appear by their configured name only; a presented secret is never logged.</summary>
internal static partial class ApiLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "API call refused: {Reason} on {Method} {Path} from {RemoteAddress}")]
    public static partial void Unauthenticated(ILogger logger, string reason, string method, string path, IPAddress? remoteAddress);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "API key {KeyName} lacks the role for {Method} {Path}")]
    public static partial void Forbidden(ILogger logger, string keyName, string method, string path);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "API: {KeyCount} key(s) configured; OpenAPI document {DocsAccess}")]
    public static partial void Configured(ILogger logger, int keyCount, string docsAccess);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "API key {KeyName} is configured in plain text; outside development configure its KeyHash instead")]
    public static partial void PlainKeyOutsideDevelopment(ILogger logger, string keyName);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "API key {KeyName} is over its rate limit; refusing calls for {RetryAfterSeconds} s")]
    public static partial void RateLimited(ILogger logger, string keyName, double retryAfterSeconds);
}
