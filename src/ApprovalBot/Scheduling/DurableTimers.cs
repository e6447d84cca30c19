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
        if (await scheduler.GetJobDetail(new JobKey(subjectId, kind), cancellationToken) is { } existing
            && existing.JobDataMap.ContainsKey(FenceKey) && existing.JobDataMap.GetLong(FenceKey) > fencingToken)
            return;
        var job = JobBuilder.Create<DurableTimerJob>()
            .WithIdentity(subjectId, kind)
            .UsingJobData(KindKey, kind)
            .UsingJobData(SubjectKey, subjectId)
            .UsingJobData(DueKey, dueAt.ToUnixTimeMilliseconds())
            .UsingJobData(FenceKey, fencingToken)
            .RequestRecovery()
            .Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(subjectId, kind)
            .ForJob(job)
            .StartAt(dueAt)
            .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();
        await scheduler.ScheduleJob(job, [trigger], new ScheduleJobOptions { Replace = true }, cancellationToken);
    }

    public async Task<bool> CancelAsync(string kind, string subjectId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        return await scheduler.DeleteJob(new JobKey(subjectId, kind), cancellationToken);
    }

    /// <summary>The armed deadline and fencing token for (kind, subject), or null when no timer is armed.</summary>
    public async Task<ArmedTimer?> GetArmedAsync(string kind, string subjectId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        var job = await scheduler.GetJobDetail(new JobKey(subjectId, kind), cancellationToken);
        var trigger = await scheduler.GetTrigger(new TriggerKey(subjectId, kind), cancellationToken);
        if (job is null || trigger is null) return null;
        return new ArmedTimer(
            DateTimeOffset.FromUnixTimeMilliseconds(job.JobDataMap.GetLong(DueKey)),
            job.JobDataMap.GetLong(FenceKey));
    }

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
/// its arming, or a trigger lost by hand. One implementation for every feature that keeps timers.
/// </summary>
public static class TimerAudit
{
    public const int PageSize = 200;

    /// <param name="pageAfter">The next <see cref="PageSize"/> subjects with an id above the given one, in id order.</param>
    /// <param name="reload">
    /// The subject with this id as it is now, if it still needs a timer at all (same filter as <paramref name="pageAfter"/>).
    /// A page can be seconds old by the time its last subject is checked, and a change since (a hold, a closure) may have
    /// cancelled that timer on purpose: only a fresh read may arm it again.
    /// </param>
    /// <param name="expected">The deadline the subject's timer should have (null: none needed) and its fencing token.</param>
    /// <returns>How many subjects were re-armed.</returns>
    public static async Task<int> RearmStaleAsync<T>(
        DurableTimers timers,
        string kind,
        Func<long, CancellationToken, Task<List<T>>> pageAfter,
        Func<long, CancellationToken, Task<T?>> reload,
        Func<T, long> id,
        Func<T, (DateTimeOffset? DueAt, long FencingToken)> expected,
        Func<T, CancellationToken, Task> arm,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timers);
        ArgumentNullException.ThrowIfNull(pageAfter);
        ArgumentNullException.ThrowIfNull(reload);
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(arm);
        var rearmed = 0;
        long after = 0;
        while (await pageAfter(after, cancellationToken) is { Count: > 0 } page)
        {
            foreach (var subject in page)
            {
                after = id(subject);
                if (await IsArmedAsExpectedAsync(timers, kind, after, expected(subject), cancellationToken)) continue;
                if (await reload(after, cancellationToken) is not { } current
                    || await IsArmedAsExpectedAsync(timers, kind, after, expected(current), cancellationToken))
                    continue;
                await arm(current, cancellationToken);
                rearmed++;
            }
        }
        return rearmed;
    }

    /// <summary>True when nothing needs doing: the subject needs no timer, or it is armed for the expected deadline and token.</summary>
    private static async Task<bool> IsArmedAsExpectedAsync(
        DurableTimers timers, string kind, long subject, (DateTimeOffset? DueAt, long FencingToken) expected, CancellationToken cancellationToken)
    {
        if (expected is not ({ } dueAt, var token)) return true;
        var armed = await timers.GetArmedAsync(kind, subject.ToString(CultureInfo.InvariantCulture), cancellationToken);
        return armed is { } a && a.FencingToken == token && a.DueAt.ToUnixTimeMilliseconds() == dueAt.ToUnixTimeMilliseconds();
    }
}

/// <summary>What is armed for one (kind, subject): the deadline and the fencing token it was armed with.</summary>
public sealed record ArmedTimer(DateTimeOffset DueAt, long FencingToken);

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
