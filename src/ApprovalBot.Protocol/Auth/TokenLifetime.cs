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
