namespace ApprovalBot.Teams;

/// <summary>
/// An inbound activity already taken in. The unique key (conversation, activity id) makes a redelivery — Teams
/// resends after ~15 s, users double-click — a no-op, on one instance or many (bot-protocol.md §7.3).
/// </summary>
public sealed class ProcessedActivity
{
    private ProcessedActivity() { }

    public long Id { get; private set; }
    public string ConversationId { get; private set; } = "";
    public string ActivityId { get; private set; } = "";
    public string ActivityType { get; private set; } = "";
    public DateTimeOffset ReceivedAt { get; private set; }

    public static ProcessedActivity Create(string conversationId, string activityId, string activityType, DateTimeOffset now) =>
        new() { ConversationId = conversationId, ActivityId = activityId, ActivityType = activityType, ReceivedAt = now };
}
