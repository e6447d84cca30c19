using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ApprovalBot.IntegrationTests.Infrastructure;

namespace ApprovalBot.IntegrationTests.Api;

/// <summary>One bot with the test keys, shared by tests that only read.</summary>
public sealed class ApiHostFixture : IAsyncLifetime
{
    public BotTestHost Bot { get; private set; } = null!;

    public async Task InitializeAsync() => Bot = await BotTestHost.StartAsync(new BotTestHostOptions { Settings = ApiTestKeys.Settings() });

    public async Task DisposeAsync() => await Bot.DisposeAsync();
}

/// <summary>API keys through the real host: headers, plain and hashed keys, roles, and the problem details of refusals.</summary>
public sealed class ApiAuthenticationTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    private readonly BotTestHost _bot = host.Bot;

    private async Task<HttpResponseMessage> GetAsync(string path, string? apiKey = null, string? authorization = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (apiKey is not null) request.Headers.TryAddWithoutValidation("X-Api-Key", apiKey);
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return await _bot.Http.SendAsync(request);
    }

    internal static async Task<JsonObject> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal((int)status, body["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(body["title"]?.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(body["type"]?.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(body["traceId"]?.GetValue<string>()));
        return body;
    }

    [Fact]
    public async Task Me_Answers401ProblemWithChallenge_WhenNoKeyIsSent()
    {
        using var response = await GetAsync("/api/v1/me");

        var problem = await ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("/api/v1/me", problem["instance"]!.GetValue<string>());
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("ApiKey", challenge.Scheme);
        Assert.DoesNotContain("invalid_key", challenge.Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Me_Answers401InvalidKey_WhenTheKeyIsWrong()
    {
        const string wrong = "not-a-configured-key-123456";
        using var response = await GetAsync("/api/v1/me", apiKey: wrong);

        var problem = await ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.DoesNotContain(wrong, problem.ToJsonString(), StringComparison.Ordinal);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("ApiKey", challenge.Scheme);
        Assert.Contains("error=\"invalid_key\"", challenge.Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Me_Answers401_WhenTheHashIsSentInsteadOfTheKey()
    {
        using var response = await GetAsync("/api/v1/me", apiKey: ApiTestKeys.Sha256Hex(ApiTestKeys.Writer));

        await ProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Me_Answers401_WhenTwoDifferentKeysAreSent()
    {
        using var response = await GetAsync("/api/v1/me", apiKey: ApiTestKeys.Reader, authorization: "ApiKey " + ApiTestKeys.Admin);

        await ProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Me_ReturnsNameAndRoles_WhenAPlainKeyIsSentInXApiKey()
    {
        using var response = await GetAsync("/api/v1/me", apiKey: ApiTestKeys.Reader);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("reporting", body["name"]!.GetValue<string>());
        Assert.Equal(["read"], body["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public async Task Me_AcceptsTheKey_WhenSentAsAuthorizationApiKey()
    {
        using var response = await GetAsync("/api/v1/me", authorization: "ApiKey " + ApiTestKeys.Admin);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("ops", body["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Me_AcceptsTheKey_WhenOnlyItsSha256IsConfigured()
    {
        using var response = await GetAsync("/api/v1/me", apiKey: ApiTestKeys.Writer);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("erp", body["name"]!.GetValue<string>());
        Assert.Equal(["write"], body["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public async Task AdminKeys_Answers403Problem_WhenTheKeyLacksTheAdminRole()
    {
        using var reader = await GetAsync("/api/v1/admin/keys", apiKey: ApiTestKeys.Reader);
        using var writer = await GetAsync("/api/v1/admin/keys", apiKey: ApiTestKeys.Writer);

        await ProblemAsync(reader, HttpStatusCode.Forbidden);
        await ProblemAsync(writer, HttpStatusCode.Forbidden);
        Assert.Empty(reader.Headers.WwwAuthenticate);
    }

    [Fact]
    public async Task AdminKeys_ListsNamesAndRolesWithoutSecrets_WhenTheKeyIsAdmin()
    {
        using var response = await GetAsync("/api/v1/admin/keys", apiKey: ApiTestKeys.Admin);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var names = JsonNode.Parse(text)!.AsArray().Select(k => k!["name"]!.GetValue<string>());
        Assert.Equal(["reporting", "erp", "ops"], names);
        Assert.DoesNotContain(ApiTestKeys.Reader, text, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiTestKeys.Sha256Hex(ApiTestKeys.Writer), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Conversations_AcceptsWriteAndAdminKeys_BecauseRolesIncludeRead()
    {
        using var writer = await GetAsync("/api/v1/conversations", apiKey: ApiTestKeys.Writer);
        using var admin = await GetAsync("/api/v1/conversations", apiKey: ApiTestKeys.Admin);

        Assert.Equal(HttpStatusCode.OK, writer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Fact]
    public async Task BotMessages_KeepsItsOwnAuth_WhenNoBotTokenIsSent()
    {
        using var response = await _bot.PostRawAsync("{\"type\":\"message\"}", authorization: null);
        using var withApiKey = await _bot.PostRawAsync("{\"type\":\"message\"}", authorization: "ApiKey " + ApiTestKeys.Admin);

        foreach (var r in new[] { response, withApiKey })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
            Assert.DoesNotContain(r.Headers.WwwAuthenticate, h => h.Scheme == "ApiKey");
            Assert.NotEqual("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        }
    }
}
