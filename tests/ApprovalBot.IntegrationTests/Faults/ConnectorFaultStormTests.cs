using System.Net;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Teams.Outbox;
using ApprovalBot.TestSupport.Connector;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.IntegrationTests.Faults;

/// <summary>
/// The Teams connector misbehaves for a while — 429 with Retry-After, 503, 504 and requests that hang past the attempt
/// timeout — while 24 people each ask the bot something at once. Afterwards every reply has arrived, each exactly once,
/// and the outbox holds every message as sent (none given up).
/// </summary>
public sealed class ConnectorFaultStormTests : IAsyncLifetime
{
    private const int People = 24;
    private BotTestHost _bot = null!;

    public async Task InitializeAsync() => _bot = await BotTestHost.StartAsync(new BotTestHostOptions
    {
        // A hang counts as a timeout after 1 s instead of 30 s, so the storm passes in seconds.
        Settings = new Dictionary<string, string?> { ["Connector:AttemptTimeout"] = "00:00:01" },
    });

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task EveryReplyArrivesExactlyOnce_WhenTheConnectorThrottlesFailsAndHangsForAWhile()
    {
        var chats = Enumerable.Range(0, People)
            .Select(i => _bot.PersonalChat(TestUser.Create($"Storm Person {i}"), $"a:storm-{i}")).ToList();
        // The first 30 sends meet these, in this order, whichever conversation they are for.
        _bot.Connector.Enqueue(FakeResponse.Throttled(TimeSpan.FromSeconds(1)), times: 10);
        _bot.Connector.Enqueue(FakeResponse.ServiceUnavailable(), times: 10);
        _bot.Connector.Enqueue(FakeResponse.GatewayTimeout(), times: 5);
        _bot.Connector.Enqueue(FakeResponse.Delayed(TimeSpan.FromSeconds(5)), times: 5);

        var answers = await Task.WhenAll(chats.Select(c => c.SendAsync("help")));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        foreach (var chat in chats)
            Assert.Contains("help [command]", TestConversation.Texts((await chat.ExpectCardAsync(TimeSpan.FromSeconds(60))).Card), StringComparison.Ordinal);
        foreach (var chat in chats)
            await chat.ExpectNoMoreMessagesAsync();

        // The storm really happened: every scripted failure was answered to some send.
        var statuses = _bot.Connector.Requests.Select(r => r.ResponseStatus).ToList();
        Assert.Equal((10, 10, 5), (statuses.Count(s => s == 429), statuses.Count(s => s == 503), statuses.Count(s => s == 504)));
        await using var db = _bot.CreateDbContext();
        var outbox = await db.OutboxMessages.Where(m => m.ConversationId!.StartsWith("a:storm-")).ToListAsync();
        Assert.Equal(People, outbox.Count);
        Assert.All(outbox, m => Assert.Equal(OutboxStatus.Sent, m.Status));
    }
}
