using System.Collections.Concurrent;

namespace ApprovalBot.Protocol.Routing;

/// <summary>What <see cref="TokenBuckets.Take"/> decided for one request.</summary>
/// <param name="Admitted">Whether the request may run.</param>
/// <param name="RetryAfter">When refused, how long until the key's next request is admitted.</param>
/// <param name="FirstRefusal">When refused, whether it is the first refusal since the key's last admitted request.</param>
public readonly record struct TurnAdmission(bool Admitted, TimeSpan RetryAfter, bool FirstRefusal);

/// <summary>
/// A token bucket per key (a user, an API key): <c>burst</c> requests at once, refilled at <c>perMinute</c>. In memory,
/// per instance. A bucket that has refilled is the same as no bucket, so such buckets are dropped when more than
/// <see cref="MaxTrackedKeys"/> keys are tracked: memory stays bounded under a flood of made-up keys. Shared by the
/// per-user command limit and the per-key API limit.
/// </summary>
/// <remarks>
/// Hand-written rather than <c>System.Threading.RateLimiting</c>: its limiters run on their own timers and
/// <c>Stopwatch</c>, not on <see cref="TimeProvider"/>, so a manual clock could not drive their tests.
/// </remarks>
public sealed class TokenBuckets(TimeProvider time, int maxTrackedKeys = TokenBuckets.DefaultMaxTrackedKeys)
{
    public const int DefaultMaxTrackedKeys = 50_000;

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    public int MaxTrackedKeys { get; } = maxTrackedKeys;

    public int TrackedKeys => _buckets.Count;

    /// <summary>Takes a token from <paramref name="key"/>'s bucket; <paramref name="perMinute"/> 0 or less admits everything.</summary>
    public TurnAdmission Take(string key, double perMinute, int burst)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (perMinute <= 0) return new TurnAdmission(true, TimeSpan.Zero, false);

        var now = time.GetUtcNow();
        var perSecond = perMinute / 60.0;
        if (!_buckets.TryGetValue(key, out var bucket))
        {
            if (_buckets.Count >= MaxTrackedKeys) Sweep(now, perSecond, burst);
            // Still full of keys that are all busy right now: a new key is let through untracked rather than let the
            // table grow without bound; a flood of made-up keys gains nothing from it (each is a new key anyway).
            if (_buckets.Count >= MaxTrackedKeys) return new TurnAdmission(true, TimeSpan.Zero, false);
            bucket = _buckets.GetOrAdd(key, _ => new Bucket(burst, now));
        }
        return bucket.Take(now, perSecond, burst);
    }

    private void Sweep(DateTimeOffset now, double perSecond, int burst)
    {
        foreach (var (key, bucket) in _buckets)
        {
            if (bucket.IsFull(now, perSecond, burst))
                _buckets.TryRemove(new KeyValuePair<string, Bucket>(key, bucket));
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
