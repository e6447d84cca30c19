using ApprovalBot.Digests.Subscriptions;
using ApprovalBot.Domain.Digests;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Escalations;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalBot.IntegrationTests.Digests;

/// <summary>
/// Several fires of one subscription's timer at once (a duplicate, a retry, another instance), racing the scheduler's
/// own: the version and the unique (subscription, period) key let one deliver; the rest only re-arm. On SQLite and
/// PostgreSQL (where the loser's transaction is aborted by the unique violation or finds the version moved).
/// </summary>
public abstract class DigestConcurrentFireTests(ITestDatabaseFactory databases)
{
    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public async Task DuplicateAndConcurrentFires_DeliverAPeriodOnce_AndAStaleFireOnlyReArms()
    {
        await using var bed = await DigestTestBed.StartAsync(Utc(2026, 11, 23, 10), await databases.CreateDatabaseAsync());
        var alex = await bed.ChatWithAsync(Cast.Alex);
        await alex.SayAsync("digest daily 08:00");
        var subscription = (await bed.SubscriptionAsync(DigestRecipientKind.Person, Cast.Alex.AadObjectId))!;
        await bed.JumpToAsync(Utc(2026, 11, 24, 7, 0).AddSeconds(3));

        // Three fires of the same timer at once (a duplicate, another instance, a retry), each in its own scope, racing
        // the scheduler's own fire of the armed timer.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            await using var scope = bed.Bot.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<DeliverDigest>().HandleAsync(subscription.Id, subscription.Version, TimeSpan.Zero, CancellationToken.None);
        }));
        await alex.ExpectCardAsync(DigestTestBed.IsDigest);
        await alex.ExpectNoMoreMessagesAsync();

        Assert.InRange(outcomes.Count(o => o == DigestFireOutcome.Delivered), 0, 1); // 0: the scheduler's fire won
        Assert.All(outcomes.Where(o => o != DigestFireOutcome.Delivered), o => Assert.Equal(DigestFireOutcome.StaleToken, o));
        Assert.Single(await bed.DeliveriesAsync(subscription.Id));
        await using (var db = bed.Bot.CreateDbContext())
            Assert.Equal(1, await db.OutboxMessages.CountAsync(m => m.DedupeKey.StartsWith($"digest:{subscription.Id}:")));
        var after = (await bed.SubscriptionAsync(DigestRecipientKind.Person, Cast.Alex.AadObjectId))!;
        Assert.Equal(Utc(2026, 11, 25, 7), (await bed.DigestTimerFollowingAsync(after)).DueAt);
    }

}

public sealed class SqliteDigestConcurrentFireTests() : DigestConcurrentFireTests(new SqliteTestDatabases());

public sealed class PostgresDigestConcurrentFireTests(PostgresServerFixture postgres)
    : DigestConcurrentFireTests(postgres), IClassFixture<PostgresServerFixture>;
