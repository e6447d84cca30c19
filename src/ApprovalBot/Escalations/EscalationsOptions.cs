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
}
