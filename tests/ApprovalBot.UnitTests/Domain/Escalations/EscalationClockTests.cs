using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Calendars;
using ApprovalBot.Domain.Escalations;
using static ApprovalBot.UnitTests.Domain.Calendars.Wall;
using static ApprovalBot.UnitTests.Domain.Escalations.EscalationSamples;

namespace ApprovalBot.UnitTests.Domain.Escalations;

/// <summary>The two SLA clocks and their deadlines on the snapshotted calendar (P2: respond in 1 h, resolve in 8 h).</summary>
public class EscalationClockTests
{
    [Fact]
    public void ResponseDueAt_SkipsTheNightAndTheWeekend_OnTheAgreementsBerlinHours()
    {
        var escalation = Open(at: At(Berlin, 2026, 1, 9, 16, 30)); // Friday 16:30

        Assert.Equal(At(Berlin, 2026, 1, 12, 9, 30), escalation.ResponseDueAt);
        var clock = escalation.ResponseElapsed(At(Berlin, 2026, 1, 12, 9, 15));
        Assert.Equal(TimeSpan.FromMinutes(45), clock.Elapsed);
        Assert.Equal(TimeSpan.FromMinutes(15), clock.Remaining);
        Assert.Equal(75, clock.PercentUsed);
        Assert.False(clock.IsBreached);
    }

    [Fact]
    public void IsSlaBreached_FromTheInstantEitherClockUsesItsWholeTarget_AndStaysBreachedAfterAcknowledging()
    {
        var escalation = Open(at: Monday9); // P2: respond within 1 h

        Assert.False(escalation.IsSlaBreached(Mon(9, 59)));
        Assert.True(escalation.IsSlaBreached(Mon(10))); // exactly 100 % is a miss
        escalation.Acknowledge(Reporter, Mon(10, 30));
        Assert.True(escalation.IsSlaBreached(Mon(10, 30))); // the response SLA stays missed
        var onTime = Open(at: Monday9);
        onTime.Acknowledge(Reporter, Mon(9, 30));
        Assert.False(onTime.IsSlaBreached(Mon(16, 59)));
        Assert.True(onTime.IsSlaBreached(Mon(9, days: 1))); // 8 business hours: the resolution target
    }

    [Fact]
    public void Clocks_CountTheAgreementsZone_NotTheCallersOffset()
    {
        var newYork = WithCalendar(BusinessCalendar.WeekdaysNineToFive(NewYork));
        var escalation = Open(at: Monday9, terms: newYork); // 03:00 in New York

        Assert.Equal(At(NewYork, 2026, 1, 5, 10), escalation.ResponseDueAt);
        Assert.Equal(At(NewYork, 2026, 1, 5, 13), escalation.ResolutionDueAt(50));
        Assert.Equal(TimeSpan.Zero, escalation.ResponseElapsed(At(NewYork, 2026, 1, 5, 8, 59)).Elapsed);
    }

    [Fact]
    public void ResponseDueAt_CountsRealTime_AcrossTheSpringForwardWeekend()
    {
        // Berlin moves to summer time on Sunday 29 March 2026: Friday is +01:00, Monday +02:00.
        var escalation = Open(at: At(Berlin, 2026, 3, 27, 16, 30));

        Assert.Equal(At(2026, 3, 30, 9, 30, +2), escalation.ResponseDueAt);
        Assert.Equal(new DateTimeOffset(2026, 3, 30, 7, 30, 0, TimeSpan.Zero), escalation.ResponseDueAt);
        Assert.Equal(TimeSpan.FromMinutes(45), escalation.ResponseElapsed(At(2026, 3, 30, 9, 15, +2)).Elapsed);
    }

    [Fact]
    public void ResolutionDueAt_CountsRealTime_WhenTheAroundTheClockNightLosesAnHour()
    {
        // P1 is 24x7: 4 h from Saturday 23:00 (+01:00) ends at 04:00 summer time, real elapsed time.
        var escalation = Open(Priority.P1, At(Berlin, 2026, 3, 28, 23));

        Assert.Equal(At(2026, 3, 29, 4, 0, +2), escalation.ResolutionDueAt(100));
        Assert.Equal(TimeSpan.FromHours(4), escalation.ResolutionElapsed(At(2026, 3, 29, 4, 0, +2)).Elapsed);
    }

    [Fact]
    public void ResponseDueAt_SkipsHolidays()
    {
        var easter = WithCalendar(BusinessCalendar.WeekdaysNineToFive(Berlin,
            [new Holiday(new DateOnly(2026, 4, 3), "Good Friday"), new Holiday(new DateOnly(2026, 4, 6), "Easter Monday")]));
        var escalation = Open(at: At(Berlin, 2026, 4, 2, 16, 30), terms: easter); // Thursday before Easter

        Assert.Equal(At(Berlin, 2026, 4, 7, 9, 30), escalation.ResponseDueAt);
        Assert.Equal(TimeSpan.FromMinutes(30), escalation.ResponseElapsed(At(Berlin, 2026, 4, 6, 12)).Elapsed);
    }

    [Fact]
    public void AroundTheClockPriority_CountsNightsAndWeekends()
    {
        var escalation = Open(Priority.P1, At(Berlin, 2026, 1, 10, 22)); // Saturday 22:00

        Assert.True(escalation.Policy.Calendar.TwentyFourSeven);
        Assert.Equal(At(Berlin, 2026, 1, 10, 22, 15), escalation.ResponseDueAt);
        Assert.Equal(At(Berlin, 2026, 1, 11, 0), escalation.ResolutionDueAt(50));
        Assert.Equal(At(Berlin, 2026, 1, 11, 2), escalation.ResolutionDueAt(100));
        Assert.Equal(TimeSpan.FromHours(3), escalation.ResolutionElapsed(At(Berlin, 2026, 1, 11, 1)).Elapsed);
    }

    [Fact]
    public void HoldSpanningAWeekend_ShiftsEveryDeadlineByExactlyTheBusinessTimePaused()
    {
        var escalation = Open(Priority.P3, At(Berlin, 2026, 1, 9, 14)); // Friday 14:00; respond in 4 h, resolve in 2 d
        var responseBefore = escalation.ResponseDueAt!.Value;
        var resolutionBefore = escalation.ResolutionDueAt(100)!.Value;
        Assert.Equal(At(Berlin, 2026, 1, 12, 10), responseBefore);

        escalation.Hold(Reporter, "Waiting for the customer", At(Berlin, 2026, 1, 9, 15));
        Assert.Null(escalation.ResponseDueAt);
        Assert.Null(escalation.NextTimerAt(At(Berlin, 2026, 1, 10, 12)));
        escalation.Resume(Reporter, At(Berlin, 2026, 1, 12, 11)); // Monday 11:00

        var paused = Berlin9To5.BusinessTimeBetween(At(Berlin, 2026, 1, 9, 15), At(Berlin, 2026, 1, 12, 11));
        Assert.Equal(TimeSpan.FromHours(4), paused); // Friday 15–17 and Monday 9–11
        Assert.Equal(At(Berlin, 2026, 1, 12, 14), escalation.ResponseDueAt);
        Assert.Equal(Berlin9To5.AddBusinessTime(responseBefore, paused), escalation.ResponseDueAt);
        Assert.Equal(Berlin9To5.AddBusinessTime(resolutionBefore, paused), escalation.ResolutionDueAt(100));
        Assert.Equal(TimeSpan.FromHours(1), escalation.ResponseElapsed(At(Berlin, 2026, 1, 12, 11)).Elapsed);
        Assert.Equal(TimeSpan.FromHours(2), escalation.ResponseElapsed(At(Berlin, 2026, 1, 12, 12)).Elapsed);
    }

    [Fact]
    public void ResolutionElapsed_LeavesOutHoldsAndTheTimeSpentResolved()
    {
        var escalation = Open();
        escalation.Acknowledge(L1Member, Mon(9, 10));
        escalation.Hold(Reporter, "Vendor ticket", Mon(10));
        escalation.Resume(Reporter, Mon(12));
        escalation.Resolve(Reporter, "Patched", Mon(13));                // 2 h counted
        escalation.Reopen(Reporter, "Not fixed after all", Mon(10, days: 1));

        var clock = escalation.ResolutionElapsed(Mon(11, days: 1));

        Assert.Equal(TimeSpan.FromHours(3), clock.Elapsed);
        Assert.Equal(TimeSpan.FromHours(5), clock.Remaining);
        Assert.Equal(37.5, clock.PercentUsed);
        Assert.True(clock.Running);
        Assert.Equal(Mon(16, days: 1), escalation.ResolutionDueAt(100));
        Assert.Equal(TimeSpan.FromMinutes(10), escalation.ResponseElapsed(Mon(11, days: 1)).Elapsed);
    }

    [Fact]
    public void SlaClock_ReportsTheBreach_AtAndPastTheTarget()
    {
        var escalation = Open();

        Assert.True(escalation.ResponseElapsed(Mon(10)).IsBreached);
        var late = escalation.ResponseElapsed(Mon(11));
        Assert.Equal(200, late.PercentUsed);
        Assert.Equal(TimeSpan.Zero, late.Remaining);
    }

    [Fact]
    public void ResolutionDueAt_GivesTheWarningTimes()
    {
        var escalation = Open();

        Assert.Equal(Mon(13), escalation.ResolutionDueAt(50));
        Assert.Equal(Mon(15), escalation.ResolutionDueAt(75));
        Assert.Equal(Mon(17), escalation.ResolutionDueAt(100));
        Assert.Throws<ArgumentOutOfRangeException>(() => escalation.ResolutionDueAt(0));
    }
}
