using System.Net;
using ApprovalBot.Protocol.Schema;

namespace ApprovalBot.Protocol.Auth;

/// <summary>
/// Authenticates one inbound <c>/api/messages</c> request (bot-protocol.md §2). Call it after parsing the activity
/// body and before acting on it. It never throws for a bad or missing token: every failure is a result.
/// </summary>
public interface IInboundAuthenticator
{
    ValueTask<InboundAuthResult> AuthenticateAsync(InboundAuthRequest request, CancellationToken cancellationToken);

    /// <summary>Fixed for the process lifetime; report it on the health endpoint.</summary>
    AuthMode Mode { get; }
}

public enum AuthMode
{
    /// <summary>A Microsoft App ID is configured: only signed Bot Framework channel tokens are accepted.</summary>
    BotFramework,

    /// <summary>No app id: token-less requests are accepted from loopback addresses only (Agents Playground).</summary>
    LocalDevelopment,
}

/// <summary>What the authenticator needs from one HTTP request and its parsed activity.</summary>
/// <param name="AuthorizationHeader">The raw <c>Authorization</c> header value, or null when absent.</param>
/// <param name="RemoteAddress">The connection's remote address (after any trusted forwarded-headers processing).</param>
/// <param name="ChannelId">The activity's <c>channelId</c> (must be endorsed by the signing key).</param>
/// <param name="ServiceUrl">The activity's <c>serviceUrl</c> (must equal the token's <c>serviceurl</c> claim).</param>
/// <param name="TenantId">The activity's tenant (channelData.tenant.id, else conversation.tenantId).</param>
public sealed record InboundAuthRequest(
    string? AuthorizationHeader,
    IPAddress? RemoteAddress,
    string? ChannelId,
    string? ServiceUrl,
    string? TenantId)
{
    /// <summary>
    /// True when the request carried proxy headers (<c>Forwarded</c>, <c>X-Forwarded-For</c>, <c>X-Original-For</c>).
    /// Local development mode refuses such requests: behind a reverse proxy on the same machine every caller would
    /// otherwise look like loopback.
    /// </summary>
    public bool IsForwarded { get; init; }

    /// <summary>Builds a request from a parsed activity.</summary>
    public static InboundAuthRequest ForActivity(Activity activity, string? authorizationHeader, IPAddress? remoteAddress, bool isForwarded = false)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return new InboundAuthRequest(authorizationHeader, remoteAddress, activity.ChannelId, activity.ServiceUrl, activity.TenantId)
        {
            IsForwarded = isForwarded,
        };
    }
}
