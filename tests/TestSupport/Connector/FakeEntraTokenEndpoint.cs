using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using ApprovalBot.Protocol.Connector;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApprovalBot.TestSupport.Connector;

/// <summary>One client-credentials request the fake Entra endpoint received.</summary>
public sealed record TokenRequest(string Tenant, string? GrantType, string? ClientId, string? Scope, bool Accepted);

/// <summary>
/// Entra ID's token endpoint on a real Kestrel HTTPS listener at <c>127.0.0.1:0</c>, with a self-signed certificate
/// made in-process. Answers the client-credentials <c>POST /{tenant}/oauth2/v2.0/token</c> with opaque tokens and
/// <c>expires_in</c>, counts the requests, and records every other request too (so a test can show MSAL asked for
/// nothing else). Trust its certificate only in the test's DI: <see cref="TrustFakeEntra"/>.
/// </summary>
public sealed class FakeEntraTokenEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly List<TokenRequest> _tokenRequests = [];
    private readonly List<string> _requests = [];
    private readonly Dictionary<string, string> _valid = new(StringComparer.Ordinal); // token → the scope it was issued for
    private readonly HashSet<string> _scopes = new(StringComparer.Ordinal) { MsalConnectorTokenProvider.BotFrameworkScope };
    private readonly Queue<(int Status, string Error, string Description)> _errors = new();
    private readonly string _thumbprint;

    private FakeEntraTokenEndpoint(WebApplication app, X509Certificate2 certificate, string clientId, string clientSecret)
    {
        _app = app;
        Certificate = certificate;
        ClientId = clientId;
        ClientSecret = clientSecret;
        _thumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256);
    }

    /// <summary><c>https://127.0.0.1:{port}</c> — the value for <c>Connector:AuthorityHost</c>.</summary>
    public string AuthorityHost { get; private set; } = string.Empty;

    public X509Certificate2 Certificate { get; }
    public string ClientId { get; }
    public string ClientSecret { get; }

    /// <summary>The <c>expires_in</c> of issued tokens.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    public int TokenRequestCount
    {
        get { lock (_lock) return _tokenRequests.Count; }
    }

    public IReadOnlyList<TokenRequest> TokenRequests
    {
        get { lock (_lock) return _tokenRequests.ToList(); }
    }

    /// <summary>Every request as <c>METHOD /path?query</c>, token requests included.</summary>
    public IReadOnlyList<string> Requests
    {
        get { lock (_lock) return _requests.ToList(); }
    }

    public static async Task<FakeEntraTokenEndpoint> StartAsync(string clientId = "11111111-2222-3333-4444-555555555555", string clientSecret = "fake-secret")
    {
        var certificate = CreateCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var fake = new FakeEntraTokenEndpoint(app, certificate, clientId, clientSecret);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.AuthorityHost = $"https://127.0.0.1:{new Uri(address).Port}";
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificate.Dispose();
    }

    /// <summary>True for a token this endpoint issued and has not revoked.</summary>
    public bool IsValidToken(string token)
    {
        lock (_lock) return _valid.ContainsKey(token);
    }

    /// <summary>True for a token this endpoint issued for <paramref name="scope"/> and has not revoked.</summary>
    public bool IsValidToken(string token, string scope)
    {
        lock (_lock) return _valid.TryGetValue(token, out var issuedFor) && string.Equals(issuedFor, scope, StringComparison.Ordinal);
    }

    /// <summary>Issues tokens for <paramref name="scope"/> too (the Bot Framework scope is always accepted), e.g. a fake Graph's.</summary>
    public void AcceptScope(string scope)
    {
        lock (_lock) _scopes.Add(scope);
    }

    /// <summary>Makes every token issued so far invalid (a connector requiring ours then answers 401).</summary>
    public void RevokeIssuedTokens()
    {
        lock (_lock) _valid.Clear();
    }

    /// <summary>The next token request gets this OAuth error instead of a token.</summary>
    public void EnqueueError(int status, string error, string description = "scripted failure")
    {
        lock (_lock) _errors.Enqueue((status, error, description));
    }

    /// <summary>A handler that trusts exactly this endpoint's certificate — for the test's DI only.</summary>
    public HttpMessageHandler CreateTrustingHandler() => new SocketsHttpHandler
    {
        SslOptions =
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && string.Equals(certificate.GetCertHashString(HashAlgorithmName.SHA256), _thumbprint, StringComparison.OrdinalIgnoreCase),
        },
    };

    /// <summary>Configuration keys (root and <c>Connector:</c>) for a bot that gets its tokens here.</summary>
    public Dictionary<string, string?> BotConfiguration(BotAppType appType = BotAppType.MultiTenant, string? tenantId = null) => new()
    {
        ["MicrosoftAppId"] = ClientId,
        ["MicrosoftAppPassword"] = ClientSecret,
        ["MicrosoftAppType"] = appType.ToString(),
        ["MicrosoftAppTenantId"] = tenantId,
        ["Connector:AuthorityHost"] = AuthorityHost,
    };

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        lock (_lock) _requests.Add($"{context.Request.Method} {path}{context.Request.QueryString}");

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var isToken = HttpMethods.IsPost(context.Request.Method) && segments.Length == 4
                      && segments[1] == "oauth2" && segments[2] == "v2.0" && segments[3] == "token";
        if (!isToken || !context.Request.HasFormContentType)
        {
            await WriteAsync(context, 404, new JsonObject { ["error"] = "not_found", ["error_description"] = "The fake answers only the token endpoint." });
            return;
        }

        var form = await context.Request.ReadFormAsync();
        string? Field(string name) => form.TryGetValue(name, out var v) ? v.ToString() : null;
        var grant = Field("grant_type");
        var client = Field("client_id");
        var scope = Field("scope");
        var secretOk = string.Equals(client, ClientId, StringComparison.Ordinal) && string.Equals(Field("client_secret"), ClientSecret, StringComparison.Ordinal);

        (int Status, string Error, string Description)? scripted = null;
        lock (_lock)
        {
            if (_errors.Count > 0) scripted = _errors.Dequeue();
        }

        JsonObject body;
        int status;
        if (scripted is { } e)
        {
            (status, body) = (e.Status, OAuthError(e.Error, e.Description));
        }
        else if (grant != "client_credentials")
        {
            (status, body) = (400, OAuthError("unsupported_grant_type", "AADSTS70003: only client_credentials here."));
        }
        else if (!secretOk)
        {
            (status, body) = (401, OAuthError("invalid_client", "AADSTS7000215: Invalid client secret provided."));
        }
        else if (AcceptedScope(scope) is not { } granted)
        {
            (status, body) = (400, OAuthError("invalid_scope", "AADSTS70011: the scope must be https://api.botframework.com/.default (or one the test accepted)."));
        }
        else
        {
            var token = "fake-entra." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            lock (_lock) _valid[token] = granted;
            var seconds = (long)TokenLifetime.TotalSeconds;
            (status, body) = (200, new JsonObject
            {
                ["token_type"] = "Bearer",
                ["expires_in"] = seconds,
                ["ext_expires_in"] = seconds,
                ["access_token"] = token,
            });
        }

        lock (_lock) _tokenRequests.Add(new TokenRequest(segments[0], grant, client, scope, status == 200));
        await WriteAsync(context, status, body);
    }

    private string? AcceptedScope(string? scope)
    {
        if (scope is null) return null;
        lock (_lock) return scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(_scopes.Contains);
    }

    private static JsonObject OAuthError(string error, string description) => new()
    {
        ["error"] = error,
        ["error_description"] = description,
        ["error_codes"] = new JsonArray(),
        ["trace_id"] = "00000000-0000-0000-0000-000000000000",
        ["correlation_id"] = "00000000-0000-0000-0000-000000000000",
    };

    private static async Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    /// <summary>A self-signed server certificate for 127.0.0.1 and localhost, valid for a day either side of now.</summary>
    public static X509Certificate2 CreateCertificate(string subject = "CN=ApprovalBot fake Entra")
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], false));
#pragma warning disable RS0030 // A certificate's validity is real wall-clock time, whatever clock the test drives.
        var now = TimeProvider.System.GetUtcNow();
#pragma warning restore RS0030
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        // Round-trip through PKCS#12 so the private key is usable by the TLS stack on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Points the connector's MSAL HttpClient at a handler that trusts <paramref name="entra"/>'s certificate.</summary>
    public static void TrustFakeEntra(IServiceCollection services, FakeEntraTokenEndpoint entra) =>
        services.AddHttpClient(ConnectorDefaults.TokenHttpClientName).ConfigurePrimaryHttpMessageHandler(entra.CreateTrustingHandler);
}

/// <summary>DI helpers for tests that use the connector fakes.</summary>
public static class ConnectorFakesServiceCollectionExtensions
{
    /// <summary>MSAL's HttpClient (and only it) trusts the fake Entra endpoint's self-signed certificate.</summary>
    public static IServiceCollection TrustFakeEntra(this IServiceCollection services, FakeEntraTokenEndpoint entra)
    {
        FakeEntraTokenEndpoint.TrustFakeEntra(services, entra);
        return services;
    }
}
