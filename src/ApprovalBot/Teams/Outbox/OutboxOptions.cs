namespace ApprovalBot.Teams.Outbox;

/// <summary>How the dispatcher sends. Section <c>Outbox</c>.</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    /// <summary>How often to look for due messages when not woken (other instances' messages, retries).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Most messages claimed at once. The dispatcher claims again when fewer than half of this (at least Parallelism) are
    /// held, and holds at most twice this.
    /// </summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>Sends in flight at once, each to a different conversation; messages to one conversation go one after another, in order.</summary>
    public int Parallelism { get; set; } = 8;

    /// <summary>Attempts before a message is given up (it stays in the table, visible, for a retry by an operator).</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Back-off between attempts: BaseDelay·2^(attempt-1), capped at MaxDelay, ±20 % jitter.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Cap of the back-off, applied before the ±20 % jitter (so a delay can reach 1.2 × MaxDelay).</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A claim lapses after this long, so a message held by a crashed instance is sent by another. It must exceed
    /// the longest a live send can take (a create plus a post, each up to Connector:MaxAttempts × (throttle wait +
    /// attempt timeout) plus back-off, about 7 minutes with the defaults), or a second instance could send a message
    /// the first is still sending. A crash therefore delays that instance's claimed messages by up to this long.
    /// </summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
