using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.UnitTests.Domain.Approvals;
using static ApprovalBot.UnitTests.Domain.Approvals.Requests;

namespace ApprovalBot.UnitTests.Domain.Agreements;

/// <summary>
/// The end of the term (issue 10) with a manual clock: the date rules (notice deadline across month ends and DST, the
/// end of the term, the notice date of a termination), the reminders, expiry, renewal and termination, each guarded.
/// The sample terms run 2026-02-01 to 2027-01-31 in Europe/Berlin with three months' notice.
/// </summary>
public class AgreementTermTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TermPolicy Policy = new([30, 14, 7], new TimeOnly(9, 0), TimeZoneInfo.Utc);
    private readonly FakeDirectory _directory = FakeDirectory.Standard();

    private static DateTimeOffset Utc(int year, int month, int day, int hour = 0, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    private async Task<Agreement> ActiveAsync(AgreementTerms? terms = null)
    {
        var agreement = Agreement.CreateDraft("Contoso support 2026", terms ?? SampleTerms.Complete(), People.Alice, Monday10);
        var request = await AgreementApproval.SubmitAsync(agreement, BuiltInFlows.Agreement(), People.Alice, null, _directory, AroundTheClockCalendar.Instance, Monday10);
        await SignOffAsync(agreement, request, Monday10.AddHours(6));
        Assert.Equal(AgreementStatus.Active, agreement.Status);
        return agreement;
    }

    private async Task SignOffAsync(Agreement agreement, ApprovalRequest request, DateTimeOffset at)
    {
        foreach (var approver in new[] { People.Bob, People.Lena, People.Mia })
        {
            (await request.ApproveAsync(approver, request.CurrentCard, null, _directory, AroundTheClockCalendar.Instance, at)).ThrowIfRefused();
            agreement.ApplyApprovalOutcome(request, at);
        }
    }

    private Task<ApprovalRequest> RenewAsync(Agreement agreement, DateTimeOffset at) =>
        AgreementApproval.SubmitRenewalAsync(agreement, BuiltInFlows.Agreement(), People.Alice, TimeZoneInfo.Utc, _directory, AroundTheClockCalendar.Instance, at);

    [Theory]
    [InlineData("2026-03-31", 1, PeriodUnit.Months, "2026-02-28")]
    [InlineData("2028-03-31", 1, PeriodUnit.Months, "2028-02-29")]
    [InlineData("2026-05-31", 3, PeriodUnit.Months, "2026-02-28")]
    [InlineData("2027-01-31", 3, PeriodUnit.Months, "2026-10-31")]
    [InlineData("2026-12-31", 2, PeriodUnit.Weeks, "2026-12-17")]
    [InlineData("2026-03-01", 1, PeriodUnit.Days, "2026-02-28")]
    public void NoticeDate_IsTheEndDateMinusTheNoticePeriod_ClampingMonthsAtMonthEnds(string end, int count, PeriodUnit unit, string expected)
    {
        var schedule = new TermSchedule(new DateOnly(2026, 1, 1), DateOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture), new CalendarPeriod(count, unit), Berlin);

        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), schedule.NoticeDate);
    }

    [Fact]
    public void NoticeDeadline_AndEndOfTerm_FallAtLocalMidnight_OnEitherSideOfADstChange()
    {
        var winter = TermSchedule.Of(SampleTerms.Complete(), TimeZoneInfo.Utc)!;              // notice date 2026-10-31, after the change back on 25 Oct
        var summer = TermSchedule.Of(SampleTerms.Complete() with { EndDate = new DateOnly(2026, 9, 30), TerminationNotice = new CalendarPeriod(1, PeriodUnit.Months) }, TimeZoneInfo.Utc)!;

        Assert.Equal(Berlin, winter.Zone);
        Assert.Equal(new DateOnly(2026, 10, 31), winter.NoticeDate);
        Assert.Equal(Utc(2026, 10, 31, 23), winter.NoticeDeadline);   // 00:00 CET on 1 Nov
        Assert.Equal(Utc(2027, 1, 31, 23), winter.EndsAt);            // 00:00 CET on 1 Feb
        Assert.Equal(new DateOnly(2026, 8, 30), summer.NoticeDate);
        Assert.Equal(Utc(2026, 8, 30, 22), summer.NoticeDeadline);    // 00:00 CEST on 31 Aug
    }

    [Fact]
    public void Reminders_FallAtTheLocalTimeOfDay_OnTheLeadDays_WhateverTheOffsetThatDay()
    {
        var schedule = TermSchedule.Of(SampleTerms.Complete(), TimeZoneInfo.Utc)!;

        var reminders = schedule.Reminders([7, 30, 14, 30], new TimeOnly(9, 0));

        Assert.Equal([Utc(2026, 10, 1, 7), Utc(2026, 10, 17, 7), Utc(2026, 10, 24, 7)], reminders);   // 09:00 CEST
        Assert.Equal(Utc(2026, 10, 30, 8), schedule.Reminders([1], new TimeOnly(9, 0)).Single());       // 09:00 CET, after the change
    }

    [Fact]
    public void StartOfDay_IsTheFirstInstantOfTheDay_WhenADstChangeSkipsMidnight()
    {
        // Chile moves its clocks from 00:00 to 01:00 on the first Sunday of September: 6 Sep 2026 starts at 01:00 -03.
        var santiago = TimeZoneInfo.FindSystemTimeZoneById("America/Santiago");
        Assert.True(santiago.IsInvalidTime(new DateTime(2026, 9, 6, 0, 0, 0, DateTimeKind.Unspecified)));

        Assert.Equal(Utc(2026, 9, 6, 4), TermDates.StartOfDay(new DateOnly(2026, 9, 6), santiago));
        Assert.Equal(Utc(2026, 9, 5, 4), TermDates.StartOfDay(new DateOnly(2026, 9, 5), santiago));   // 00:00 -04 the day before
    }

    [Fact]
    public async Task FireTerm_SendsEachReminderOnce_InOrder_FoldingThoseMissedWhileDown()
    {
        var agreement = await ActiveAsync();
        Assert.Equal(Utc(2026, 10, 1, 7), agreement.NextTermTimerAt(Policy));

        var first = agreement.FireTerm(agreement.Version, Policy, Utc(2026, 10, 1, 7));
        Assert.Equal(new TermTimerResult(TermTimerOutcome.Reminded, Utc(2026, 10, 1, 7)), first);
        Assert.Equal(TermTimerOutcome.StaleToken, agreement.FireTerm(agreement.Version - 1, Policy, Utc(2026, 10, 1, 7)).Outcome);
        Assert.Equal(TermTimerOutcome.NothingDue, agreement.FireTerm(agreement.Version, Policy, Utc(2026, 10, 1, 8)).Outcome);
        Assert.Equal(Utc(2026, 10, 17, 7), agreement.NextTermTimerAt(Policy));

        // Down from 16 Oct to 25 Oct: the 14- and 7-day reminders are one reminder, the latest.
        var late = agreement.FireTerm(agreement.Version, Policy, Utc(2026, 10, 25, 12));
        Assert.Equal(new TermTimerResult(TermTimerOutcome.Reminded, Utc(2026, 10, 24, 7)), late);
        Assert.Equal(Utc(2027, 1, 31, 23), agreement.NextTermTimerAt(Policy));   // no more reminders: the end of the term
    }

    [Fact]
    public async Task Reminders_DueBeforeActivation_AreNotSent()
    {
        // Activated on 5 Jan with the notice date on 20 Jan: the 30-day reminder (21 Dec) is skipped, the 14-day one is next.
        var agreement = await ActiveAsync(SampleTerms.Complete() with { EndDate = new DateOnly(2026, 4, 20) });

        Assert.Equal(Utc(2026, 1, 6, 8), agreement.NextTermTimerAt(Policy));
    }

    [Fact]
    public async Task FireTerm_ExpiresTheAgreement_AtTheEndOfItsTerm_WhenNotRenewed()
    {
        var agreement = await ActiveAsync();
        agreement.LetExpire(People.Carol, Utc(2026, 10, 2));
        Assert.Equal(TermChoice.LetExpire, agreement.TermChoice);
        Assert.Equal(People.Carol, agreement.TermChoiceBy);
        Assert.Equal(Utc(2027, 1, 31, 23), agreement.NextTermTimerAt(Policy));   // no reminders after the choice

        Assert.Equal(TermTimerOutcome.NothingDue, agreement.FireTerm(agreement.Version, Policy, Utc(2027, 1, 31, 22, 59)).Outcome);
        Assert.Equal(TermTimerOutcome.Expired, agreement.FireTerm(agreement.Version, Policy, Utc(2027, 2, 3)).Outcome);

        Assert.Equal(AgreementStatus.Expired, agreement.Status);
        Assert.Equal(Utc(2027, 1, 31, 23), agreement.ExpiredAt);   // when the term ended, not when the late timer fired
        Assert.Null(agreement.NextTermTimerAt(Policy));
        Assert.Equal("expired on 2027-02-01 (its term ended 2027-01-31)", agreement.EndedDescription(TimeZoneInfo.Utc));
        Assert.Equal("agreement.transition", Assert.Throws<DomainException>(() => agreement.ScheduleTermination("Provider insolvency", People.Carol, Utc(2027, 2, 3), TimeZoneInfo.Utc)).Code);
        Assert.Equal("agreement.transition", (await Assert.ThrowsAsync<DomainException>(() => RenewAsync(agreement, Utc(2027, 2, 3)))).Code);
        Assert.Equal("agreement.transition", Assert.Throws<DomainException>(() => agreement.LetExpire(People.Carol, Utc(2027, 2, 3))).Code);
    }

    [Fact]
    public async Task ScheduleTermination_TakesEffectAtTheNoticeDate_WithAnAcceptedReason()
    {
        var agreement = await ActiveAsync();
        var version = agreement.Version;

        var refused = Assert.Throws<DomainException>(() => agreement.ScheduleTermination("We felt like it", People.Carol, Utc(2026, 6, 15, 10), TimeZoneInfo.Utc));
        Assert.Equal("agreement.termination_reason", refused.Code);
        Assert.Contains("Repeated SLA breaches; Provider insolvency", refused.Message, StringComparison.Ordinal);
        Assert.Equal(version, agreement.Version);

        var date = agreement.ScheduleTermination("provider INSOLVENCY", People.Carol, Utc(2026, 6, 15, 10), TimeZoneInfo.Utc);

        Assert.Equal(new DateOnly(2026, 9, 15), date);
        Assert.Equal(AgreementStatus.Active, agreement.Status);
        Assert.Equal("Provider insolvency", agreement.TerminationReason);
        Assert.Equal(People.Carol, agreement.TerminatedBy);
        Assert.Equal(Utc(2026, 6, 15, 10), agreement.TerminationRequestedAt);
        Assert.Equal(Utc(2026, 9, 14, 22), agreement.TerminationEffectiveAt);   // 00:00 CEST on 15 Sep
        Assert.Equal(Utc(2026, 9, 14, 22), agreement.NextTermTimerAt(Policy));
        Assert.Equal("agreement.term_choice", Assert.Throws<DomainException>(() => agreement.ScheduleTermination("Provider insolvency", People.Alice, Utc(2026, 6, 16), TimeZoneInfo.Utc)).Code);
        Assert.Equal("agreement.term_choice", (await Assert.ThrowsAsync<DomainException>(() => RenewAsync(agreement, Utc(2026, 6, 16)))).Code);

        Assert.Equal(TermTimerOutcome.Terminated, agreement.FireTerm(agreement.Version, Policy, Utc(2026, 9, 14, 22)).Outcome);
        Assert.Equal(AgreementStatus.Terminated, agreement.Status);
        Assert.Equal(Utc(2026, 9, 14, 22), agreement.TerminatedAt);
        Assert.Equal("agreement.transition", (await Assert.ThrowsAsync<DomainException>(() => RenewAsync(agreement, Utc(2026, 9, 20)))).Code);
        Assert.Equal("agreement.transition", Assert.Throws<DomainException>(() => agreement.Expire(Utc(2027, 2, 1))).Code);
    }

    [Fact]
    public async Task ScheduleTermination_IsRefused_AfterTheNoticeDeadline_AndAcceptedOnTheNoticeDateItself()
    {
        var late = await ActiveAsync();
        var error = Assert.Throws<DomainException>(() => late.ScheduleTermination("Provider insolvency", People.Carol, Utc(2026, 10, 31, 23, 30), TimeZoneInfo.Utc));   // 1 Nov in Berlin
        Assert.Equal("agreement.notice_too_late", error.Code);
        Assert.Null(late.TerminationEffectiveAt);

        var inTime = await ActiveAsync();
        Assert.Equal(new DateOnly(2027, 1, 31), inTime.ScheduleTermination("Provider insolvency", People.Carol, Utc(2026, 10, 31, 22, 30), TimeZoneInfo.Utc));   // 23:30 on 31 Oct in Berlin
    }

    [Fact]
    public async Task Terms_WithoutAcceptedReasons_TakeAnyStatedReason()
    {
        var agreement = await ActiveAsync(SampleTerms.Complete() with { TerminationReasons = [] });

        agreement.ScheduleTermination("Budget cut", People.Carol, Utc(2026, 6, 15, 10), TimeZoneInfo.Utc);

        Assert.Equal("Budget cut", agreement.TerminationReason);
    }

    [Fact]
    public async Task Renewal_KeepsTheAgreementActiveOnItsTerm_UntilApproved_ThenTheNextTermIsInForce()
    {
        var agreement = await ActiveAsync();
        agreement.FireTerm(agreement.Version, Policy, Utc(2026, 10, 1, 7));

        var request = await RenewAsync(agreement, Utc(2026, 10, 2));

        Assert.Equal(AgreementStatus.Active, agreement.Status);
        Assert.True(agreement.RenewalInApproval);
        Assert.Equal(TermChoice.Renew, agreement.TermChoice);
        Assert.Equal(ApprovalSubject.Agreement(agreement.Id, 2), request.Subject);
        Assert.Equal(2, agreement.CurrentRevision.Number);
        Assert.Equal(new DateOnly(2027, 2, 1), agreement.CurrentRevision.Terms.StartDate);
        Assert.Equal(new DateOnly(2028, 1, 31), agreement.CurrentRevision.Terms.EndDate);   // the same twelve months
        Assert.Equal(new DateOnly(2027, 1, 31), agreement.TermsInForce!.EndDate);
        Assert.Equal(Utc(2027, 1, 31, 23), agreement.NextTermTimerAt(Policy));              // no reminders while it is decided
        Assert.Equal("agreement.term_choice", (await Assert.ThrowsAsync<DomainException>(() => RenewAsync(agreement, Utc(2026, 10, 3)))).Code);
        Assert.Equal("agreement.term_choice", Assert.Throws<DomainException>(() => agreement.LetExpire(People.Carol, Utc(2026, 10, 3))).Code);
        Assert.Equal("agreement.term_choice", Assert.Throws<DomainException>(() => agreement.ScheduleTermination("Provider insolvency", People.Carol, Utc(2026, 10, 3), TimeZoneInfo.Utc)).Code);

        await SignOffAsync(agreement, request, Utc(2026, 10, 9));

        Assert.Equal(2, agreement.ActiveRevisionNumber);
        Assert.Null(agreement.TermChoice);
        Assert.False(agreement.RenewalInApproval);
        Assert.Equal(new DateOnly(2028, 1, 31), agreement.TermsInForce!.EndDate);
        Assert.Equal(TermDates.At(new DateOnly(2027, 10, 1), new TimeOnly(9, 0), Berlin), agreement.NextTermTimerAt(Policy));   // the next term's first reminder
    }

    [Fact]
    public async Task Renewal_Rejected_LeavesTheCurrentTermRunning_AndTheOwnersUndecided()
    {
        var agreement = await ActiveAsync();
        var request = await RenewAsync(agreement, Utc(2026, 10, 2));

        request.Reject(People.Bob, request.CurrentCard, "Not this year", Utc(2026, 10, 3)).ThrowIfRefused();
        Assert.True(agreement.ApplyApprovalOutcome(request, Utc(2026, 10, 3)));

        Assert.Equal(AgreementStatus.Active, agreement.Status);
        Assert.Equal(1, agreement.ActiveRevisionNumber);
        Assert.Null(agreement.TermChoice);
        Assert.Equal(RevisionOutcome.Rejected, agreement.CurrentRevision.Outcome);
        Assert.Equal(Utc(2026, 10, 1, 7), agreement.NextTermTimerAt(Policy));   // reminders resume: the one due during the renewal at once
        Assert.False(agreement.ApplyApprovalOutcome(request, Utc(2026, 10, 4)));  // applied once
    }

    [Fact]
    public async Task EscalationPolicy_RefusesAnEndedAgreement_SayingItsStatusAndSinceWhen()
    {
        var agreement = await ActiveAsync();
        agreement.FireTerm(agreement.Version, Policy, Utc(2027, 2, 1, 8));

        var error = Assert.Throws<DomainException>(() => ApprovalBot.Domain.Escalations.EscalationPolicy.From(agreement, Priority.P2));

        Assert.Equal("escalation.agreement_not_active", error.Code);
        Assert.Equal("Agreement 'Contoso support 2026' expired on 2027-02-01 (its term ended 2027-01-31); new escalations against it are refused (open ones run to closure).", error.Message);
    }
}
