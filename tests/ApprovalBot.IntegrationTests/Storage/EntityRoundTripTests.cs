using ApprovalBot.Storage;
using ApprovalBot.Teams;
using ApprovalBot.Teams.Outbox;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.IntegrationTests.Storage;

/// <summary>Entities through EF on a migrated database: values, instants, unique keys and the outbox concurrency token.</summary>
public abstract class EntityRoundTripTests(ITestDatabaseFactory databases)
{
    /// <summary>An instant with sub-millisecond ticks: storage keeps at least milliseconds (SQLite exactly that).</summary>
    private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 1, 5, 9, 0, 0, 123, TimeSpan.Zero).AddTicks(4567);

    private static readonly ConversationSnapshot Snapshot = new(
        "19:abc@thread.tacv2", "channel", "https://smba.example/emea/", "msteams", "tenant-1", "28:bot", "29:user",
        "aad-1", "Ada Lovelace", "19:team@thread.tacv2", "Finance", "19:abc@thread.tacv2", "Approvals");

    [Fact]
    public async Task ConversationReference_RoundTripsEveryField_WithInstantsToTheMillisecond()
    {
        await using var database = await MigratedAsync();
        long id;
        await using (var db = database.CreateContext())
        {
            var reference = ConversationReference.Create(Snapshot, Now);
            reference.MarkUnreachable("uninstalled", Now.AddSeconds(1));
            db.Add(reference);
            await db.SaveChangesAsync();
            id = reference.Id;
        }

        await using (var db = database.CreateContext())
        {
            var read = await db.ConversationReferences.SingleAsync(r => r.Id == id);
            Assert.Equal(Snapshot, new ConversationSnapshot(read.ConversationId, read.ConversationType, read.ServiceUrl, read.ChannelId,
                read.TenantId, read.BotId, read.UserId, read.UserAadObjectId, read.UserName, read.TeamId, read.TeamName,
                read.TeamsChannelId, read.TeamsChannelName));
            Assert.False(read.IsReachable);
            Assert.Equal("uninstalled", read.UnreachableReason);
            AssertSameMillisecond(Now, read.CreatedAt);
            AssertSameMillisecond(Now.AddSeconds(1), read.UpdatedAt);
            Assert.Equal(TimeSpan.Zero, read.CreatedAt.Offset);
        }
    }

    [Fact]
    public async Task ProcessedActivity_SameConversationAndActivityTwice_ThrowsDbUpdateException()
    {
        await using var database = await MigratedAsync();
        await using (var db = database.CreateContext())
        {
            db.Add(ProcessedActivity.Create("a:1", "activity-1", "message", Now));
            db.Add(ProcessedActivity.Create("a:2", "activity-1", "message", Now)); // same activity id, other conversation: fine
            await db.SaveChangesAsync();
        }

        await using (var db = database.CreateContext())
        {
            db.Add(ProcessedActivity.Create("a:1", "activity-1", "invoke", Now.AddSeconds(15)));
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }

        await using (var db = database.CreateContext())
        {
            var read = await db.ProcessedActivities.OrderBy(p => p.ConversationId).ToListAsync();
            Assert.Equal(["a:1", "a:2"], read.Select(p => p.ConversationId));
            AssertSameMillisecond(Now, read[0].ReceivedAt);
        }
    }

    [Fact]
    public async Task OutboxMessage_SameDedupeKeyTwice_ThrowsDbUpdateException()
    {
        await using var database = await MigratedAsync();
        await using (var db = database.CreateContext())
        {
            db.Add(Message("approval-7/approver-card", Now));
            await db.SaveChangesAsync();
        }

        await using (var db = database.CreateContext())
        {
            db.Add(Message("approval-7/approver-card", Now.AddSeconds(1)));
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }
    }

    [Fact]
    public async Task OutboxMessage_UpdateFromAStaleVersion_ThrowsDbUpdateConcurrencyException()
    {
        await using var database = await MigratedAsync();
        long id;
        await using (var db = database.CreateContext())
        {
            var message = Message("approval-7/status", Now);
            db.Add(message);
            await db.SaveChangesAsync();
            id = message.Id;
        }

        await using var first = database.CreateContext();
        await using var second = database.CreateContext();
        var mine = await first.OutboxMessages.SingleAsync(m => m.Id == id);
        var theirs = await second.OutboxMessages.SingleAsync(m => m.Id == id);

        mine.Claim("instance-a", Now.AddMinutes(1));
        await first.SaveChangesAsync();
        theirs.Claim("instance-b", Now.AddMinutes(1));
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());

        await using var check = database.CreateContext();
        var stored = await check.OutboxMessages.SingleAsync(m => m.Id == id);
        Assert.Equal(("instance-a", 1), (stored.ClaimedBy, stored.Version));
    }

    [Fact]
    public async Task OutboxMessage_DueQuery_ComparesAndOrdersInstantsInTheDatabase()
    {
        await using var database = await MigratedAsync();
        await using (var db = database.CreateContext())
        {
            db.Add(Message("later", Now.AddMinutes(5)));
            db.Add(Message("due-second", Now.AddMilliseconds(-1)));
            db.Add(Message("due-first", Now.AddHours(-1)));
            var sent = Message("sent", Now.AddHours(-2));
            sent.MarkSent("activity-9", "Sent", Now.AddHours(-2));
            db.Add(sent);
            await db.SaveChangesAsync();
        }

        await using (var db = database.CreateContext())
        {
            var due = await db.OutboxMessages
                .Where(m => m.Status == OutboxStatus.Pending && m.NextAttemptAt <= Now)
                .OrderBy(m => m.NextAttemptAt)
                .Select(m => m.DedupeKey)
                .ToListAsync();
            Assert.Equal(["due-first", "due-second"], due);

            var sent = await db.OutboxMessages.SingleAsync(m => m.DedupeKey == "sent");
            Assert.Equal((OutboxStatus.Sent, "activity-9", 1), (sent.Status, sent.SentActivityId, sent.Attempts));
            Assert.NotNull(sent.CompletedAt);
            AssertSameMillisecond(Now.AddHours(-2), sent.CompletedAt.Value);
        }
    }

    [Fact]
    public async Task CardCopy_RoundTrips_AndTheSameActivityTwiceThrowsDbUpdateException()
    {
        await using var database = await MigratedAsync();
        await using (var db = database.CreateContext())
        {
            var copy = CardCopy.Create("approval-7", "https://smba.example/emea/", "a:1", "activity-1", Now);
            copy.Gone(Now.AddDays(1));
            db.Add(copy);
            await db.SaveChangesAsync();
        }

        await using (var db = database.CreateContext())
        {
            var read = await db.CardCopies.SingleAsync(c => c.Subject == "approval-7");
            Assert.Equal(("https://smba.example/emea/", "a:1", "activity-1", false),
                (read.ServiceUrl, read.ConversationId, read.ActivityId, read.IsLive));
            AssertSameMillisecond(Now, read.PostedAt);
            AssertSameMillisecond(Now.AddDays(1), read.UpdatedAt);

            db.Add(CardCopy.Create("approval-8", "https://smba.example/emea/", "a:1", "activity-1", Now));
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }
    }

    private async Task<ITestDatabase> MigratedAsync()
    {
        var database = await databases.CreateDatabaseAsync();
        await using var db = database.CreateContext();
        await db.Database.MigrateAsync();
        return database;
    }

    private static OutboxMessage Message(string dedupeKey, DateTimeOffset now) =>
        OutboxMessage.Create(dedupeKey, OutboxOperation.Send, "https://smba.example/emea/", "a:1", null, """{"type":"message"}""", null, now);

    /// <summary>Equal to the millisecond (the precision both providers keep) and never off by more.</summary>
    private static void AssertSameMillisecond(DateTimeOffset expected, DateTimeOffset actual)
    {
        Assert.Equal(expected.ToUnixTimeMilliseconds(), actual.ToUnixTimeMilliseconds());
        Assert.True((expected - actual).Duration() < TimeSpan.FromMilliseconds(1), $"{expected:O} vs {actual:O}");
    }
}

public sealed class SqliteEntityRoundTripTests() : EntityRoundTripTests(new SqliteTestDatabases());

public sealed class PostgresEntityRoundTripTests(PostgresServerFixture postgres)
    : EntityRoundTripTests(postgres), IClassFixture<PostgresServerFixture>;
