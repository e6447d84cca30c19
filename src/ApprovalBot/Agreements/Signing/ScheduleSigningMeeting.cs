using ApprovalBot.Approvals;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.OrgDirectory;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Agreements.Signing;

/// <summary>
/// Schedule (or move) the signing meeting of an agreement awaiting signatures, at <paramref name="LocalStart"/> in the
/// bot's time zone (<c>Approvals:TimeZone</c>) for <paramref name="Duration"/> (null: the configured default), with
/// <paramref name="Notes"/> (the place, a dial-in, …); or, with <paramref name="Cancel"/>, call it off.
/// </summary>
public sealed record ScheduleSigningMeetingInput(long AgreementId, PersonId By, DateTime? LocalStart, TimeSpan? Duration = null, string? Notes = null, bool Cancel = false);

/// <summary>
/// The answer: the agreement (null: no such agreement) and the meeting as they are now, why nothing changed
/// (<see cref="Refusal"/> with <see cref="RefusalCode"/>), or what happened (<see cref="Notice"/>).
/// </summary>
public sealed record ScheduleSigningMeetingResult(Agreement? Agreement, SigningMeeting? Meeting, string? Refusal = null, string? RefusalCode = null, string? Notice = null)
{
    public bool Accepted => Agreement is not null && Refusal is null;
}

/// <summary>
/// The signing meeting's use case, for the requester of the agreement's current revision, its oversight owners and the
/// members of the Management group (as <c>terminate</c> authorises, plus the requester who asked for the approval).
/// Only while the agreement awaits signatures; the time must be in the future. A new meeting is saved first (its id
/// names its messages and timers), then the notices to the attendees and the signing cards' update are staged and
/// committed with it; a move or a cancellation stages them with the change. After the commit the reminder timer (and in
/// Graph mode the calendar timer, which creates, moves or cancels the event) is armed. A refusal changes nothing but the
/// audit trail (<c>agreement_events</c>) and is logged.
/// </summary>
public sealed partial class ScheduleSigningMeeting(
    BotDbContext db, IDirectory directory, ApprovalClock clock, SigningMeetingMessages messages, SigningMeetingTimers timers,
    IOptions<SigningOptions> options, IOptions<DirectoryOptions> directoryOptions, ILogger<ScheduleSigningMeeting> logger)
{
    public const string AuditAction = "SigningMeeting";

    /// <summary>The bot's time zone, in which meeting times are typed.</summary>
    public TimeZoneInfo Zone => clock.TimeZone;

    public Task<ScheduleSigningMeetingResult> HandleAsync(ScheduleSigningMeetingInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return db.RetryOnConflictAsync(ct => AttemptAsync(input, ct), cancellationToken);
    }

    /// <summary>Whether <paramref name="person"/> may schedule, move or cancel the signing meeting of <paramref name="agreement"/>.</summary>
    public async Task<bool> MayScheduleAsync(Agreement agreement, PersonId person, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        if (agreement.CurrentRevision.SubmittedBy == person || agreement.Terms.OversightOwners.Contains(person)) return true;
        var management = await directory.GetGroupMembersAsync(BuiltInFlows.ManagementGroup, cancellationToken) ?? [];
        return management.Any(p => p.Id == person);
    }

    /// <summary>The calendar organizer in force: set only with the Graph directory.</summary>
    private string? Organizer =>
        directoryOptions.Value.UsesGraph() && !string.IsNullOrWhiteSpace(options.Value.Meeting.Organizer) ? options.Value.Meeting.Organizer.Trim() : null;

    private async Task<ScheduleSigningMeetingResult> AttemptAsync(ScheduleSigningMeetingInput input, CancellationToken cancellationToken)
    {
        var agreement = await db.Agreements.AsNoTracking().FirstOrDefaultAsync(a => a.Id == input.AgreementId, cancellationToken);
        if (agreement is null) return new ScheduleSigningMeetingResult(null, null);
        if (!await MayScheduleAsync(agreement, input.By, cancellationToken))
            return await RefuseAsync(agreement, input, "signing_meeting.forbidden",
                $"Only the requester of '{agreement.Name}', its oversight owners and Management can schedule or cancel its signing meeting.", cancellationToken);

        var now = clock.Now;
        var existing = await db.SigningMeetings
            .Where(m => m.AgreementId == agreement.Id && m.State == SigningMeetingState.Scheduled)
            .OrderByDescending(m => m.Id).FirstOrDefaultAsync(cancellationToken);
        SigningMeeting meeting;
        SigningMeeting? closed = null;
        string notice;
        try
        {
            if (input.Cancel)
            {
                if (existing is null)
                    throw new DomainException("signing_meeting.none", $"'{agreement.Name}' has no signing meeting scheduled; nothing to cancel.");
                existing.Cancel(input.By, null, now);
                meeting = existing;
                await messages.StageCancelledAsync(meeting, agreement, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                notice = $"Cancelled the signing meeting of {agreement.Name} ({meeting.FormatStart()}); the attendees were told and the reminders stopped.";
            }
            else
            {
                var start = SigningMeeting.StartFromLocal(input.LocalStart ?? throw new DomainException("signing_meeting.time", "Give the meeting's date and time."), Zone);
                var duration = input.Duration ?? options.Value.Meeting.DefaultDuration;
                if (existing is not null && existing.StillApplies(agreement))
                {
                    existing.Reschedule(agreement, start, duration, input.Notes ?? existing.Notes, input.By, now);
                    meeting = existing;
                    await messages.StageScheduledAsync(meeting, agreement, rescheduled: true, cancellationToken);
                    await db.SaveChangesAsync(cancellationToken);
                    notice = $"Moved the signing meeting of {agreement.Name} to {meeting.FormatStart()}; the attendees were told and the reminders start over.";
                }
                else
                {
                    if (existing is not null && existing.CloseIfMoot(agreement, now)) closed = existing;
                    meeting = SigningMeeting.Schedule(agreement, start, duration, Zone, input.Notes, options.Value.Meeting.EffectiveLeadTimes(), Organizer, input.By, now);
                    await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                    db.SigningMeetings.Add(meeting);
                    await db.SaveChangesAsync(cancellationToken);
                    await messages.StageScheduledAsync(meeting, agreement, rescheduled: false, cancellationToken);
                    await db.SaveChangesAsync(cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                    notice = meeting.Organizer is null
                        ? $"Scheduled the signing meeting of {agreement.Name} for {meeting.FormatStart()}; each signatory was told in chat and gets reminders."
                        : $"Scheduled the signing meeting of {agreement.Name} for {meeting.FormatStart()}; the Teams meeting is being created in {meeting.Organizer}'s calendar, and each signatory was told in chat and gets reminders.";
                }
            }
        }
        catch (DomainException e)
        {
            db.ChangeTracker.Clear();
            return await RefuseAsync(agreement, input, e.Code, e.Message, cancellationToken);
        }

        if (closed is not null && closed != meeting) await timers.ArmAsync(closed, cancellationToken);
        await timers.ArmAsync(meeting, cancellationToken);
        LogChanged(logger, agreement.Id, meeting.Id, input.By.Value, meeting.State, meeting.StartsAt);
        return new ScheduleSigningMeetingResult(agreement, meeting, Notice: notice);
    }

    /// <summary>Nothing changes but the audit trail: the refusal is stored (<c>agreement_events</c>) and logged.</summary>
    private async Task<ScheduleSigningMeetingResult> RefuseAsync(Agreement agreement, ScheduleSigningMeetingInput input, string code, string why, CancellationToken cancellationToken)
    {
        LogRefused(logger, agreement.Id, input.By.Value, code, why);
        db.AgreementEvents.Add(AgreementEvent.Record(agreement.Id, AgreementEventKind.Refused, input.By, clock.Now, why, AuditAction, code));
        await db.SaveChangesAsync(cancellationToken);
        return new ScheduleSigningMeetingResult(agreement, null, why, code);
    }

    [LoggerMessage(EventId = 4877, Level = LogLevel.Information, Message = "Agreement {AgreementId}: {Person} changed signing meeting {MeetingId}: {State}, starts {StartsAt:o}")]
    private static partial void LogChanged(ILogger logger, long agreementId, long meetingId, string person, SigningMeetingState state, DateTimeOffset startsAt);

    [LoggerMessage(EventId = 4878, Level = LogLevel.Warning, Message = "Agreement {AgreementId}: signing meeting change by {Person} refused ({Code}): {Why}")]
    private static partial void LogRefused(ILogger logger, long agreementId, string person, string code, string why);
}
