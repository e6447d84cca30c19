namespace ApprovalBot.Scheduling;

/// <summary>
/// Work that runs once the host has started and then every <see cref="Interval"/> on the host's clock, for as long as
/// the host runs (the timer auditors). The first round waits for the application to have started (Kestrel listening):
/// start-up, and being healthy, never wait for it nor share the cores with it. A failed round is logged and the next
/// one runs on time; stopping the host ends the loop. <see cref="Nudge"/> runs a round now instead of at the end of the
/// interval.
/// </summary>
public abstract partial class PeriodicWork(TimeProvider time, ILogger logger, IHostApplicationLifetime lifetime) : BackgroundService
{
    private TaskCompletionSource _nudged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Asks for a round now (on this instance): after a change the work should see at once rather than within an
    /// interval. A nudge during a round runs one more round after it; several nudges before a round run it once.
    /// </summary>
    public void Nudge() => Volatile.Read(ref _nudged).TrySetResult();

    /// <summary>The host's clock.</summary>
    protected TimeProvider Time { get; } = time;

    /// <summary>Time between the end of one round and the start of the next.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>One round.</summary>
    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await StartedAsync(stoppingToken)) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            // A fresh signal before the round, so a nudge that comes during it is not lost.
            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _nudged, signal);
            var nudged = signal.Task;
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
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            await Task.WhenAny(Task.Delay(Interval, Time, wait.Token), nudged);
            await wait.CancelAsync(); // ends the interval's timer when a nudge came first
            if (stoppingToken.IsCancellationRequested) return;
        }
    }

    /// <summary>Waits until the application has started; false when the host stops first.</summary>
    private async Task<bool> StartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        await using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task;
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }

    [LoggerMessage(EventId = 3200, Level = LogLevel.Warning, Message = "{Work} failed; it runs again at its next interval")]
    private static partial void LogFailed(ILogger logger, string work, Exception exception);
}
