using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Teams;

/// <summary>
/// Keeps a conversation reference per conversation current from every authenticated activity (messages,
/// installationUpdate, conversationUpdate, invokes), so proactive messages can reach people and channels later.
/// Removal (uninstall, bot removed from a team) marks the reference unreachable.
/// </summary>
internal sealed class ConversationCapture(BotDbContext db, TimeProvider time) : IInboundActivityObserver
{
    public async ValueTask OnActivityAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var activity = turn.Activity;
        var snapshot = Snapshot(activity);
        if (snapshot is null) return;
        var now = time.GetUtcNow();

        var reference = db.ConversationReferences.Local.FirstOrDefault(r => r.ConversationId == snapshot.ConversationId)
            ?? await db.ConversationReferences.FirstOrDefaultAsync(r => r.ConversationId == snapshot.ConversationId, cancellationToken);
        if (reference is null)
        {
            reference = ConversationReference.Create(snapshot, now);
            db.ConversationReferences.Add(reference);
        }
        else
        {
            reference.Refresh(snapshot, now);
        }

        if (IsBotRemoved(activity))
            reference.MarkUnreachable("The app was removed from this conversation.", now);
    }

    internal static ConversationSnapshot? Snapshot(Activity activity)
    {
        var conversationId = activity.Conversation?.Id;
        if (string.IsNullOrEmpty(conversationId) || string.IsNullOrEmpty(activity.ServiceUrl)) return null;
        var type = activity.Conversation!.ConversationType ?? ConversationTypes.Personal;
        var personal = string.Equals(type, ConversationTypes.Personal, StringComparison.OrdinalIgnoreCase);
        var user = personal ? activity.From : null;
        var channelData = activity.ChannelData;
        return new ConversationSnapshot(
            ConversationId: conversationId,
            ConversationType: type,
            ServiceUrl: activity.ServiceUrl!,
            ChannelId: activity.ChannelId ?? "msteams",
            TenantId: activity.TenantId,
            BotId: activity.Recipient?.Id,
            UserId: IsUser(user) ? user!.Id : null,
            UserAadObjectId: IsUser(user) ? user!.AadObjectId : null,
            UserName: IsUser(user) ? user!.Name : null,
            TeamId: channelData?.Team?.Id,
            TeamName: channelData?.Team?.Name,
            TeamsChannelId: channelData?.Channel?.Id,
            TeamsChannelName: channelData?.Channel?.Name);
    }

    /// <summary>In a personal chat "from" is the user, except on events the bot itself caused.</summary>
    private static bool IsUser(ChannelAccount? account) =>
        account?.Id is { Length: > 0 } id && !id.StartsWith("28:", StringComparison.Ordinal);

    private static bool IsBotRemoved(Activity activity)
    {
        if (activity.IsType(ActivityTypes.InstallationUpdate))
            return activity.Action is { } action && action.StartsWith("remove", StringComparison.OrdinalIgnoreCase);
        if (activity.IsType(ActivityTypes.ConversationUpdate) && activity.MembersRemoved is { Count: > 0 } removed)
            return removed.Any(m => string.Equals(m.Id, activity.Recipient?.Id, StringComparison.OrdinalIgnoreCase));
        return false;
    }
}
