namespace ApprovalBot.Privacy;

/// <summary>Retention of free text and the erasure of one person's data. Section <c>Privacy</c>.</summary>
public sealed class PrivacyOptions
{
    public const string SectionName = "Privacy";
    public const int MinKeyLength = 32;

    /// <summary>
    /// Days after an escalation was closed when its free text (description, resolution note, timeline notes) and its
    /// survey comments are removed by housekeeping. 0 keeps them forever. Numbers, states and times stay.
    /// </summary>
    public int ClosedEscalationFreeTextDays { get; set; } = 365;

    /// <summary>How many closed escalations one retention transaction handles (housekeeping loops until none is left).</summary>
    public int RetentionBatchSize { get; set; } = 200;

    /// <summary>
    /// The secret the erasure pseudonym is made with (HMAC-SHA256 of the object id). At least 32 characters. Without it
    /// erasure is refused (503): a pseudonym anyone could recompute from a directory id would not be pseudonymous.
    /// Keep it stable: the same person erased twice gets the same pseudonym only with the same key.
    /// </summary>
    public string PseudonymKey { get; set; } = "";
}
