namespace ApprovalBot.Protocol.Routing;

/// <summary>Limits of the messaging endpoint. Section <c>BotEndpoint</c>.</summary>
public sealed class BotEndpointOptions
{
    public const string SectionName = "BotEndpoint";

    /// <summary>Largest accepted activity body. Teams messages are capped near 100 KB of UTF-16, so 512 KiB leaves room.</summary>
    public int MaxBodyBytes { get; set; } = 512 * 1024;

    /// <summary>
    /// Commands and card actions one user may send per minute, on average, per instance (<see cref="UserTurnLimiter"/>);
    /// 0 turns the limit off. Beyond it a message gets one "slow down" reply and a card action an error message, and
    /// neither does anything.
    /// </summary>
    public int UserTurnsPerMinute { get; set; } = 60;

    /// <summary>How many turns a user may send at once before the per-minute rate applies.</summary>
    public int UserTurnBurst { get; set; } = 15;

    /// <summary>
    /// Says whether a handler's exception is a passing outage (the database is restarting, say): those are answered
    /// 503 with Retry-After so the channel redelivers, instead of 500. The host sets it; Protocol knows no database.
    /// </summary>
    public Func<Exception, bool> IsTransient { get; set; } = _ => false;
}
