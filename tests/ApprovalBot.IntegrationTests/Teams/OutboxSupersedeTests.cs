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
/// same copy staged in that moment must supersede it, or the older one is released after the newer one and puts the old
/// state back. The outbox alone on a migrated database, with no dispatcher, holds that moment open.
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

        var pending = await db.OutboxMessages.AsNoTracking().Where(m => m.Status == OutboxStatus.Pending).ToListAsync();
        var newest = Assert.Single(pending);
        Assert.Equal(("activity-1", OutboxOperation.Update), (newest.TargetActivityId, newest.Operation));
        Assert.Contains("third", newest.ActivityJson, StringComparison.Ordinal);
        Assert.Equal(OutboxStatus.Superseded, (await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == older.Id)).Status);
    }

    private static JsonObject Card(string text) => new()
    {
        ["type"] = "AdaptiveCard",
        ["version"] = "1.5",
        ["body"] = new JsonArray(new JsonObject { ["type"] = "TextBlock", ["text"] = text }),
    };

    private static string Json(string text) => ApprovalBot.Protocol.Schema.ProtocolJson.Serialize(CardActivities.ToMessage(Card(text)));
}
