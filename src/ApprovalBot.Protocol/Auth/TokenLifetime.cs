using Microsoft.IdentityModel.Tokens;

namespace ApprovalBot.Protocol.Auth;

/// <summary>
/// <c>exp</c>/<c>nbf</c> checks against a caller-supplied "now" (from the injected TimeProvider). Pure.
/// IdentityModel 8.16 keeps its own TimeProvider internal, so the authenticator plugs this into
/// <c>TokenValidationParameters.LifetimeValidator</c>.
/// </summary>
public static class TokenLifetime
{
    /// <summary>
    /// <c>exp</c> is required. Expired when <c>now &gt; exp + skew</c>; not yet valid when <c>now &lt; nbf - skew</c>;
    /// <c>nbf</c> after <c>exp</c> is never valid. Inputs are UTC (IdentityModel converts the NumericDate claims to UTC).
    /// </summary>
    public static AuthFailureReason Evaluate(DateTime? notBefore, DateTime? expires, DateTimeOffset now, TimeSpan clockSkew)
    {
        if (expires is null) return AuthFailureReason.InvalidLifetime;
        var exp = AsUtc(expires.Value);
        var nbf = notBefore is null ? (DateTimeOffset?)null : AsUtc(notBefore.Value);
        if (nbf > exp) return AuthFailureReason.InvalidLifetime;

        // Compare "now ± skew" with the claims so a far-future exp cannot overflow DateTimeOffset arithmetic.
        if (nbf is not null && nbf.Value > Add(now, clockSkew)) return AuthFailureReason.TokenNotYetValid;
        if (exp < Add(now, -clockSkew)) return AuthFailureReason.TokenExpired;
        return AuthFailureReason.None;
    }

    private static DateTimeOffset AsUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Local => new DateTimeOffset(value.ToUniversalTime(), TimeSpan.Zero),
        _ => new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc), TimeSpan.Zero),
    };

    private static DateTimeOffset Add(DateTimeOffset value, TimeSpan delta)
    {
        if (delta > TimeSpan.Zero && DateTimeOffset.MaxValue - value < delta) return DateTimeOffset.MaxValue;
        if (delta < TimeSpan.Zero && value - DateTimeOffset.MinValue < delta.Negate()) return DateTimeOffset.MinValue;
        return value + delta;
    }
}

/// <summary>
/// The validation parameters every signed token we accept shares — RS256-family signature by the key its <c>kid</c>
/// names (never every key), the issuer given, <c>exp</c> required, lifetime judged by <see cref="TokenLifetime"/> on the
/// injected clock — and what that lifetime check decided, which IdentityModel does not report by itself. One per
/// validation: <see cref="Lifetime"/> holds the last token's answer.
/// </summary>
internal sealed class SignedTokenCheck(TimeProvider time, TimeSpan skew)
{
    public AuthFailureReason Lifetime { get; private set; }

    /// <summary>Audience is validated unless the caller turns it off (and compares it itself).</summary>
    public TokenValidationParameters Parameters(string? issuer, IEnumerable<SecurityKey> signingKeys, IEnumerable<string> algorithms) => new()
    {
        ValidateIssuer = true,
        ValidIssuer = issuer,
        ValidateAudience = true,
        RequireSignedTokens = true,
        ValidateIssuerSigningKey = true,
        IssuerSigningKeys = signingKeys,
        // Only the key named by kid may verify the signature; never fall back to trying every key.
        TryAllIssuerSigningKeys = false,
        ValidAlgorithms = algorithms,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        ClockSkew = skew,
        // 8.16 has no public TimeProvider on TokenValidationParameters, so "now" comes from this delegate.
        LifetimeValidator = (notBefore, expires, _, _) =>
            (Lifetime = TokenLifetime.Evaluate(notBefore, expires, time.GetUtcNow(), skew)) == AuthFailureReason.None,
        ValidateTokenReplay = false,
        SaveSigninToken = false,
    };
}
