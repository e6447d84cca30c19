using System.Net;

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
}
