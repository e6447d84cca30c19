using System.Globalization;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Teams;
using ApprovalBot.Teams.Cards;
using ApprovalBot.Teams.Outbox;

namespace ApprovalBot.Agreements.Signing;

/// <summary>
/// What the attendees of a signing meeting see in chat, staged in the outbox with the change that causes it (rule 13):
/// a notice to each attendee when it is scheduled, moved or cancelled, the reminders at the lead times, and a notice to
/// whoever scheduled it when the calendar event cannot be created or changed; and the signing cards updated in place to
/// show the meeting (and its join link once there is one). Dedupe keys name the meeting, its sequence or reminder
/// instant and the person, so a retried timer or use case stages each message once.
/// </summary>
public sealed partial class SigningMeetingMessages(Outbox outbox, TeamsPeople people, CardRenderer cards, SigningMessages signing, ILogger<SigningMeetingMessages> logger)
{
    public static string Subject(long meetingId) => string.Create(CultureInfo.InvariantCulture, $"signing-meeting:{meetingId}");

    /// <summary>The meeting was scheduled or moved: each attendee is told when, where and what they sign; the signing cards show it. Call before saving (the meeting has its id).</summary>
    public async Task StageScheduledAsync(SigningMeeting meeting, Agreement agreement, bool rescheduled, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        ArgumentNullException.ThrowIfNull(agreement);
        var title = rescheduled ? $"Signing meeting moved: {meeting.AgreementName}" : $"Signing meeting: {meeting.AgreementName}";
        var by = (await people.NamesAsync([meeting.ChangedBy], cancellationToken))(meeting.ChangedBy);
        var text = rescheduled
            ? $"{by} moved the signing meeting of {meeting.AgreementName} to {meeting.FormatStart()}."
            : $"{by} scheduled the signing meeting of {meeting.AgreementName} for {meeting.FormatStart()}.";
        text += meeting.Organizer is null
            ? " You sign on the signing card in this chat by typing your full name; check that its hash is the one below."
            : " A Teams meeting invitation comes from the organizer's calendar. You sign on the signing card in this chat by typing your full name; check that its hash is the one below.";
        await ToAttendeesAsync(meeting, title, text, NoticeTone.Warning, string.Create(CultureInfo.InvariantCulture, $"s{meeting.Sequence}"), cancellationToken);
        await UpdateSigningCardsAsync(meeting, agreement, cancellationToken);
    }

    /// <summary>The meeting was cancelled: each attendee is told; the signing cards no longer show it. Call before saving.</summary>
    public async Task StageCancelledAsync(SigningMeeting meeting, Agreement agreement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        ArgumentNullException.ThrowIfNull(agreement);
        var by = (await people.NamesAsync([meeting.ChangedBy], cancellationToken))(meeting.ChangedBy);
        var text = $"{by} cancelled the signing meeting of {meeting.AgreementName} ({meeting.FormatStart()}). There are no more reminders. You can still sign on the signing card in this chat.";
        await ToAttendeesAsync(meeting, $"Signing meeting cancelled: {meeting.AgreementName}", text, NoticeTone.Attention, "cancelled", cancellationToken);
        await UpdateSigningCardsAsync(meeting, agreement, cancellationToken);
    }

    /// <summary>The reminder <paramref name="lead"/> before the meeting, due at <paramref name="dueAt"/>, to each attendee. Call before saving.</summary>
    public Task StageReminderAsync(SigningMeeting meeting, TimeSpan lead, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        var text = $"Reminder: the signing meeting of {meeting.AgreementName} starts in {SigningMeeting.FormatSpan(lead)}, at {meeting.FormatStart()}. Sign on the signing card in this chat by typing your full name; check that its hash is the one below.";
        return ToAttendeesAsync(meeting, $"Signing meeting in {SigningMeeting.FormatSpan(lead)}: {meeting.AgreementName}", text, NoticeTone.Warning,
            string.Create(CultureInfo.InvariantCulture, $"reminder:{dueAt.ToUnixTimeSeconds()}"), cancellationToken);
    }

    /// <summary>
    /// The calendar event could not be created, moved or cancelled (the first failure since the last change): whoever
    /// changed the meeting last is told why, that the meeting stays recorded, and that the bot keeps trying. Call before saving.
    /// </summary>
    public async Task StageCalendarFailureAsync(SigningMeeting meeting, CalendarWork work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        var reach = await people.ReachAsync(meeting.ChangedBy, cancellationToken);
        if (reach is Reach.Unreachable unreachable)
        {
            LogUnreachable(logger, meeting.Id, meeting.ChangedBy.Value, unreachable.Why);
            return;
        }
        var what = work switch
        {
            CalendarWork.Create => "create the calendar event (with its Teams meeting)",
            CalendarWork.Update => "move the calendar event",
            _ => "cancel the calendar event",
        };
        var text = $"I could not {what} for the signing meeting of {meeting.AgreementName} in {meeting.Organizer}'s calendar: {meeting.CalendarError}. "
                   + "The meeting is recorded, the attendees were told in chat and the reminders go out as planned; I keep trying and the operations page lists the retry.";
        var card = cards.Render(CardTemplates.Notice, new NoticeCardData($"Calendar problem: {meeting.AgreementName}", text, NoticeTone.Attention, Facts(meeting, meeting.Zone)));
        await outbox.SendAsync(reach, CardActivities.ToMessage(card),
            string.Create(CultureInfo.InvariantCulture, $"{Subject(meeting.Id)}:calendar-failed:s{meeting.Sequence}:to:{meeting.ChangedBy.Value}"), cancellationToken);
    }

    /// <summary>Updates every copy of the agreement's signing cards to show the meeting as it is now. Call before saving.</summary>
    public Task UpdateSigningCardsAsync(SigningMeeting meeting, Agreement agreement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        return signing.UpdateCopiesAsync(agreement, cancellationToken,
            string.Create(CultureInfo.InvariantCulture, $":meeting{meeting.Id}.{meeting.Version}"));
    }

    /// <summary>The facts of a meeting as one reader sees them: the time in the meeting's zone and, when theirs differs, in theirs.</summary>
    public static IReadOnlyList<NoticeFact> Facts(SigningMeeting meeting, TimeZoneInfo readerZone)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        ArgumentNullException.ThrowIfNull(readerZone);
        var when = meeting.FormatStart();
        if (readerZone.Id != meeting.Zone.Id && readerZone.GetUtcOffset(meeting.StartsAt) != meeting.Zone.GetUtcOffset(meeting.StartsAt))
            when += $"; your time {SigningMeeting.FormatIn(meeting.StartsAt, readerZone)}";
        var facts = new List<NoticeFact>
        {
            new("When", when),
            new("Duration", SigningMeeting.FormatSpan(meeting.Duration)),
        };
        if (meeting.Notes is { } notes) facts.Add(new NoticeFact("Place and notes", notes));
        if (meeting.JoinUrl is { } join) facts.Add(new NoticeFact("Teams meeting", join));
        facts.Add(new NoticeFact("Document", meeting.DocumentName is { } name
            ? $"final contract \u201c{name}\u201d (revision {meeting.Revision.ToString(CultureInfo.InvariantCulture)})"
            : $"the terms of revision {meeting.Revision.ToString(CultureInfo.InvariantCulture)} (canonical JSON)"));
        facts.Add(new NoticeFact("SHA-256", meeting.Sha256));
        return facts;
    }

    private async Task ToAttendeesAsync(SigningMeeting meeting, string title, string text, NoticeTone tone, string step, CancellationToken cancellationToken)
    {
        foreach (var person in meeting.Attendees.Distinct())
        {
            var reach = await people.ReachAsync(person, cancellationToken);
            if (reach is Reach.Unreachable unreachable)
            {
                LogUnreachable(logger, meeting.Id, person.Value, unreachable.Why);
                continue;
            }
            var zone = await people.TimeZoneAsync(person, meeting.Zone, cancellationToken);
            var card = cards.Render(CardTemplates.Notice, new NoticeCardData(title, text, tone, Facts(meeting, zone)));
            var key = string.Create(CultureInfo.InvariantCulture, $"{Subject(meeting.Id)}:{step}:to:{person.Value}");
            await outbox.SendAsync(reach, CardActivities.ToMessage(card), key, cancellationToken);
        }
    }

    [LoggerMessage(EventId = 4872, Level = LogLevel.Warning, Message = "Signing meeting {MeetingId}: cannot reach {Person} in chat: {Why}")]
    private static partial void LogUnreachable(ILogger logger, long meetingId, string person, string why);
}
