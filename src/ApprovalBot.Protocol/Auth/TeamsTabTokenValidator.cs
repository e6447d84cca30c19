using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ApprovalBot.Protocol.Auth;

/// <summary>
/// What a Teams tab single sign-on token must be: an Entra ID v2 access token for this app (<c>aud</c> is its
/// Application ID URI or its client id), issued by <c>https://login.microsoftonline.com/{tid}/v2.0</c> for one of
/// <see cref="AllowedTenantIds"/> (<c>tid</c> equal to the issuer's tenant), with <see cref="RequiredScope"/> in
/// <c>scp</c>, signed (RS256, by <c>kid</c>) by a key from <see cref="OpenIdMetadataUrl"/>.
/// </summary>
public sealed record TeamsTabTokenSettings
{
    public const string DefaultOpenIdMetadataUrl = "https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration";
    public const string DefaultScope = "access_as_user";

    /// <summary>The Application ID URI, e.g. <c>api://approvalbot.contoso.com/&lt;app id&gt;</c>.</summary>
    public required string AppIdUri { get; init; }

    /// <summary>The app's client id (v2 access tokens for a custom API carry it as <c>aud</c>).</summary>
    public required string ClientId { get; init; }

    public required IReadOnlyList<string> AllowedTenantIds { get; init; }

    public string OpenIdMetadataUrl { get; init; } = DefaultOpenIdMetadataUrl;

    public string RequiredScope { get; init; } = DefaultScope;

    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Refresh and back-off of the signing keys, as for the Bot Framework keys.</summary>
    public TimeSpan MetadataRefreshInterval { get; init; } = TimeSpan.FromHours(12);
    public TimeSpan MinimumKeyRefreshInterval { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan MetadataRetryInterval { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>Why a tab token was refused (never the token or a claim value).</summary>
public enum TabTokenFailure
{
    None,
    NotConfigured,
    MissingToken,
    MalformedToken,
    UnsupportedAlgorithm,
    InvalidIssuer,
    TenantNotAllowed,
    MetadataUnavailable,
    UnknownSigningKey,
    InvalidSignature,
    Expired,
    NotYetValid,
    InvalidLifetime,
    InvalidAudience,
    MissingScope,
}

/// <summary>The outcome: the signed-in user (name, object id, tenant) or why not.</summary>
public sealed record TabTokenResult(TabTokenFailure Failure, string? UserName, string? ObjectId, string? TenantId)
{
    public bool Succeeded => Failure == TabTokenFailure.None;

    public static TabTokenResult Refused(TabTokenFailure failure) => new(failure, null, null, null);
}

/// <summary>
/// Validates Teams tab SSO tokens (<see cref="TeamsTabTokenSettings"/>). Cheap checks on the unverified token first
/// (algorithm, kid, issuer, tenant), then the signing key (one forced refresh for an unknown kid, throttled), then
/// signature and lifetime on the injected clock, then audience and scope. Never throws for a bad token.
/// </summary>
public sealed partial class TeamsTabTokenValidator : IDisposable
{
    private const string ScopeClaim = "scp";
    private readonly JsonWebTokenHandler _handler = new();
    private readonly TeamsTabTokenSettings? _settings;
    private readonly BotFrameworkSigningKeyStore? _keys;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    internal TeamsTabTokenValidator(TeamsTabTokenSettings? settings, BotFrameworkSigningKeyStore? keys, TimeProvider time, ILogger<TeamsTabTokenValidator> logger)
    {
        _settings = settings;
        _keys = keys;
        _time = time;
        _logger = logger;
    }

    /// <summary>False when no Application ID URI is configured: every token is refused with <see cref="TabTokenFailure.NotConfigured"/>.</summary>
    public bool IsConfigured => _settings is not null;

    /// <summary>Validates the <c>Authorization</c> header value (<c>Bearer &lt;token&gt;</c>).</summary>
    public async ValueTask<TabTokenResult> ValidateAsync(string? authorizationHeader, CancellationToken cancellationToken)
    {
        TabTokenResult result;
        try
        {
            result = await ValidateCoreAsync(authorizationHeader, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            TabTokenLog.Unexpected(_logger, ex.GetType().FullName ?? ex.GetType().Name);
            result = TabTokenResult.Refused(TabTokenFailure.InvalidSignature);
        }

        if (!result.Succeeded) TabTokenLog.Refused(_logger, result.Failure);
        return result;
    }

    private async ValueTask<TabTokenResult> ValidateCoreAsync(string? authorizationHeader, CancellationToken cancellationToken)
    {
        if (_settings is null || _keys is null) return TabTokenResult.Refused(TabTokenFailure.NotConfigured);
        if (BearerHeader.TryGetToken(authorizationHeader, out var token) != AuthFailureReason.None)
            return TabTokenResult.Refused(authorizationHeader is null ? TabTokenFailure.MissingToken : TabTokenFailure.MalformedToken);

        JsonWebToken jwt;
        try
        {
            if (token.Length > _handler.MaximumTokenSizeInBytes) return TabTokenResult.Refused(TabTokenFailure.MalformedToken);
            jwt = new JsonWebToken(token);
            if (jwt.IsEncrypted) return TabTokenResult.Refused(TabTokenFailure.MalformedToken);
        }
        catch (Exception)
        {
            return TabTokenResult.Refused(TabTokenFailure.MalformedToken);
        }

        if (jwt.Alg != SecurityAlgorithms.RsaSha256 || string.IsNullOrEmpty(jwt.Kid)) return TabTokenResult.Refused(TabTokenFailure.UnsupportedAlgorithm);
        if (Issuer().Match(jwt.Issuer ?? string.Empty) is not { Success: true } issuer) return TabTokenResult.Refused(TabTokenFailure.InvalidIssuer);
        var tenant = issuer.Groups[1].Value;
        var tid = jwt.TryGetPayloadValue<object>("tid", out var tidValue) ? tidValue as string : null;
        if (!string.Equals(tid, tenant, StringComparison.OrdinalIgnoreCase)) return TabTokenResult.Refused(TabTokenFailure.InvalidIssuer);
        if (!_settings.AllowedTenantIds.Contains(tenant, StringComparer.OrdinalIgnoreCase)) return TabTokenResult.Refused(TabTokenFailure.TenantNotAllowed);

        var snapshot = await _keys.GetAsync(cancellationToken).ConfigureAwait(false);
        if (snapshot is null) return TabTokenResult.Refused(TabTokenFailure.MetadataUnavailable);
        var signingKeys = snapshot.KeysFor(jwt.Kid);
        if (signingKeys.Count == 0)
        {
            var refresh = await _keys.RefreshForUnknownKeyAsync(snapshot, cancellationToken).ConfigureAwait(false);
            if (refresh.Status == KeyRefreshStatus.Failed) return TabTokenResult.Refused(TabTokenFailure.MetadataUnavailable);
            signingKeys = refresh.Snapshot?.KeysFor(jwt.Kid) ?? [];
            if (signingKeys.Count == 0) return TabTokenResult.Refused(TabTokenFailure.UnknownSigningKey);
        }

        var check = new SignedTokenCheck(_time, _settings.ClockSkew);
        var parameters = check.Parameters(jwt.Issuer, signingKeys, [SecurityAlgorithms.RsaSha256]);
        parameters.ValidAudiences = [_settings.AppIdUri, _settings.ClientId];

        var validated = await _handler.ValidateTokenAsync(jwt, parameters).ConfigureAwait(false);
        if (!validated.IsValid)
        {
            return TabTokenResult.Refused(check.Lifetime switch
            {
                AuthFailureReason.TokenExpired => TabTokenFailure.Expired,
                AuthFailureReason.TokenNotYetValid => TabTokenFailure.NotYetValid,
                AuthFailureReason.InvalidLifetime => TabTokenFailure.InvalidLifetime,
                _ => validated.Exception switch
                {
                    SecurityTokenInvalidAudienceException => TabTokenFailure.InvalidAudience,
                    SecurityTokenExpiredException => TabTokenFailure.Expired,
                    SecurityTokenNoExpirationException or SecurityTokenInvalidLifetimeException => TabTokenFailure.InvalidLifetime,
                    _ => TabTokenFailure.InvalidSignature,
                },
            });
        }

        var scopes = jwt.TryGetPayloadValue<object>(ScopeClaim, out var scp) && scp is string s ? s.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
        if (!scopes.Contains(_settings.RequiredScope, StringComparer.Ordinal)) return TabTokenResult.Refused(TabTokenFailure.MissingScope);

        var identity = validated.ClaimsIdentity;
        var name = identity.FindFirst("preferred_username")?.Value ?? identity.FindFirst("name")?.Value ?? identity.FindFirst(ClaimTypes.Name)?.Value;
        var oid = identity.FindFirst("oid")?.Value;
        return new TabTokenResult(TabTokenFailure.None, name, oid, tenant);
    }

    public void Dispose() => _keys?.Dispose();

    [GeneratedRegex("^https://login\\.microsoftonline\\.com/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})/v2\\.0$")]
    private static partial Regex Issuer();

    /// <summary>
    /// Registers <see cref="TeamsTabTokenValidator"/> as a singleton with its own signing-key cache (the Entra keys, not
    /// the Bot Framework ones), fetched through the same address policy (HTTPS, or HTTP to a loopback IP literal).
    /// <paramref name="settings"/> returns null when tab SSO is not configured.
    /// </summary>
    public static IServiceCollection Register(IServiceCollection services, Func<IServiceProvider, TeamsTabTokenSettings?> settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        services.AddHttpClient(BotFrameworkMetadataRetriever.HttpClientName);
        services.AddSingleton(sp =>
        {
            var s = settings(sp);
            var time = sp.GetRequiredService<TimeProvider>();
            BotFrameworkSigningKeyStore? keys = null;
            if (s is not null)
            {
                var options = new BotAuthenticationOptions
                {
                    OpenIdMetadataUrl = s.OpenIdMetadataUrl,
                    MetadataRefreshInterval = s.MetadataRefreshInterval,
                    MinimumKeyRefreshInterval = s.MinimumKeyRefreshInterval,
                    MetadataRetryInterval = s.MetadataRetryInterval,
                };
                keys = new BotFrameworkSigningKeyStore(options, new BotFrameworkMetadataRetriever(sp.GetRequiredService<IHttpClientFactory>()), time,
                    sp.GetRequiredService<ILogger<BotFrameworkSigningKeyStore>>());
            }

            return new TeamsTabTokenValidator(s, keys, time, sp.GetRequiredService<ILogger<TeamsTabTokenValidator>>());
        });
        return services;
    }
}

internal static partial class TabTokenLog
{
    [LoggerMessage(EventId = 1120, Level = LogLevel.Information, Message = "Teams tab token refused: {Failure}")]
    public static partial void Refused(ILogger logger, TabTokenFailure failure);

    [LoggerMessage(EventId = 1121, Level = LogLevel.Error, Message = "Teams tab token validation failed unexpectedly ({ExceptionType}); refused")]
    public static partial void Unexpected(ILogger logger, string exceptionType);
}
