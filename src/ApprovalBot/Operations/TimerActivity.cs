using System.Collections.Concurrent;
using ApprovalBot.Scheduling;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;

namespace ApprovalBot.Operations;

/// <summary>One fire of a durable timer as this instance saw it: how late it fired, how long it ran, how it ended.</summary>
public sealed record TimerFireRecord(
    string Kind, string SubjectId, DateTimeOffset DueAt, DateTimeOffset FiredAt, double LatenessMs, double DurationMs, int Attempt, bool Succeeded, string? Error);

/// <summary>A trigger Quartz found past its misfire threshold (it then fires at once: the timers' misfire instruction).</summary>
public sealed record TimerMisfireRecord(string Kind, string SubjectId, DateTimeOffset? ScheduledFor, DateTimeOffset NoticedAt);

/// <summary>
/// The recent fires and misfires of this instance, newest first, the last <see cref="OperationsOptions.RecentFires"/>
/// of each, in memory. They are diagnostics of this process (how late its scheduler fires), frequent, and worth nothing
/// after a restart, so they are not written to the database on every fire (that would add a write to each timer's cost);
/// failures are, by <see cref="TimerActivityListener"/>, because an operator must see them whichever instance serves the
/// page.
/// </summary>
public sealed class TimerActivity(IOptions<OperationsOptions> options)
{
    private readonly ConcurrentQueue<TimerFireRecord> _fires = new();
    private readonly ConcurrentQueue<TimerMisfireRecord> _misfires = new();
    private long _fired;
    private long _misfired;

    public long FiredSinceStart => Interlocked.Read(ref _fired);

    public long MisfiredSinceStart => Interlocked.Read(ref _misfired);

    public void Fired(TimerFireRecord fire)
    {
        Interlocked.Increment(ref _fired);
        Keep(_fires, fire);
    }

    public void Misfired(TimerMisfireRecord misfire)
    {
        Interlocked.Increment(ref _misfired);
        Keep(_misfires, misfire);
    }

    public IReadOnlyList<TimerFireRecord> RecentFires => [.. _fires.Reverse()];

    public IReadOnlyList<TimerMisfireRecord> RecentMisfires => [.. _misfires.Reverse()];

    private void Keep<T>(ConcurrentQueue<T> queue, T item)
    {
        queue.Enqueue(item);
        while (queue.Count > options.Value.RecentFires && queue.TryDequeue(out _))
        {
        }
    }
}

/// <summary>
/// Listens to the scheduler (registered on it by <see cref="OperationsListenerRegistration"/>, so the scheduling module
/// knows nothing of this feature): every fire of a durable timer goes to <see cref="TimerActivity"/>; a fire whose handler
/// threw is written to <c>timer_failures</c> (kind, subject, attempt, error type and first line); the next fire of that
/// timer that succeeds — Quartz's retry, or an operator's Retry — removes the row. A fire that succeeds on its first try
/// (the ordinary case) costs no database statement here.
/// </summary>
public sealed partial class TimerActivityListener(
    TimerActivity activity, TimerKinds kinds, IServiceScopeFactory scopes, TimeProvider time, ILogger<TimerActivityListener> logger)
    : IJobListener, ITriggerListener
{
    /// <summary>Set on the trigger an operator's Retry stores: its success clears the failure like a retry's.</summary>
    public const string OperatorRetryKey = "operatorRetry";

    public string Name => nameof(TimerActivityListener);

    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public async ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var data = context.MergedJobDataMap;
        var kind = data.GetString(DurableTimers.KindKey);
        var subject = data.GetString(DurableTimers.SubjectKey);
        if (kind is null || subject is null || !kinds.All.Contains(kind)) return;
        var due = DateTimeOffset.FromUnixTimeMilliseconds(data.GetLong(DurableTimers.DueKey));
        var fired = context.FireTimeUtc;
        var error = jobException?.InnerException ?? jobException;
        activity.Fired(new TimerFireRecord(kind, subject, due, fired, Math.Max(0, (fired - due).TotalMilliseconds), context.JobRunTime.TotalMilliseconds,
            context.RetryAttempt, error is null, error is null ? null : $"{error.GetType().Name}: {TimerFailure.FirstLine(error.Message)}"));

        try
        {
            if (error is not null)
                await RecordFailureAsync(kind, subject, due, context.RetryAttempt, error, context.Scheduler.SchedulerInstanceId, cancellationToken);
            else if (context.RetryAttempt > 0 || data.ContainsKey(OperatorRetryKey))
                await ClearFailureAsync(kind, subject, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The page would miss one entry; the timer itself is unaffected (Quartz retries it whatever happens here).
            LogNotRecorded(logger, kind, subject, e);
        }
    }

    private async Task RecordFailureAsync(string kind, string subject, DateTimeOffset due, int attempt, Exception error, string instance, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        for (var round = 0; ; round++)
        {
            var row = await db.TimerFailures.FirstOrDefaultAsync(f => f.Kind == kind && f.SubjectId == subject, cancellationToken);
            if (row is null)
            {
                row = TimerFailure.Create(kind, subject, due);
                db.TimerFailures.Add(row);
            }
            row.Failed(attempt, due, error, instance, time.GetUtcNow());
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateException) when (round == 0)
            {
                // Another instance wrote the first row for this timer at the same moment: update that one.
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task ClearFailureAsync(string kind, string subject, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        await db.TimerFailures.Where(f => f.Kind == kind && f.SubjectId == subject).ExecuteDeleteAsync(cancellationToken);
    }

    public ValueTask TriggerMisfired(ITrigger trigger, IScheduler scheduler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        if (kinds.All.Contains(trigger.Key.Group))
            activity.Misfired(new TimerMisfireRecord(trigger.Key.Group, trigger.Key.Name, trigger.NextFireTimeUtc, time.GetUtcNow()));
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 5300, Level = LogLevel.Warning, Message = "Could not record the outcome of timer {Kind}/{Subject} for the operations page")]
    private static partial void LogNotRecorded(ILogger logger, string kind, string subject, Exception exception);
}

/// <summary>Registers <see cref="TimerActivityListener"/> on the scheduler when the host starts (after Quartz's own start-up).</summary>
public sealed class OperationsListenerRegistration(ISchedulerFactory schedulers, TimerActivityListener listener) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        scheduler.ListenerManager.AddJobListener(listener, GroupMatcher<JobKey>.AnyGroup());
        scheduler.ListenerManager.AddTriggerListener(listener, GroupMatcher<TriggerKey>.AnyGroup());
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
