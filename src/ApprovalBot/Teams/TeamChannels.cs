using ApprovalBot.Protocol.Connector;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Scheduling;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Teams;

/// <summary>What an inbound activity says about a team the bot is in (see <see cref="TeamEvents.Of"/>).</summary>
internal enum TeamChangeKind
{
    /// <summary>The app was added to the team: its channels are to be listed.</summary>
    BotInstalled,

    /// <summary>The app was removed from the team, or the team was deleted: none of its channels can be reached.</summary>
    BotRemoved,

    /// <summary>A channel was created, renamed or restored: it can be reached, under this name.</summary>
    ChannelAvailable,

    /// <summary>A channel was deleted: it can no longer be reached.</summary>
    ChannelDeleted,
}

/// <summary>One team change: the team, and for a channel event the channel it is about.</summary>
internal sealed record TeamChange(TeamChangeKind Kind, string TeamId, string? TeamName, string? ChannelId = null, string? ChannelName = null);

/// <summary>
/// Reads Teams' team events (bot-protocol.md §1.2): the app added to or removed from a team (installationUpdate, or
/// conversationUpdate with the bot in membersAdded / membersRemoved, with <c>channelData.team</c>), and the
/// conversationUpdate channel events (<c>channelData.eventType</c> channelCreated, channelRenamed, channelDeleted,
/// channelRestored, with <c>channelData.channel</c> naming the channel). Pure: no I/O.
/// </summary>
internal static class TeamEvents
{
    public const string ChannelCreated = "channelCreated";
    public const string ChannelRenamed = "channelRenamed";
    public const string ChannelDeleted = "channelDeleted";
    public const string ChannelRestored = "channelRestored";
    public const string TeamDeleted = "teamDeleted";
    public const string TeamHardDeleted = "teamHardDeleted";

    /// <summary>
    /// A conversationUpdate about a channel of the team (its <c>channelData.channel</c> is that channel, not the
    /// conversation the activity arrived in).
    /// </summary>
    public static bool IsChannelEvent(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return activity.IsType(ActivityTypes.ConversationUpdate)
            && activity.ChannelData?.EventType is { } eventType
            && eventType.StartsWith("channel", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The team change <paramref name="activity"/> announces, or null (not about a team, or not a change we keep).</summary>
    public static TeamChange? Of(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var team = activity.ChannelData?.Team;
        if (team is null || string.IsNullOrWhiteSpace(team.Id)) return null;
        var teamId = team.Id;

        if (activity.IsType(ActivityTypes.InstallationUpdate))
        {
            var action = activity.Action ?? "";
            if (action.StartsWith("add", StringComparison.OrdinalIgnoreCase)) return new TeamChange(TeamChangeKind.BotInstalled, teamId, team.Name);
            if (action.StartsWith("remove", StringComparison.OrdinalIgnoreCase)) return new TeamChange(TeamChangeKind.BotRemoved, teamId, team.Name);
            return null;
        }
        if (!activity.IsType(ActivityTypes.ConversationUpdate)) return null;

        var bot = activity.Recipient?.Id;
        if (activity.MembersRemoved is { Count: > 0 } removed && removed.Any(m => IsBot(m, bot)))
            return new TeamChange(TeamChangeKind.BotRemoved, teamId, team.Name);
        if (activity.MembersAdded is { Count: > 0 } added && added.Any(m => IsBot(m, bot)))
            return new TeamChange(TeamChangeKind.BotInstalled, teamId, team.Name);

        var eventType = activity.ChannelData?.EventType;
        if (string.Equals(eventType, TeamDeleted, StringComparison.OrdinalIgnoreCase) || string.Equals(eventType, TeamHardDeleted, StringComparison.OrdinalIgnoreCase))
            return new TeamChange(TeamChangeKind.BotRemoved, teamId, team.Name);
        var channel = activity.ChannelData?.Channel;
        if (channel is null || string.IsNullOrWhiteSpace(channel.Id)) return null;
        if (string.Equals(eventType, ChannelDeleted, StringComparison.OrdinalIgnoreCase))
            return new TeamChange(TeamChangeKind.ChannelDeleted, teamId, team.Name, channel.Id, channel.Name);
        if (string.Equals(eventType, ChannelCreated, StringComparison.OrdinalIgnoreCase)
            || string.Equals(eventType, ChannelRenamed, StringComparison.OrdinalIgnoreCase)
            || string.Equals(eventType, ChannelRestored, StringComparison.OrdinalIgnoreCase))
            return new TeamChange(TeamChangeKind.ChannelAvailable, teamId, team.Name, channel.Id, channel.Name);
        return null;
    }

    private static bool IsBot(ChannelAccount member, string? botId) =>
        botId is not null && string.Equals(member.Id, botId, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Keeps a conversation reference for every channel of the teams the bot is in, not only those it has heard from:
/// Teams sends a team's activities from its General channel, yet the bot may post to any of its channels (send to the
/// channel id on the team's serviceUrl). Runs after <see cref="ConversationCapture"/>, in the inbound turn, and makes
/// no network call there: an install arms a durable <see cref="TeamChannelListing"/> timer; a channel event
/// creates, renames, re-enables or retires that channel's reference; the app removed from the team retires every
/// reference of the team. All of it is committed with the turn.
/// </summary>
internal sealed partial class TeamChannelCapture(
    BotDbContext db, IDbContextFactory<BotDbContext> dbFactory, DurableTimers timers, TimeProvider time, ILogger<TeamChannelCapture> logger) : IInboundActivityObserver
{
    public async ValueTask OnActivityAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var activity = turn.Activity;
        if (string.IsNullOrEmpty(activity.ServiceUrl) || TeamEvents.Of(activity) is not { } change) return;
        var now = time.GetUtcNow();
        switch (change.Kind)
        {
            case TeamChangeKind.BotInstalled:
                // Arming writes the scheduler's store only; the listing itself runs on the timer, retried there when it
                // fails. Installation and conversationUpdate of one install arm the same timer (one listing).
                await timers.ArmAsync(TeamChannelListing.Kind, change.TeamId, now, now.ToUnixTimeMilliseconds(), cancellationToken);
                LogListingArmed(logger, change.TeamId);
                break;
            case TeamChangeKind.BotRemoved:
                var references = await db.ConversationReferences
                    .Where(r => r.TeamId == change.TeamId || r.ConversationId == change.TeamId).ToListAsync(cancellationToken);
                foreach (var reference in references.Where(r => r.IsReachable))
                    reference.MarkUnreachable("The app was removed from this team.", now);
                LogTeamRemoved(logger, change.TeamId, references.Count);
                break;
            case TeamChangeKind.ChannelAvailable:
                await ConversationCapture.UpsertAsync(db, dbFactory, ChannelSnapshot(activity, change), now, cancellationToken);
                break;
            case TeamChangeKind.ChannelDeleted:
                var channel = db.ConversationReferences.Local.FirstOrDefault(r => r.ConversationId == change.ChannelId)
                    ?? await db.ConversationReferences.FirstOrDefaultAsync(r => r.ConversationId == change.ChannelId, cancellationToken);
                channel?.MarkUnreachable("The channel was deleted.", now);
                break;
        }
    }

    /// <summary>The reference values of the channel a channel event is about: the team's serviceUrl, tenant and bot.</summary>
    private static ConversationSnapshot ChannelSnapshot(Activity activity, TeamChange change) => new(
        ConversationId: change.ChannelId!,
        ConversationType: ConversationTypes.Channel,
        ServiceUrl: activity.ServiceUrl!,
        ChannelId: activity.ChannelId ?? "msteams",
        TenantId: activity.TenantId,
        BotId: activity.Recipient?.Id,
        UserId: null,
        UserAadObjectId: null,
        UserName: null,
        TeamId: ConversationCapture.Clip(change.TeamId, 512),
        TeamName: ConversationCapture.Clip(change.TeamName, 256),
        TeamsChannelId: ConversationCapture.Clip(change.ChannelId, 512),
        TeamsChannelName: ConversationCapture.Clip(change.ChannelName, 256));

    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "The app was added to team {TeamId}: its channels will be listed")]
    private static partial void LogListingArmed(ILogger logger, string teamId);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "The app was removed from team {TeamId}: its {Count} conversations are unreachable")]
    private static partial void LogTeamRemoved(ILogger logger, string teamId, int count);
}

/// <summary>
/// The durable timer (kind <see cref="Kind"/>, subject the team id) that lists a team's channels through the connector
/// (<c>GET v3/teams/{teamId}/conversations</c>) and stores a reachable reference per channel, on the serviceUrl, tenant
/// and bot of the team's stored conversation. A transient failure (throttled, any 5xx, timeout) throws, so the scheduler
/// fires the timer again under its retry policy (Scheduling:FailedTimerRetryDelay, doubling) until the listing lands; a
/// permanent one (the bot is not in the team) is logged and dropped. A fire after the app was removed from the team
/// (the team's conversation retired after the listing was asked for) changes nothing.
/// </summary>
internal sealed partial class TeamChannelListing(
    BotDbContext db, IConnectorClient connector, TimeProvider time, ILogger<TeamChannelListing> logger) : ITimerHandler
{
    public const string Kind = "team-channels";

    private const int Attempts = 3;

    public async Task HandleAsync(TimerFire fire, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fire);
        var teamId = fire.SubjectId;
        var stored = await db.ConversationReferences.AsNoTracking()
            .Where(r => r.ConversationId == teamId || r.TeamId == teamId).ToListAsync(cancellationToken);
        var general = stored.FirstOrDefault(r => r.ConversationId == teamId);
        var source = general ?? stored.OrderByDescending(r => r.UpdatedAt).FirstOrDefault()
            // The install's conversation is committed before its timer is armed; retried in case it is not visible yet.
            ?? throw new InvalidOperationException($"No conversation of team {teamId} is stored: its channels cannot be listed yet.");
        if (general is { IsReachable: false } && general.UpdatedAt > fire.DueAt)
        {
            LogRemovedSince(logger, teamId);
            return;
        }

        var listed = await connector.GetTeamChannelsAsync(source.ServiceUrl, teamId, cancellationToken);
        if (!listed.Succeeded)
        {
            // A read changes nothing: a 500 is worth another try too (the connector client retries only what is safe for a send).
            if (listed.Retryable || listed.StatusCode is >= 500)
                throw new TeamChannelListingException($"Listing the channels of team {teamId} failed ({listed.Kind}, HTTP {listed.StatusCode}: {listed.Reason ?? listed.ErrorCode}); it is tried again.");
            LogNotListed(logger, teamId, listed.StatusCode ?? 0, listed.ErrorCode, listed.Reason);
            return;
        }

        var channels = (listed.Value?.Conversations ?? []).Where(c => !string.IsNullOrWhiteSpace(c.Id)).DistinctBy(c => c.Id).ToList();
        for (var attempt = 1; ; attempt++)
        {
            var now = time.GetUtcNow();
            var ids = channels.Select(c => c.Id!).ToList();
            var existing = await db.ConversationReferences.Where(r => ids.Contains(r.ConversationId)).ToDictionaryAsync(r => r.ConversationId, StringComparer.Ordinal, cancellationToken);
            var added = 0;
            foreach (var channel in channels)
            {
                var snapshot = Snapshot(source, teamId, channel);
                if (existing.TryGetValue(channel.Id!, out var reference))
                {
                    reference.Refresh(snapshot, now);
                }
                else
                {
                    db.ConversationReferences.Add(ConversationReference.Create(snapshot, now));
                    added++;
                }
            }
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                LogListed(logger, teamId, channels.Count, added);
                return;
            }
            catch (DbUpdateException) when (attempt < Attempts)
            {
                // A channel's reference was stored meanwhile (an activity from it, or a channel event): load it and refresh it.
                db.ChangeTracker.Clear();
            }
        }
    }

    private static ConversationSnapshot Snapshot(ConversationReference team, string teamId, ChannelInfo channel) => new(
        ConversationId: channel.Id!,
        ConversationType: ConversationTypes.Channel,
        ServiceUrl: team.ServiceUrl,
        ChannelId: team.ChannelId,
        TenantId: team.TenantId,
        BotId: team.BotId,
        UserId: null,
        UserAadObjectId: null,
        UserName: null,
        TeamId: teamId,
        TeamName: team.TeamName,
        TeamsChannelId: ConversationCapture.Clip(channel.Id, 512),
        TeamsChannelName: ConversationCapture.Clip(channel.Name, 256));

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Listed the {Count} channels of team {TeamId} ({Added} new)")]
    private static partial void LogListed(ILogger logger, string teamId, int count, int added);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "The channels of team {TeamId} cannot be listed (HTTP {StatusCode} {ErrorCode}: {Reason}); tried again at the next start-up or when the app is added to the team again")]
    private static partial void LogNotListed(ILogger logger, string teamId, int statusCode, string? errorCode, string? reason);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Information, Message = "Team {TeamId}: the app was removed since its channels were to be listed; nothing listed")]
    private static partial void LogRemovedSince(ILogger logger, string teamId);
}

/// <summary>
/// Lists the channels of every team the bot is in again, once after each start-up (when the application has started,
/// so start-up never waits for it): channels created while the bot was not running (their channelCreated events went
/// unanswered) and the channels of teams the bot joined before it listed channels at install are learnt this way, and
/// the names follow renames. Each team's listing is its <see cref="TeamChannelListing"/> timer, due now, so it is
/// retried like an install's; every instance may arm it, and arming the same team twice keeps one timer.
/// </summary>
internal sealed partial class TeamChannelRefresh(
    IServiceScopeFactory scopes, DurableTimers timers, TimeProvider time, ILogger<TeamChannelRefresh> logger, IHostApplicationLifetime lifetime)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        await using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task;
                await ListAllAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRefreshFailed(logger, e);
            }
        }
    }

    /// <summary>Arms a listing, due now, for every team the bot can still reach; returns how many were armed.</summary>
    public async Task<int> ListAllAsync(CancellationToken cancellationToken)
    {
        List<string> teams;
        await using (var scope = scopes.CreateAsyncScope())
        {
            teams = await scope.ServiceProvider.GetRequiredService<BotDbContext>().ConversationReferences.AsNoTracking()
                .Where(r => r.TeamId != null && r.IsReachable).Select(r => r.TeamId!).Distinct().ToListAsync(cancellationToken);
        }
        if (teams.Count == 0) return 0;
        var now = time.GetUtcNow();
        var armed = await timers.ArmManyAsync(TeamChannelListing.Kind, [.. teams.Select(team => new TimerToArm(team, now, now.ToUnixTimeMilliseconds()))], cancellationToken);
        LogRefreshing(logger, teams.Count, armed);
        return armed;
    }

    [LoggerMessage(EventId = 2105, Level = LogLevel.Information, Message = "Listing the channels of the {Teams} teams the bot is in again ({Armed} listings armed)")]
    private static partial void LogRefreshing(ILogger logger, int teams, int armed);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Warning, Message = "Listing the channels of the bot's teams at start-up failed; the next start-up tries again")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}

/// <summary>A team's channel listing failed in a way that may pass: the timer fires again.</summary>
internal sealed class TeamChannelListingException(string message) : Exception(message);
