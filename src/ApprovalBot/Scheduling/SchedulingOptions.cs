namespace ApprovalBot.Scheduling;

/// <summary>Quartz settings. Section <c>Scheduling</c>.</summary>
public sealed class SchedulingOptions
{
    public const string SectionName = "Scheduling";

    /// <summary>
    /// How long an idle scheduler waits before asking the store again. It bounds how late a timer armed on another
    /// instance can fire (a local arm wakes the scheduler at once). Quartz's minimum is 1 s; its default, 30 s, is
    /// too coarse for SLA timers, so 5 s.
    /// </summary>
    public TimeSpan IdleWaitTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Timers fired at once (Quartz's thread pool; also the most due triggers one acquisition round takes). Each fire
    /// commits to the database three or four times: on SQLite, with one writer at a time, a thread that finds the write
    /// lock taken sleeps (Microsoft.Data.Sqlite polls the lock) before it tries again, so more threads add lateness
    /// rather than throughput; on two cores the CPU is the limit well before four threads are (docs/benchmarks.md,
    /// timer findings).
    /// </summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>PostgreSQL only: instances check in this often; a silent instance's timers are taken over after CheckinMisfireThreshold.</summary>
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>PostgreSQL only: how late an instance's check-in may be before the others take over its timers.</summary>
    public TimeSpan ClusterCheckinMisfireThreshold { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// A timer whose handler fails is fired again after this long, then after twice as long each time (±20 % jitter, so
    /// timers that failed together do not return together), up to <see cref="FailedTimerMaxRetryDelay"/>.
    /// </summary>
    public TimeSpan FailedTimerRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan FailedTimerMaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Retries of one failed fire before it is given up (the default keeps trying for about a week).</summary>
    public int FailedTimerRetries { get; set; } = 1000;
}
