using System.Diagnostics;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Scheduling;
using ApprovalBot.Storage;
using ApprovalBot.Teams.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Metrics;

/// <summary>What the gauges report, as read from the database at <see cref="ReadAt"/>.</summary>
public sealed record GaugeSnapshot(
    DateTimeOffset ReadAt,
    long OutboxPending,
    double OldestPendingAgeSeconds,
    IReadOnlyDictionary<string, long> ArmedTimers,
    IReadOnlyList<(string Level, string SlaState, long Count)> OpenEscalations,
    IReadOnlyDictionary<string, long> ApprovalsWaiting);

/// <summary>
/// The gauges' numbers, read from the database at most once per <see cref="MetricsOptions.GaugeRefreshInterval"/> (a scrape
/// in between reuses them; scrapes at once share one read), so scraping often costs the database nothing more. One read
/// is five aggregate statements over indexed columns: pending outbox messages (count, oldest), armed triggers by kind
/// in the scheduler's tables, open escalations by state and level, and stage runs in progress by stage. A read that
/// fails keeps the last numbers and is logged; the next scrape tries again.
/// </summary>
public sealed partial class MetricsGauges(
    IDbContextFactory<BotDbContext> dbFactory,
    TimerKinds timerKinds,
    TimeProvider time,
    IOptions<MetricsOptions> options,
    ILogger<MetricsGauges> logger) : IDisposable
{
    /// <summary>Quartz's scheduler name (<c>SchedulingModule</c> sets <c>InstanceName = "ApprovalBot"</c>): its rows' SCHED_NAME.</summary>
    internal const string SchedulerName = "ApprovalBot";

    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private long _readAtTimestamp;
    private volatile GaugeSnapshot? _current;

    /// <summary>The last numbers read; null before the first read.</summary>
    public GaugeSnapshot? Current => _current;

    /// <summary>Reads the numbers again when the last read is older than the refresh interval (real time, not the business clock).</summary>
    public async Task RefreshIfStaleAsync(CancellationToken cancellationToken)
    {
        if (!IsStale()) return;
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            if (!IsStale()) return;
            _current = await ReadAsync(cancellationToken);
            Interlocked.Exchange(ref _readAtTimestamp, Stopwatch.GetTimestamp());
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogReadFailed(logger, ex);
        }
        finally
        {
            _refreshing.Release();
        }
    }

    private bool IsStale()
    {
        var at = Interlocked.Read(ref _readAtTimestamp);
        return _current is null || at == 0 || Stopwatch.GetElapsedTime(at) >= options.Value.GaugeRefreshInterval;
    }

    private async Task<GaugeSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        var outbox = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.Status == OutboxStatus.Pending)
            .GroupBy(m => m.Status)
            .Select(g => new { Count = g.LongCount(), Oldest = g.Min(m => m.CreatedAt) })
            .FirstOrDefaultAsync(cancellationToken);

        // Armed = a trigger in the store (waiting, acquired or blocked on a running fire). Unquoted names fold to the
        // lower case PostgreSQL's Quartz schema uses; SQLite ignores case.
        var triggers = await db.Database
            .SqlQuery<KindCount>($"SELECT TRIGGER_GROUP AS \"Kind\", COUNT(*) AS \"Count\" FROM QRTZ_TRIGGERS WHERE SCHED_NAME = {SchedulerName} GROUP BY TRIGGER_GROUP")
            .ToListAsync(cancellationToken);
        var armed = timerKinds.All.ToDictionary(k => k, _ => 0L, StringComparer.Ordinal);
        foreach (var row in triggers)
        {
            // Only registered kinds: the label set stays the bot's own (a leftover group from an old version is not reported).
            if (armed.ContainsKey(row.Kind)) armed[row.Kind] = row.Count;
        }

        var escalations = await db.Escalations.AsNoTracking()
            .Where(e => e.State == EscalationState.Open || e.State == EscalationState.Acknowledged || e.State == EscalationState.OnHold)
            .GroupBy(e => new { e.State, e.Level, ResolutionBreached = e.ResolutionBreachedAt != null, ResponseBreached = e.ResponseBreachedAt != null })
            .Select(g => new { g.Key.State, g.Key.Level, g.Key.ResolutionBreached, g.Key.ResponseBreached, Count = g.LongCount() })
            .ToListAsync(cancellationToken);
        // Every level and SLA state is reported, at 0 when none: a graph or an alert never meets a missing series.
        var open = (from level in Enum.GetValues<SupportLevel>()
                    from sla in SlaStates
                    select (Level: level.ToString(), SlaState: sla, Count: escalations
                        .Where(e => e.Level == level && SlaState(e.State, e.ResponseBreached, e.ResolutionBreached) == sla)
                        .Sum(e => e.Count)))
            .ToList();

        var stages = await db.ApprovalRequests.AsNoTracking()
            .Where(r => r.Status == ApprovalStatus.InProgress)
            .SelectMany(r => r.StageRuns)
            .Where(s => s.Status == StageRunStatus.InProgress)
            .GroupBy(s => s.StageName)
            .Select(g => new { Stage = g.Key, Count = g.LongCount() })
            .ToListAsync(cancellationToken);

        var oldestAge = outbox is null ? 0 : Math.Max(0, (now - outbox.Oldest).TotalSeconds);
        return new GaugeSnapshot(
            now,
            outbox?.Count ?? 0,
            oldestAge,
            armed,
            open,
            stages.ToDictionary(s => s.Stage, s => s.Count, StringComparer.Ordinal));
    }

    /// <summary>
    /// on_hold (both clocks paused), resolution_breached, response_breached (the response target was missed at the last
    /// level), or on_track.
    /// </summary>
    internal static readonly IReadOnlyList<string> SlaStates = ["on_track", "response_breached", "resolution_breached", "on_hold"];

    internal static string SlaState(EscalationState state, bool responseBreached, bool resolutionBreached) =>
        state == EscalationState.OnHold ? "on_hold"
        : resolutionBreached ? "resolution_breached"
        : responseBreached ? "response_breached"
        : "on_track";

    public void Dispose() => _refreshing.Dispose();

    private sealed record KindCount(string Kind, long Count);

    [LoggerMessage(EventId = 4970, Level = LogLevel.Warning, Message = "Reading the metrics gauges from the database failed; /metrics reports the last numbers read")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);
}
