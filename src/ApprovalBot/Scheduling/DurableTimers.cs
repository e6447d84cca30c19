using System.Globalization;
using Quartz;

namespace ApprovalBot.Scheduling;

/// <summary>
/// One durable timer: a kind (what to do), a subject (which approval, escalation, …), when, and a fencing token —
/// the subject's version when the timer was armed. A handler acts only if the token still matches, so a late,
/// stale or duplicate fire changes nothing (architecture rule 8).
/// </summary>
public sealed record TimerFire(string Kind, string SubjectId, DateTimeOffset DueAt, long FencingToken, DateTimeOffset FiredAt)
{
    public TimeSpan Lateness => FiredAt - DueAt;
}

/// <summary>Does the work of one timer kind. Resolved in its own service scope per fire.</summary>
public interface ITimerHandler
{
    Task HandleAsync(TimerFire fire, CancellationToken cancellationToken);
}

/// <summary>
/// Arms and cancels durable timers in the persistent Quartz store. Arming again for the same (kind, subject)
/// replaces the earlier deadline. Call it only after the transaction that justifies the timer has committed.
/// </summary>
public sealed class DurableTimers(ISchedulerFactory schedulerFactory, TimerKinds kinds)
{
    internal const string KindKey = "kind";
    internal const string SubjectKey = "subject";
    internal const string DueKey = "dueAtUnixMs";
    internal const string FenceKey = "fencingToken";

    /// <remarks>
    /// Fencing tokens only move forward: a timer armed with a newer token than <paramref name="fencingToken"/> is left
    /// alone (an auditor that read an older state must not replace what the change after it armed).
    /// </remarks>
    public async Task ArmAsync(string kind, string subjectId, DateTimeOffset dueAt, long fencingToken, CancellationToken cancellationToken)
    {
        kinds.EnsureKnown(kind);
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        if (await scheduler.GetJobDetail(new JobKey(subjectId, kind), cancellationToken) is { } existing && FenceOf(existing) > fencingToken)
            return;
        var (job, trigger) = Build(kind, new TimerToArm(subjectId, dueAt, fencingToken));
        await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, cancellationToken);
    }

    /// <summary>
    /// Arms many timers of one kind in one scheduler transaction (one lock of the clustered store instead of one per
    /// timer), after one read of what is armed: a subject already armed for the same deadline and fencing token, or
    /// armed with a newer fencing token, is left alone (as <see cref="ArmAsync"/> leaves the newer one). A subject given
    /// twice is armed with the newer token.
    /// </summary>
    /// <returns>How many timers were armed.</returns>
    public async Task<int> ArmManyAsync(string kind, IReadOnlyCollection<TimerToArm> timers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timers);
        kinds.EnsureKnown(kind);
        if (timers.Count == 0) return 0;
        var wanted = timers.GroupBy(t => t.SubjectId, StringComparer.Ordinal)
            .Select(g => g.MaxBy(t => t.FencingToken)!)
            .ToList();
        var armed = await GetArmedAsync(kind, [.. wanted.Select(t => t.SubjectId)], cancellationToken);
        var batch = new Dictionary<IJobDetail, IReadOnlyCollection<ITrigger>>();
        foreach (var timer in wanted)
        {
            if (armed.TryGetValue(timer.SubjectId, out var current)
                && (current.FencingToken > timer.FencingToken || current.Is(timer.DueAt, timer.FencingToken)))
                continue;
            var (job, trigger) = Build(kind, timer);
            batch[job] = [trigger];
        }
        if (batch.Count == 0) return 0;
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        await scheduler.ScheduleJobs(batch, ScheduleJobOptions.Replacing, cancellationToken);
        return batch.Count;
    }

    private static (IJobDetail Job, ITrigger Trigger) Build(string kind, TimerToArm timer)
    {
        var job = JobBuilder.Create<DurableTimerJob>()
            .WithIdentity(timer.SubjectId, kind)
            .UsingJobData(KindKey, kind)
            .UsingJobData(SubjectKey, timer.SubjectId)
            .UsingJobData(DueKey, timer.DueAt.ToUnixTimeMilliseconds())
            .UsingJobData(FenceKey, timer.FencingToken)
            .RequestRecovery()
            .Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(timer.SubjectId, kind)
            .ForJob(job)
            .StartAt(timer.DueAt)
            .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();
        return (job, trigger);
    }

    private static long? FenceOf(IJobDetail job) => job.JobDataMap.ContainsKey(FenceKey) ? job.JobDataMap.GetLong(FenceKey) : null;

    public async Task<bool> CancelAsync(string kind, string subjectId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        var key = new JobKey(subjectId, kind);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await scheduler.DeleteJob(key, cancellationToken);
            }
            catch (SchedulerException ex) when (attempt < 3 && ex.Message.StartsWith(TriggerVanished, StringComparison.Ordinal))
            {
                // Quartz lists the job's triggers, then unschedules each, and throws when one is gone in between: the
                // timer fired (a one-shot trigger is removed once it has run) or another instance cancelled it. Asked
                // again, it finds what is left. Quartz has no exception type for this, only the message.
            }
        }
    }

    private const string TriggerVanished = "Unable to unschedule trigger";

    /// <summary>The armed deadline and fencing token for (kind, subject), or null when no timer is armed.</summary>
    public async Task<ArmedTimer?> GetArmedAsync(string kind, string subjectId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        var job = await scheduler.GetJobDetail(new JobKey(subjectId, kind), cancellationToken);
        var trigger = await scheduler.GetTrigger(new TriggerKey(subjectId, kind), cancellationToken);
        return job is null || trigger is null ? null : ArmedTimerOf(job);
    }

    /// <summary>
    /// The armed timers of a kind for many subjects, by subject, in two reads of the store (the jobs, and the triggers
    /// that make them armed) however many subjects are asked for; a subject with no timer is absent.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, ArmedTimer>> GetArmedAsync(string kind, IReadOnlyCollection<string> subjectIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subjectIds);
        var result = new Dictionary<string, ArmedTimer>(StringComparer.Ordinal);
        if (subjectIds.Count == 0) return result;
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        var jobs = await scheduler.GetJobDetails([.. subjectIds.Select(s => new JobKey(s, kind))], cancellationToken);
        if (jobs.Count == 0) return result;
        var triggers = await scheduler.GetTriggers([.. jobs.Select(j => new TriggerKey(j.Key.Name, kind))], cancellationToken);
        var triggered = triggers.Select(t => t.Key.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var job in jobs)
        {
            if (triggered.Contains(job.Key.Name) && ArmedTimerOf(job) is { } armed)
                result[job.Key.Name] = armed;
        }
        return result;
    }

    private static ArmedTimer? ArmedTimerOf(IJobDetail job) =>
        job.JobDataMap.ContainsKey(DueKey) && FenceOf(job) is { } fence
            ? new ArmedTimer(DateTimeOffset.FromUnixTimeMilliseconds(job.JobDataMap.GetLong(DueKey)), fence)
            : null;

    /// <summary>The armed deadline for (kind, subject), or null.</summary>
    public async Task<DateTimeOffset?> GetDueAtAsync(string kind, string subjectId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        var trigger = await scheduler.GetTrigger(new TriggerKey(subjectId, kind), cancellationToken);
        return trigger?.NextFireTimeUtc;
    }
}

/// <summary>
/// The auditors' walk (architecture rule 8): every subject that should have a timer, page by page in id order, is
/// re-armed when its trigger is missing or armed for another deadline or fencing token — a crash between a commit and
/// its arming, or a trigger lost by hand. One implementation for every feature that keeps timers. Per page: one read of
/// the subjects, one read of their armed timers (<see cref="DurableTimers.GetArmedAsync(string, IReadOnlyCollection{string}, CancellationToken)"/>),
/// and only when some are missing or stale a fresh read of those subjects and one batch of arming; a page with nothing
/// to do costs three statements, whatever its size, and memory holds one page.
/// </summary>
public static class TimerAudit
{
    public const int PageSize = 500;

    /// <param name="pageAfter">The next <see cref="PageSize"/> subjects with an id above the given one, in id order.</param>
    /// <param name="reload">
    /// The subjects with these ids as they are now, those that still need a timer at all (same filter as
    /// <paramref name="pageAfter"/>). A page can be seconds old by the time it is checked, and a change since (a hold, a
    /// closure) may have cancelled a timer on purpose: only a fresh read may arm it again.
    /// </param>
    /// <param name="expected">The deadline the subject's timer should have (null: none needed) and its fencing token.</param>
    /// <returns>How many subjects were re-armed.</returns>
    public static async Task<int> RearmStaleAsync<T>(
        DurableTimers timers,
        string kind,
        Func<long, CancellationToken, Task<List<T>>> pageAfter,
        Func<IReadOnlyCollection<long>, CancellationToken, Task<List<T>>> reload,
        Func<T, long> id,
        Func<T, (DateTimeOffset? DueAt, long FencingToken)> expected,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timers);
        ArgumentNullException.ThrowIfNull(pageAfter);
        ArgumentNullException.ThrowIfNull(reload);
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(expected);
        var rearmed = 0;
        long after = 0;
        while (await pageAfter(after, cancellationToken) is { Count: > 0 } page)
        {
            after = page.Max(id);
            var stale = await StaleAsync(timers, kind, page, id, expected, cancellationToken);
            if (stale.Count == 0) continue;
            // The fresh read: only what the subjects say now is armed; ArmManyAsync reads the armed timers once more and
            // leaves alone what a change since armed (same or newer fencing token).
            var current = await reload(stale, cancellationToken);
            rearmed += await timers.ArmManyAsync(kind, [.. Timers(current, id, expected)], cancellationToken);
        }
        return rearmed;
    }

    /// <summary>The ids of the subjects that need a timer and have none armed for the expected deadline and token.</summary>
    private static async Task<List<long>> StaleAsync<T>(
        DurableTimers timers, string kind, List<T> page, Func<T, long> id, Func<T, (DateTimeOffset? DueAt, long FencingToken)> expected,
        CancellationToken cancellationToken)
    {
        var wanted = Timers(page, id, expected).ToList();
        if (wanted.Count == 0) return [];
        var armed = await timers.GetArmedAsync(kind, [.. wanted.Select(t => t.SubjectId)], cancellationToken);
        return [.. wanted
            .Where(t => !(armed.TryGetValue(t.SubjectId, out var a) && a.Is(t.DueAt, t.FencingToken)))
            .Select(t => long.Parse(t.SubjectId, CultureInfo.InvariantCulture))];
    }

    private static IEnumerable<TimerToArm> Timers<T>(IEnumerable<T> subjects, Func<T, long> id, Func<T, (DateTimeOffset? DueAt, long FencingToken)> expected)
    {
        foreach (var subject in subjects)
        {
            if (expected(subject) is ({ } dueAt, var token))
                yield return new TimerToArm(id(subject).ToString(CultureInfo.InvariantCulture), dueAt, token);
        }
    }
}

/// <summary>One timer to arm: the subject, its deadline and fencing token (see <see cref="DurableTimers.ArmManyAsync"/>).</summary>
public sealed record TimerToArm(string SubjectId, DateTimeOffset DueAt, long FencingToken);

/// <summary>What is armed for one (kind, subject): the deadline and the fencing token it was armed with.</summary>
public sealed record ArmedTimer(DateTimeOffset DueAt, long FencingToken)
{
    /// <summary>Armed for this deadline (to the millisecond, as stored) and this fencing token.</summary>
    public bool Is(DateTimeOffset dueAt, long fencingToken) =>
        FencingToken == fencingToken && DueAt.ToUnixTimeMilliseconds() == dueAt.ToUnixTimeMilliseconds();
}

/// <summary>The registered timer kinds; registering a kind twice fails at start-up.</summary>
public sealed class TimerKinds
{
    private readonly HashSet<string> _kinds = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> All => _kinds;

    internal void Add(string kind)
    {
        if (!_kinds.Add(kind))
            throw new InvalidOperationException($"Timer kind '{kind}' is registered twice.");
    }

    internal void EnsureKnown(string kind)
    {
        if (!_kinds.Contains(kind))
            throw new InvalidOperationException($"Timer kind '{kind}' has no handler registered.");
    }
}
