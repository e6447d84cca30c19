using ApprovalBot.Protocol.Connector;
using Azure.Core.Pipeline;
using Azure.Identity;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Kiota.Authentication.Azure;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace ApprovalBot.OrgDirectory.Graph;

/// <summary>
/// The Graph SDK client over client credentials (Azure.Identity <see cref="ClientSecretCredential"/>): one credential
/// and token cache for the process; each client gets its HttpClient from <see cref="IHttpClientFactory"/> — Graph's own
/// middleware (retry honouring Retry-After, redirects, compression) in front of the named client's handler, the
/// token request through its own named client. A login host Azure.Identity does not know (a private cloud, the loopback
/// fake in tests) is trusted as configured, without instance discovery.
/// </summary>
internal sealed class GraphClientProvider
{
    /// <summary>The named HttpClient Graph calls go through.</summary>
    public const string HttpClientName = "ApprovalBot.Graph";

    /// <summary>The named HttpClient the Graph token request goes through.</summary>
    public const string TokenHttpClientName = "ApprovalBot.GraphToken";

    private static readonly string[] KnownAuthorityHosts =
    [
        "login.microsoftonline.com", "login.microsoftonline.us", "login.chinacloudapi.cn", "login.partner.microsoftonline.cn",
    ];

    private readonly IHttpClientFactory _http;
    private readonly AzureIdentityAuthenticationProvider _authentication;
    private readonly string _baseUrl;

    public GraphClientProvider(IOptions<DirectoryOptions> options, IOptions<BotCredentialOptions> bot, IHttpClientFactory http)
    {
        _http = http;
        var graph = options.Value.Graph;
        var credentials = graph.Credentials(bot.Value);
        var authority = new Uri(graph.AuthorityHost);
        var credential = new ClientSecretCredential(credentials.TenantId, credentials.ClientId, credentials.ClientSecret, new ClientSecretCredentialOptions
        {
            AuthorityHost = authority,
            DisableInstanceDiscovery = !KnownAuthorityHosts.Contains(authority.IdnHost.ToLowerInvariant(), StringComparer.Ordinal),
            Transport = new HttpClientTransport(http.CreateClient(TokenHttpClientName)),
        });
        _baseUrl = graph.BaseUrl.TrimEnd('/');
        // Tokens go only to Graph's host; continuous access evaluation is for user tokens, not this app-only one.
        _authentication = new AzureIdentityAuthenticationProvider(credential, [new Uri(_baseUrl).Host], null, false, graph.Scope());
    }

    public GraphServiceClient Create() => new(_http.CreateClient(HttpClientName), _authentication, _baseUrl);

    /// <summary>Graph's default middleware, its retry handler set from the options (Kiota's defaults: 3 retries, 3 s).</summary>
    public static IEnumerable<DelegatingHandler> Middleware(GraphDirectoryOptions options)
    {
        var retry = new RetryHandlerOption
        {
            MaxRetry = options.MaxRetries,
            Delay = (int)options.RetryDelay.TotalSeconds,
        };
        foreach (var handler in GraphClientFactory.CreateDefaultHandlers())
        {
            if (handler is RetryHandler)
            {
                handler.Dispose();
                yield return new RetryHandler(retry);
            }
            else
            {
                yield return handler;
            }
        }
    }
}
