namespace ApprovalBot.CommunicationPlans;

/// <summary>Keeping the agreements' communication plans. Section <c>CommunicationPlans</c>.</summary>
public sealed class CommunicationPlansOptions
{
    public const string SectionName = "CommunicationPlans";

    /// <summary>
    /// How long before an update is due the provider's contacts are reminded. <see cref="TimeSpan.Zero"/>: no reminder.
    /// Snapshotted onto each obligation when it opens.
    /// </summary>
    public TimeSpan ReminderBefore { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How long after the due time an update still not posted is escalated to the agreement's oversight owners (the
    /// provider's contacts are told it is overdue at the due time). Snapshotted onto each obligation when it opens.
    /// </summary>
    public TimeSpan OverdueEscalationAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long before a review meeting both sides' contacts and the oversight owners get the agenda.</summary>
    public TimeSpan ReviewReminderBefore { get; set; } = TimeSpan.FromDays(1);
}
