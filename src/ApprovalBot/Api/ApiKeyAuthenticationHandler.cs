using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Api;

/// <summary>Options of the <c>ApiKey</c> scheme; the keys themselves live in <see cref="ApiOptions"/>.</summary>
public sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions;

/// <summary>
/// The <c>ApiKey</c> authentication scheme. A key is sent as <c>X-Api-Key: &lt;key&gt;</c> or
/// <c>Authorization: ApiKey &lt;key&gt;</c>; a known key becomes a principal named after the key with one role claim per
/// role. Authenticating is pure (hash and compare): refusals are logged and delayed in the challenge, which runs only
/// for endpoints that ask for this scheme — never for <c>/api/messages</c>, which has its own Bot Framework auth.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyStore keys,
    IOptions<ApiOptions> apiOptions,
    TimeProvider time)
    : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string AuthorizationPrefix = "ApiKey ";
    private const string Realm = "ApprovalBot API";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var (presented, malformed) = ReadKey(Request.Headers);
        if (malformed is not null) return Task.FromResult(AuthenticateResult.Fail(malformed));
        if (presented is null) return Task.FromResult(AuthenticateResult.NoResult());

        var key = keys.Find(presented);
        if (key is null) return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));

        var claims = new List<Claim> { new(ClaimTypes.Name, key.Name), new(ClaimTypes.NameIdentifier, key.Name) };
        claims.AddRange(key.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        var identity = new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    /// <summary>The key from <c>X-Api-Key</c> or <c>Authorization: ApiKey …</c>; both at once must agree.</summary>
    internal static (string? Key, string? Malformed) ReadKey(IHeaderDictionary headers)
    {
        string? fromHeader = null;
        if (headers.TryGetValue(HeaderName, out var values))
        {
            if (values.Count != 1 || string.IsNullOrWhiteSpace(values[0])) return (null, $"Send exactly one {HeaderName} header.");
            fromHeader = values[0]!.Trim();
        }

        string? fromAuthorization = null;
        var authorization = headers.Authorization;
        if (authorization.Count == 1 && authorization[0]!.StartsWith(AuthorizationPrefix, StringComparison.OrdinalIgnoreCase))
        {
            fromAuthorization = authorization[0]![AuthorizationPrefix.Length..].Trim();
            if (fromAuthorization.Length == 0) return (null, "The Authorization header names the ApiKey scheme but carries no key.");
        }

        if (fromHeader is not null && fromAuthorization is not null && !string.Equals(fromHeader, fromAuthorization, StringComparison.Ordinal))
            return (null, "Two different API keys were sent.");
        return (fromHeader ?? fromAuthorization, null);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var reason = result.Failure?.Message ?? "No API key was sent.";
        ApiLog.Unauthenticated(Logger, result.Failure is null ? "no key" : "invalid key", Request.Method, Request.Path, Context.Connection.RemoteIpAddress);

        if (result.Failure is not null && apiOptions.Value.FailureDelay > TimeSpan.Zero)
        {
            try { await Task.Delay(apiOptions.Value.FailureDelay, time, Context.RequestAborted); }
            catch (OperationCanceledException) { return; }
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = result.Failure is null
            ? $"{SchemeName} realm=\"{Realm}\""
            : $"{SchemeName} realm=\"{Realm}\", error=\"invalid_key\"";
        await ApiProblems.Write(Context, StatusCodes.Status401Unauthorized, "Unauthorized",
            $"{reason} Send a key as '{HeaderName}: <key>' or 'Authorization: ApiKey <key>'.");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        ApiLog.Forbidden(Logger, Context.User.Identity?.Name ?? "(unknown)", Request.Method, Request.Path);
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await ApiProblems.Write(Context, StatusCodes.Status403Forbidden, "Forbidden",
            "This API key does not have the role this operation needs.");
    }
}
