namespace ApprovalBot.Teams.Outbox;

/// <summary>
/// One posted copy of a subject's card (an approver's 1:1, the requester's status card, a channel post), so that
/// every copy can be updated in place when the subject changes ("one card, one truth").
/// </summary>
public sealed class CardCopy
{
    private CardCopy() { }

    public long Id { get; private set; }
    public string Subject { get; private set; } = "";
    public string ServiceUrl { get; private set; } = "";
    public string ConversationId { get; private set; } = "";
    public string ActivityId { get; private set; } = "";
    /// <summary>Whose view of the card this copy shows (a person id); null when everyone sees it alike (a channel post).</summary>
    public string? Viewer { get; private set; }
    public DateTimeOffset PostedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    /// <summary>False once the connector said the message is gone (404 ActivityNotFoundInConversation).</summary>
    public bool IsLive { get; private set; }

    public static CardCopy Create(string subject, string serviceUrl, string conversationId, string activityId, DateTimeOffset now, string? viewer = null) =>
        new()
        {
            Viewer = viewer,
            Subject = subject,
            ServiceUrl = serviceUrl,
            ConversationId = conversationId,
            ActivityId = activityId,
            PostedAt = now,
            UpdatedAt = now,
            IsLive = true,
        };

    public void Updated(DateTimeOffset now) => UpdatedAt = now;

    public void Gone(DateTimeOffset now)
    {
        IsLive = false;
        UpdatedAt = now;
    }
}
