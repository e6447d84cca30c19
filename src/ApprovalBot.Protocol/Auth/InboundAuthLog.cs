using Microsoft.Extensions.Logging;

namespace ApprovalBot.Protocol.Auth;

/// <summary>Source-generated log messages for inbound authentication. Never log a token or a claim value from one.</summary>
internal static partial class InboundAuthLog
{
    [LoggerMessage(EventId = 1100, Message = "Inbound request refused: {Reason} (HTTP {StatusCode}, mode {Mode})")]
    public static partial void RequestRefused(ILogger logger, LogLevel level, AuthFailureReason reason, int statusCode, AuthMode mode);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "Inbound authentication failed unexpectedly ({ExceptionType}); the request was refused")]
    public static partial void UnexpectedFailure(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning,
        Message = "LOCAL DEVELOPMENT MODE: MicrosoftAppId is not configured, so /api/messages accepts UNAUTHENTICATED requests from loopback addresses. Never run like this outside a developer machine.")]
    public static partial void LocalDevelopmentModeEnabled(ILogger logger);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information,
        Message = "Inbound authentication: Bot Framework channel tokens for app {MicrosoftAppId}, keys from {OpenIdMetadataUrl}, {AllowedTenantCount} allowed tenant(s) (0 = any)")]
    public static partial void BotFrameworkModeEnabled(ILogger logger, string microsoftAppId, string openIdMetadataUrl, int allowedTenantCount);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "Fetched Bot Framework signing keys ({Trigger}): {KeyCount} key id(s)")]
    public static partial void SigningKeysFetched(ILogger logger, string trigger, int keyCount);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Warning, Message = "Fetching Bot Framework signing keys failed ({Trigger}); next attempt in {RetryInterval}")]
    public static partial void SigningKeysFetchFailed(ILogger logger, string trigger, TimeSpan retryInterval, Exception exception);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Information, Message = "Unknown signing key id: refresh skipped, the next forced refresh is allowed at {NextAllowedAt:O}")]
    public static partial void UnknownKeyRefreshThrottled(ILogger logger, DateTimeOffset nextAllowedAt);
}
