using System.Net;
using System.Text.Json.Nodes;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.TestSupport.Auth;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.IntegrationTests.Protocol;

/// <summary>POST /api/messages with an app id configured: the real auth path, status codes and bodies.</summary>
public sealed class MessagesEndpointTests : IAsyncLifetime
{
    private BotTestHost _bot = null!;
    private readonly TestUser _dana = TestUser.Create("Dana Reviewer");

    public async Task InitializeAsync() => _bot = await BotTestHost.StartAsync(new BotTestHostOptions
    {
        Settings = new Dictionary<string, string?> { ["BotAuthentication:AllowedTenantIds:0"] = "72f988bf-86f1-41af-91ab-2d7cd011db47" },
    });

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    private string HelpJson(TestConversation? chat = null)
    {
        chat ??= _bot.PersonalChat(_dana);
        var activity = chat.NewActivity(ActivityTypes.Message);
        activity.Text = "help";
        return ProtocolJson.Serialize(activity);
    }

    private async Task AssertNothingHappenedAsync()
    {
        await using var db = _bot.CreateDbContext();
        Assert.Equal(0, await db.ConversationReferences.CountAsync());
        Assert.Equal(0, await db.OutboxMessages.CountAsync());
        Assert.Equal(0, await db.ProcessedActivities.CountAsync());
    }

    private static async Task AssertErrorBodyAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        var error = JsonNode.Parse(body)!["error"]!;
        Assert.False(string.IsNullOrWhiteSpace(error["code"]!.GetValue<string>()));
        Assert.False(string.IsNullOrWhiteSpace(error["message"]!.GetValue<string>()));
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_Returns401AndChangesNothing_WhenNoTokenIsSent()
    {
        using var response = await _bot.PostRawAsync(HelpJson(), authorization: null);
        await AssertErrorBodyAsync(response, HttpStatusCode.Unauthorized);
        await AssertNothingHappenedAsync();
    }

    [Fact]
    public async Task Post_Returns401_WhenTheTokenIsForAnotherBot()
    {
        var token = _bot.Tokens.MintHeader(new ChannelTokenSpec { Audience = "00000000-1111-2222-3333-444444444444", ServiceUrl = _bot.ServiceUrl });
        using var response = await _bot.PostRawAsync(HelpJson(), authorization: token);
        await AssertErrorBodyAsync(response, HttpStatusCode.Unauthorized);
        await AssertNothingHappenedAsync();
    }

    [Fact]
    public async Task Post_Returns401_WhenTheTokenWasIssuedForAnotherServiceUrl()
    {
        var token = _bot.Tokens.MintHeader(new ChannelTokenSpec { ServiceUrl = "https://attacker.example/" });
        using var response = await _bot.PostRawAsync(HelpJson(), authorization: token);
        await AssertErrorBodyAsync(response, HttpStatusCode.Unauthorized);
        await AssertNothingHappenedAsync();
    }

    [Fact]
    public async Task Post_Returns401_WhenTheTokenIsUnsigned()
    {
        var token = _bot.Tokens.MintHeader(new ChannelTokenSpec { Algorithm = "none", ServiceUrl = _bot.ServiceUrl });
        using var response = await _bot.PostRawAsync(HelpJson(), authorization: token);
        await AssertErrorBodyAsync(response, HttpStatusCode.Unauthorized);
        await AssertNothingHappenedAsync();
    }

    [Fact]
    public async Task Post_Returns403_WhenTheTenantIsNotOnTheAllowList()
    {
        var chat = _bot.PersonalChat(_dana);
        var activity = chat.NewActivity(ActivityTypes.Message);
        activity.Text = "help";
        activity.ChannelData!.Tenant!.Id = "another-tenant";
        activity.Conversation!.TenantId = "another-tenant";
        using var response = await _bot.PostActivityAsync(activity);
        await AssertErrorBodyAsync(response, HttpStatusCode.Forbidden);
        await AssertNothingHappenedAsync();
    }

    [Fact]
    public async Task Post_Returns200AndRepliesThroughTheConnectorWithAToken_WhenTheTokenIsValid()
    {
        var chat = _bot.PersonalChat(_dana);
        using var response = await _bot.PostRawAsync(HelpJson(chat));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (message, _) = await chat.ExpectCardAsync();
        var request = _bot.Connector.Requests.Single(r => r.ActivityId is null && r.ConversationId == chat.Id);
        Assert.True(_bot.Entra!.IsValidToken(request.BearerToken!));
        Assert.NotNull(message.ActivityId);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task Post_Returns415_WhenTheBodyIsNotJson(string contentType)
    {
        using var response = await _bot.PostRawAsync(HelpJson(), contentType: contentType);
        await AssertErrorBodyAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Post_Returns413_WhenTheBodyIsLargerThanTheLimit()
    {
        var huge = HelpJson().Replace("\"help\"", "\"" + new string('x', 600 * 1024) + "\"", StringComparison.Ordinal);
        using var response = await _bot.PostRawAsync(huge);
        await AssertErrorBodyAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Post_Returns413_WhenAChunkedBodyGrowsPastTheLimit()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(new string(' ', 700 * 1024) + HelpJson()))),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = true;
        using var response = await _bot.Http.SendAsync(request);
        await AssertErrorBodyAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("{\"type\":\"message\",")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("\"message\"")]
    [InlineData("{\"type\":5}")]
    [InlineData("{\"type\":\"message\",\"text\":[\"a\"]}")]
    [InlineData("{\"type\":\"message\",\"conversation\":\"a:1\"}")]
    [InlineData("{\"type\":\"message\",\"timestamp\":\"yesterday\"}")]
    [InlineData("{\"text\":\"help\"}")]
    [InlineData("{\"type\":\"\"}")]
    public async Task Post_Returns400WithoutDetails_WhenTheBodyIsNotAValidActivity(string body)
    {
        using var response = await _bot.PostRawAsync(body);
        await AssertErrorBodyAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Post_Returns400_WhenTheActivityHasNoConversation()
    {
        var activity = _bot.PersonalChat(_dana).NewActivity(ActivityTypes.Message);
        activity.Conversation = null;
        using var response = await _bot.PostActivityAsync(activity);
        await AssertErrorBodyAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Get_Returns405_WhenTheMethodIsNotPost()
    {
        using var response = await _bot.Http.GetAsync("/api/messages");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Invoke_AnswersStatus400InTheBody_WhenTheActionIsNotActionExecute()
    {
        var chat = _bot.PersonalChat(_dana);
        var activity = chat.NewActivity(ActivityTypes.Invoke);
        activity.Name = InvokeNames.AdaptiveCardAction;
        activity.Value = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Submit", ["verb"] = "showHelp" } };
        var result = await chat.PostAsync(activity);
        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal(400, result.Json!["statusCode"]!.GetValue<int>());
    }

    [Fact]
    public async Task Invoke_AnswersInTheBody_WhenTheInvokeNameIsUnknown()
    {
        var chat = _bot.PersonalChat(_dana);
        var activity = chat.NewActivity(ActivityTypes.Invoke);
        activity.Name = "composeExtension/query";
        var result = await chat.PostAsync(activity);
        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal(501, result.Json!["statusCode"]!.GetValue<int>());
    }

    [Fact]
    public async Task Health_ReportsBotFrameworkModeDatabaseAndScheduler_WhenAnAppIdIsConfigured()
    {
        var health = JsonNode.Parse(await _bot.Http.GetStringAsync("/healthz"))!;
        Assert.Equal("Healthy", health["status"]!.GetValue<string>());
        Assert.Equal("BotFramework", health["authMode"]!.GetValue<string>());
        Assert.Equal("Healthy", health["checks"]!["database"]!["status"]!.GetValue<string>());
        Assert.NotNull(health["checks"]!.AsObject().FirstOrDefault(c => c.Key.Contains("quartz", StringComparison.OrdinalIgnoreCase)).Value);
    }
}

/// <summary>Local development mode (no app id): loopback only, never behind a proxy, no tokens either way.</summary>
public sealed class LocalDevelopmentModeTests : IAsyncLifetime
{
    private BotTestHost _bot = null!;
    private readonly TestUser _dana = TestUser.Create("Dana Reviewer");

    public async Task InitializeAsync() => _bot = await BotTestHost.StartAsync(new BotTestHostOptions { Mode = BotTestMode.LocalDevelopment });

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Help_IsAnsweredWithoutATokenEitherWay_WhenTheCallerIsOnLoopback()
    {
        var chat = _bot.PersonalChat(_dana);
        var result = await chat.SendAsync("help");
        Assert.Equal(HttpStatusCode.OK, result.Status);
        await chat.ExpectCardAsync();
        Assert.All(_bot.Connector.Requests, r => Assert.Null(r.Authorization));
    }

    [Fact]
    public async Task Post_Returns403_WhenTheRequestCameThroughAProxy()
    {
        var activity = _bot.PersonalChat(_dana).NewActivity(ActivityTypes.Message);
        activity.Text = "help";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new StringContent(ProtocolJson.Serialize(activity), System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        using var response = await _bot.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Health_ReportsLocalDevelopmentMode_WhenNoAppIdIsConfigured()
    {
        var health = JsonNode.Parse(await _bot.Http.GetStringAsync("/healthz"))!;
        Assert.Equal("LocalDevelopment", health["authMode"]!.GetValue<string>());
    }

    [Fact]
    public async Task Outbox_RefusesANonLoopbackServiceUrl_WhenInLocalDevelopmentMode()
    {
        var chat = _bot.PersonalChat(_dana);
        var activity = chat.NewActivity(ActivityTypes.Message);
        activity.Text = "help";
        activity.ServiceUrl = "https://smba.trafficmanager.net/emea/";
        Assert.Equal(HttpStatusCode.OK, (await chat.PostAsync(activity)).Status);

        await _bot.WaitForOutboxToSettleAsync();
        await using var db = _bot.CreateDbContext();
        var message = await db.OutboxMessages.SingleAsync();
        Assert.Equal(ApprovalBot.Teams.Outbox.OutboxStatus.GivenUp, message.Status);
        Assert.Empty(_bot.Connector.Requests);
    }
}
