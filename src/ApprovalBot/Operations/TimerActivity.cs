using System.Collections.Concurrent;
using ApprovalBot.Scheduling;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

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
/// failures are, by <see cref="TimerActivityRecorder"/>, because an operator must see them whichever instance serves the
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
/// Watches the durable timers (an <see cref="ITimerObserver"/>): every fire goes to <see cref="TimerActivity"/>; a fire whose
/// handler threw is written to <c>timer_failures</c> (kind, subject, attempt, error type and first line); the next fire of
/// that timer that succeeds — Quartz's retry, an operator's Retry, or on this instance any fire of it — removes the row. A
/// fire that succeeds on its first try (the ordinary case) costs no database statement here.
/// </summary>
public sealed class TimerActivityRecorder(TimerActivity activity, IServiceScopeFactory scopes, TimeProvider time) : ITimerObserver
{
    /// <summary>Timers whose last fire on this instance failed: their next success here clears the row even as a first fire.</summary>
    private readonly ConcurrentDictionary<(string Kind, string SubjectId), byte> _failedHere = new();

    public async Task FiredAsync(TimerFireOutcome fire, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fire);
        var error = fire.Error;
        activity.Fired(new TimerFireRecord(fire.Kind, fire.SubjectId, fire.DueAt, fire.FiredAt, Math.Max(0, (fire.FiredAt - fire.DueAt).TotalMilliseconds),
            fire.RunTime.TotalMilliseconds, fire.RetryAttempt, error is null, error is null ? null : $"{error.GetType().Name}: {TimerFailure.FirstLine(error.Message)}"));
        var key = (fire.Kind, fire.SubjectId);
        if (error is not null)
        {
            _failedHere[key] = 0;
            await RecordFailureAsync(fire, error, cancellationToken);
        }
        else if (fire.RetryAttempt > 0 || fire.OperatorRetry || _failedHere.TryRemove(key, out _))
        {
            // A retry that worked, or a fresh arming (the subject changed) of a timer that failed here: the failure is over.
            _failedHere.TryRemove(key, out _);
            await ClearFailureAsync(fire.Kind, fire.SubjectId, cancellationToken);
        }
    }

    public void Misfired(string kind, string subjectId, DateTimeOffset? scheduledFor) =>
        activity.Misfired(new TimerMisfireRecord(kind, subjectId, scheduledFor, time.GetUtcNow()));

    private async Task RecordFailureAsync(TimerFireOutcome fire, Exception error, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        for (var round = 0; ; round++)
        {
            var row = await db.TimerFailures.FirstOrDefaultAsync(f => f.Kind == fire.Kind && f.SubjectId == fire.SubjectId, cancellationToken);
            if (row is null)
            {
                row = TimerFailure.Create(fire.Kind, fire.SubjectId, fire.DueAt);
                db.TimerFailures.Add(row);
            }
            row.Failed(fire.RetryAttempt, fire.DueAt, error, fire.Instance, time.GetUtcNow());
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
}
