using ApprovalBot.Api;
using ApprovalBot.Protocol.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Dashboard;

/// <summary>
/// Who is looking (for the page's footer and the log), or why nobody may. <see cref="Unavailable"/>: the refusal is
/// ours, not the caller's (the sign-in keys could not be fetched): 503, try again.
/// </summary>
public sealed record DashboardAccessResult(string? Viewer, string? Refusal, bool Unavailable = false)
{
    public bool Allowed => Viewer is not null;
}

/// <summary>
/// Who may read the dashboard, checked on every request (the page holds no session):
/// <list type="number">
/// <item><c>Authorization: Bearer &lt;token&gt;</c> — a Teams tab SSO token (<see cref="TeamsTabTokenValidator"/>).</item>
/// <item><c>X-Api-Key</c> or <c>Authorization: ApiKey …</c> — an API key with the read role (any role includes it).</item>
/// <item>No credentials, in local development mode (no <c>MicrosoftAppId</c>), from a loopback address, not proxied —
/// the rule <c>/api/messages</c> follows there.</item>
/// </list>
/// Credentials that are sent must be valid: a wrong key is refused even on loopback, after <c>Api:FailureDelay</c> as
/// the API refuses it (so the page is no faster way to guess keys). Everything else is refused.
/// </summary>
public sealed class DashboardAccess(IInboundAuthenticator bot, TeamsTabTokenValidator tab, IOptions<ApiOptions> api, TimeProvider time)
{
    public async Task<DashboardAccessResult> CheckAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var authorization = http.Request.Headers.Authorization;
        if (authorization.Count > 1) return new(null, "Send one Authorization header.");
        var header = authorization.Count == 1 ? authorization[0] : null;

        if (header is not null && header.StartsWith(BearerHeader.Scheme + " ", StringComparison.Ordinal))
        {
            var result = await tab.ValidateAsync(header, http.RequestAborted);
            return result.Succeeded
                ? new($"{result.UserName ?? result.ObjectId ?? "a Teams user"} (Teams)", null)
                : new(null, TabRefusal(result.Failure), result.Failure == TabTokenFailure.MetadataUnavailable);
        }

        if (http.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName)
            || (header?.StartsWith(ApiKeyAuthenticationHandler.AuthorizationPrefix, StringComparison.OrdinalIgnoreCase) ?? false))
        {
            var result = await http.AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName);
            if (!result.Succeeded)
            {
                if (api.Value.FailureDelay > TimeSpan.Zero) await Task.Delay(api.Value.FailureDelay, time, http.RequestAborted);
                return new(null, result.Failure?.Message ?? "The API key is not valid.");
            }
            var user = result.Principal;
            return ApiRoles.All.Any(user.IsInRole)
                ? new($"API key '{user.Identity?.Name}'", null)
                : new(null, "This API key does not have the read role.");
        }

        if (header is not null) return new(null, "The Authorization header is neither a Teams token (Bearer) nor an API key (ApiKey).");

        if (bot.Mode == AuthMode.LocalDevelopment)
        {
            if (LocalDevelopmentPolicy.Check(http.Connection.RemoteIpAddress, LocalDevelopmentPolicy.IsForwarded(http.Request.Headers)) == AuthFailureReason.None)
                return new("local development (loopback)", null);
            return new(null, "Local development mode opens the dashboard only to direct requests from this machine.");
        }

        return new(null, "Sign in: open the dashboard as a tab in Teams, or send an API key with the read role.");
    }

    private static string TabRefusal(TabTokenFailure failure) => failure switch
    {
        TabTokenFailure.NotConfigured => "Teams sign-in is not configured on this bot (Dashboard:AppIdUri).",
        TabTokenFailure.Expired => "Your Teams sign-in has expired: reload the tab.",
        TabTokenFailure.TenantNotAllowed => "Your organisation is not allowed to use this dashboard.",
        TabTokenFailure.InvalidAudience => "The Teams token is not for this app.",
        TabTokenFailure.MissingScope => "The Teams token does not carry the dashboard's scope.",
        TabTokenFailure.MetadataUnavailable => "The sign-in keys could not be fetched; try again in a minute.",
        _ => "The Teams token is not valid.",
    };
}
