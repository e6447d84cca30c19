using System.Net;
using System.Text.Json.Nodes;
using ApprovalBot.IntegrationTests.Api;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.TestSupport.Auth;

namespace ApprovalBot.IntegrationTests.Dashboard;

/// <summary>
/// The real bot with a Microsoft App ID (production auth), the test API keys and Teams tab sign-in configured against a
/// fake Entra login on 127.0.0.1 that publishes its own signing key (not the Bot Framework's).
/// </summary>
public sealed class AuthenticatedDashboardHost : IAsyncLifetime
{
    public const string Tenant = "5b1b7e0e-8c1f-4d7a-9a55-3f0c2d6e4a11";
    public const string OtherTenant = "0d6c2f8e-1a2b-4c3d-8e9f-a0b1c2d3e4f5";
    public static readonly string AppIdUri = $"api://bot.contoso.test/{TestTokenIssuer.DefaultAppId}";
    public static readonly TestSigningKey EntraKey = new("entra-key-1", null);

    public BotTestHost Bot { get; private set; } = null!;
    public FakeBotFrameworkLogin Entra { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Entra = await FakeBotFrameworkLogin.StartAsync([EntraKey]);
        var settings = ApiTestKeys.Settings();
        settings["Dashboard:AppIdUri"] = AppIdUri;
        settings["Dashboard:AllowedTenantIds:0"] = Tenant;
        settings["Dashboard:OpenIdMetadataUrl"] = Entra.MetadataUrl;
        Bot = await BotTestHost.StartAsync(new BotTestHostOptions { Settings = settings });
    }

    public async Task DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Entra.DisposeAsync();
    }

    /// <summary>A tab SSO token as Entra issues it to Teams for the tab (v2, for the app's own API, scope access_as_user).</summary>
    public static ChannelTokenSpec TabToken(string tenant = Tenant) => new()
    {
        Issuer = $"https://login.microsoftonline.com/{tenant}/v2.0",
        Audience = AppIdUri,
        ServiceUrl = null,
        TenantId = tenant,
        Version = "2.0",
        SigningKey = EntraKey,
        ExtraClaims = new Dictionary<string, JsonNode?>
        {
            ["scp"] = "access_as_user",
            ["oid"] = "00000000-0000-0000-0000-0000000000020",
            ["preferred_username"] = "alexw@contoso.test",
        },
    };
}

/// <summary>
/// Who may open <c>/dashboard</c>, through the real endpoint: open on loopback in local development mode; otherwise
/// only with an API key or a Teams tab SSO token, each checked for real; everyone else gets a 401 page with no data.
/// </summary>
public sealed class DashboardAccessTests(AuthenticatedDashboardHost host) : IClassFixture<AuthenticatedDashboardHost>
{
    private BotTestHost Bot => host.Bot;

    private async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> GetAsync(string? authorization = null, string? apiKey = null, string path = "/dashboard")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        if (apiKey is not null) request.Headers.TryAddWithoutValidation("X-Api-Key", apiKey);
        var response = await Bot.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    [Fact]
    public async Task Dashboard_IsOpen_OnLoopback_InLocalDevelopmentMode()
    {
        await using var local = await BotTestHost.StartAsync(new BotTestHostOptions { Mode = BotTestMode.LocalDevelopment });

        using var response = await local.Http.GetAsync("/dashboard");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<h1>KPI dashboard</h1>", body, StringComparison.Ordinal);
        Assert.Contains("data-figure=\"opened\"", body, StringComparison.Ordinal);
        Assert.Contains("Viewing as local development (loopback)", body, StringComparison.Ordinal);
        var csp = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'self' https://teams.microsoft.com", csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_IsRefusedInLocalDevelopmentMode_WhenTheRequestWasProxied()
    {
        await using var local = await BotTestHost.StartAsync(new BotTestHostOptions { Mode = BotTestMode.LocalDevelopment });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.9");

        using var response = await local.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("data-figure", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_Answers401WithAPageAndNoData_WithoutCredentials_InProduction()
    {
        var (status, body, response) = await GetAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("Sign-in needed", body, StringComparison.Ordinal);
        Assert.Contains("open the dashboard as a tab in Teams, or send an API key", body, StringComparison.Ordinal);
        Assert.DoesNotContain("data-figure", body, StringComparison.Ordinal);
        Assert.DoesNotContain("All agreements", body, StringComparison.Ordinal);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Dashboard_Shows_WithAReadApiKey_InEitherHeader()
    {
        var (status, body, _) = await GetAsync(apiKey: ApiTestKeys.Reader);
        var (viaAuthorization, _, _) = await GetAsync(authorization: "ApiKey " + ApiTestKeys.Reader);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, viaAuthorization);
        Assert.Contains("data-figure=\"opened\"", body, StringComparison.Ordinal);
        Assert.Contains("Viewing as API key &#x27;reporting&#x27;", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_IsRefused_WithAnUnknownApiKey()
    {
        var (status, body, _) = await GetAsync(apiKey: "not-a-configured-key-000");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("The API key is not valid.", body, StringComparison.Ordinal);
        Assert.DoesNotContain("data-figure", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_Shows_WithASignedTeamsTabToken()
    {
        var (status, body, _) = await GetAsync(authorization: Bot.Tokens.MintHeader(AuthenticatedDashboardHost.TabToken()));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-figure=\"opened\"", body, StringComparison.Ordinal);
        Assert.Contains("Viewing as alexw@contoso.test (Teams)", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_Shows_WithATabTokenWhoseAudienceIsTheClientId()
    {
        var token = AuthenticatedDashboardHost.TabToken() with { Audience = TestTokenIssuer.DefaultAppId };

        var (status, _, _) = await GetAsync(authorization: Bot.Tokens.MintHeader(token));

        Assert.Equal(HttpStatusCode.OK, status);
    }

    public static TheoryData<string, string> BadTokens => new()
    {
        { "wrong audience", "The Teams token is not for this app." },
        { "tenant not allowed", "Your organisation is not allowed to use this dashboard." },
        { "expired", "Your Teams sign-in has expired" },
        { "no scope", "does not carry the dashboard" },
        { "v1 issuer", "The Teams token is not valid." },
        { "tid differs from issuer", "The Teams token is not valid." },
        { "bot framework key", "The Teams token is not valid." },
        { "tampered", "The Teams token is not valid." },
        { "unsigned", "The Teams token is not valid." },
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Dashboard_Answers401_ForATabTokenThatBreaksARule(string broken, string said)
    {
        var good = AuthenticatedDashboardHost.TabToken();
        var spec = broken switch
        {
            "wrong audience" => good with { Audience = "api://bot.contoso.test/00000000-1111-2222-3333-444444444444" },
            "tenant not allowed" => AuthenticatedDashboardHost.TabToken(AuthenticatedDashboardHost.OtherTenant),
            "expired" => good with { ExpiresIn = TimeSpan.FromMinutes(-10), NotBeforeIn = TimeSpan.FromHours(-1) },
            "no scope" => good with { ExtraClaims = new Dictionary<string, JsonNode?> { ["scp"] = "User.Read" } },
            "v1 issuer" => good with { Issuer = $"https://sts.windows.net/{AuthenticatedDashboardHost.Tenant}/" },
            "tid differs from issuer" => good with { TenantId = AuthenticatedDashboardHost.OtherTenant },
            "bot framework key" => good with { SigningKey = TestSigningKeys.Teams },
            "tampered" => good with { TamperSignature = true },
            "unsigned" => good with { Algorithm = "none" },
            _ => throw new ArgumentOutOfRangeException(nameof(broken)),
        };

        var (status, body, _) = await GetAsync(authorization: Bot.Tokens.MintHeader(spec));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains(said, body, StringComparison.Ordinal);
        Assert.DoesNotContain("data-figure", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_Answers503_WhenEntrasSigningKeysCannotBeFetched()
    {
        await using var entra = await FakeBotFrameworkLogin.StartAsync([AuthenticatedDashboardHost.EntraKey]);
        entra.FailWith = HttpStatusCode.InternalServerError;
        var settings = new Dictionary<string, string?>
        {
            ["Dashboard:AppIdUri"] = AuthenticatedDashboardHost.AppIdUri,
            ["Dashboard:AllowedTenantIds:0"] = AuthenticatedDashboardHost.Tenant,
            ["Dashboard:OpenIdMetadataUrl"] = entra.MetadataUrl,
        };
        await using var bot = await BotTestHost.StartAsync(new BotTestHostOptions { Settings = settings });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard");
        request.Headers.TryAddWithoutValidation("Authorization", bot.Tokens.MintHeader(AuthenticatedDashboardHost.TabToken()));

        using var response = await bot.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("The sign-in keys could not be fetched; try again in a minute.", body, StringComparison.Ordinal);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.DoesNotContain("data-figure", body, StringComparison.Ordinal);
        Assert.True(entra.MetadataRequests >= 1);
    }

    [Fact]
    public async Task TabPage_LoadsTheTeamsLibraryAndItsScriptFromTheBotItself_AndHoldsNoData()
    {
        var (status, body, response) = await GetAsync(path: "/dashboard/tab");
        using var library = await Bot.Http.GetAsync("/dashboard/assets/MicrosoftTeams-2.58.0.min.js");
        using var script = await Bot.Http.GetAsync("/dashboard/assets/tab.js");
        using var unknown = await Bot.Http.GetAsync("/dashboard/assets/other.js");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<script src=\"/dashboard/assets/MicrosoftTeams-2.58.0.min.js\"></script>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("data-figure", body, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", body, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", string.Join(' ', response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, library.StatusCode);
        Assert.Contains("microsoftTeams", await library.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("getAuthToken", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
