using ApprovalBot.Api;
using ApprovalBot.Protocol.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Metrics;

/// <summary>Who may scrape, or why not.</summary>
public sealed record MetricsAccessResult(bool Allowed, string? Refusal)
{
    public static readonly MetricsAccessResult Yes = new(true, null);
}

/// <summary>
/// Who may read <c>/metrics</c>, checked on every scrape. A Prometheus server holds no Entra token, so:
/// <list type="number">
/// <item><c>Metrics:AllowAnonymous</c> = true — anyone who can reach the port (a private monitoring network).</item>
/// <item>An API key with any role (read is enough: the numbers hold no personal data) as <c>Authorization: ApiKey &lt;key&gt;</c>
/// — what Prometheus sends for <c>authorization: { type: ApiKey, credentials: … }</c> — or <c>X-Api-Key</c>.</item>
/// <item>No credentials, in local development mode (no <c>MicrosoftAppId</c>), from a loopback address, not proxied.</item>
/// </list>
/// A key that is sent must be valid: a wrong one is refused even on loopback, after <c>Api:FailureDelay</c> as the API
/// refuses it. Anything else is refused.
/// </summary>
public sealed class MetricsAccess(IInboundAuthenticator bot, IOptions<ApiOptions> api, IOptions<MetricsOptions> options, TimeProvider time)
{
    public async Task<MetricsAccessResult> CheckAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (options.Value.AllowAnonymous) return MetricsAccessResult.Yes;

        var authorization = http.Request.Headers.Authorization;
        if (authorization.Count > 1) return new(false, "Send one Authorization header.");
        var header = authorization.Count == 1 ? authorization[0] : null;

        if (http.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName)
            || (header?.StartsWith(ApiKeyAuthenticationHandler.AuthorizationPrefix, StringComparison.OrdinalIgnoreCase) ?? false))
        {
            var result = await http.AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName);
            if (!result.Succeeded)
            {
                if (api.Value.FailureDelay > TimeSpan.Zero) await Task.Delay(api.Value.FailureDelay, time, http.RequestAborted);
                return new(false, result.Failure?.Message ?? "The API key is not valid.");
            }
            return ApiRoles.All.Any(result.Principal.IsInRole)
                ? MetricsAccessResult.Yes
                : new(false, "This API key has no role.");
        }

        if (header is not null) return new(false, "Send an API key as 'Authorization: ApiKey <key>' or 'X-Api-Key: <key>'.");

        if (bot.Mode == AuthMode.LocalDevelopment
            && LocalDevelopmentPolicy.Check(http.Connection.RemoteIpAddress, LocalDevelopmentPolicy.IsForwarded(http.Request.Headers)) == AuthFailureReason.None)
            return MetricsAccessResult.Yes;

        return new(false, "Send an API key as 'Authorization: ApiKey <key>' or 'X-Api-Key: <key>' (docs/metrics.md).");
    }
}
