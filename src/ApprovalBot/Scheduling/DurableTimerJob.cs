using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace ApprovalBot.Scheduling;

/// <summary>
/// The one Quartz job: finds the handler of the timer's kind and runs it in a fresh scope. Quartz's persistent
/// store makes the fire survive restarts (a deadline passed while down fires at start-up) and, clustered, fire on
/// one instance only; the handler's fencing check makes a duplicate harmless anyway. A handler that throws is fired
/// again later under the scheduler's retry policy (<see cref="SchedulingOptions.FailedTimerRetryDelay"/>), from the
/// store, with the same deadline and fencing token.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class DurableTimerJob(IServiceScopeFactory scopes, TimeProvider time, ILogger<DurableTimerJob> logger, Metrics.BotMetrics? metrics = null) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var data = context.MergedJobDataMap;
        var kind = data.GetString(DurableTimers.KindKey) ?? "";
        var subject = data.GetString(DurableTimers.SubjectKey) ?? "";
        var due = DateTimeOffset.FromUnixTimeMilliseconds(data.GetLong(DurableTimers.DueKey));
        var fence = data.GetLong(DurableTimers.FenceKey);
        var fire = new TimerFire(kind, subject, due, fence, time.GetUtcNow());
        metrics?.TimerFired(fire);

        await using var scope = scopes.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetKeyedService<ITimerHandler>(kind);
        if (handler is null)
        {
            LogNoHandler(logger, kind, subject);
            return;
        }
        try
        {
            await handler.HandleAsync(fire, cancellationToken);
            LogFired(logger, kind, subject, due, fire.Lateness.TotalMilliseconds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, kind, subject, context.RetryAttempt, ex);
            // A failure makes Quartz store a retry under the retry policy (SchedulingModule); the handler's fencing check
            // keeps a repeat harmless.
            throw new JobExecutionException(ex);
        }
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Timer {Kind}/{Subject} fired (due {DueAt:o}, late {LatenessMs} ms)")]
    private static partial void LogFired(ILogger logger, string kind, string subject, DateTimeOffset dueAt, double latenessMs);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Timer {Kind}/{Subject} failed (retry {RetryAttempt})")]
    private static partial void LogFailed(ILogger logger, string kind, string subject, int retryAttempt, Exception exception);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Timer {Kind}/{Subject} has no handler; dropped")]
    private static partial void LogNoHandler(ILogger logger, string kind, string subject);
}
