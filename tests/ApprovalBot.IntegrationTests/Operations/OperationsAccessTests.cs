using System.Net;
using System.Text.Json.Nodes;
using ApprovalBot.IntegrationTests.Api;
using ApprovalBot.IntegrationTests.Dashboard;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.TestSupport.Auth;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.IntegrationTests.Operations;

/// <summary>The bot in production auth mode with the test API keys, Teams tab sign-in (fake Entra) and one administrator.</summary>
public sealed class OperationsHost : IAsyncLifetime
{
    public const string AdminObjectId = "6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    public const string OtherObjectId = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4e";

    public BotTestHost Bot { get; private set; } = null!;
    public FakeBotFrameworkLogin Entra { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Entra = await FakeBotFrameworkLogin.StartAsync([AuthenticatedDashboardHost.EntraKey]);
        var settings = ApiTestKeys.Settings();
        settings["Dashboard:AppIdUri"] = AuthenticatedDashboardHost.AppIdUri;
        settings["Dashboard:AllowedTenantIds:0"] = AuthenticatedDashboardHost.Tenant;
        settings["Dashboard:OpenIdMetadataUrl"] = Entra.MetadataUrl;
        settings["Operations:Administrators:0"] = AdminObjectId;
        Bot = await BotTestHost.StartAsync(new BotTestHostOptions { Settings = settings });
    }

    public async Task DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Entra.DisposeAsync();
    }

    /// <summary>A Teams tab sign-in token of <paramref name="objectId"/>.</summary>
    public string TabToken(string objectId) => Bot.Tokens.MintHeader(AuthenticatedDashboardHost.TabToken() with
    {
        ExtraClaims = new Dictionary<string, JsonNode?>
        {
            ["scp"] = "access_as_user",
            ["oid"] = objectId,
            ["preferred_username"] = "someone@contoso.test",
        },
    });
}

/// <summary>
/// Who may open <c>/ops</c> and act on it, through the real endpoint: administrators (an admin API key, or the Teams
/// sign-in of a configured object id); everyone else gets a 401 (no credentials) or a 403 that says why, and nothing
/// changes; loopback without credentials only in local development mode; the page's forms only from the page itself.
/// </summary>
public sealed class OperationsAccessTests(OperationsHost host) : IClassFixture<OperationsHost>
{
    private BotTestHost Bot => host.Bot;

    [Fact]
    public async Task AnAdminApiKey_AndAnAdministratorsTeamsSignIn_OpenThePageAndTheApi()
    {
        var (keyStatus, keyPage) = await new OpsClient(Bot, apiKey: ApiTestKeys.Admin).GetPageAsync();
        var (tabStatus, tabPage) = await new OpsClient(Bot, authorization: host.TabToken(OperationsHost.AdminObjectId)).GetPageAsync();
        var (apiStatus, json) = await new OpsClient(Bot, apiKey: ApiTestKeys.Admin).GetJsonAsync();

        Assert.Equal(HttpStatusCode.OK, keyStatus);
        Assert.Contains("<h1>Operations</h1>", keyPage, StringComparison.Ordinal);
        Assert.Contains("Viewing as API key &#x27;ops&#x27;", keyPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, tabStatus);
        Assert.Contains(OperationsHost.AdminObjectId, tabPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, apiStatus);
        Assert.NotNull(json!["timers"]);
        Assert.Contains(json["health"]!.AsArray(), h => h!["name"]!.GetValue<string>() == "database" && h["status"]!.GetValue<string>() == "Healthy");
        var instance = Assert.Single(json["instances"]!.AsArray(), i => i!["current"]!.GetValue<bool>());
        Assert.False(string.IsNullOrEmpty(instance!["version"]?.GetValue<string>()));
    }

    [Theory]
    [InlineData(ApiTestKeys.Reader)]
    [InlineData(ApiTestKeys.Writer)]
    public async Task AKeyWithoutTheAdminRole_IsRefusedWith403_AndChangesNothing(string key)
    {
        var ops = new OpsClient(Bot, apiKey: key);

        var (page, body) = await ops.GetPageAsync();
        var (api, _) = await ops.GetJsonAsync();
        var (action, _) = await ops.PostApiAsync("/outbox/1/discard");
        var (form, formBody) = await ops.PostFormAsync("/ops/outbox/1/discard", token: new string('a', 32));

        Assert.Equal(HttpStatusCode.Forbidden, page);
        Assert.Contains("does not have the admin role", body, StringComparison.Ordinal);
        Assert.DoesNotContain("data-figure", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, api);
        Assert.Equal(HttpStatusCode.Forbidden, action);
        Assert.Equal(HttpStatusCode.Forbidden, form);
        Assert.Contains("Administrators only", formBody, StringComparison.Ordinal);
        await using var db = Bot.CreateDbContext();
        Assert.False(await db.OperationsAudit.AnyAsync(a => a.Actor.Contains(key == ApiTestKeys.Reader ? "reporting" : "erp")));
    }

    [Fact]
    public async Task TheTeamsSignInOfSomeoneNotConfigured_IsRefusedWith403()
    {
        var (status, body) = await new OpsClient(Bot, authorization: host.TabToken(OperationsHost.OtherObjectId)).GetPageAsync();

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("your Entra object id is not in Operations:Administrators", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoCredentials_AreRefusedWith401_OnLoopbackToo_OutsideLocalDevelopmentMode()
    {
        var (status, body) = await new OpsClient(Bot).GetPageAsync();
        var (post, _) = await new OpsClient(Bot).PostFormAsync("/ops/outbox/1/discard", token: new string('a', 32));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("Sign-in needed", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, post);
    }

    [Fact]
    public async Task Loopback_IsAllowedWithoutCredentials_InLocalDevelopmentMode_ButNotWhenProxied()
    {
        await using var local = await BotTestHost.StartAsync(new BotTestHostOptions { Mode = BotTestMode.LocalDevelopment });

        var (status, body) = await new OpsClient(local).GetPageAsync();
        using var proxied = new HttpRequestMessage(HttpMethod.Get, "/ops");
        proxied.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.9");
        using var refused = await local.Http.SendAsync(proxied);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Viewing as local development (loopback)", body, StringComparison.Ordinal);
        Assert.Contains("http-equiv=\"refresh\" content=\"10; url=/ops\"", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task APageForm_IsRefused_WithoutThePagesToken_OrFromAnotherSite()
    {
        await using var local = await BotTestHost.StartAsync(new BotTestHostOptions { Mode = BotTestMode.LocalDevelopment });
        var ops = new OpsClient(local);
        await ops.GetPageAsync();

        var (noToken, noTokenBody) = await ops.PostFormAsync("/ops/outbox/999/discard", token: null);
        var (wrongToken, _) = await ops.PostFormAsync("/ops/outbox/999/discard", token: new string('b', 32));
        var (crossSite, crossSiteBody) = await ops.PostFormAsync("/ops/outbox/999/discard", origin: "http://evil.example");
        var (own, ownBody) = await ops.PostFormAsync("/ops/outbox/999/discard");

        Assert.Equal(HttpStatusCode.Forbidden, noToken);
        Assert.Contains("reload the page", noTokenBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, wrongToken);
        Assert.Equal(HttpStatusCode.Forbidden, crossSite);
        Assert.Contains("posted from another site", crossSiteBody, StringComparison.Ordinal);
        // The page's own form gets through (and finds no message 999): only that one is audited.
        Assert.True(own == HttpStatusCode.NotFound, ownBody);
        Assert.Contains("There is no outbox message 999.", ownBody, StringComparison.Ordinal);
        await using var db = local.CreateDbContext();
        var audit = Assert.Single(await db.OperationsAudit.AsNoTracking().ToListAsync());
        Assert.Equal(("outbox.discard", "refused", "local development (loopback)"), (audit.Action, audit.Outcome, audit.Actor));
    }
}
