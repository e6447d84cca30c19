using System.Net;
using Microsoft.AspNetCore.Http;

namespace ApprovalBot.Protocol.Auth;

/// <summary>Who may call the bot in local development mode (no app id, no token). Pure.</summary>
public static class LocalDevelopmentPolicy
{
    /// <summary>
    /// Only a direct (not proxied) request from a loopback address is accepted. The Authorization header plays no
    /// part: the Agents Playground sends none, and a token could not be checked without an app id anyway.
    /// </summary>
    public static AuthFailureReason Check(IPAddress? remoteAddress, bool isForwarded)
    {
        if (remoteAddress is null) return AuthFailureReason.LocalDevelopmentUnknownRemoteAddress;
        if (!LoopbackAddress.IsLoopback(remoteAddress)) return AuthFailureReason.LocalDevelopmentNonLoopback;
        if (isForwarded) return AuthFailureReason.LocalDevelopmentForwardedRequest;
        return AuthFailureReason.None;
    }

    /// <summary>
    /// Whether the request came through a proxy (<c>Forwarded</c>, <c>X-Forwarded-For</c>, <c>X-Original-For</c>): then
    /// the peer address is the proxy's, not the caller's, and local development mode refuses it.
    /// </summary>
    public static bool IsForwarded(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return headers.ContainsKey("X-Forwarded-For") || headers.ContainsKey("Forwarded") || headers.ContainsKey("X-Original-For");
    }
}
