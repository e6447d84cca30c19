using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;
using Microsoft.Identity.Client.AppConfig;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace ApprovalBot.Protocol.Connector;

/// <summary>
/// The outbound token from Entra ID through MSAL (bot-protocol.md §3.1): one application for the process, MSAL's
/// in-memory cache serving repeats. MultiTenant uses the <c>botframework.com</c> tenant, SingleTenant the bot's
/// tenant, both with the client secret; UserAssignedMsi uses MSAL managed identity with the app id as client id.
/// MSAL gets its HttpClient from <see cref="IHttpClientFactory"/> (client <see cref="ConnectorDefaults.TokenHttpClientName"/>).
/// </summary>
public sealed partial class MsalConnectorTokenProvider : IConnectorTokenProvider, IDisposable
{
    public const string BotFrameworkScope = "https://api.botframework.com/.default";
    public const string BotFrameworkResource = "https://api.botframework.com";
    private const string MultiTenantAuthorityTenant = "botframework.com";

    // Hosts MSAL knows (public and sovereign clouds): MSAL validates these from built-in metadata, without a network call.
    private static readonly string[] KnownAuthorityHosts =
    [
        "login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "sts.windows.net",
        "login.microsoftonline.us", "login.usgovcloudapi.net", "login.chinacloudapi.cn", "login.partner.microsoftonline.cn",
    ];

    private readonly IConfidentialClientApplication? _confidential;
    private readonly IManagedIdentityApplication? _managedIdentity;
    private readonly SemaphoreSlim _acquire = new(1, 1);
    private readonly ILogger _logger;

    public MsalConnectorTokenProvider(
        IOptions<BotCredentialOptions> credentials,
        IOptions<ConnectorOptions> options,
        IHttpClientFactory httpClientFactory,
        ILogger<MsalConnectorTokenProvider> logger)
    {
        _logger = logger;
        var creds = credentials.Value;
        if (creds.IsLocalDevelopment)
            throw new InvalidOperationException("MsalConnectorTokenProvider needs MicrosoftAppId; local development mode uses NoConnectorTokenProvider.");

        var msalHttp = new MsalHttpClientFactory(httpClientFactory, ConnectorDefaults.TokenHttpClientName);
        var appId = creds.MicrosoftAppId!.Trim();
        var type = creds.GetAppType();
        if (type == BotAppType.UserAssignedMsi)
        {
            _managedIdentity = ManagedIdentityApplicationBuilder
                .Create(ManagedIdentityId.WithUserAssignedClientId(appId))
                .WithHttpClientFactory(msalHttp)
                .Build();
            LogConfigured(_logger, type, "managed identity");
            return;
        }

        var tenant = type == BotAppType.SingleTenant ? creds.MicrosoftAppTenantId!.Trim() : MultiTenantAuthorityTenant;
        var authority = AuthorityFor(options.Value.AuthorityHost, tenant);
        var knownHost = IsKnownAuthorityHost(authority);
        var builder = ConfidentialClientApplicationBuilder
            .Create(appId)
            .WithClientSecret(creds.MicrosoftAppPassword)
            .WithHttpClientFactory(msalHttp);
        // A host MSAL does not know (a private cloud, or the loopback fake in tests) cannot be validated against
        // login.microsoftonline.com's instance discovery — which would also be a network call off this machine — so
        // it is trusted as configured: no authority validation, no instance discovery.
        builder = knownHost
            ? builder.WithAuthority(authority.AbsoluteUri, validateAuthority: true)
            : builder.WithAuthority(authority.AbsoluteUri, validateAuthority: false).WithInstanceDiscovery(false);
        _confidential = builder.Build();
        LogConfigured(_logger, type, authority.AbsoluteUri);
    }

    public bool SendsTokens => true;

    public async ValueTask<string?> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        // One acquisition at a time: a burst of sends at start-up asks Entra once, the rest find the token in cache.
        await _acquire.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var result = _confidential is not null
                ? await _confidential.AcquireTokenForClient([BotFrameworkScope]).WithForceRefresh(forceRefresh)
                    .ExecuteAsync(cancellationToken).ConfigureAwait(false)
                : await _managedIdentity!.AcquireTokenForManagedIdentity(BotFrameworkResource).WithForceRefresh(forceRefresh)
                    .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            LogTokenAcquired(_logger, result.AuthenticationResultMetadata?.TokenSource, result.ExpiresOn, forceRefresh);
            return result.AccessToken;
        }
        catch (MsalServiceException ex) when (!cancellationToken.IsCancellationRequested)
        {
            var retryable = ex.StatusCode is 429 or >= 500 || ex.IsRetryable
                            || ex.ErrorCode is MsalError.RequestTimeout or MsalError.ServiceNotAvailable or "temporarily_unavailable";
            LogTokenFailed(_logger, ex.ErrorCode, ex.StatusCode, retryable);
            throw new ConnectorTokenException($"token request failed: {ex.ErrorCode} (HTTP {ex.StatusCode})", retryable, ex);
        }
        catch (MsalClientException ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogTokenFailed(_logger, ex.ErrorCode, 0, false);
            throw new ConnectorTokenException($"token request failed: {ex.ErrorCode}", false, ex);
        }
        catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogTokenFailed(_logger, "http_request_failed", 0, true);
            throw new ConnectorTokenException("token request failed: the token endpoint could not be reached", true, ex);
        }
        finally
        {
            _acquire.Release();
        }
    }

    public void Dispose() => _acquire.Dispose();

    internal static Uri AuthorityFor(string authorityHost, string tenant) =>
        new(authorityHost.TrimEnd('/') + "/" + Uri.EscapeDataString(tenant) + "/", UriKind.Absolute);

    internal static bool IsKnownAuthorityHost(Uri authority) =>
        authority.Scheme == Uri.UriSchemeHttps && authority.IsDefaultPort
        && KnownAuthorityHosts.Contains(authority.IdnHost.ToLowerInvariant(), StringComparer.Ordinal);

    /// <summary>Hands MSAL the named client from the factory, so handlers (and in tests, certificate trust) are configured in DI.</summary>
    private sealed class MsalHttpClientFactory(IHttpClientFactory factory, string name) : IMsalHttpClientFactory
    {
        public HttpClient GetHttpClient() => factory.CreateClient(name);
    }

    [LoggerMessage(EventId = 3501, Level = LogLevel.Information, Message = "Connector token: {AppType} via {Authority}")]
    private static partial void LogConfigured(ILogger logger, BotAppType appType, string authority);

    [LoggerMessage(EventId = 3502, Level = LogLevel.Debug, Message = "Connector token from {TokenSource}, expires {ExpiresOn}, forced refresh {ForceRefresh}")]
    private static partial void LogTokenAcquired(ILogger logger, TokenSource? tokenSource, DateTimeOffset expiresOn, bool forceRefresh);

    [LoggerMessage(EventId = 3503, Level = LogLevel.Error, Message = "Connector token request failed: {ErrorCode} (HTTP {StatusCode}), retryable {Retryable}")]
    private static partial void LogTokenFailed(ILogger logger, string errorCode, int statusCode, bool retryable);
}
