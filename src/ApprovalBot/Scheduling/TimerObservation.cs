using Microsoft.Extensions.DependencyInjection.Extensions;
using Quartz;

namespace ApprovalBot.Scheduling;

/// <summary>How one fire of a durable timer ended, as the scheduler saw it.</summary>
/// <param name="RetryAttempt">0 for a first fire, n for Quartz's n-th retry after failures.</param>
/// <param name="OperatorRetry">The fire was asked for by <see cref="ScheduledTimers.FireNowAsync"/>.</param>
/// <param name="Error">What the handler threw, or null when it succeeded.</param>
/// <param name="Instance">The scheduler instance that fired it.</param>
public sealed record TimerFireOutcome(
    string Kind, string SubjectId, DateTimeOffset DueAt, DateTimeOffset FiredAt, TimeSpan RunTime, int RetryAttempt, bool OperatorRetry,
    Exception? Error, string Instance);

/// <summary>
/// Told about every durable timer's fire and misfire (register with <see cref="TimerObservation.AddTimerObserver{T}"/>), so a
/// feature can watch the timers without knowing Quartz. Called on the scheduler's thread: keep it short.
/// </summary>
public interface ITimerObserver
{
    Task FiredAsync(TimerFireOutcome fire, CancellationToken cancellationToken);

    /// <param name="scheduledFor">When the trigger should have fired.</param>
    void Misfired(string kind, string subjectId, DateTimeOffset? scheduledFor);
}

public static class TimerObservation
{
    /// <summary>Registers an observer of every timer's fires and misfires (a singleton).</summary>
    public static IServiceCollection AddTimerObserver<T>(this IServiceCollection services)
        where T : class, ITimerObserver
    {
        services.AddSingleton<T>();
        services.AddSingleton<ITimerObserver>(sp => sp.GetRequiredService<T>());
        services.TryAddSingleton<TimerObserverListener>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, TimerObserverRegistration>());
        return services;
    }
}

/// <summary>The Quartz listener that tells the <see cref="ITimerObserver"/>s about the durable timers' fires and misfires.</summary>
internal sealed partial class TimerObserverListener(IEnumerable<ITimerObserver> observers, TimerKinds kinds, ILogger<TimerObserverListener> logger)
    : IJobListener, ITriggerListener
{
    private readonly ITimerObserver[] _observers = [.. observers];

    public string Name => nameof(TimerObserverListener);

    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public async ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var data = context.MergedJobDataMap;
        var kind = data.GetString(DurableTimers.KindKey);
        var subject = data.GetString(DurableTimers.SubjectKey);
        if (kind is null || subject is null || !kinds.All.Contains(kind)) return;
        var fire = new TimerFireOutcome(kind, subject, DateTimeOffset.FromUnixTimeMilliseconds(data.GetLong(DurableTimers.DueKey)), context.FireTimeUtc,
            context.JobRunTime, context.RetryAttempt, data.ContainsKey(ScheduledTimers.OperatorRetryKey), jobException?.InnerException ?? jobException,
            context.Scheduler.SchedulerInstanceId);
        foreach (var observer in _observers)
        {
            try
            {
                await observer.FiredAsync(fire, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // An observer's trouble never touches the timer (Quartz retries it whatever happens here).
                LogObserverFailed(logger, observer.GetType().Name, kind, subject, e);
            }
        }
    }

    public ValueTask TriggerMisfired(ITrigger trigger, IScheduler scheduler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        if (!kinds.All.Contains(trigger.Key.Group)) return ValueTask.CompletedTask;
        foreach (var observer in _observers) observer.Misfired(trigger.Key.Group, trigger.Key.Name, trigger.NextFireTimeUtc);
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Timer observer {Observer} failed on {Kind}/{Subject}")]
    private static partial void LogObserverFailed(ILogger logger, string observer, string kind, string subject, Exception exception);
}

/// <summary>Adds <see cref="TimerObserverListener"/> to the scheduler when the host starts.</summary>
internal sealed class TimerObserverRegistration(ISchedulerFactory schedulers, TimerObserverListener listener) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        scheduler.ListenerManager.AddJobListener(listener, GroupMatcher<JobKey>.AnyGroup());
        scheduler.ListenerManager.AddTriggerListener(listener, GroupMatcher<TriggerKey>.AnyGroup());
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
