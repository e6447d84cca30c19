using System.Text.Json.Nodes;
using ApprovalBot.Storage;
using ApprovalBot.Teams.Cards;
using ApprovalBot.Teams.Outbox;
using ApprovalBot.TestSupport;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.IntegrationTests.Teams;

/// <summary>
/// "One card, one truth" at the moment a card's post has just been sent: the update staged while the post waited in the
/// outbox still waits for it (it learns the post's activity id at the dispatcher's next claim). A newer update of the
/// same copy staged in that moment must win, or the older one is released after the newer one and puts the old state
/// back. Staging leaves the older row alone (writing it could collide with the dispatcher sending it: a use case then
/// failed with a concurrency conflict); the dispatcher skips an update that has a newer one. The outbox alone on a
/// migrated database, with no dispatcher, holds that moment open.
/// </summary>
public sealed class OutboxSupersedeTests
{
    private const string Subject = "supersede:1";

    [Fact]
    public async Task ANewerUpdate_SupersedesTheOlderOneStillWaitingForItsAlreadySentPost()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        await using var database = SqliteTestDatabase.Create();
        await using var db = database.CreateContext();
        await db.Database.MigrateAsync();
        var outbox = new Outbox(db, clock, new OutboxSignal());

        // The card's post is staged, and while it waits its subject changes: an update that waits for the post.
        var post = OutboxMessage.Create("post:1", OutboxOperation.Send, "https://smba.example/", "a:chat", null, Json("first"), Subject, clock.GetUtcNow());
        db.OutboxMessages.Add(post);
        await db.SaveChangesAsync();
        Assert.Equal(1, await outbox.UpdateCardCopiesAsync(Subject, Card("second"), "v2", CancellationToken.None));
        await db.SaveChangesAsync();
        var older = await db.OutboxMessages.SingleAsync(m => m.AfterMessageId == post.Id);
        Assert.True(older.IsWaitingForPost);

        // The dispatcher sent the post and recorded its copy; the older update has not learnt the activity id yet.
        post.MarkSent("activity-1", "Sent", clock.GetUtcNow());
        db.CardCopies.Add(CardCopy.Create(Subject, "https://smba.example/", "a:chat", "activity-1", clock.GetUtcNow()));
        await db.SaveChangesAsync();

        Assert.Equal(1, await outbox.UpdateCardCopiesAsync(Subject, Card("third"), "v3", CancellationToken.None));
        await db.SaveChangesAsync();

        // Staging wrote only the newest update; the older one is as it was.
        var newest = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Status == OutboxStatus.Pending && m.TargetActivityId == "activity-1");
        Assert.Contains("third", newest.ActivityJson, StringComparison.Ordinal);
        var olderNow = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == older.Id);
        Assert.Equal((OutboxStatus.Pending, older.Version), (olderNow.Status, olderNow.Version));

        // Released with the post's activity id (the dispatcher's next claim), the older update gives way to the newest
        // one, which has nothing newer.
        older.PostSent("a:chat", "activity-1", clock.GetUtcNow());
        await db.SaveChangesAsync();
        Assert.True(await OutboxDispatcher.HasNewerUpdateAsync(db, older, CancellationToken.None));
        Assert.False(await OutboxDispatcher.HasNewerUpdateAsync(db, newest, CancellationToken.None));
    }

    private static JsonObject Card(string text) => new()
    {
        ["type"] = "AdaptiveCard",
        ["version"] = "1.5",
        ["body"] = new JsonArray(new JsonObject { ["type"] = "TextBlock", ["text"] = text }),
    };

    private static string Json(string text) => ApprovalBot.Protocol.Schema.ProtocolJson.Serialize(CardActivities.ToMessage(Card(text)));
}
