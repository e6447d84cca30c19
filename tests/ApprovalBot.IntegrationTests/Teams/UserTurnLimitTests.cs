using System.Net;
using System.Text.Json.Nodes;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.TestSupport;

namespace ApprovalBot.IntegrationTests.Teams;

/// <summary>
/// The per-user command rate (BotEndpoint:UserTurnsPerMinute, UserTurnBurst) through the real endpoint with signed tokens,
/// on a manual clock: a burst of 3, then one turn every 10 s (6 a minute).
/// </summary>
public sealed class UserTurnLimitTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
    private readonly TestUser _flooder = TestUser.Create("Flo Oder");
    private readonly TestUser _other = TestUser.Create("Calm Colleague");
    private BotTestHost _bot = null!;

    public async Task InitializeAsync() => _bot = await BotTestHost.StartAsync(new BotTestHostOptions
    {
        Time = _clock,
        Settings = new Dictionary<string, string?> { ["BotEndpoint:UserTurnsPerMinute"] = "6", ["BotEndpoint:UserTurnBurst"] = "3" },
    });

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Messages_OverTheBurst_GetOneSlowDownReplyAndDoNothing_UntilTheBucketRefills()
    {
        var chat = _bot.PersonalChat(_flooder);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await chat.SendAsync("help")).Status);
            Assert.Contains("help", TestConversation.Texts((await chat.ExpectCardAsync()).Card), StringComparison.OrdinalIgnoreCase);
        }

        // Over the burst: answered 200 (Teams must not redeliver), one reply for the run of refusals, nothing done.
        for (var i = 0; i < 4; i++)
            Assert.Equal(HttpStatusCode.OK, (await chat.SendAsync("help")).Status);
        var refusal = TestConversation.Texts((await chat.ExpectCardAsync()).Card);
        Assert.Contains("faster than I take them", refusal, StringComparison.Ordinal);
        Assert.Contains("Try again in 10 s", refusal, StringComparison.Ordinal);
        await chat.ExpectNoMoreMessagesAsync();

        // Another user is not held back by the first one's flood.
        var calm = _bot.PersonalChat(_other);
        await calm.SendAsync("help");
        Assert.DoesNotContain("faster than", TestConversation.Texts((await calm.ExpectCardAsync()).Card), StringComparison.Ordinal);

        // 10 s later one token is back: one command runs, the next is refused with a new reply.
        _clock.Advance(TimeSpan.FromSeconds(10));
        await chat.SendAsync("help");
        Assert.DoesNotContain("faster than", TestConversation.Texts((await chat.ExpectCardAsync()).Card), StringComparison.Ordinal);
        await chat.SendAsync("help");
        Assert.Contains("faster than", TestConversation.Texts((await chat.ExpectCardAsync()).Card), StringComparison.Ordinal);
        await chat.ExpectNoMoreMessagesAsync();
    }

    [Fact]
    public async Task CardActions_OverTheBurst_AreAnsweredWithAnErrorMessage_AndRunNoHandler()
    {
        var chat = _bot.PersonalChat(_flooder);
        await chat.SendAsync("help");
        var (message, _) = await chat.ExpectCardAsync();
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.OK, (await chat.ClickAsync(message.ActivityId, "showHelp", new JsonObject())).Status);

        var refused = await chat.ClickAsync(message.ActivityId, "showHelp", new JsonObject());

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        var body = JsonNode.Parse(refused.Body)!;
        Assert.Equal("application/vnd.microsoft.activity.message", body["type"]!.GetValue<string>());
        Assert.Contains("faster than I take them", body["value"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
