using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Protocol.Connector;

/// <summary>Which published per-thread budget a call draws from (bot-protocol.md §4.1).</summary>
public enum ThrottleCategory
{
    /// <summary>Send, reply, update, create conversation: 7/1 s, 8/2 s, 60/30 s, 1800/3600 s per thread.</summary>
    Send,

    /// <summary>Member reads: 14/1 s, 16/2 s, 120/30 s, 3600/3600 s per thread.</summary>
    Read,
}

/// <summary>The gate's answer: admitted after <see cref="Waited"/>, or not admitted and to be retried after <see cref="RetryAfter"/>.</summary>
public readonly record struct ThrottleDecision(bool Admitted, TimeSpan Waited, TimeSpan RetryAfter);

/// <summary>A limit of <see cref="Limit"/> requests in any sliding window of <see cref="Length"/>.</summary>
public readonly record struct RateWindow(int Limit, TimeSpan Length);

/// <summary>
/// The one gate in front of every outbound connector call. It keeps each thread (conversation) within the published
/// limits and the whole app within a per-second budget, waiting asynchronously on the injected clock rather than
/// failing. The app's budget is paced, not only counted: never more than N in any second, and under a backlog one
/// call every 1/N s after a short burst (N/10), so the calls reach Teams spread out and a little lateness on the way
/// does not put N + 1 into one of Teams' own one-second windows (bursts of N at each second's start did: 429s). A 429 holds the thread — and every thread when 429s come from several at once — until its Retry-After.
/// A wait longer than <see cref="ThrottleGateOptions.MaxWait"/> is not waited: the caller gets a retry time instead.
/// Sliding-window logs of admitted requests, one per thread, pruned after an hour; for one process (each replica
/// throttles itself; the connector's 429s cover the rest).
/// </summary>
public sealed partial class ConnectorThrottleGate
{
    public static readonly IReadOnlyList<RateWindow> SendLimits =
    [
        new(7, TimeSpan.FromSeconds(1)), new(8, TimeSpan.FromSeconds(2)),
        new(60, TimeSpan.FromSeconds(30)), new(1800, TimeSpan.FromHours(1)),
    ];

    public static readonly IReadOnlyList<RateWindow> ReadLimits =
    [
        new(14, TimeSpan.FromSeconds(1)), new(16, TimeSpan.FromSeconds(2)),
        new(120, TimeSpan.FromSeconds(30)), new(3600, TimeSpan.FromHours(1)),
    ];

    private static readonly TimeSpan LongestWindow = TimeSpan.FromHours(1);
    private const int SweepEvery = 1024;
    private static readonly TimeSpan SweepAtLeastEvery = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ThrottleGateOptions _options;
    private readonly RateWindow[] _globalLimits;
    private readonly TimeSpan _globalInterval;
    private readonly TimeSpan _globalBurstTolerance;

    private readonly Lock _lock = new();
    private readonly Dictionary<(ThrottleCategory, string), SlidingLog> _threads = [];
    private readonly SlidingLog _global = new();
    private readonly Dictionary<string, DateTimeOffset> _holds = new(StringComparer.Ordinal);
    private readonly List<(DateTimeOffset At, string Key)> _recentThrottles = [];
    private DateTimeOffset _globalHoldUntil = DateTimeOffset.MinValue;
    private DateTimeOffset _globalPaceAt; // the paced ("theoretical") time of the app's next call
    private TimeSpan _totalWait;
    private long _waitedRequests;
    private long _deferredRequests;
    private int _admittedSinceSweep;
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    public ConnectorThrottleGate(IOptions<ConnectorOptions> options, TimeProvider time, ILogger<ConnectorThrottleGate> logger)
    {
        _options = options.Value.Throttle;
        _time = time;
        _logger = logger;
        _globalLimits = [new(_options.GlobalRequestsPerSecond, TimeSpan.FromSeconds(1))];
        _globalInterval = TimeSpan.FromSeconds(1) / _options.GlobalRequestsPerSecond;
        _globalBurstTolerance = _globalInterval * (GlobalBurst(_options.GlobalRequestsPerSecond) - 1);
        _globalPaceAt = time.GetUtcNow();
    }

    /// <summary>Calls of the app admitted at once before the pacing of one every 1/N s applies: N/10, at least 1.</summary>
    public static int GlobalBurst(int requestsPerSecond) => Math.Max(1, requestsPerSecond / 10);

    /// <summary>Total time callers have spent waiting in the gate since start (turn it into a metric).</summary>
    public TimeSpan TotalWaitTime { get { lock (_lock) return _totalWait; } }

    /// <summary>Requests that had to wait at all.</summary>
    public long WaitedRequests { get { lock (_lock) return _waitedRequests; } }

    /// <summary>Requests turned away because the wait would exceed <see cref="ThrottleGateOptions.MaxWait"/>.</summary>
    public long DeferredRequests { get { lock (_lock) return _deferredRequests; } }

    /// <summary>Until when every call is held after a connector-wide 429 (null when not held).</summary>
    public DateTimeOffset? GlobalHoldUntil
    {
        get { lock (_lock) return _globalHoldUntil > _time.GetUtcNow() ? _globalHoldUntil : null; }
    }

    /// <summary>Until when <paramref name="threadKey"/> is held after a 429 (null when not held).</summary>
    public DateTimeOffset? HoldUntil(string threadKey)
    {
        lock (_lock)
        {
            return _holds.TryGetValue(threadKey, out var until) && until > _time.GetUtcNow() ? until : null;
        }
    }

    /// <summary>Waits until a call on <paramref name="threadKey"/> fits every budget and records it; or says when to come back.</summary>
    public async ValueTask<ThrottleDecision> WaitAsync(string threadKey, ThrottleCategory category, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(threadKey);
        var start = _time.GetUtcNow();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            DateTimeOffset now, until;
            lock (_lock)
            {
                now = _time.GetUtcNow();
                until = EarliestAdmission(threadKey, category, now);
                if (until <= now)
                {
                    Admit(threadKey, category, now);
                    var waited = now - start;
                    if (waited > TimeSpan.Zero)
                    {
                        _totalWait += waited;
                        _waitedRequests++;
                    }
                    return new ThrottleDecision(true, waited, TimeSpan.Zero);
                }
                if (until - start > _options.MaxWait)
                {
                    _deferredRequests++;
                    var waited = now - start;
                    _totalWait += waited;
                    return new ThrottleDecision(false, waited, until - now);
                }
            }
            // Task.Delay counts whole milliseconds (it truncates): round up, or a paced slot a fraction of a millisecond
            // away would be waited for with a zero delay, over and over.
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling((until - now).TotalMilliseconds)), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The connector answered 429 for <paramref name="threadKey"/>: hold it until the Retry-After passes. When 429s
    /// arrive from <see cref="ThrottleGateOptions.GlobalThrottleThreshold"/> distinct threads within
    /// <see cref="ThrottleGateOptions.GlobalThrottleWindow"/> the limit is app- or tenant-wide: hold everything.
    /// </summary>
    public void ReportThrottled(string threadKey, TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(threadKey);
        if (retryAfter < TimeSpan.Zero) retryAfter = TimeSpan.Zero;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var until = now + retryAfter;
            if (!_holds.TryGetValue(threadKey, out var existing) || existing < until) _holds[threadKey] = until;

            _recentThrottles.RemoveAll(t => t.At <= now - _options.GlobalThrottleWindow);
            _recentThrottles.Add((now, threadKey));
            var distinct = _recentThrottles.Select(t => t.Key).Distinct(StringComparer.Ordinal).Count();
            if (distinct >= _options.GlobalThrottleThreshold && until > _globalHoldUntil)
            {
                _globalHoldUntil = until;
                LogGlobalHold(_logger, distinct, retryAfter);
            }
            else
            {
                LogThreadHold(_logger, retryAfter);
            }
        }
    }

    private DateTimeOffset EarliestAdmission(string threadKey, ThrottleCategory category, DateTimeOffset now)
    {
        var until = now;
        if (_globalHoldUntil > until) until = _globalHoldUntil;
        if (_holds.TryGetValue(threadKey, out var hold) && hold > until) until = hold;
        if (_threads.TryGetValue((category, threadKey), out var log))
        {
            var t = log.EarliestAdmission(category == ThrottleCategory.Send ? SendLimits : ReadLimits, now);
            if (t > until) until = t;
        }
        var g = _global.EarliestAdmission(_globalLimits, now);
        if (g > until) until = g;
        // Pacing (a token bucket of GlobalBurst tokens refilled one per interval, as GCRA): the next call is due at
        // _globalPaceAt and may come early by up to the burst.
        var paced = _globalPaceAt - _globalBurstTolerance;
        return paced > until ? paced : until;
    }

    private void Admit(string threadKey, ThrottleCategory category, DateTimeOffset now)
    {
        if (!_threads.TryGetValue((category, threadKey), out var log))
        {
            log = new SlidingLog();
            _threads[(category, threadKey)] = log;
        }
        log.Add(now, LongestWindow);
        _global.Add(now, TimeSpan.FromSeconds(1));
        _globalPaceAt = (_globalPaceAt > now ? _globalPaceAt : now) + _globalInterval;
        if (++_admittedSinceSweep >= SweepEvery || now - _lastSweep >= SweepAtLeastEvery) Sweep(now);
    }

    // Forget threads with nothing in the longest window, and holds that have passed: memory stays proportional to
    // the threads active in the last hour. Every 1,024 admissions, and at the first admission a minute after the last
    // sweep, so that a quiet bot also lets go of an hour-old burst to thousands of conversations.
    private void Sweep(DateTimeOffset now)
    {
        _admittedSinceSweep = 0;
        _lastSweep = now;
        foreach (var key in _threads.Where(kv => kv.Value.IsIdleSince(now - LongestWindow)).Select(kv => kv.Key).ToList())
            _threads.Remove(key);
        foreach (var key in _holds.Where(kv => kv.Value <= now).Select(kv => kv.Key).ToList())
            _holds.Remove(key);
    }

    /// <summary>Admission times of one thread (or the app), oldest first, none older than the longest window.</summary>
    private sealed class SlidingLog
    {
        private readonly List<DateTimeOffset> _entries = [];

        public void Add(DateTimeOffset at, TimeSpan keep)
        {
            var cutoff = at - keep;
            var stale = 0;
            while (stale < _entries.Count && _entries[stale] <= cutoff) stale++;
            if (stale > 0) _entries.RemoveRange(0, stale);
            _entries.Add(at);
        }

        public bool IsIdleSince(DateTimeOffset cutoff) => _entries.Count == 0 || _entries[^1] <= cutoff;

        /// <summary>
        /// For each window (L requests per W): when L or more admissions lie in (now − W, now], the next one must wait
        /// until the L-th most recent leaves the window, i.e. until entries[n − L] + W.
        /// </summary>
        public DateTimeOffset EarliestAdmission(IReadOnlyList<RateWindow> windows, DateTimeOffset now)
        {
            var until = now;
            var n = _entries.Count;
            foreach (var w in windows)
            {
                if (n < w.Limit) continue;
                var leaves = _entries[n - w.Limit] + w.Length;
                if (leaves > until) until = leaves;
            }
            return until;
        }
    }

    [LoggerMessage(EventId = 3401, Level = LogLevel.Warning, Message = "Connector throttled one conversation; holding it for {RetryAfter}")]
    private static partial void LogThreadHold(ILogger logger, TimeSpan retryAfter);

    [LoggerMessage(EventId = 3402, Level = LogLevel.Warning, Message = "Connector throttled {Conversations} conversations at once; holding every outbound call for {RetryAfter}")]
    private static partial void LogGlobalHold(ILogger logger, int conversations, TimeSpan retryAfter);
}
