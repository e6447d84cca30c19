namespace ApprovalBot.TestSupport.Connector;

/// <summary>
/// A <see cref="ManualTimeProvider"/> that also tells a test which timers are pending, so a test can wait (without
/// sleeping) until the code under test has started a delay and then move the clock exactly to it. Timers created
/// through this provider — <c>Task.Delay(…, clock)</c>, Polly delays and timeouts — are tracked until they fire or
/// are disposed.
/// </summary>
public sealed class ObservableClock : TimeProvider
{
    private static readonly TimeSpan DefaultRealTimeout = TimeSpan.FromSeconds(10);

    private readonly ManualTimeProvider _inner;
    private readonly Lock _lock = new();

    // Held while the clock moves and while a timer is (re)armed, so that a timer's tracked due time and its inner
    // timer's are computed from the same "now". Without it a move between the two left a timer tracked as due that
    // the inner clock held for later, and RunUntilCompletedAsync advanced by zero for ever. A Monitor: a timer callback
    // run by Advance may arm another timer on the same thread.
    private readonly object _moveGate = new();
    private readonly List<TrackedTimer> _live = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ObservableClock(DateTimeOffset? start = null) => _inner = new ManualTimeProvider(start);

    public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow();

    public override long GetTimestamp() => _inner.GetTimestamp();

    public override long TimestampFrequency => _inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public void Advance(TimeSpan by)
    {
        lock (_moveGate) _inner.Advance(by);
    }

    /// <summary>Delays of the timers pending now (due time − now), soonest first.</summary>
    public IReadOnlyList<TimeSpan> PendingDelays
    {
        get
        {
            var now = GetUtcNow();
            lock (_lock) return _live.Select(t => t.DueAt - now).Order().ToList();
        }
    }

    /// <summary>
    /// Completes with the delay of the soonest pending timer due within <paramref name="within"/> of now (timers further
    /// away, such as a long per-attempt timeout, are ignored) as soon as one exists.
    /// </summary>
    public async Task<TimeSpan> WaitForTimerAsync(TimeSpan within, TimeSpan? realTimeout = null)
    {
        var deadline = Task.Delay(realTimeout ?? DefaultRealTimeout);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                var now = GetUtcNow();
                var soonest = _live.Select(t => t.DueAt - now).Where(d => d <= within).Order().Cast<TimeSpan?>().FirstOrDefault();
                if (soonest is { } delay) return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
                changed = _changed.Task;
            }
            if (await Task.WhenAny(changed, deadline) == deadline)
                throw new TimeoutException($"No timer due within {within} was started; pending: [{string.Join(", ", PendingDelays)}].");
        }
    }

    /// <summary>
    /// Drives <paramref name="task"/> to completion: whenever it waits on a timer due within <paramref name="within"/>,
    /// moves the clock to that timer. Returns the total simulated time that passed.
    /// </summary>
    public async Task<TimeSpan> RunUntilCompletedAsync(Task task, TimeSpan within, TimeSpan? realTimeout = null)
    {
        var start = GetUtcNow();
        while (!task.IsCompleted)
        {
            var timer = WaitForTimerAsync(within, realTimeout);
            if (await Task.WhenAny(task, timer) == task) break;
            Advance(await timer);
        }
        await task;
        return GetUtcNow() - start;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var tracked = new TrackedTimer(this, callback) { State = state };
        lock (_moveGate)
        {
            tracked.Arm(dueTime, period);
            // The inner timer may fire at once (due time zero); TrackedTimer copes with Inner still being null then.
            tracked.Inner = _inner.CreateTimer(static s => ((TrackedTimer)s!).Fire(), tracked, dueTime, period);
        }
        return tracked;
    }

    private void Track(TrackedTimer timer, bool live)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            _live.Remove(timer);
            if (live) _live.Add(timer);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    private sealed class TrackedTimer(ObservableClock owner, TimerCallback callback) : ITimer
    {
        public ITimer? Inner { get; set; }
        public object? State { get; set; }
        public DateTimeOffset DueAt { get; private set; }
        private TimeSpan _period;

        public void Arm(TimeSpan dueTime, TimeSpan period)
        {
            _period = period;
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                owner.Track(this, live: false);
                return;
            }
            DueAt = owner.GetUtcNow() + dueTime;
            owner.Track(this, live: true);
        }

        public void Fire()
        {
            if (_period > TimeSpan.Zero && _period != Timeout.InfiniteTimeSpan)
            {
                DueAt += _period;
                owner.Track(this, live: true);
            }
            else
            {
                owner.Track(this, live: false);
            }
            callback(State);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._moveGate)
            {
                Arm(dueTime, period);
                return Inner?.Change(dueTime, period) ?? true;
            }
        }

        public void Dispose()
        {
            owner.Track(this, live: false);
            Inner?.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
