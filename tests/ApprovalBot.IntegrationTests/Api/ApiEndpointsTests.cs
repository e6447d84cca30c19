using System.Net;
using System.Text.Json.Nodes;
using ApprovalBot.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static ApprovalBot.IntegrationTests.Api.ApiAuthenticationTests;

namespace ApprovalBot.IntegrationTests.Api;

/// <summary>The API's read endpoint, its validation and error problems, and the OpenAPI document, through the real host.</summary>
public sealed class ApiEndpointsTests : IAsyncLifetime
{
    private BotTestHost _bot = null!;

    public async Task InitializeAsync() => _bot = await BotTestHost.StartAsync(new BotTestHostOptions { Settings = ApiTestKeys.Settings() });

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    private async Task<HttpResponseMessage> GetAsync(string path, string? apiKey = ApiTestKeys.Reader, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        if (apiKey is not null) request.Headers.TryAddWithoutValidation("X-Api-Key", apiKey);
        return await _bot.Http.SendAsync(request);
    }

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    [Fact]
    public async Task Conversations_ListsStoredReferencesInPages_WithTypeFilterAndCursor()
    {
        var ann = TestUser.Create("Ann Requester");
        var bob = TestUser.Create("Bob Manager");
        await _bot.PersonalChat(ann).SendAsync("help");
        await _bot.PersonalChat(bob).SendAsync("help");
        await _bot.Channel(ann).SendAsync("help");

        using var first = await GetAsync("/api/v1/conversations?limit=2");
        var page1 = await JsonAsync(first);
        var items1 = page1["items"]!.AsArray();
        Assert.Equal(2, items1.Count);
        Assert.Equal("personal", items1[0]!["type"]!.GetValue<string>());
        Assert.Equal("Ann Requester", items1[0]!["userName"]!.GetValue<string>());
        Assert.True(items1[0]!["reachable"]!.GetValue<bool>());
        Assert.NotNull(items1[0]!["updatedAt"]);
        var cursor = page1["nextCursor"]!.GetValue<string>();

        using var second = await GetAsync($"/api/v1/conversations?limit=2&cursor={Uri.EscapeDataString(cursor)}");
        var page2 = await JsonAsync(second);
        var last = Assert.Single(page2["items"]!.AsArray());
        Assert.Equal("channel", last!["type"]!.GetValue<string>());
        Assert.Null(page2["nextCursor"]);

        using var personal = await GetAsync("/api/v1/conversations?type=personal");
        var onlyPersonal = (await JsonAsync(personal))["items"]!.AsArray();
        Assert.Equal(["Ann Requester", "Bob Manager"], onlyPersonal.Select(i => i!["userName"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Conversations_Answers400ValidationProblemWithFieldErrors_WhenParametersAreOutOfRange()
    {
        using var response = await GetAsync("/api/v1/conversations?limit=1000&type=meeting&cursor=bogus");

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.Contains("200", errors["limit"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(errors["type"]);
        Assert.NotNull(errors["cursor"]);
    }

    [Fact]
    public async Task Conversations_Answers400Problem_WhenLimitIsNotANumber()
    {
        using var response = await GetAsync("/api/v1/conversations?limit=lots");

        await ProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Conversations_Answers500ProblemWithoutStackTrace_WhenTheDatabaseFails()
    {
        await using (var db = _bot.CreateDbContext())
            await db.Database.ExecuteSqlRawAsync("DROP TABLE conversation_references");

        using var response = await GetAsync("/api/v1/conversations");

        var problem = await ProblemAsync(response, HttpStatusCode.InternalServerError);
        var text = problem.ToJsonString();
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("conversation_references", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/api/v1/nothing-here")]
    [InlineData("GET", "/api/v1/")]
    [InlineData("POST", "/api/v1/agreements/42")]
    public async Task UnknownRoute_Answers404Problem(string method, string path)
    {
        using var response = await GetAsync(path, method: new HttpMethod(method));

        var problem = await ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal(path, problem["instance"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenApiDocument_ListsTheEndpointsAndTheApiKeyScheme()
    {
        using var response = await GetAsync("/openapi/v1.json");
        var document = await JsonAsync(response);

        var scheme = document["components"]!["securitySchemes"]!["ApiKey"]!;
        Assert.Equal("apiKey", scheme["type"]!.GetValue<string>());
        Assert.Equal("header", scheme["in"]!.GetValue<string>());
        Assert.Equal("X-Api-Key", scheme["name"]!.GetValue<string>());

        var paths = document["paths"]!.AsObject();
        Assert.Contains("/api/v1/me", paths.Select(p => p.Key));
        Assert.Contains("/api/v1/conversations", paths.Select(p => p.Key));
        Assert.Contains("/api/v1/admin/keys", paths.Select(p => p.Key));
        Assert.DoesNotContain(paths, p => !p.Key.StartsWith("/api/v1/", StringComparison.Ordinal));

        var list = paths["/api/v1/conversations"]!["get"]!;
        Assert.Contains("ApiKey", list["security"]!.AsArray().SelectMany(r => r!.AsObject().Select(s => s.Key)));
        Assert.Contains(list["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "limit");
        Assert.NotNull(list["responses"]!["400"]);
    }

    [Fact]
    public async Task OpenApiDocument_NeedsAReadKey_OutsideDevelopment()
    {
        using var anonymous = await GetAsync("/openapi/v1.json", apiKey: null);

        await ProblemAsync(anonymous, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task DocsPage_IsServedLocally_AndLinksTheDocument()
    {
        using var response = await GetAsync("/api/docs", apiKey: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("/openapi/v1.json", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
    }
}

/// <summary>Configuration the API refuses at start-up, and the documents' access switch.</summary>
public sealed class ApiConfigurationTests
{
    [Fact]
    public async Task Host_RefusesToStart_WhenAKeyIsMisconfigured_WithoutEchoingTheSecret()
    {
        const string secret = "short";
        var settings = new Dictionary<string, string?>
        {
            ["Api:Keys:0:Name"] = "tiny",
            ["Api:Keys:0:Key"] = secret,
            ["Api:Keys:0:Roles:0"] = "read",
            ["Api:Keys:1:Name"] = "broken-hash",
            ["Api:Keys:1:KeyHash"] = "abc123",
            ["Api:Keys:1:Roles:0"] = "superuser",
        };

        var error = await Assert.ThrowsAnyAsync<Exception>(() => BotTestHost.StartAsync(new BotTestHostOptions { Settings = settings }));

        var message = error.ToString();
        Assert.Contains("tiny", message, StringComparison.Ordinal);
        Assert.Contains("KeyHash must be the SHA-256", message, StringComparison.Ordinal);
        Assert.Contains("unknown role 'superuser'", message, StringComparison.Ordinal);
        Assert.DoesNotContain($"'{secret}'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApiDocument_IsOpen_WhenDocsAccessIsOpen()
    {
        var settings = ApiTestKeys.Settings();
        settings["Api:DocsAccess"] = "Open";
        await using var bot = await BotTestHost.StartAsync(new BotTestHostOptions { Settings = settings });

        using var response = await bot.Http.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task RefusedKey_IsAnsweredAfterTheFailureDelay()
    {
        var settings = ApiTestKeys.Settings();
        settings["Api:FailureDelay"] = "00:00:00.300";
        await using var bot = await BotTestHost.StartAsync(new BotTestHostOptions { Settings = settings });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Add("X-Api-Key", "wrong-key-wrong-key-wrong");

        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var response = await bot.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(280), $"answered after {watch.Elapsed}");
    }
}
