using ApprovalBot.Api;
using ApprovalBot.Protocol.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Operations;

/// <summary>
/// Who is looking, or why nobody may. <see cref="Status"/> is the answer a refusal gets: 401 (no or bad credentials),
/// 403 (valid credentials of someone who is not an administrator), 503 (the sign-in keys could not be fetched).
/// <see cref="ByHeader"/>: the caller proved who it is with a credential in a request header (a Teams token, an API key),
/// which a browser never adds to a request by itself — so the request cannot be a cross-site forgery (see
/// <see cref="OperationsForms"/>).
/// </summary>
public sealed record OperationsAccessResult(string? Actor, string? Refusal, int Status, bool ByHeader = false)
{
    public bool Allowed => Actor is not null;

    public static OperationsAccessResult Allow(string actor, bool byHeader) => new(actor, null, StatusCodes.Status200OK, byHeader);

    public static OperationsAccessResult Unauthenticated(string why) => new(null, why, StatusCodes.Status401Unauthorized);

    public static OperationsAccessResult Forbidden(string why) => new(null, why, StatusCodes.Status403Forbidden);
}

/// <summary>
/// Who may open <c>/ops</c> and act on it, checked on every request (the page holds no session), as the dashboard's rule
/// but for administrators only:
/// <list type="number">
/// <item><c>Authorization: Bearer &lt;token&gt;</c> — a Teams tab SSO token (<see cref="TeamsTabTokenValidator"/>) of a
/// person listed in <see cref="OperationsOptions.Administrators"/>.</item>
/// <item><c>X-Api-Key</c> or <c>Authorization: ApiKey …</c> — an API key with the admin role.</item>
/// <item>No credentials, in local development mode (no <c>MicrosoftAppId</c>), from a loopback address, not proxied.</item>
/// </list>
/// Valid credentials of anyone else get a 403 that says why; no or wrong credentials a 401.
/// </summary>
public sealed class OperationsAccess(IInboundAuthenticator bot, TeamsTabTokenValidator tab, IOptions<ApiOptions> api, IOptionsMonitor<OperationsOptions> options, TimeProvider time)
{
    public const string LocalDevelopmentActor = "local development (loopback)";

    public async Task<OperationsAccessResult> CheckAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var authorization = http.Request.Headers.Authorization;
        if (authorization.Count > 1) return OperationsAccessResult.Unauthenticated("Send one Authorization header.");
        var header = authorization.Count == 1 ? authorization[0] : null;

        if (header is not null && header.StartsWith(BearerHeader.Scheme + " ", StringComparison.Ordinal))
        {
            var result = await tab.ValidateAsync(header, http.RequestAborted);
            if (!result.Succeeded)
            {
                return result.Failure == TabTokenFailure.MetadataUnavailable
                    ? new(null, "The sign-in keys could not be fetched; try again in a minute.", StatusCodes.Status503ServiceUnavailable)
                    : OperationsAccessResult.Unauthenticated(result.Failure == TabTokenFailure.NotConfigured
                        ? "Teams sign-in is not configured on this bot (Dashboard:AppIdUri)."
                        : $"The Teams token is not valid ({result.Failure}).");
            }
            return options.CurrentValue.IsAdministrator(result.ObjectId)
                ? OperationsAccessResult.Allow($"{result.UserName ?? "Teams user"} ({result.ObjectId}, Teams)", byHeader: true)
                : OperationsAccessResult.Forbidden("You are signed in, but not an administrator. The operations page is for administrators only: your Entra object id is not in Operations:Administrators.");
        }

        if (http.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName)
            || (header?.StartsWith(ApiKeyAuthenticationHandler.AuthorizationPrefix, StringComparison.OrdinalIgnoreCase) ?? false))
        {
            var result = await http.AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName);
            if (!result.Succeeded)
            {
                if (api.Value.FailureDelay > TimeSpan.Zero) await Task.Delay(api.Value.FailureDelay, time, http.RequestAborted);
                return OperationsAccessResult.Unauthenticated(result.Failure?.Message ?? "The API key is not valid.");
            }
            return result.Principal.IsInRole(ApiRoles.Admin)
                ? OperationsAccessResult.Allow($"API key '{result.Principal.Identity?.Name}'", byHeader: true)
                : OperationsAccessResult.Forbidden("The operations page is for administrators only: this API key does not have the admin role.");
        }

        if (header is not null) return OperationsAccessResult.Unauthenticated("The Authorization header is neither a Teams token (Bearer) nor an API key (ApiKey).");

        if (bot.Mode == AuthMode.LocalDevelopment)
        {
            return LocalDevelopmentPolicy.Check(http.Connection.RemoteIpAddress, LocalDevelopmentPolicy.IsForwarded(http.Request.Headers)) == AuthFailureReason.None
                ? OperationsAccessResult.Allow(LocalDevelopmentActor, byHeader: false)
                : OperationsAccessResult.Unauthenticated("Local development mode opens the operations page only to direct requests from this machine.");
        }

        return OperationsAccessResult.Unauthenticated("Sign in: send an API key with the admin role, or a Teams sign-in of an administrator (Operations:Administrators).");
    }
}
