using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;

namespace ApprovalBot.Protocol.Auth;

/// <summary>
/// Why a request was refused. Names are stable: use them as a metric label (<c>reason.ToString()</c>) and in logs.
/// </summary>
public enum AuthFailureReason
{
    None = 0,

    // 401: the request does not carry an acceptable token.
    MissingAuthorizationHeader,
    MalformedAuthorizationHeader,
    MalformedToken,
    UnsupportedAlgorithm,
    MissingKeyId,
    InvalidIssuer,
    UnknownSigningKey,
    InvalidSignature,
    TokenExpired,
    TokenNotYetValid,
    InvalidLifetime,
    InvalidAudience,
    MissingServiceUrlClaim,
    ServiceUrlMismatch,
    TokenValidationFailed,

    // 403: the token is genuine but not allowed here, or local development mode refuses the caller.
    MissingEndorsements,
    ChannelNotEndorsed,
    TenantNotAllowed,
    LocalDevelopmentNonLoopback,
    LocalDevelopmentUnknownRemoteAddress,
    LocalDevelopmentForwardedRequest,

    // 503: transient, the caller should retry.
    MetadataUnavailable,
}

/// <summary>The outcome of <see cref="IInboundAuthenticator.AuthenticateAsync"/>.</summary>
public sealed record InboundAuthResult
{
    private InboundAuthResult(bool succeeded, int statusCode, AuthFailureReason reason, string? publicMessage, ClaimsIdentity? identity, AuthMode mode)
    {
        Succeeded = succeeded;
        StatusCode = statusCode;
        Reason = reason;
        PublicMessage = publicMessage;
        Identity = identity;
        Mode = mode;
    }

    [MemberNotNullWhen(true, nameof(Identity))]
    [MemberNotNullWhen(false, nameof(PublicMessage))]
    public bool Succeeded { get; }

    /// <summary>200 on success; 401, 403 or 503 on failure.</summary>
    public int StatusCode { get; }

    /// <summary><see cref="AuthFailureReason.None"/> on success.</summary>
    public AuthFailureReason Reason { get; }

    /// <summary>A short message safe to send back (no token contents, no internals); null on success.</summary>
    public string? PublicMessage { get; }

    /// <summary>The validated token's identity, or an anonymous (unauthenticated) identity in local development mode.</summary>
    public ClaimsIdentity? Identity { get; }

    public AuthMode Mode { get; }

    public static InboundAuthResult Success(ClaimsIdentity identity, AuthMode mode)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return new(true, 200, AuthFailureReason.None, null, identity, mode);
    }

    public static InboundAuthResult Failure(AuthFailureReason reason, AuthMode mode)
    {
        if (reason == AuthFailureReason.None) throw new ArgumentOutOfRangeException(nameof(reason), "A failure needs a reason.");
        return new(false, StatusCodeFor(reason), reason, PublicMessageFor(reason), null, mode);
    }

    /// <summary>The HTTP status for each reason (bot-protocol.md §1.1/§2.3, decided in §8: 401; endorsements 403).</summary>
    public static int StatusCodeFor(AuthFailureReason reason) => reason switch
    {
        AuthFailureReason.None => 200,
        AuthFailureReason.MetadataUnavailable => 503,
        AuthFailureReason.MissingEndorsements
            or AuthFailureReason.ChannelNotEndorsed
            or AuthFailureReason.TenantNotAllowed
            or AuthFailureReason.LocalDevelopmentNonLoopback
            or AuthFailureReason.LocalDevelopmentUnknownRemoteAddress
            or AuthFailureReason.LocalDevelopmentForwardedRequest => 403,
        _ => 401,
    };

    private static string PublicMessageFor(AuthFailureReason reason) => reason switch
    {
        AuthFailureReason.MissingAuthorizationHeader => "An Authorization header with a Bearer token is required.",
        AuthFailureReason.MalformedAuthorizationHeader => "The Authorization header must be 'Bearer <token>'.",
        AuthFailureReason.TokenExpired => "The token has expired.",
        AuthFailureReason.TokenNotYetValid => "The token is not valid yet.",
        AuthFailureReason.MissingServiceUrlClaim or AuthFailureReason.ServiceUrlMismatch => "The token does not match the activity's serviceUrl.",
        AuthFailureReason.MissingEndorsements or AuthFailureReason.ChannelNotEndorsed => "The token's signing key is not endorsed for this channel.",
        AuthFailureReason.TenantNotAllowed => "This tenant is not allowed to use this bot.",
        AuthFailureReason.LocalDevelopmentNonLoopback
            or AuthFailureReason.LocalDevelopmentUnknownRemoteAddress
            or AuthFailureReason.LocalDevelopmentForwardedRequest => "Local development mode accepts direct requests from this machine only.",
        AuthFailureReason.MetadataUnavailable => "Token signing keys are temporarily unavailable; retry later.",
        _ => "The bearer token is not valid for this bot.",
    };
}
