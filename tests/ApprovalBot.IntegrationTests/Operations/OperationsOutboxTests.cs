using System.Net;
using System.Text.Json.Nodes;
using ApprovalBot.Digests.Subscriptions;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Digests;
using ApprovalBot.IntegrationTests.Api;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using ApprovalBot.Teams.Cards;
using ApprovalBot.Teams.Outbox;
using ApprovalBot.TestSupport;
using ApprovalBot.TestSupport.Connector;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalBot.IntegrationTests.Operations;

/// <summary>
/// The outbox on the operations page, through the real endpoint: a given-up message appears and, retried, arrives once
/// at the (fake) Teams connector; discarded, it leaves the queue, audited; a digest to many recipients shows its progress.
/// </summary>
public sealed class OperationsOutboxTests
{
    [Fact]
    public async Task AGivenUpMessage_Appears_AndRetryMakesItArriveExactlyOnce()
    {
        await using var bot = await BotTestHost.StartAsync(new BotTestHostOptions { Settings = ApiTestKeys.Settings() });
        var chat = await bot.WelcomedChatAsync(TestUser.Create("Alex Wilber"));
        // Teams refuses the reply for good (400 is not worth retrying): the dispatcher gives it up.
        bot.Connector.Enqueue(FakeResponse.Error(400, "BadArgument", "Activity is not valid."), conversationId: chat.Id);
        await chat.SendAsync("help");
        var id = await GivenUpIdAsync(bot);
        var ops = new OpsClient(bot, apiKey: ApiTestKeys.Admin);

        var (status, json) = await ops.GetJsonAsync();
        Assert.Equal(HttpStatusCode.OK, status);
        var entry = Assert.Single(json!["outbox"]!["givenUp"]!.AsArray());
        Assert.Equal(id, entry!["id"]!.GetValue<long>());
        Assert.Equal(1, json["outbox"]!["givenUpCount"]!.GetValue<int>());
        Assert.Equal("Activity is not valid.", entry["lastError"]!.GetValue<string>());
        var (_, page) = await ops.GetPageAsync();
        Assert.Contains($"data-given-up=\"{id}\"", page, StringComparison.Ordinal);
        Assert.Contains($"action=\"/ops/outbox/{id}/retry\"", page, StringComparison.Ordinal);
        Assert.Contains($"action=\"/ops/outbox/{id}/discard\"", page, StringComparison.Ordinal);

        var (retried, answer) = await ops.PostApiAsync($"/outbox/{id}/retry");

        Assert.Equal(HttpStatusCode.OK, retried);
        Assert.Equal("done", answer!["outcome"]!.GetValue<string>());
        var (message, card) = await chat.ExpectCardAsync();
        Assert.NotNull(card);
        await chat.ExpectNoMoreMessagesAsync(); // once: no second copy
        await using (var db = bot.CreateDbContext())
        {
            var stored = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id);
            Assert.Equal((OutboxStatus.Sent, 1, message.ActivityId), (stored.Status, stored.Attempts, stored.SentActivityId));
            var audit = Assert.Single(await db.OperationsAudit.AsNoTracking().ToListAsync());
            Assert.Equal(("outbox.retry", $"outbox {id}", "done", "API key 'ops'"), (audit.Action, audit.Target, audit.Outcome, audit.Actor));
        }
        // A second Retry finds nothing to retry: refused, audited, nothing sent.
        var (again, problem) = await ops.PostApiAsync($"/outbox/{id}/retry");
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Contains("not given up", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await chat.ExpectNoMoreMessagesAsync();
    }

    [Fact]
    public async Task Discard_RemovesAGivenUpMessageFromTheQueue_AndIsAudited()
    {
        await using var bot = await BotTestHost.StartAsync(new BotTestHostOptions { Settings = ApiTestKeys.Settings() });
        var chat = await bot.WelcomedChatAsync(TestUser.Create("Megan Bowen"));
        bot.Connector.Enqueue(FakeResponse.Error(400, "BadArgument", "Activity is not valid."), conversationId: chat.Id);
        await chat.SendAsync("help");
        var id = await GivenUpIdAsync(bot);
        var ops = new OpsClient(bot, apiKey: ApiTestKeys.Admin);
        await ops.GetPageAsync();

        var (status, page) = await ops.PostFormAsync($"/ops/outbox/{id}/discard");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"Outbox message {id} was discarded", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-given-up=\"{id}\"", page, StringComparison.Ordinal);
        Assert.Contains("data-action=\"outbox.discard\"", page, StringComparison.Ordinal);
        var (_, json) = await ops.GetJsonAsync();
        Assert.Empty(json!["outbox"]!["givenUp"]!.AsArray());
        await using var db = bot.CreateDbContext();
        Assert.Equal(OutboxStatus.Discarded, (await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id)).Status);
        var audit = Assert.Single(await db.OperationsAudit.AsNoTracking().ToListAsync());
        Assert.Equal(("outbox.discard", $"outbox {id}", "done", "API key 'ops'"), (audit.Action, audit.Target, audit.Outcome, audit.Actor));
        await chat.ExpectNoMoreMessagesAsync();
    }

    [Fact]
    public async Task RetryingAGivenUpPost_RevivesTheCardUpdateGivenUpWithIt_AndBothArriveOnceInOrder()
    {
        var clock = new ManualTimeProvider(Monday10);
        await using var bot = await BotTestHost.StartAsync(new BotTestHostOptions
        {
            Time = clock,
            Settings = new Dictionary<string, string?>(ApiTestKeys.Settings())
            {
                ["Connector:MaxAttempts"] = "1",
                ["Outbox:MaxAttempts"] = "2",
                ["Outbox:BaseDelay"] = "01:00:00",
                ["Outbox:MaxDelay"] = "01:00:00",
            },
        });
        var chat = await bot.WelcomedChatAsync(TestUser.Create("Lidia Holloway"));
        const string Subject = "ops-revive:1";

        // The card's post fails once (502: worth a retry, an hour on); while it waits, its subject changes, so an update
        // is staged that waits for the post. Then the post fails for good (400): it is given up, and the update with it.
        bot.Connector.Enqueue(FakeResponse.BadGateway(), conversationId: chat.Id);
        long postId;
        await using (var scope = bot.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            var reference = await db.ConversationReferences.SingleAsync(r => r.ConversationId == chat.Id);
            var post = await scope.ServiceProvider.GetRequiredService<Outbox>().SendAsync(reference, CardActivities.ToMessage(Card("first state")), "ops-revive-post", CancellationToken.None, cardSubject: Subject);
            await db.SaveChangesAsync();
            postId = post.Id;
        }
        await clock.TickUntilAsync(async () => await StatusAsync(bot, postId) is (OutboxStatus.Pending, 1), () => "the post's first attempt did not fail");
        await using (var scope = bot.Services.CreateAsyncScope())
        {
            var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
            Assert.Equal(1, await outbox.UpdateCardCopiesAsync(Subject, Card("second state"), "v2", CancellationToken.None));
            await scope.ServiceProvider.GetRequiredService<BotDbContext>().SaveChangesAsync();
        }
        long updateId;
        await using (var db = bot.CreateDbContext())
            updateId = await db.OutboxMessages.Where(m => m.AfterMessageId == postId).Select(m => m.Id).SingleAsync();
        bot.Connector.Enqueue(FakeResponse.Error(400, "BadArgument", "Activity is not valid."), conversationId: chat.Id);
        clock.Advance(TimeSpan.FromMinutes(75)); // past the retry: an hour, ± 20 % jitter
        await clock.TickUntilAsync(async () => await StatusAsync(bot, postId) is (OutboxStatus.GivenUp, _) && await StatusAsync(bot, updateId) is (OutboxStatus.GivenUp, _),
            () => "the post and its update were not given up");
        await using (var db = bot.CreateDbContext())
            Assert.Equal("PostNotSent", (await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == updateId)).LastResult);
        await chat.ExpectNoMoreMessagesAsync();

        var (status, answer) = await new OpsClient(bot, apiKey: ApiTestKeys.Admin).PostApiAsync($"/outbox/{postId}/retry");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"the 1 card update(s) given up with it ({updateId}) follow it", answer!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var (message, _) = await chat.ExpectCardAsync();
        await clock.TickUntilAsync(async () => await StatusAsync(bot, updateId) is (OutboxStatus.Sent, _), () => "the revived update was not sent");
        await chat.ExpectNoMoreMessagesAsync();
        // Once, in order: the post is the only new message; it was posted with the first state and then updated once,
        // in place, to the second.
        var posted = bot.Connector.GetMessage(chat.Id, message.ActivityId)!;
        Assert.Equal(["first state", "second state"], posted.Versions.Select(v => TestConversation.Texts(TestConversation.CardOf(v))));
        var requests = bot.Connector.Requests.Where(r => r.ConversationId == chat.Id && r.ResponseStatus is >= 200 and < 300)
            .Select(r => r.Operation).ToList();
        Assert.Equal([FakeOperation.SendToConversation, FakeOperation.UpdateActivity], requests.TakeLast(2));
        Assert.Equal(1, requests.Count(o => o == FakeOperation.UpdateActivity));
    }

    private static JsonObject Card(string text) => new()
    {
        ["type"] = "AdaptiveCard",
        ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
        ["version"] = "1.5",
        ["body"] = new JsonArray(new JsonObject { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true }),
    };

    private static async Task<(OutboxStatus Status, int Attempts)> StatusAsync(BotTestHost bot, long id)
    {
        await using var db = bot.CreateDbContext();
        var m = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id);
        return (m.Status, m.Attempts);
    }

    [Fact]
    public async Task Housekeeping_PurgesDiscardedMessages_AfterTheSentRetention_AndKeepsGivenUpOnes()
    {
        var clock = new ManualTimeProvider(Monday10);
        await using var bot = await BotTestHost.StartAsync(new BotTestHostOptions
        {
            Time = clock,
            Settings = new Dictionary<string, string?>
            {
                ["Housekeeping:Every"] = "01:00:00",
                ["Housekeeping:SentMessageRetention"] = "1.00:00:00",
            },
        });
        // At the first run (Monday10 + 1 h) the cut-off is Sunday 11:00: what was completed before it goes.
        var ids = new Dictionary<string, long>();
        await using (var db = bot.CreateDbContext())
        {
            OutboxMessage Row(string key, DateTimeOffset created) => OutboxMessage.Create(key, OutboxOperation.Send, bot.ServiceUrl, "a:ops-housekeeping", null,
                "{\"type\":\"message\",\"text\":\"x\"}", null, created);
            var discardedLong = Row("discarded-long-ago", Monday10.AddDays(-3));
            discardedLong.GiveUp("Failed 400", null, Monday10.AddDays(-3));
            discardedLong.Discard(Monday10.AddDays(-2));
            var discardedLately = Row("discarded-lately", Monday10.AddDays(-3));
            discardedLately.GiveUp("Failed 400", null, Monday10.AddDays(-3));
            discardedLately.Discard(Monday10.AddHours(-1));
            var givenUpLong = Row("given-up-long-ago", Monday10.AddDays(-3));
            givenUpLong.GiveUp("Failed 400", null, Monday10.AddDays(-3));
            var sentLong = Row("sent-long-ago", Monday10.AddDays(-3));
            sentLong.MarkSent("1", "Sent", Monday10.AddDays(-2));
            db.OutboxMessages.AddRange(discardedLong, discardedLately, givenUpLong, sentLong);
            await db.SaveChangesAsync();
        }

        clock.Advance(TimeSpan.FromHours(1));
        await clock.TickUntilAsync(async () =>
        {
            await using var db = bot.CreateDbContext();
            return !await db.OutboxMessages.AnyAsync(m => m.DedupeKey == "discarded-long-ago");
        }, () => "housekeeping did not purge the message discarded two days ago");

        await using (var db = bot.CreateDbContext())
        {
            var left = await db.OutboxMessages.AsNoTracking().Where(m => m.ConversationId == "a:ops-housekeeping").OrderBy(m => m.DedupeKey).Select(m => m.DedupeKey).ToListAsync();
            Assert.Equal(["discarded-lately", "given-up-long-ago"], left);
        }
    }

    private const int Recipients = 200;
    private static readonly DateTimeOffset Monday10 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Due = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ADigestToManyRecipients_ShowsSentOfTotal_RateAndTimeLeft_WhilePartOfItIsSent()
    {
        var clock = new ManualTimeProvider(Monday10);
        await using var bot = await BotTestHost.StartAsync(new BotTestHostOptions
        {
            Time = clock,
            Settings = new Dictionary<string, string?>(ApiTestKeys.Settings())
            {
                // A failed post waits an hour for its next attempt, so half the send stays pending while the test looks.
                ["Connector:MaxAttempts"] = "1",
                ["Outbox:BaseDelay"] = "01:00:00",
                ["Outbox:MaxDelay"] = "01:00:00",
            },
        });
        // Teams answers 502 (worth a retry) for every second recipient.
        bot.Connector.Admit(r => r.ConversationId is { } c && c.StartsWith("a:ops-digest-", StringComparison.Ordinal)
            && int.Parse(c["a:ops-digest-".Length..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 1
            ? FakeResponse.BadGateway() : null);
        await SeedAsync(bot);

        clock.SetUtcNow(Due);
        await clock.TickUntilAsync(async () =>
        {
            await using var db = bot.CreateDbContext();
            var batch = db.OutboxMessages.Where(m => m.Batch == DeliverDigest.Batch(Due));
            return await batch.CountAsync() == Recipients
                && await batch.CountAsync(m => m.Status == OutboxStatus.Sent) == Recipients / 2
                && await batch.CountAsync(m => m.Status == OutboxStatus.Pending && m.Attempts == 1) == Recipients / 2;
        }, () => "the digests were not staged, half sent and half waiting to retry", maxTicks: 300);
        clock.Advance(TimeSpan.FromSeconds(10));

        var ops = new OpsClient(bot, apiKey: ApiTestKeys.Admin);
        var (status, json) = await ops.GetJsonAsync();
        Assert.Equal(HttpStatusCode.OK, status);
        var send = Assert.Single(json!["outbox"]!["sends"]!.AsArray());
        Assert.Equal(DeliverDigest.Batch(Due), send!["batch"]!.GetValue<string>());
        Assert.Equal((Recipients, Recipients / 2, Recipients / 2), (send["total"]!.GetValue<int>(), send["sent"]!.GetValue<int>(), send["pending"]!.GetValue<int>()));
        Assert.True(send["ratePerSecond"]!.GetValue<double>() > 0);
        Assert.True(send["secondsLeft"]!.GetValue<double>() > 0);
        Assert.Equal("Digests due 2026-11-24 08:00 UTC", send["label"]!.GetValue<string>());
        Assert.Equal(Recipients / 2, json["outbox"]!["inRetryCount"]!.GetValue<int>());
        Assert.Contains(json["outbox"]!["inRetry"]!.AsArray(), m => m!["lastResult"]!.GetValue<string>().Length > 0 && m["attempts"]!.GetValue<int>() == 1);

        var (_, page) = await ops.GetPageAsync();
        Assert.Contains($"data-send=\"{DeliverDigest.Batch(Due)}\" data-sent=\"100\" data-total=\"200\"", page, StringComparison.Ordinal);
        Assert.Contains("100 / 200 sent", page, StringComparison.Ordinal);
        Assert.Contains(" left</p>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("time left not known yet", page, StringComparison.Ordinal);
    }

    /// <summary>Recipients with stored 1:1 chats, each subscribed to a daily digest at 08:00 UTC.</summary>
    private static async Task SeedAsync(BotTestHost bot)
    {
        await using (var db = bot.CreateDbContext())
        {
            for (var i = 0; i < Recipients; i++)
            {
                db.ConversationReferences.Add(ConversationReference.Create(new ConversationSnapshot(
                    $"a:ops-digest-{i:000}", ConversationTypes.Personal, bot.ServiceUrl, "msteams", "72f988bf-86f1-41af-91ab-2d7cd011db47", bot.BotId,
                    $"29:ops-digest-{i:000}", $"ops-person-{i:000}", $"Reader {i}", null, null, null, null), Monday10));
            }
            await db.SaveChangesAsync();
        }
        var schedule = new DigestSchedule(DigestFrequency.Daily, null, new TimeOnly(8, 0));
        for (var i = 0; i < Recipients; i++)
        {
            await using var scope = bot.Services.CreateAsyncScope();
            var person = new PersonId($"ops-person-{i:000}");
            await scope.ServiceProvider.GetRequiredService<SubscribeToDigest>().HandleAsync(new SubscribeToDigestInput(
                new DigestRecipient(DigestRecipientKind.Person, person.Value), person, schedule, new DigestZone(TimeZoneInfo.Utc, DigestZoneSource.Directory)), CancellationToken.None);
        }
    }

    private static async Task<long> GivenUpIdAsync(BotTestHost bot)
    {
        long id = 0;
        await bot.WaitUntilStoredAsync(async db =>
        {
            id = await db.OutboxMessages.Where(m => m.Status == OutboxStatus.GivenUp).Select(m => m.Id).FirstOrDefaultAsync();
            return id != 0;
        }, "no message was given up", TimeSpan.FromSeconds(20));
        return id;
    }
}
