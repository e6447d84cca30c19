using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace ApprovalBot.Scheduling;

/// <summary>Armed timers of one kind: how many, and how many of them wait for a retry after failures.</summary>
public sealed record ArmedCount(string Kind, int Armed, int InRetry);

/// <summary>An armed timer and when it fires next; <paramref name="RetryAttempt"/> &gt; 0 when that is a retry after failures.</summary>
public sealed record DueTimerEntry(string Kind, string SubjectId, DateTimeOffset DueAt, int RetryAttempt);

/// <summary>One scheduler instance as the store knows it (Quartz's cluster check-ins; null when not clustered).</summary>
public sealed record SchedulerNode(string InstanceId, bool Current, DateTimeOffset? LastCheckIn, string State);

/// <summary>
/// What operators ask of the durable timers as a whole (the operations page), in the scheduler's terms: counts by kind and
/// the next due, each in one statement on Quartz's trigger table (its listing API orders by group and name only, and
/// counting through it reads every trigger); the instances; and "fire this timer now, once".
/// </summary>
public sealed class ScheduledTimers(ISchedulerFactory schedulers, BotDbContext db)
{
    /// <summary>Set on the trigger <see cref="FireNowAsync"/> stores (see <see cref="TimerFireOutcome.OperatorRetry"/>).</summary>
    public const string OperatorRetryKey = "operatorRetry";

    public async Task<string> InstanceIdAsync(CancellationToken cancellationToken) =>
        await (await schedulers.GetScheduler(cancellationToken)).GetSchedulerInstanceId(cancellationToken);

    /// <summary>Armed timers by kind (Quartz's trigger group), in one grouped query.</summary>
    public async Task<IReadOnlyList<ArmedCount>> CountByKindAsync(CancellationToken cancellationToken)
    {
        var name = (await schedulers.GetScheduler(cancellationToken)).SchedulerName;
        var rows = await db.Database.SqlQuery<KindRow>(
                $"SELECT trigger_group AS \"Kind\", COUNT(*) AS \"Armed\", SUM(CASE WHEN retry_attempt > 0 THEN 1 ELSE 0 END) AS \"InRetry\" FROM qrtz_triggers WHERE sched_name = {name} GROUP BY trigger_group")
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new ArmedCount(r.Kind, (int)r.Armed, (int)(r.InRetry ?? 0)))];
    }

    /// <summary>The next <paramref name="count"/> timers to fire, soonest first (Quartz stores fire times as UTC ticks).</summary>
    public async Task<IReadOnlyList<DueTimerEntry>> NextDueAsync(int count, CancellationToken cancellationToken)
    {
        var name = (await schedulers.GetScheduler(cancellationToken)).SchedulerName;
        var rows = await db.Database.SqlQuery<DueRow>(
                $"SELECT trigger_group AS \"Kind\", trigger_name AS \"SubjectId\", next_fire_time AS \"NextFireTime\", retry_attempt AS \"RetryAttempt\" FROM qrtz_triggers WHERE sched_name = {name} AND next_fire_time IS NOT NULL ORDER BY next_fire_time, trigger_group, trigger_name LIMIT {count}")
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new DueTimerEntry(r.Kind, r.SubjectId, new DateTimeOffset(r.NextFireTime, TimeSpan.Zero), r.RetryAttempt ?? 0))];
    }

    /// <summary>When each of these timers fires next; absent when none is armed.</summary>
    public async Task<IReadOnlyDictionary<(string Kind, string SubjectId), DateTimeOffset>> NextFireTimesAsync(
        IReadOnlyCollection<(string Kind, string SubjectId)> timers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timers);
        if (timers.Count == 0) return new Dictionary<(string, string), DateTimeOffset>();
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var triggers = await scheduler.GetTriggers([.. timers.Select(t => new TriggerKey(t.SubjectId, t.Kind))], cancellationToken);
        return triggers.Where(t => t.NextFireTimeUtc is not null).ToDictionary(t => (t.Key.Group, t.Key.Name), t => t.NextFireTimeUtc!.Value);
    }

    /// <summary>The scheduler instances: this one first, then the cluster's by id (Quartz's check-ins).</summary>
    public async Task<IReadOnlyList<SchedulerNode>> NodesAsync(CancellationToken cancellationToken)
    {
        var nodes = await (await schedulers.GetScheduler(cancellationToken)).QueryClusterNodes(cancellationToken);
        return [.. nodes.Select(n => new SchedulerNode(n.InstanceId, n.IsCurrentNode, n.LastCheckInUtc, n.State.ToString()))];
    }

    /// <summary>
    /// Replaces the armed trigger of (kind, subject) — waiting for its deadline or for a retry — with one that fires now,
    /// once: the handler runs once for this, not once now and again at the old time. False when none is armed (nothing is
    /// stored then).
    /// </summary>
    public async Task<bool> FireNowAsync(string kind, string subjectId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var key = new TriggerKey(subjectId, kind);
        var trigger = TriggerBuilder.Create()
            .WithIdentity(key)
            .ForJob(new JobKey(subjectId, kind))
            .UsingJobData(OperatorRetryKey, true)
            .StartAt(now)
            .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();
        return await scheduler.RescheduleJob(key, trigger, cancellationToken) is not null;
    }

    private sealed record KindRow(string Kind, long Armed, long? InRetry);

    private sealed record DueRow(string Kind, string SubjectId, long NextFireTime, int? RetryAttempt);
}
