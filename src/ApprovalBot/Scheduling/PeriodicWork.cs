namespace ApprovalBot.Scheduling;

/// <summary>
/// Work that runs at start-up and then every <see cref="Interval"/> on the host's clock, for as long as the host runs
/// (the timer auditors). A failed round is logged and the next one runs on time; stopping the host ends the loop.
/// </summary>
public abstract partial class PeriodicWork(TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>The host's clock.</summary>
    protected TimeProvider Time { get; } = time;

    /// <summary>Time between the end of one round and the start of the next.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>One round.</summary>
    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, GetType().Name, e);
            }
            try
            {
                await Task.Delay(Interval, Time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 3200, Level = LogLevel.Warning, Message = "{Work} failed; it runs again at its next interval")]
    private static partial void LogFailed(ILogger logger, string work, Exception exception);
}
