using Stopwatch = System.Diagnostics.Stopwatch;
using System.Text.Json.Nodes;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.TestSupport.Connector;

namespace ApprovalBot.IntegrationTests.Infrastructure;

/// <summary>
/// A conversation with the bot, in the spirit of Bot.Builder.Testing's TestFlow: send an activity as a given user,
/// then assert the messages, card updates and invoke responses that came back — all through the real endpoint.
/// </summary>
public sealed class TestConversation(BotTestHost host, string conversationId, string conversationType, TestUser user)
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);
    private int _next;
    private int _seen;

    public string Id { get; } = conversationId;
    public string Type { get; } = conversationType;
    public TestUser User { get; } = user;
    public string? TeamsChannelId { get; init; }
    public string TenantId { get; init; } = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    /// <summary>A new activity in this conversation from <paramref name="from"/> (default: the conversation's user).</summary>
    public Activity NewActivity(string type, TestUser? from = null)
    {
        from ??= User;
        var activity = new Activity
        {
            Type = type,
            Id = $"{type}-{Interlocked.Increment(ref _next)}-{Guid.NewGuid():N}",
            ChannelId = "msteams",
            ServiceUrl = host.ServiceUrl,
            From = new ChannelAccount { Id = from.Id, Name = from.Name, AadObjectId = from.AadObjectId },
            Recipient = new ChannelAccount { Id = host.BotId, Name = "ApprovalBot" },
            Conversation = new ConversationAccount
            {
                Id = Id,
                ConversationType = Type,
                TenantId = TenantId,
                IsGroup = Type == ConversationTypes.Personal ? null : true,
            },
            ChannelData = new TeamsChannelData
            {
                Tenant = new TenantInfo { Id = TenantId },
                Channel = TeamsChannelId is null ? null : new ChannelInfo { Id = TeamsChannelId },
                Team = TeamsChannelId is null ? null : new TeamInfo { Id = TeamsChannelId },
            },
            Locale = "en-US",
        };
        return activity;
    }

    /// <summary>A message; in channels and group chats the bot's @mention is put in front, as Teams does.</summary>
    public Task<TurnResult> SendAsync(string text, TestUser? from = null, bool mention = true)
    {
        var activity = NewActivity(ActivityTypes.Message, from);
        if (Type != ConversationTypes.Personal && mention)
        {
            activity.Text = $"<at>ApprovalBot</at> {text}";
            activity.Entities = [Mention(host.BotId, "ApprovalBot")];
        }
        else
        {
            activity.Text = text;
        }
        activity.TextFormat = "plain";
        return PostAsync(activity);
    }

    /// <summary>The app is added: installationUpdate "add" followed by conversationUpdate, as Teams sends them.</summary>
    public async Task<(TurnResult Installation, TurnResult ConversationUpdate)> InstallAsync()
    {
        var installation = NewActivity(ActivityTypes.InstallationUpdate);
        installation.Action = "add";
        var update = NewActivity(ActivityTypes.ConversationUpdate);
        update.MembersAdded = [new ChannelAccount { Id = host.BotId }];
        return (await PostAsync(installation), await PostAsync(update));
    }

    /// <summary>An Action.Execute click on the card in message <paramref name="replyToId"/>.</summary>
    public Task<TurnResult> ClickAsync(string replyToId, string verb, JsonObject? data = null, TestUser? from = null)
    {
        var activity = NewActivity(ActivityTypes.Invoke, from);
        activity.Name = InvokeNames.AdaptiveCardAction;
        activity.ReplyToId = replyToId;
        activity.Value = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data ?? new JsonObject() },
            ["trigger"] = "manual",
        };
        return PostAsync(activity);
    }

    public async Task<TurnResult> PostAsync(Activity activity, string? authorization = "valid")
    {
        using var response = await host.PostActivityAsync(activity, authorization);
        return new TurnResult(response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Waits for the next message the bot posted into this conversation that the test has not seen yet.</summary>
    public async Task<FakeMessage> ExpectMessageAsync(TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultWait;
        return await NextMessageAsync(limit)
            ?? throw new Xunit.Sdk.XunitException(
                $"No message #{_seen + 1} was posted to {Id} within {limit}. Requests: {string.Join("; ", host.Connector.Requests)}. {await host.DescribeAsync()}");
    }

    /// <summary>The next message not seen yet, or null when none is posted within <paramref name="limit"/>.</summary>
    private async Task<FakeMessage?> NextMessageAsync(TimeSpan limit)
    {
        var index = _seen;
        var deadline = Stopwatch.StartNew();
        // The fake stores a message only once it accepted it (2xx); wake on every request to this conversation.
        while (host.Connector.GetMessages(Id).Count <= index)
        {
            var remaining = limit - deadline.Elapsed;
            if (remaining <= TimeSpan.Zero) return null;
            var lastSequence = host.Connector.Requests.Count == 0 ? 0 : host.Connector.Requests.Max(r => r.Sequence);
            try
            {
                await host.Connector.WaitForAsync(r => r.Sequence > lastSequence, remaining < TimeSpan.FromMilliseconds(100) ? remaining : TimeSpan.FromMilliseconds(100));
            }
            catch (TimeoutException)
            {
            }
        }
        _seen = index + 1;
        return host.Connector.GetMessages(Id)[index];
    }

    /// <summary>
    /// The next card that matches <paramref name="predicate"/> (passing over other messages), or null when none comes
    /// within <paramref name="limit"/>: for waits that try again, so a short wait that ends empty costs no failure report.
    /// </summary>
    public async Task<(FakeMessage Message, JsonObject Card)?> TryExpectCardAsync(Func<JsonObject, bool> predicate, TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        while (await NextMessageAsync(limit - deadline.Elapsed) is { } message)
        {
            if (CardOf(message.Current) is { } card && predicate(card)) return (message, card);
        }
        return null;
    }

    /// <summary>Waits for the next message and returns its Adaptive Card (fails if it carries none).</summary>
    public async Task<(FakeMessage Message, JsonObject Card)> ExpectCardAsync(TimeSpan? timeout = null)
    {
        var message = await ExpectMessageAsync(timeout);
        var card = CardOf(message.Current) ?? throw new Xunit.Sdk.XunitException($"Message {message.ActivityId} carries no Adaptive Card: {ProtocolJson.Serialize(message.Current)}");
        return (message, card);
    }

    /// <summary>Waits for the next card that matches <paramref name="predicate"/>, passing over other messages (notices, other cards).</summary>
    public async Task<(FakeMessage Message, JsonObject Card)> ExpectCardAsync(Func<JsonObject, bool> predicate, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? DefaultWait;
        while (true)
        {
            var remaining = limit - deadline.Elapsed;
            var message = await ExpectMessageAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.FromMilliseconds(1));
            if (CardOf(message.Current) is { } card && predicate(card)) return (message, card);
        }
    }

    /// <summary>Proves nothing else was posted here: waits until the outbox has nothing pending, then counts.</summary>
    public async Task ExpectNoMoreMessagesAsync()
    {
        await host.WaitForOutboxToSettleAsync();
        var posted = host.Connector.GetMessages(Id).Count;
        Assert.True(posted == _seen, $"Expected {_seen} message(s) in {Id}, the bot posted {posted}.");
    }

    public static JsonObject? CardOf(Activity activity) =>
        activity.Attachments?.FirstOrDefault(a => a.ContentType == ContentTypes.AdaptiveCard)?.Content as JsonObject;

    /// <summary>Every text a card shows (TextBlock/TextRun text, fact titles and values, action titles), in order.</summary>
    public static string Texts(JsonNode? card)
    {
        var parts = new List<string>();
        Walk(card, parts);
        return string.Join("\n", parts);

        static void Walk(JsonNode? node, List<string> parts)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (key, value) in o)
                    {
                        if (key is "text" or "title" or "value" && value is JsonValue v && v.TryGetValue<string>(out var s)) parts.Add(s);
                        else Walk(value, parts);
                    }
                    break;
                case JsonArray a:
                    foreach (var item in a) Walk(item, parts);
                    break;
            }
        }
    }

    private static Entity Mention(string id, string name) =>
        System.Text.Json.JsonSerializer.Deserialize<Entity>(
            new JsonObject { ["type"] = "mention", ["text"] = $"<at>{name}</at>", ["mentioned"] = new JsonObject { ["id"] = id, ["name"] = name } }.ToJsonString(),
            ProtocolJson.Options)!;
}
