using System.Collections.Concurrent;
using ApprovalBot.Protocol.Schema;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Protocol.Routing;

/// <summary>What <see cref="UserTurnLimiter.Admit"/> decided for one turn.</summary>
/// <param name="Admitted">Whether the turn may run.</param>
/// <param name="RetryAfter">When refused, how long until the user's next turn is admitted.</param>
/// <param name="FirstRefusal">When refused, whether it is the first refusal since the user's last admitted turn — the
/// one worth answering; answering every refused message would let a flood make the bot send a flood.</param>
public readonly record struct TurnAdmission(bool Admitted, TimeSpan RetryAfter, bool FirstRefusal);

/// <summary>
/// Limits how many commands and card actions one user may send: a token bucket per user of
/// <see cref="BotEndpointOptions.UserTurnBurst"/> turns, refilled at <see cref="BotEndpointOptions.UserTurnsPerMinute"/>.
/// Per instance, in memory: behind a load balancer each instance limits on its own, so a user's effective ceiling is the
/// per-instance rate times the number of instances. A bucket that has refilled is the same as no bucket, so such buckets
/// are dropped when more than <see cref="MaxTrackedUsers"/> users are tracked: memory stays bounded under a flood of
/// made-up user ids.
/// </summary>
/// <remarks>
/// Hand-written rather than <c>System.Threading.RateLimiting</c>: its limiters run on their own timers and
/// <c>Stopwatch</c>, not on <see cref="TimeProvider"/>, so a manual clock could not drive their tests.
/// </remarks>
public sealed class UserTurnLimiter(TimeProvider time, IOptions<BotEndpointOptions> options)
{
    public const int MaxTrackedUsers = 50_000;

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    public int TrackedUsers => _buckets.Count;

    /// <summary>The user a turn counts against: the Entra object id, else the channel's user id; null when neither is sent.</summary>
    public static string? UserOf(Activity activity) => activity?.From?.AadObjectId ?? activity?.From?.Id;

    public TurnAdmission Admit(string user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var settings = options.Value;
        if (settings.UserTurnsPerMinute <= 0) return new TurnAdmission(true, TimeSpan.Zero, false);

        var now = time.GetUtcNow();
        var perSecond = settings.UserTurnsPerMinute / 60.0;
        if (!_buckets.TryGetValue(user, out var bucket))
        {
            if (_buckets.Count >= MaxTrackedUsers) Sweep(now, perSecond, settings.UserTurnBurst);
            // Still full of users who are all sending right now: a new user is let through untracked rather than let
            // the table grow without bound; a flood of made-up ids gains nothing from it (each id is a new user anyway).
            if (_buckets.Count >= MaxTrackedUsers) return new TurnAdmission(true, TimeSpan.Zero, false);
            bucket = _buckets.GetOrAdd(user, _ => new Bucket(settings.UserTurnBurst, now));
        }
        return bucket.Take(now, perSecond, settings.UserTurnBurst);
    }

    private void Sweep(DateTimeOffset now, double perSecond, int burst)
    {
        foreach (var (user, bucket) in _buckets)
        {
            if (bucket.IsFull(now, perSecond, burst))
                _buckets.TryRemove(new KeyValuePair<string, Bucket>(user, bucket));
        }
    }

    private sealed class Bucket(int burst, DateTimeOffset now)
    {
        private readonly Lock _gate = new();
        private double _tokens = burst;
        private DateTimeOffset _at = now;
        private bool _refused;

        public TurnAdmission Take(DateTimeOffset now, double perSecond, int burst)
        {
            lock (_gate)
            {
                Refill(now, perSecond, burst);
                if (_tokens >= 1)
                {
                    _tokens -= 1;
                    _refused = false;
                    return new TurnAdmission(true, TimeSpan.Zero, false);
                }
                var first = !_refused;
                _refused = true;
                return new TurnAdmission(false, TimeSpan.FromSeconds(Math.Ceiling((1 - _tokens) / perSecond)), first);
            }
        }

        public bool IsFull(DateTimeOffset now, double perSecond, int burst)
        {
            lock (_gate)
                return _tokens + Math.Max(0, (now - _at).TotalSeconds) * perSecond >= burst;
        }

        private void Refill(DateTimeOffset now, double perSecond, int burst)
        {
            // A clock that moves backwards refills nothing rather than taking tokens away.
            var elapsed = Math.Max(0, (now - _at).TotalSeconds);
            _tokens = Math.Min(burst, _tokens + elapsed * perSecond);
            _at = now > _at ? now : _at;
        }
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
