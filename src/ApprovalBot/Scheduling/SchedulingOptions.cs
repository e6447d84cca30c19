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

    /// <summary>
    /// How the scheduler's own store commits: <c>Relaxed</c> (the default) or <c>Synchronous</c>. Relaxed commits do not
    /// wait for the disk: on SQLite the scheduler's connections run at <c>PRAGMA synchronous = NORMAL</c>, on PostgreSQL
    /// with <c>synchronous_commit = off</c>. The database stays consistent either way, and nothing is lost when the bot
    /// crashes; a power loss or an OS or database-server crash can roll back the scheduler's last commits (about the
    /// last second). That is safe because the timers are derived state: each deadline and fencing token is stored with
    /// its escalation, approval, obligation or subscription, committed synchronously by the bot's own connections; the
    /// start-up audit re-arms a timer missing from the store, and the fencing check makes a fire repeated after a lost
    /// completion harmless. It takes the disk flushes out of the scheduler's three or four commits per fire, which bound
    /// how many timers a second the bot can fire. Measured like for like (docs/benchmarks.md, "Relaxed store commits"):
    /// 20,000 deadlines over 2 minutes fired with a p99 lateness of 2.6 s instead of 14.7 s on SQLite, and all of them by
    /// the benchmark's cap instead of 86 % on PostgreSQL. <c>Synchronous</c> makes the scheduler's commits as durable as
    /// the bot's own, for those who would rather fire fewer timers a second than re-arm after a power loss.
    /// </summary>
    public string StoreCommits { get; set; } = Relaxed;

    public const string Relaxed = "Relaxed";

    public const string Synchronous = "Synchronous";

    /// <summary>Whether <see cref="StoreCommits"/> is <c>Relaxed</c> (any case).</summary>
    public bool RelaxedStoreCommits => string.Equals(StoreCommits?.Trim(), Relaxed, StringComparison.OrdinalIgnoreCase);

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
