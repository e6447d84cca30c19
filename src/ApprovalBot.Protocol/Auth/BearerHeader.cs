namespace ApprovalBot.Protocol.Auth;

/// <summary>Parses the <c>Authorization</c> header. Pure.</summary>
public static class BearerHeader
{
    public const string Scheme = "Bearer";

    /// <summary>
    /// Accepts exactly <c>Bearer &lt;token&gt;</c>: the scheme spelled <c>Bearer</c> (ordinal, as the SDK's extractor
    /// compares it), one space, a non-empty token with no whitespace. Anything else is malformed.
    /// </summary>
    /// <returns><see cref="AuthFailureReason.None"/> with the token, or the reason it was refused.</returns>
    public static AuthFailureReason TryGetToken(string? headerValue, out string token)
    {
        token = string.Empty;
        if (headerValue is null || headerValue.Length == 0) return AuthFailureReason.MissingAuthorizationHeader;

        var prefixLength = Scheme.Length + 1;
        if (headerValue.Length <= prefixLength
            || !headerValue.StartsWith(Scheme, StringComparison.Ordinal)
            || headerValue[Scheme.Length] != ' ')
            return AuthFailureReason.MalformedAuthorizationHeader;

        var candidate = headerValue[prefixLength..];
        foreach (var c in candidate)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c)) return AuthFailureReason.MalformedAuthorizationHeader;
        }

        token = candidate;
        return AuthFailureReason.None;
    }
}
