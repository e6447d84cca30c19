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
internal sealed class ConversationCapture(BotDbContext db, IDbContextFactory<BotDbContext> dbFactory, TimeProvider time) : IInboundActivityObserver
{
    // Compiled once: every inbound activity loads its conversation's reference.
    private static readonly PerModel<Func<BotDbContext, string, CancellationToken, Task<ConversationReference?>>> ByConversationQuery = new(() => EF.CompileAsyncQuery(
        (BotDbContext db, string conversationId, CancellationToken _) => db.ConversationReferences.FirstOrDefault(r => r.ConversationId == conversationId)));

    private static Task<ConversationReference?> ByConversation(BotDbContext db, string conversationId, CancellationToken cancellationToken) =>
        ByConversationQuery.For(db)(db, conversationId, cancellationToken);

    public async ValueTask OnActivityAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var activity = turn.Activity;
        var snapshot = Snapshot(activity);
        if (snapshot is null) return;
        var now = time.GetUtcNow();

        var reference = await UpsertAsync(db, dbFactory, snapshot, now, cancellationToken);

        if (IsBotRemoved(activity))
            reference.MarkUnreachable("The app was removed from this conversation.", now);
    }

    /// <summary>
    /// The reference of <paramref name="snapshot"/>'s conversation, tracked by <paramref name="db"/> and refreshed with the
    /// snapshot (reachable again); created when there is none. Teams sends installationUpdate and conversationUpdate for
    /// one install at the same moment, and a team's channel can be learnt from an event and a listing at once: a missing
    /// row is inserted and committed on its own (a reference is idempotent), and the loser of a race just loads the
    /// winner's row, so neither fails on the unique conversation id.
    /// </summary>
    internal static async Task<ConversationReference> UpsertAsync(
        BotDbContext db, IDbContextFactory<BotDbContext> dbFactory, ConversationSnapshot snapshot, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var reference = db.ConversationReferences.Local.FirstOrDefault(r => r.ConversationId == snapshot.ConversationId)
            ?? await ByConversation(db, snapshot.ConversationId, cancellationToken);
        if (reference is null)
        {
            await InsertIfAbsentAsync(dbFactory, snapshot, now, cancellationToken);
            reference = await db.ConversationReferences.FirstAsync(r => r.ConversationId == snapshot.ConversationId, cancellationToken);
        }
        reference.Refresh(snapshot, now);
        return reference;
    }

    private static async Task InsertIfAbsentAsync(IDbContextFactory<BotDbContext> dbFactory, ConversationSnapshot snapshot, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var insert = await dbFactory.CreateDbContextAsync(cancellationToken);
        insert.ConversationReferences.Add(ConversationReference.Create(snapshot, now));
        try
        {
            await insert.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A concurrent activity of the same conversation inserted it first; any other failure is rethrown.
            if (!await insert.ConversationReferences.AsNoTracking().AnyAsync(r => r.ConversationId == snapshot.ConversationId, cancellationToken))
                throw;
        }
    }

    internal static ConversationSnapshot? Snapshot(Activity activity)
    {
        var conversationId = activity.Conversation?.Id;
        if (string.IsNullOrEmpty(conversationId) || string.IsNullOrEmpty(activity.ServiceUrl)) return null;
        var type = activity.Conversation!.ConversationType ?? ConversationTypes.Personal;
        // A channel message's conversation names its thread ("19:…@thread.tacv2;messageid=…"); the reference is
        // kept per channel, which is where proactive posts go. Replies in a thread use the turn's own id.
        if (string.Equals(type, ConversationTypes.Channel, StringComparison.OrdinalIgnoreCase))
        {
            var thread = conversationId.IndexOf(";messageid=", StringComparison.OrdinalIgnoreCase);
            if (thread > 0) conversationId = conversationId[..thread];
        }
        var personal = string.Equals(type, ConversationTypes.Personal, StringComparison.OrdinalIgnoreCase);
        var user = personal ? activity.From : null;
        var channelData = activity.ChannelData;
        // A channel event (channelCreated, channelRenamed, …) arrives in the team's General conversation, and its
        // channelData.channel names the channel the event is about, not this conversation: it must not become this
        // conversation's channel (TeamChannelCapture records that channel under its own id).
        var channel = TeamEvents.IsChannelEvent(activity)
            ? (string.Equals(conversationId, channelData?.Team?.Id, StringComparison.Ordinal) ? new ChannelInfo { Id = conversationId } : null)
            : channelData?.Channel;
        return new ConversationSnapshot(
            ConversationId: conversationId,
            ConversationType: type,
            ServiceUrl: activity.ServiceUrl!,
            ChannelId: activity.ChannelId ?? "msteams",
            TenantId: activity.TenantId,
            BotId: activity.Recipient?.Id,
            UserId: IsUser(user) ? user!.Id : null,
            UserAadObjectId: IsUser(user) ? user!.AadObjectId : null,
            UserName: Clip(IsUser(user) ? user!.Name : null, 256),
            TeamId: Clip(channelData?.Team?.Id, 512),
            TeamName: Clip(channelData?.Team?.Name, 256),
            TeamsChannelId: Clip(channel?.Id, 512),
            TeamsChannelName: Clip(channel?.Name, 256));
    }

    /// <summary>
    /// Display names and team/channel ids are stored as given, except what a database cannot hold: NUL characters
    /// (PostgreSQL refuses them) are dropped and an over-long value is shortened, not refused.
    /// </summary>
    internal static string? Clip(string? value, int max)
    {
        if (value is null) return null;
        if (value.Contains('\0', StringComparison.Ordinal)) value = value.Replace("\0", "", StringComparison.Ordinal);
        return value.Length <= max ? value : value[..max];
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
