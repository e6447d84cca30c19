using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Storage;
using ApprovalBot.Teams.Outbox;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Teams;

/// <summary>
/// Redelivery de-duplication on the database: the processed marker is committed in the same SaveChanges as the
/// handler's own changes and outbox messages, so an activity either took full effect once or not at all — on one
/// instance or several (the unique index on (conversation_id, activity_id) decides a race).
/// </summary>
internal sealed class InboundActivityLog(BotDbContext db, IDbContextFactory<BotDbContext> dbFactory, TimeProvider time) : IInboundActivityLog
{
    // Compiled once: every inbound activity asks this, and EF's per-call work of finding a query in its cache (walking
    // and hashing the expression tree) cost more than the lookup itself.
    private static readonly PerModel<Func<BotDbContext, string, string, CancellationToken, Task<bool>>> SeenQuery = new(() => EF.CompileAsyncQuery(
        (BotDbContext db, string conversationId, string activityId, CancellationToken _) =>
            db.ProcessedActivities.Any(p => p.ConversationId == conversationId && p.ActivityId == activityId)));

    private static Task<bool> Seen(BotDbContext db, string conversationId, string activityId, CancellationToken cancellationToken) =>
        SeenQuery.For(db)(db, conversationId, activityId, cancellationToken);

    public async ValueTask<bool> BeginAsync(Activity activity, CancellationToken cancellationToken)
    {
        var conversationId = activity.Conversation!.Id!;
        var activityId = activity.Id!;
        var seen = await Seen(db, conversationId, activityId, cancellationToken);
        if (seen) return false;
        db.ProcessedActivities.Add(ProcessedActivity.Create(conversationId, activityId, activity.Type!, time.GetUtcNow()));
        return true;
    }

    public async ValueTask<bool> CompleteAsync(Activity activity, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // A concurrent delivery of the same activity committed first: drop this one quietly.
            if (await IsDuplicateAsync(activity))
            {
                db.ChangeTracker.Clear();
                return false;
            }
            // A concurrent turn staged the same outbox message (same dedupe key, e.g. the welcome of one install
            // announced twice): keep theirs, commit the rest of ours. Anything else is the endpoint's to report.
            if (!await DropStagedDuplicatesAsync(cancellationToken)) throw;
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
    }

    private async Task<bool> DropStagedDuplicatesAsync(CancellationToken cancellationToken)
    {
        var staged = db.ChangeTracker.Entries<OutboxMessage>().Where(e => e.State == EntityState.Added).ToList();
        if (staged.Count == 0) return false;
        var keys = staged.Select(e => e.Entity.DedupeKey).ToList();
        await using var probe = await dbFactory.CreateDbContextAsync(cancellationToken);
        var existing = (await probe.OutboxMessages.Where(m => keys.Contains(m.DedupeKey)).Select(m => m.DedupeKey).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var dropped = false;
        foreach (var entry in staged.Where(e => existing.Contains(e.Entity.DedupeKey)))
        {
            entry.State = EntityState.Detached;
            dropped = true;
        }
        return dropped;
    }

    private async Task<bool> IsDuplicateAsync(Activity activity)
    {
        var conversationId = activity.Conversation!.Id!;
        var activityId = activity.Id!;
        await using var probe = await dbFactory.CreateDbContextAsync();
        return await Seen(probe, conversationId, activityId, CancellationToken.None);
    }
}
