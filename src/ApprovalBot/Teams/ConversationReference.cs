namespace ApprovalBot.Teams;

/// <summary>
/// Where and how to reach a conversation proactively: one row per conversation (a user's 1:1 chat, a group chat,
/// a channel). Kept current from every authenticated inbound activity (bot-protocol.md §3.4, §4.3).
/// </summary>
public sealed class ConversationReference
{
    private ConversationReference() { }

    public long Id { get; private set; }
    public string ConversationId { get; private set; } = "";
    public string ConversationType { get; private set; } = "";
    public string ServiceUrl { get; private set; } = "";
    public string ChannelId { get; private set; } = "";
    public string? TenantId { get; private set; }
    public string? BotId { get; private set; }

    /// <summary>For a personal chat: the user (bot-scoped <c>29:</c> id, Entra object id, display name).</summary>
    public string? UserId { get; private set; }
    public string? UserAadObjectId { get; private set; }
    public string? UserName { get; private set; }

    /// <summary>For a channel: the team and channel (the General channel id equals the team id).</summary>
    public string? TeamId { get; private set; }
    public string? TeamName { get; private set; }
    public string? TeamsChannelId { get; private set; }
    public string? TeamsChannelName { get; private set; }

    /// <summary>False once the bot was removed from the conversation or the user blocked it.</summary>
    public bool IsReachable { get; private set; }
    public string? UnreachableReason { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public static ConversationReference Create(ConversationSnapshot s, DateTimeOffset now)
    {
        var reference = new ConversationReference { ConversationId = s.ConversationId, CreatedAt = now };
        reference.Refresh(s, now);
        return reference;
    }

    /// <summary>Takes the newest values seen on an authenticated activity; a service URL can move (§3.4).</summary>
    public void Refresh(ConversationSnapshot s, DateTimeOffset now)
    {
        if (!string.Equals(s.ConversationId, ConversationId, StringComparison.Ordinal))
            throw new InvalidOperationException("A reference cannot change its conversation.");
        ConversationType = s.ConversationType;
        ServiceUrl = s.ServiceUrl;
        ChannelId = s.ChannelId;
        TenantId = s.TenantId ?? TenantId;
        BotId = s.BotId ?? BotId;
        UserId = s.UserId ?? UserId;
        UserAadObjectId = s.UserAadObjectId ?? UserAadObjectId;
        UserName = s.UserName ?? UserName;
        TeamId = s.TeamId ?? TeamId;
        TeamName = s.TeamName ?? TeamName;
        TeamsChannelId = s.TeamsChannelId ?? TeamsChannelId;
        TeamsChannelName = s.TeamsChannelName ?? TeamsChannelName;
        IsReachable = true;
        UnreachableReason = null;
        UpdatedAt = now;
    }

    /// <summary>The bot was uninstalled, removed, or blocked: stop sending here until the user comes back.</summary>
    public void MarkUnreachable(string reason, DateTimeOffset now)
    {
        IsReachable = false;
        UnreachableReason = reason;
        UpdatedAt = now;
    }
}

/// <summary>The values of a conversation as one inbound activity shows them.</summary>
public sealed record ConversationSnapshot(
    string ConversationId,
    string ConversationType,
    string ServiceUrl,
    string ChannelId,
    string? TenantId,
    string? BotId,
    string? UserId,
    string? UserAadObjectId,
    string? UserName,
    string? TeamId,
    string? TeamName,
    string? TeamsChannelId,
    string? TeamsChannelName);
