namespace ApprovalBot.Escalations;

/// <summary>Support escalations. Section <c>Escalations</c>.</summary>
public sealed class EscalationsOptions
{
    public const string SectionName = "Escalations";

    /// <summary>
    /// How long after its resolution an escalation can be reopened (wall-clock time); it closes by itself when this has
    /// passed. Snapshotted onto each escalation when it opens, like its targets.
    /// </summary>
    public TimeSpan ReopenWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// The shortest time between two satisfaction surveys sent to one person: a resolution sends its reporter the survey
    /// unless they were sent one (about any escalation) less than this long ago. <see cref="TimeSpan.Zero"/>: never ask.
    /// Read when the escalation is resolved, not snapshotted.
    /// </summary>
    public TimeSpan SurveyInterval { get; set; } = TimeSpan.FromDays(7);
}
