using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.UnitTests.Domain.Approvals;
using static ApprovalBot.UnitTests.Domain.Approvals.Requests;

namespace ApprovalBot.UnitTests.Domain.Agreements;

/// <summary>
/// The signing meeting's rules: only while awaiting signatures, in the future, within bounds; reminders at the lead times
/// (whole days by the calendar across clock changes), once each, none after the start; moves, cancellation, closing when
/// the agreement moves on; and what the calendar (Graph mode) still has to be told.
/// </summary>
public class SigningMeetingTests
{
    private static readonly string Hash = new('a', 64);
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeSpan[] Leads = [TimeSpan.FromDays(1), TimeSpan.FromHours(1)];
    private readonly FakeDirectory _directory = FakeDirectory.Standard();

    /// <summary>Approved on Monday 2026-01-05 11:00 UTC; awaiting Max's and Zed's signatures when <paramref name="signing"/>.</summary>
    private async Task<Agreement> ApprovedAsync(bool signing = true)
    {
        var agreement = Agreement.CreateDraft("Contoso support 2026", SampleTerms.Complete(), People.Alice, Monday10);
        var request = await AgreementApproval.SubmitAsync(agreement, BuiltInFlows.Agreement(), People.Alice, null, _directory, AroundTheClockCalendar.Instance, Monday10);
        foreach (var approver in new[] { People.Bob, People.Lena, People.Mia })
        {
            (await request.ApproveAsync(approver, request.CurrentCard, null, _directory, AroundTheClockCalendar.Instance, Monday10.AddHours(1))).ThrowIfRefused();
            agreement.ApplyApprovalOutcome(request, signing ? new SigningRequirement([People.Max, People.Zed], Hash, SigningHashSource.Terms, null) : null, Monday10.AddHours(1));
        }
        return agreement;
    }

    private static readonly DateTimeOffset Now = Monday10.AddHours(2);   // 2026-01-05 12:00 UTC

    /// <summary>2026-01-07 14:00 Berlin (13:00 UTC), an hour.</summary>
    private static readonly DateTimeOffset Wednesday14 = new(2026, 1, 7, 13, 0, 0, TimeSpan.Zero);

    private static SigningMeeting Schedule(Agreement agreement, DateTimeOffset? startsAt = null, string? organizer = null, DateTimeOffset? now = null) =>
        SigningMeeting.Schedule(agreement, startsAt ?? Wednesday14, TimeSpan.FromHours(1), Berlin, "Board room 2", Leads, organizer, People.Alice, now ?? Now);

    [Fact]
    public async Task Schedule_RecordsTheSignatoriesAsAttendees_WithTheHashAndTheTime_WhenTheAgreementAwaitsSignatures()
    {
        var agreement = await ApprovedAsync();

        var meeting = Schedule(agreement);

        Assert.Equal(SigningMeetingState.Scheduled, meeting.State);
        Assert.Equal([People.Max, People.Zed], meeting.Attendees);
        Assert.Equal((Hash, 1, "Europe/Berlin", "Board room 2"), (meeting.Sha256, meeting.Revision, meeting.TimeZoneId, meeting.Notes));
        Assert.Equal((Wednesday14, Wednesday14.AddHours(1)), (meeting.StartsAt, meeting.EndsAt));
        Assert.Equal("2026-01-07 14:00 (Europe/Berlin)", meeting.FormatStart());
        Assert.Equal([TimeSpan.FromDays(1), TimeSpan.FromHours(1)], meeting.ReminderLeads);
        Assert.Equal(Wednesday14.AddDays(-1), meeting.NextReminderAt);
        Assert.Equal(CalendarWork.None, meeting.PendingCalendarWork);   // no organizer: file-directory mode
        Assert.Null(meeting.NextCalendarAt);
    }

    [Fact]
    public async Task Schedule_IsRefused_WhenTheAgreementDoesNotAwaitSignatures()
    {
        var active = await ApprovedAsync(signing: false);

        var refused = Assert.Throws<DomainException>(() => Schedule(active));

        Assert.Equal("signing_meeting.not_awaiting", refused.Code);
        Assert.Contains("is Active", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schedule_RefusesAPastTime_ADurationOutOfBounds_AndATimeMoreThanAYearAhead()
    {
        var agreement = await ApprovedAsync();

        Assert.Equal("signing_meeting.past", Assert.Throws<DomainException>(() => Schedule(agreement, Now)).Code);
        Assert.Equal("signing_meeting.past", Assert.Throws<DomainException>(() => Schedule(agreement, Now.AddMinutes(-5))).Code);
        Assert.Equal("signing_meeting.too_far", Assert.Throws<DomainException>(() => Schedule(agreement, Now.AddDays(367))).Code);
        foreach (var duration in new[] { TimeSpan.FromMinutes(4), TimeSpan.FromHours(13), TimeSpan.FromSeconds(90 * 60 + 30) })
        {
            var refused = Assert.Throws<DomainException>(() =>
                SigningMeeting.Schedule(agreement, Wednesday14, duration, Berlin, null, Leads, null, People.Alice, Now));
            Assert.Equal("signing_meeting.duration", refused.Code);
        }
    }

    [Fact]
    public void StartFromLocal_RefusesATimeTheClocksSkip_AndTakesTheFirstOccurrenceOfATimeThatOccursTwice()
    {
        // 2026-03-29: Berlin's clocks jump from 02:00 to 03:00; 2026-10-25: from 03:00 back to 02:00.
        var skipped = Assert.Throws<DomainException>(() => SigningMeeting.StartFromLocal(new DateTime(2026, 3, 29, 2, 30, 0), Berlin));
        Assert.Contains("does not exist in Europe/Berlin", skipped.Message, StringComparison.Ordinal);

        Assert.Equal(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), SigningMeeting.StartFromLocal(new DateTime(2026, 10, 25, 2, 30, 0), Berlin));
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 8, 0, 0, TimeSpan.Zero), SigningMeeting.StartFromLocal(new DateTime(2026, 3, 29, 10, 0, 0), Berlin));
    }

    [Theory]
    // Meeting on the day summer time starts, 10:00 CEST (08:00Z): the day before at 10:00 CET is 23 hours earlier.
    [InlineData("2026-03-29T08:00:00Z", "1.00:00:00", "2026-03-28T09:00:00Z")]
    [InlineData("2026-03-29T08:00:00Z", "01:00:00", "2026-03-29T07:00:00Z")]
    // 1 day 2 hours: the calendar day first, then the elapsed hours.
    [InlineData("2026-03-29T08:00:00Z", "1.02:00:00", "2026-03-28T07:00:00Z")]
    // Meeting on the day winter time starts, 10:00 CET (09:00Z): the day before at 10:00 CEST is 25 hours earlier.
    [InlineData("2026-10-25T09:00:00Z", "1.00:00:00", "2026-10-24T08:00:00Z")]
    // 02:30 the day before does not exist (the clocks jump to 03:00): the reminder is at 03:00 CEST.
    [InlineData("2026-03-30T00:30:00Z", "1.00:00:00", "2026-03-29T01:00:00Z")]
    // 02:30 the day before occurs twice: its first occurrence, in CEST.
    [InlineData("2026-10-26T01:30:00Z", "1.00:00:00", "2026-10-25T00:30:00Z")]
    // Hours under a day are elapsed time, whatever the calendar: 23 h before.
    [InlineData("2026-03-29T08:00:00Z", "23:00:00", "2026-03-28T09:00:00Z")]
    public void ReminderAt_CountsWholeDaysByTheCalendar_AndTheRestAsElapsedTime_AcrossClockChanges(string start, string lead, string expected)
    {
        var at = SigningMeeting.ReminderAt(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture),
            TimeSpan.Parse(lead, System.Globalization.CultureInfo.InvariantCulture), Berlin);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), at);
    }

    [Fact]
    public async Task FireReminder_SendsEachReminderOnce_InOrder_AndNothingAfterTheLast()
    {
        var agreement = await ApprovedAsync();
        var meeting = Schedule(agreement);
        var first = meeting.NextReminderAt!.Value;

        Assert.Equal(SigningMeetingTimerOutcome.NothingDue, meeting.FireReminder(meeting.Version, first.AddSeconds(-1)).Outcome);
        var stale = meeting.Version - 1;
        Assert.Equal(SigningMeetingTimerOutcome.StaleToken, meeting.FireReminder(stale, first).Outcome);

        var day = meeting.FireReminder(meeting.Version, first);
        Assert.Equal((SigningMeetingTimerOutcome.Reminded, TimeSpan.FromDays(1), first), (day.Outcome, day.Lead!.Value, day.DueAt!.Value));
        Assert.Equal(SigningMeetingTimerOutcome.StaleToken, meeting.FireReminder(meeting.Version - 1, first).Outcome);   // a repeated fire
        Assert.Equal(Wednesday14.AddHours(-1), meeting.NextReminderAt);

        var hour = meeting.FireReminder(meeting.Version, Wednesday14.AddHours(-1));
        Assert.Equal((SigningMeetingTimerOutcome.Reminded, TimeSpan.FromHours(1)), (hour.Outcome, hour.Lead!.Value));
        Assert.Null(meeting.NextReminderAt);
        Assert.Equal(SigningMeetingTimerOutcome.NothingDue, meeting.FireReminder(meeting.Version, Wednesday14.AddMinutes(-1)).Outcome);
    }

    [Fact]
    public async Task FireReminder_FoldsRemindersMissedWhileDown_IntoTheLatest_AndSendsNoneOnceTheMeetingStarted()
    {
        var agreement = await ApprovedAsync();
        var late = Schedule(agreement);

        var folded = late.FireReminder(late.Version, Wednesday14.AddMinutes(-30));   // both leads passed, the meeting not yet
        Assert.Equal((SigningMeetingTimerOutcome.Reminded, TimeSpan.FromHours(1)), (folded.Outcome, folded.Lead!.Value));
        Assert.Null(late.NextReminderAt);

        var tooLate = Schedule(agreement);
        var started = tooLate.FireReminder(tooLate.Version, Wednesday14.AddMinutes(5));
        Assert.Equal(SigningMeetingTimerOutcome.MeetingStarted, started.Outcome);
        Assert.Null(tooLate.NextReminderAt);
    }

    [Fact]
    public async Task Schedule_SkipsLeadTimesAlreadyPast()
    {
        var agreement = await ApprovedAsync();

        var soon = Schedule(agreement, Now.AddHours(3));   // 24 h before is in the past

        Assert.Equal(Now.AddHours(2), soon.NextReminderAt);
    }

    [Fact]
    public async Task Reschedule_MovesTheMeeting_StartsTheRemindersOver_AndTellsTheCalendarToMoveTheEvent()
    {
        var agreement = await ApprovedAsync();
        var meeting = Schedule(agreement, organizer: "signing@contoso.test");
        Assert.Equal((CalendarWork.Create, Now), (meeting.PendingCalendarWork, meeting.NextCalendarAt!.Value));
        meeting.RecordCalendarDone(meeting.Sequence, "event-1", "https://teams.microsoft.com/l/meetup-join/1", Now);
        Assert.Equal(CalendarWork.None, meeting.PendingCalendarWork);
        Assert.Equal(("event-1", "https://teams.microsoft.com/l/meetup-join/1"), (meeting.CalendarEventId, meeting.JoinUrl));
        meeting.FireReminder(meeting.Version, Wednesday14.AddDays(-1));
        var later = Now.AddDays(1).AddHours(1);   // 2026-01-06 13:00 UTC, after the first reminder

        meeting.Reschedule(agreement, Wednesday14.AddDays(2), TimeSpan.FromMinutes(30), "Room 5", People.Mia, later);

        Assert.Equal((Wednesday14.AddDays(2), TimeSpan.FromMinutes(30), "Room 5", People.Mia), (meeting.StartsAt, meeting.Duration, meeting.Notes, meeting.ChangedBy));
        Assert.Equal(Wednesday14.AddDays(1), meeting.NextReminderAt);   // the 24 h reminder again, for the new time
        Assert.Equal((CalendarWork.Update, later), (meeting.PendingCalendarWork, meeting.NextCalendarAt!.Value));
        Assert.Equal(2, meeting.Sequence);
    }

    [Fact]
    public async Task Cancel_StopsTheReminders_CancelsACreatedEvent_AndDropsACreateNotYetDone()
    {
        var agreement = await ApprovedAsync();
        var created = Schedule(agreement, organizer: "signing@contoso.test");
        created.RecordCalendarDone(created.Sequence, "event-1", null, Now);
        var pending = Schedule(agreement, organizer: "signing@contoso.test");

        created.Cancel(People.Alice, null, Now.AddHours(1));
        pending.Cancel(People.Alice, null, Now.AddHours(1));

        Assert.Equal((SigningMeetingState.Cancelled, (DateTimeOffset?)null), (created.State, created.NextReminderAt));
        Assert.Equal(CalendarWork.Cancel, created.PendingCalendarWork);
        Assert.Equal(CalendarWork.None, pending.PendingCalendarWork);
        Assert.Null(pending.NextCalendarAt);
        created.RecordCalendarDone(created.Sequence, null, null, Now.AddHours(1));
        Assert.Equal(CalendarWork.None, created.PendingCalendarWork);
        Assert.Equal("signing_meeting.over", Assert.Throws<DomainException>(() => created.Cancel(People.Alice, null, Now.AddHours(2))).Code);
        Assert.Equal("signing_meeting.over", Assert.Throws<DomainException>(() =>
            created.Reschedule(agreement, Wednesday14, TimeSpan.FromHours(1), null, People.Alice, Now.AddHours(2))).Code);
    }

    [Fact]
    public async Task CloseIfMoot_ClosesTheMeeting_OnceTheLastSignatureMadeTheAgreementActive()
    {
        var agreement = await ApprovedAsync();
        var meeting = Schedule(agreement);
        Assert.False(meeting.CloseIfMoot(agreement, Now));

        agreement.Sign(People.Max, 1, Hash, "Max Mustermann", "Max Mustermann", Now);
        agreement.Sign(People.Zed, 1, Hash, "Zed Zulu", "Zed Zulu", Now);
        Assert.Equal(AgreementStatus.Active, agreement.Status);

        Assert.True(meeting.CloseIfMoot(agreement, Now.AddMinutes(1)));
        Assert.Equal(SigningMeetingState.Closed, meeting.State);
        Assert.Null(meeting.NextReminderAt);
        Assert.Contains("is Active", meeting.EndReason, StringComparison.Ordinal);
        Assert.Equal(SigningMeetingTimerOutcome.NotScheduled, meeting.FireReminder(meeting.Version, Wednesday14.AddDays(-1)).Outcome);
        Assert.False(meeting.CloseIfMoot(agreement, Now.AddMinutes(2)));
    }

    [Fact]
    public async Task RecordCalendarFailure_ReportsTheFirstFailureOnly_AndSetsTheRetry_UntilASuccessClearsIt()
    {
        var agreement = await ApprovedAsync();
        var meeting = Schedule(agreement, organizer: "signing@contoso.test");

        Assert.True(meeting.RecordCalendarFailure("Graph was unavailable (HTTP 503)", TimeSpan.FromMinutes(1), Now));
        Assert.False(meeting.RecordCalendarFailure("Graph was unavailable (HTTP 503)", TimeSpan.FromMinutes(2), Now.AddMinutes(1)));

        Assert.Equal((2, "Graph was unavailable (HTTP 503)", Now.AddMinutes(3)), (meeting.CalendarAttempts, meeting.CalendarError, meeting.NextCalendarAt!.Value));
        Assert.Equal(CalendarWork.Create, meeting.PendingCalendarWork);
        meeting.RecordCalendarDone(meeting.Sequence, "event-1", "http://not-https.example/join", Now.AddMinutes(3));
        Assert.Equal((0, (string?)null, (string?)null), (meeting.CalendarAttempts, meeting.CalendarError, meeting.JoinUrl));   // only an https join URL is kept
        Assert.Null(meeting.NextCalendarAt);
    }
}
