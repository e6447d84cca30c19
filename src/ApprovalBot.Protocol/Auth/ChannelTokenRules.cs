namespace ApprovalBot.Protocol.Auth;

/// <summary>
/// The channel-token checks of bot-protocol.md §2.2–2.3 that IdentityModel does not do for us. Pure functions:
/// each returns <see cref="AuthFailureReason.None"/> or the reason to refuse.
/// </summary>
public static class ChannelTokenRules
{
    /// <summary>The only issuer of channel tokens (Teams/ABS). Emulator and skill issuers are not accepted.</summary>
    public const string Issuer = "https://api.botframework.com";

    public const string ServiceUrlClaim = "serviceurl";

    public static readonly IReadOnlyList<string> AllowedAlgorithms = ["RS256", "RS384", "RS512"];

    /// <summary>Header checks done before any signature work: RS256/RS384/RS512 only (no <c>none</c>, no HMAC) and a <c>kid</c>.</summary>
    public static AuthFailureReason CheckHeader(string? algorithm, string? keyId)
    {
        if (algorithm is null || !AllowedAlgorithms.Contains(algorithm, StringComparer.Ordinal)) return AuthFailureReason.UnsupportedAlgorithm;
        if (string.IsNullOrEmpty(keyId)) return AuthFailureReason.MissingKeyId;
        return AuthFailureReason.None;
    }

    /// <summary><c>iss</c> must be exactly <see cref="Issuer"/> (ordinal; no trailing-slash or case tolerance).</summary>
    public static AuthFailureReason CheckIssuer(string? issuer) =>
        string.Equals(issuer, Issuer, StringComparison.Ordinal) ? AuthFailureReason.None : AuthFailureReason.InvalidIssuer;

    /// <summary>
    /// <c>aud</c> must be exactly one value, equal (ordinal) to the configured Microsoft App ID — the SDK compares
    /// the app id with <c>==</c>. Channel tokens carry a single audience, so a list is refused rather than searched.
    /// </summary>
    public static AuthFailureReason CheckAudience(IReadOnlyCollection<string> audiences, string microsoftAppId)
    {
        ArgumentNullException.ThrowIfNull(audiences);
        return audiences.Count == 1 && string.Equals(audiences.First(), microsoftAppId, StringComparison.Ordinal)
            ? AuthFailureReason.None
            : AuthFailureReason.InvalidAudience;
    }

    /// <summary>
    /// The signing key's endorsements must contain the activity's channel id (ordinal, e.g. <c>msteams</c>).
    /// A key without an endorsements entry is refused: only emulator/skill tokens may lack one, and we accept neither.
    /// </summary>
    public static AuthFailureReason CheckEndorsement(IReadOnlySet<string>? endorsements, string? channelId)
    {
        if (endorsements is null) return AuthFailureReason.MissingEndorsements;
        return !string.IsNullOrEmpty(channelId) && endorsements.Contains(channelId)
            ? AuthFailureReason.None
            : AuthFailureReason.ChannelNotEndorsed;
    }

    /// <summary>
    /// The token's <c>serviceurl</c> claim must be present and equal the activity's <c>serviceUrl</c>: full string,
    /// ordinal case-insensitive, NO normalisation (a trailing slash on one side only is a mismatch). Both values come
    /// from the Bot Framework service, which sends them identically; normalising would only widen what is accepted.
    /// </summary>
    public static AuthFailureReason CheckServiceUrl(string? serviceUrlClaim, string? activityServiceUrl)
    {
        if (string.IsNullOrEmpty(serviceUrlClaim)) return AuthFailureReason.MissingServiceUrlClaim;
        return !string.IsNullOrEmpty(activityServiceUrl) && string.Equals(serviceUrlClaim, activityServiceUrl, StringComparison.OrdinalIgnoreCase)
            ? AuthFailureReason.None
            : AuthFailureReason.ServiceUrlMismatch;
    }

    /// <summary>Empty allow-list ⇒ any tenant. Otherwise the tenant must be listed (ordinal case-insensitive: ids are GUIDs in any case).</summary>
    public static AuthFailureReason CheckTenant(IReadOnlyCollection<string> allowedTenantIds, string? tenantId)
    {
        ArgumentNullException.ThrowIfNull(allowedTenantIds);
        if (allowedTenantIds.Count == 0) return AuthFailureReason.None;
        return !string.IsNullOrEmpty(tenantId) && allowedTenantIds.Contains(tenantId, StringComparer.OrdinalIgnoreCase)
            ? AuthFailureReason.None
            : AuthFailureReason.TenantNotAllowed;
    }
}
