using ApprovalBot.Protocol.Schema;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Protocol.Routing;

/// <summary>
/// Limits how many commands and card actions one user may send: a token bucket per user (<see cref="TokenBuckets"/>) of
/// <see cref="BotEndpointOptions.UserTurnBurst"/> turns, refilled at <see cref="BotEndpointOptions.UserTurnsPerMinute"/>.
/// Per instance, in memory: behind a load balancer each instance limits on its own, so a user's effective ceiling is the
/// per-instance rate times the number of instances. At most <see cref="MaxTrackedUsers"/> users are tracked: memory stays
/// bounded under a flood of made-up user ids.
/// </summary>
/// <param name="maxTrackedUsers">The table's bound; the default in production, smaller only in tests that watch it.</param>
public sealed class UserTurnLimiter(TimeProvider time, IOptions<BotEndpointOptions> options, int maxTrackedUsers = UserTurnLimiter.MaxTrackedUsers)
{
    public const int MaxTrackedUsers = TokenBuckets.DefaultMaxTrackedKeys;

    private readonly TokenBuckets _buckets = new(time, maxTrackedUsers);

    public int TrackedUsers => _buckets.TrackedKeys;

    /// <summary>The user a turn counts against: the Entra object id, else the channel's user id; null when neither is sent.</summary>
    public static string? UserOf(Activity activity) => activity?.From?.AadObjectId ?? activity?.From?.Id;

    /// <summary>Whether <paramref name="user"/>'s turn may run; when refused, how long to wait and whether to say so.</summary>
    public TurnAdmission Admit(string user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var settings = options.Value;
        return _buckets.Take(user, settings.UserTurnsPerMinute, settings.UserTurnBurst);
    }
}

/// <summary>
/// Answers a user whose message was refused by the <see cref="UserTurnLimiter"/> (the host replies through its outbox).
/// Called once per run of refusals; refused card actions are answered in the invoke response instead.
/// </summary>
public interface IThrottledTurnReply
{
    ValueTask ReplyAsync(TurnContext turn, TimeSpan retryAfter, CancellationToken cancellationToken);
}

/// <summary>
/// Answers a user whose command or card action failed because something the bot depends on is down for a while (the
/// directory, say) with a plain "try again in a few minutes" instead of an error. The host says which exceptions those
/// are and replies through its outbox; any other exception goes to the endpoint as before.
/// </summary>
public interface ITurnOutageReply
{
    /// <summary>What to tell the user when <paramref name="exception"/> is such an outage; null for any other exception.</summary>
    string? MessageFor(Exception exception);

    /// <summary>
    /// Drops what the failed handler left unsaved (the turn is still recorded as processed), and, when
    /// <paramref name="reply"/> (a message, not an invoke, which is answered in its response), replies with <paramref name="message"/>.
    /// </summary>
    ValueTask AbandonAsync(TurnContext turn, string message, bool reply, CancellationToken cancellationToken);
}
