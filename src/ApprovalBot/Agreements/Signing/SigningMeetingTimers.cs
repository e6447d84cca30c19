using System.Globalization;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Scheduling;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Agreements.Signing;

/// <summary>
/// Arms a signing meeting's two timers with its <see cref="SigningMeeting.Version"/> as the fencing token: the next
/// reminder (while scheduled), and the calendar work still to do in Graph mode (create, move or cancel the event, now or
/// at its retry time); cancels each when nothing is due. Call only after the change committed (rule 8).
/// </summary>
public sealed class SigningMeetingTimers(DurableTimers timers)
{
    public const string ReminderKind = "signing-meeting-reminder";
    public const string CalendarKind = "signing-meeting-calendar";

    public async Task ArmAsync(SigningMeeting meeting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        var subject = meeting.Id.ToString(CultureInfo.InvariantCulture);
        if (meeting.NextReminderAt is { } remindAt)
            await timers.ArmAsync(ReminderKind, subject, remindAt, meeting.Version, cancellationToken);
        else
            await timers.CancelAsync(ReminderKind, subject, cancellationToken);
        if (meeting.NextCalendarAt is { } calendarAt)
            await timers.ArmAsync(CalendarKind, subject, calendarAt, meeting.Version, cancellationToken);
        else
            await timers.CancelAsync(CalendarKind, subject, cancellationToken);
    }
}

/// <summary>
/// A fired reminder timer: reloads the meeting and its agreement. A meeting whose agreement no longer awaits signatures
/// on its revision closes (no reminder; the signing cards are already current). Otherwise, if the fencing token still
/// matches, records the reminder due and stages it to every attendee with the same save, and arms the next after the
/// commit. A late, repeated or superseded fire changes nothing (it arms for the current state); a lost race is retried.
/// </summary>
public sealed partial class SigningMeetingReminderHandler(
    BotDbContext db, SigningMeetingMessages messages, SigningMeetingTimers timers, TimeProvider time, ILogger<SigningMeetingReminderHandler> logger) : ITimerHandler
{
    public async Task HandleAsync(TimerFire fire, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fire);
        if (!long.TryParse(fire.SubjectId, CultureInfo.InvariantCulture, out var id)) return;
        await db.RetryOnConflictAsync(async ct =>
        {
            var meeting = await db.SigningMeetings.FirstOrDefaultAsync(m => m.Id == id, ct);
            if (meeting is null) return 0;
            var agreement = await db.Agreements.AsNoTracking().FirstOrDefaultAsync(a => a.Id == meeting.AgreementId, ct);
            var now = time.GetUtcNow();
            SigningMeetingTimerOutcome outcome;
            if (agreement is not null && meeting.CloseIfMoot(agreement, now))
            {
                await db.SaveChangesAsync(ct);
                outcome = SigningMeetingTimerOutcome.NotScheduled;
                LogClosed(logger, id, meeting.EndReason ?? "");
            }
            else
            {
                var result = meeting.FireReminder(fire.FencingToken, now);
                outcome = result.Outcome;
                if (result is { Outcome: SigningMeetingTimerOutcome.Reminded, Lead: { } lead, DueAt: { } dueAt })
                {
                    await messages.StageReminderAsync(meeting, lead, dueAt, ct);
                    await db.SaveChangesAsync(ct);
                }
                else if (result.Outcome == SigningMeetingTimerOutcome.MeetingStarted)
                {
                    await db.SaveChangesAsync(ct);
                }
            }
            await timers.ArmAsync(meeting, ct);
            LogFired(logger, id, outcome, fire.Lateness.TotalMilliseconds);
            return 0;
        }, cancellationToken);
    }

    [LoggerMessage(EventId = 4873, Level = LogLevel.Information, Message = "Signing meeting reminder timer for {MeetingId}: {Outcome}, late by {LatenessMs} ms")]
    private static partial void LogFired(ILogger logger, long meetingId, SigningMeetingTimerOutcome outcome, double latenessMs);

    [LoggerMessage(EventId = 4874, Level = LogLevel.Information, Message = "Signing meeting {MeetingId} closed: {Reason}")]
    private static partial void LogClosed(ILogger logger, long meetingId, string reason);
}

/// <summary>
/// A fired calendar timer (Graph mode): reads the meeting; if the fencing token matches and the calendar has work to do,
/// makes the one Graph call (outside any transaction), then records what it did — the event id and join URL, or the
/// failure with its back-off — on the meeting as it is now, and arms the next after the commit. The first failure since
/// a change is reported to whoever made it; a created event's join link goes onto the signing cards. A crash after the
/// call and before the record repeats the call: the create's transactionId keeps Graph from making a second event.
/// </summary>
internal sealed partial class SigningMeetingCalendarHandler(
    BotDbContext db, SigningMeetingCalendar calendar, SigningMeetingMessages messages, SigningMeetingTimers timers,
    IOptions<SigningOptions> options, TimeProvider time, ILogger<SigningMeetingCalendarHandler> logger) : ITimerHandler
{
    public async Task HandleAsync(TimerFire fire, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fire);
        if (!long.TryParse(fire.SubjectId, CultureInfo.InvariantCulture, out var id)) return;
        var meeting = await db.SigningMeetings.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (meeting is null) return;
        var work = meeting.PendingCalendarWork;
        if (fire.FencingToken != meeting.Version || work == CalendarWork.None)
        {
            await timers.ArmAsync(meeting, cancellationToken);
            return;
        }

        var sequence = meeting.Sequence;
        var outcome = await calendar.RunAsync(meeting, work, cancellationToken);
        await db.RetryOnConflictAsync(async ct =>
        {
            var current = await db.SigningMeetings.FirstAsync(m => m.Id == id, ct);
            var now = time.GetUtcNow();
            if (outcome.Done)
            {
                var hadLink = current.JoinUrl;
                current.RecordCalendarDone(sequence, outcome.EventId, outcome.JoinUrl, now);
                if (current.JoinUrl != hadLink && current.State == SigningMeetingState.Scheduled
                    && await db.Agreements.AsNoTracking().FirstOrDefaultAsync(a => a.Id == current.AgreementId, ct) is { } agreement)
                    await messages.UpdateSigningCardsAsync(current, agreement, ct);
            }
            else if (current.RecordCalendarFailure(outcome.Error ?? "unknown error", options.Value.Meeting.RetryDelay(current.CalendarAttempts + 1), now))
            {
                await messages.StageCalendarFailureAsync(current, work, ct);
            }
            await db.SaveChangesAsync(ct);
            await timers.ArmAsync(current, ct);
            LogCalendar(logger, id, work, outcome.Done, current.CalendarAttempts);
            return 0;
        }, cancellationToken);
    }

    [LoggerMessage(EventId = 4875, Level = LogLevel.Information, Message = "Signing meeting {MeetingId}: calendar {Work} done {Done} (failed attempts {Attempts})")]
    private static partial void LogCalendar(ILogger logger, long meetingId, CalendarWork work, bool done, int attempts);
}

/// <summary>
/// The auditor (rule 8): at start-up, every <see cref="Every"/> and when an agreement is activated, first closes the
/// scheduled meetings whose agreement no longer awaits signatures on their revision (their timers are cancelled: no more
/// reminders), then re-arms every scheduled meeting (and every cancelled one whose calendar event still has to be
/// cancelled) whose reminder or calendar timer is missing or armed for another time or fencing token — an overdue one
/// then fires at once (a reminder that fell due while the bot was down is sent at start-up, once, if the meeting has not
/// started).
/// </summary>
public sealed partial class SigningMeetingAuditor(IServiceScopeFactory scopes, DurableTimers timers, TimeProvider time, ILogger<SigningMeetingAuditor> logger, IHostApplicationLifetime lifetime)
    : PeriodicWork(time, logger, lifetime)
{
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(10);

    /// <summary>One pass; returns how many timers were re-armed.</summary>
    public async Task<int> AuditAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        await CloseMootAsync(db, scope.ServiceProvider.GetRequiredService<SigningMeetingTimers>(), cancellationToken);
        var scheduled = db.SigningMeetings.AsNoTracking().Where(m => m.State == SigningMeetingState.Scheduled);
        var rearmed = await TimerAudit.RearmStaleAsync(
            timers, SigningMeetingTimers.ReminderKind,
            (after, ct) => scheduled.Where(m => m.Id > after).OrderBy(m => m.Id).Take(TimerAudit.PageSize).ToListAsync(ct),
            (ids, ct) => scheduled.Where(m => ids.Contains(m.Id)).ToListAsync(ct),
            m => m.Id, m => (m.NextReminderAt, m.Version), cancellationToken);
        var calendar = db.SigningMeetings.AsNoTracking().Where(m => m.Organizer != null && m.CalendarSequence != m.Sequence && m.State != SigningMeetingState.Closed);
        rearmed += await TimerAudit.RearmStaleAsync(
            timers, SigningMeetingTimers.CalendarKind,
            (after, ct) => calendar.Where(m => m.Id > after).OrderBy(m => m.Id).Take(TimerAudit.PageSize).ToListAsync(ct),
            (ids, ct) => calendar.Where(m => ids.Contains(m.Id)).ToListAsync(ct),
            m => m.Id, m => (m.NextCalendarAt, m.Version), cancellationToken);
        if (rearmed > 0) LogRearmed(logger, rearmed);
        return rearmed;
    }

    /// <summary>Closes the scheduled meetings whose agreement moved on, and cancels their timers; returns how many.</summary>
    private async Task<int> CloseMootAsync(BotDbContext db, SigningMeetingTimers meetingTimers, CancellationToken cancellationToken)
    {
        var scheduled = await db.SigningMeetings.Where(m => m.State == SigningMeetingState.Scheduled)
            .OrderBy(m => m.Id).Take(TimerAudit.PageSize).ToListAsync(cancellationToken);
        if (scheduled.Count == 0) return 0;
        var ids = scheduled.Select(m => m.AgreementId).Distinct().ToList();
        var agreements = await db.Agreements.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        var now = Time.GetUtcNow();
        var closed = scheduled.Where(m => agreements.TryGetValue(m.AgreementId, out var agreement) && m.CloseIfMoot(agreement, now)).ToList();
        if (closed.Count == 0) return 0;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return 0; // changed meanwhile: the next pass looks again
        }
        foreach (var meeting in closed) await meetingTimers.ArmAsync(meeting, cancellationToken);
        LogClosed(logger, closed.Count);
        return closed.Count;
    }

    protected override TimeSpan Interval => Every;

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => AuditAsync(cancellationToken);

    [LoggerMessage(EventId = 4879, Level = LogLevel.Information, Message = "Closed {Count} signing meeting(s) whose agreement no longer awaits signatures")]
    private static partial void LogClosed(ILogger logger, int count);

    [LoggerMessage(EventId = 4876, Level = LogLevel.Warning, Message = "Re-armed {Count} signing meeting timer(s) that were missing or stale")]
    private static partial void LogRearmed(ILogger logger, int count);
}

/// <summary>An agreement became Active (its last signature): the auditor closes its signing meeting now.</summary>
internal sealed class SigningMeetingActivation(SigningMeetingAuditor auditor) : IAgreementActivatedListener
{
    public void Activated(long agreementId) => auditor.Nudge();
}
