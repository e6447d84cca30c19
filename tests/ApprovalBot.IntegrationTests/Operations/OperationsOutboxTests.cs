using System.Net;
using ApprovalBot.Digests.Subscriptions;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Digests;
using ApprovalBot.IntegrationTests.Api;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Teams;
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
