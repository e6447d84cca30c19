using System.Text.Json.Nodes;
using ApprovalBot.Digests.Subscriptions;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Digests;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Teams;
using ApprovalBot.TestSupport;
using ApprovalBot.TestSupport.Connector;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace ApprovalBot.IntegrationTests.Digests;

/// <summary>
/// A large fan-out across a restart: <see cref="Recipients"/> subscriptions due at the same minute, the host stopped
/// part way through their fires (with sends in flight to a slow Teams), a new host started on the same database and
/// clock. Every recipient ends up with exactly one digest for the period: one delivery row, one outbox message, one
/// post. The recipients' chats point at a fake Teams that outlives both hosts, as the real one would.
/// </summary>
public abstract class DigestFanOutRestartTests(ITestDatabaseFactory databases, ITestOutputHelper output)
{
    private const int Recipients = 200;
    private static readonly DateTimeOffset Monday10 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Due = new(2026, 11, 24, 7, 0, 0, TimeSpan.Zero); // 08:00 in Berlin
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static string ChatOf(int i) => $"a:digest-chat-{i:000}";

    private static PersonId PersonOf(int i) => new($"digest-person-{i:000}");

    [Fact]
    public async Task ARestartInTheMiddleOfALargeSend_GivesEveryRecipientExactlyOneDigestForThePeriod()
    {
        await using var database = await databases.CreateDatabaseAsync();
        await using var teams = await FakeConnector.StartAsync();
        // A slow Teams (100 ms a post), so that posts are in flight when the first host stops.
        teams.Enqueue(new FakeResponse { Delay = TimeSpan.FromMilliseconds(100), ThenProcessNormally = true }, times: 100_000);
        var clock = new ManualTimeProvider(Monday10);

        int firedBeforeStop;
        await using (var first = await StartAsync(database, clock))
        {
            await SeedAsync(first, teams.ServiceUrl);
            clock.SetUtcNow(Due);
            await clock.TickUntilAsync(async () => await DeliveredAsync(database) >= 20, () => "no digest was delivered", maxTicks: 300);
        } // stopped here: Quartz lets running fires finish; the outbox's sends in flight are cancelled
        firedBeforeStop = await DeliveredAsync(database);
        var postedBeforeStop = Enumerable.Range(0, Recipients).Count(i => teams.GetMessages(ChatOf(i)).Count > 0);
        output.WriteLine($"before the stop: {firedBeforeStop} fires handled, {postedBeforeStop} digests posted");
        Assert.InRange(firedBeforeStop, 1, Recipients - 1); // part way through the fires

        await using (var second = await StartAsync(database, clock))
        {
            // The first host's outbox claims lapse after a minute of ticks (the clock never jumps while posts are in
            // flight: a jump would time out their attempts on this clock and retry posts Teams already has).
            await clock.TickUntilAsync(async () => await DeliveredAsync(database) == Recipients && await NothingPendingAsync(database),
                () => "not every digest was delivered and sent", maxTicks: 600);
        }

        await using var db = database.CreateContext();
        var deliveries = await db.DigestDeliveries.AsNoTracking().ToListAsync();
        Assert.Equal(Recipients, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal((Due, DigestDeliveryStatus.Staged), (d.Period, d.Status)));
        Assert.Equal(Recipients, deliveries.Select(d => d.SubscriptionId).Distinct().Count());
        var messages = await db.OutboxMessages.AsNoTracking().Where(m => m.DedupeKey.StartsWith("digest:")).ToListAsync();
        Assert.Equal(Recipients, messages.Count);
        Assert.All(messages, m => Assert.Equal(ApprovalBot.Teams.Outbox.OutboxStatus.Sent, m.Status));
        var posts = Enumerable.Range(0, Recipients).Select(i => teams.GetMessages(ChatOf(i)).Count).ToList();
        Assert.True(posts.All(n => n == 1), $"Digests posted per recipient: {string.Join(", ", posts.Select((n, i) => (n, i)).Where(x => x.n != 1).Select(x => $"#{x.i}: {x.n}"))}");
        Assert.All(Enumerable.Range(0, Recipients), i => Assert.StartsWith("Your digest", TestConversation.Texts(TestConversation.CardOf(teams.GetMessages(ChatOf(i))[0].Current)), StringComparison.Ordinal));
        var subscriptions = await db.DigestSubscriptions.AsNoTracking().ToListAsync();
        Assert.All(subscriptions, s => Assert.Equal(Due.AddDays(1), s.NextDueAt)); // and each armed for tomorrow
    }

    private static Task<BotTestHost> StartAsync(ITestDatabase database, ManualTimeProvider clock) =>
        BotTestHost.StartAsync(new BotTestHostOptions
        {
            Database = database,
            Time = clock,
            Settings = new Dictionary<string, string?> { ["Outbox:ClaimTimeout"] = "00:01:00" },
        });

    /// <summary>Recipients who have talked to the bot (their 1:1 chats stored, pointing at <paramref name="serviceUrl"/>), each subscribed daily at 08:00 Berlin.</summary>
    private static async Task SeedAsync(BotTestHost bot, string serviceUrl)
    {
        await using (var db = bot.CreateDbContext())
        {
            for (var i = 0; i < Recipients; i++)
            {
                db.ConversationReferences.Add(ConversationReference.Create(new ConversationSnapshot(
                    ChatOf(i), ConversationTypes.Personal, serviceUrl, "msteams", "72f988bf-86f1-41af-91ab-2d7cd011db47", bot.BotId,
                    $"29:digest-{i:000}", PersonOf(i).Value, $"Digest reader {i}", null, null, null, null), Monday10));
            }
            await db.SaveChangesAsync();
        }
        var schedule = new DigestSchedule(DigestFrequency.Daily, null, new TimeOnly(8, 0));
        for (var i = 0; i < Recipients; i++)
        {
            await using var scope = bot.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<SubscribeToDigest>().HandleAsync(new SubscribeToDigestInput(
                new DigestRecipient(DigestRecipientKind.Person, PersonOf(i).Value), PersonOf(i), schedule, new DigestZone(Berlin, DigestZoneSource.Directory)), CancellationToken.None);
        }
    }

    private static async Task<int> DeliveredAsync(ITestDatabase database)
    {
        await using var db = database.CreateContext();
        return await db.DigestDeliveries.CountAsync();
    }

    private static async Task<bool> NothingPendingAsync(ITestDatabase database)
    {
        await using var db = database.CreateContext();
        return !await db.OutboxMessages.AnyAsync(m => m.Status == ApprovalBot.Teams.Outbox.OutboxStatus.Pending);
    }
}

public sealed class SqliteDigestFanOutRestartTests(ITestOutputHelper output)
    : DigestFanOutRestartTests(new SqliteTestDatabases(), output);

public sealed class PostgresDigestFanOutRestartTests(PostgresServerFixture postgres, ITestOutputHelper output)
    : DigestFanOutRestartTests(postgres, output), IClassFixture<PostgresServerFixture>;
