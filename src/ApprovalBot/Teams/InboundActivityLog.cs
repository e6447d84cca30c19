using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Teams;

/// <summary>
/// Redelivery de-duplication on the database: the processed marker is committed in the same SaveChanges as the
/// handler's own changes and outbox messages, so an activity either took full effect once or not at all — on one
/// instance or several (the unique index on (conversation_id, activity_id) decides a race).
/// </summary>
internal sealed class InboundActivityLog(BotDbContext db, IDbContextFactory<BotDbContext> dbFactory, TimeProvider time) : IInboundActivityLog
{
    public async ValueTask<bool> BeginAsync(Activity activity, CancellationToken cancellationToken)
    {
        var conversationId = activity.Conversation!.Id!;
        var activityId = activity.Id!;
        var seen = await db.ProcessedActivities.AnyAsync(
            p => p.ConversationId == conversationId && p.ActivityId == activityId, cancellationToken);
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
            // Either a concurrent delivery of the same activity committed first (then drop this one quietly), or
            // something else failed, which the endpoint must see.
            if (!await IsDuplicateAsync(activity)) throw;
            db.ChangeTracker.Clear();
            return false;
        }
    }

    private async Task<bool> IsDuplicateAsync(Activity activity)
    {
        var conversationId = activity.Conversation!.Id!;
        var activityId = activity.Id!;
        await using var probe = await dbFactory.CreateDbContextAsync();
        return await probe.ProcessedActivities.AnyAsync(p => p.ConversationId == conversationId && p.ActivityId == activityId);
    }
}
