using ApprovalBot.Domain.Approvals;
using static ApprovalBot.UnitTests.Domain.Approvals.Requests;

namespace ApprovalBot.UnitTests.Domain.Approvals;

public class SlaTests
{
    private static readonly DateTimeOffset Friday15 = new(2026, 1, 9, 15, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Monday11 = new(2026, 1, 12, 11, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Monday15 = new(2026, 1, 12, 15, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Tuesday11 = new(2026, 1, 13, 11, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Tuesday15 = new(2026, 1, 13, 15, 0, 0, TimeSpan.Zero);

    /// <summary>Legal, all three, 16 business hours, a reminder every 4 business hours; submitted Friday 15:00.</summary>
    private static Task<ApprovalRequest> LegalOnWeekdays(EscalationTarget? escalateTo = null) =>
        Submit(
            Flow(new StageDefinition("Legal", ApproverRule.Group("Legal"), DecisionRule.All, TimeSpan.FromHours(16), TimeSpan.FromHours(4), escalateTo)),
            calendar: WeekdayCalendar.Instance,
            at: Friday15);

    [Fact]
    public async Task StageStart_ComputesDueAndReminderTimes_OnTheBusinessCalendar()
    {
        var request = await LegalOnWeekdays();
        var run = request.CurrentStage!;

        Assert.Equal(Friday15, run.StartedAt);
        Assert.Equal(Tuesday15, run.DueAt);
        Assert.Equal([Monday11, Monday15, Tuesday11], run.ReminderTimes);
        Assert.Equal(Monday11, request.NextTimerAt);
        Assert.Contains("due 2026-01-13T15:00:00.0000000+00:00", request.LastAudit().Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StageStart_OnAroundTheClockCalendar_CountsNightsAndWeekends()
    {
        var request = await Submit(Flow(Stage("Manager", ApproverRule.RequesterManager(), sla: TimeSpan.FromHours(16))), at: Friday15);

        Assert.Equal(Friday15.AddHours(16), request.CurrentStage!.DueAt);
        Assert.Empty(request.CurrentStage.ReminderTimes);
        Assert.Equal(Friday15.AddHours(16), request.NextTimerAt);
    }

    [Fact]
    public async Task Reminder_IsDueAtItsTime_ToThoseWhoHaveNotDecided()
    {
        var request = await LegalOnWeekdays();
        await request.ApproveAsync(People.Lena, request.CurrentCard, null, FakeDirectory.Standard(), WeekdayCalendar.Instance, Friday15.AddMinutes(5));
        request.Delegate(People.Leo, request.CurrentCard, People.Dan, null, Friday15.AddMinutes(6));

        Assert.Null(request.RemindersDue(Monday11.AddTicks(-1)));
        var due = request.RemindersDue(Monday11)!;

        Assert.Equal(1, due.Number);
        Assert.Equal(Monday11, due.ScheduledAt);
        Assert.Equal([People.Dan, People.Lou], due.Remind);
        Assert.Equal(request.Version, due.FencingToken);
    }

    [Fact]
    public async Task MarkReminded_AppliesOnce_AndADuplicateFireChangesNothing()
    {
        var request = await LegalOnWeekdays();
        var due = request.RemindersDue(Monday11)!;

        Assert.Equal(TimerResult.Applied, request.MarkReminded(due.FencingToken, due.Number, Monday11));
        var afterFirst = (request.Version, request.AuditTrail.Count);
        Assert.Equal(TimerResult.StaleToken, request.MarkReminded(due.FencingToken, due.Number, Monday11.AddSeconds(1)));
        Assert.Equal(TimerResult.AlreadyDone, request.MarkReminded(request.Version, due.Number, Monday11.AddSeconds(2)));

        Assert.Equal(afterFirst, (request.Version, request.AuditTrail.Count));
        Assert.Equal(AuditAction.Reminded, request.LastAudit().Action);
        Assert.Null(request.LastAudit().Actor);
        Assert.Null(request.RemindersDue(Monday11.AddMinutes(1)));
        Assert.Equal(Monday15, request.NextTimerAt);
    }

    [Fact]
    public async Task MarkReminded_IsNotDue_BeforeItsTime()
    {
        var request = await LegalOnWeekdays();

        Assert.Equal(TimerResult.NotDue, request.MarkReminded(request.Version, 1, Monday11.AddMinutes(-1)));
        Assert.Equal(1, request.Version);
    }

    [Fact]
    public async Task LateTimer_CollapsesMissedReminders_IntoTheLatestOne()
    {
        var request = await LegalOnWeekdays();

        var due = request.RemindersDue(Tuesday11.AddMinutes(30))!;

        Assert.Equal(3, due.Number);
        Assert.Equal(TimerResult.NotDue, request.MarkReminded(due.FencingToken, 1, Tuesday11.AddMinutes(30)));
        Assert.Equal(TimerResult.Applied, request.MarkReminded(due.FencingToken, 3, Tuesday11.AddMinutes(30)));
        Assert.Equal(Tuesday15, request.NextTimerAt);
    }

    [Fact]
    public async Task ADecision_MakesAnArmedTimersTokenStale()
    {
        var request = await LegalOnWeekdays();
        var armed = request.RemindersDue(Monday11)!;

        await request.ApproveAsync(People.Lena, request.CurrentCard, null, FakeDirectory.Standard(), WeekdayCalendar.Instance, Monday11);

        Assert.Equal(TimerResult.StaleToken, request.MarkReminded(armed.FencingToken, armed.Number, Monday11));
        var rearmed = request.RemindersDue(Monday11)!;
        Assert.Equal([People.Leo, People.Lou], rearmed.Remind);
        Assert.Equal(TimerResult.Applied, request.MarkReminded(rearmed.FencingToken, rearmed.Number, Monday11));
    }

    [Fact]
    public async Task ARefusedClick_DoesNotMoveTheFencingToken()
    {
        var request = await LegalOnWeekdays();
        var armed = request.RemindersDue(Monday11)!;

        request.Reject(People.Zed, request.CurrentCard, "no", Monday11);

        Assert.Equal(TimerResult.Applied, request.MarkReminded(armed.FencingToken, armed.Number, Monday11));
    }

    [Fact]
    public async Task OverdueStage_StopsReminding_AndEscalatesOnce()
    {
        var request = await LegalOnWeekdays();

        Assert.False(request.IsOverdue(Tuesday15.AddTicks(-1)));
        Assert.Null(request.EscalationDue(Tuesday15.AddTicks(-1)));
        Assert.Equal(TimerResult.NotDue, request.MarkEscalated(request.Version, [People.Carol], Tuesday15.AddTicks(-1)));
        Assert.True(request.IsOverdue(Tuesday15));
        Assert.Null(request.RemindersDue(Tuesday15));

        var due = request.EscalationDue(Tuesday15)!;
        Assert.Equal([People.Lena, People.Leo, People.Lou], due.Waiting);
        Assert.Equal(EscalationTarget.ApproversManager, due.Target);
        Assert.Equal(Tuesday15, due.DueAt);

        Assert.Equal(TimerResult.Applied, request.MarkEscalated(due.FencingToken, [People.Carol], Tuesday15.AddMinutes(1)));
        Assert.Equal(TimerResult.StaleToken, request.MarkEscalated(due.FencingToken, [People.Carol], Tuesday15.AddMinutes(2)));
        Assert.Equal(TimerResult.AlreadyDone, request.MarkEscalated(request.Version, [People.Carol], Tuesday15.AddMinutes(3)));

        Assert.Equal(Tuesday15.AddMinutes(1), request.CurrentStage!.EscalatedAt);
        Assert.Null(request.EscalationDue(Tuesday15.AddHours(1)));
        Assert.Null(request.NextTimerAt);
        Assert.Equal(AuditAction.Escalated, request.LastAudit().Action);
        Assert.Contains("escalated to carol", request.LastAudit().Detail, StringComparison.Ordinal);
        Assert.True(request.IsOverdue(Tuesday15.AddHours(1)));
    }

    [Fact]
    public async Task EscalationDue_CarriesTheStagesOwnTarget()
    {
        var request = await LegalOnWeekdays(EscalationTarget.People(People.Carol));

        Assert.Equal(EscalationTarget.People(People.Carol), request.EscalationDue(Tuesday15)!.Target);
    }

    [Fact]
    public async Task Timers_DoNothing_OnceTheRequestIsClosed()
    {
        var request = await Submit(Flow(Stage("Legal", ApproverRule.Group("Legal"), sla: TimeSpan.FromHours(16), reminderEvery: TimeSpan.FromHours(4))));
        await request.Approve(People.Lena);

        Assert.Null(request.RemindersDue(Monday10.AddHours(5)));
        Assert.Null(request.EscalationDue(Monday10.AddDays(2)));
        Assert.False(request.IsOverdue(Monday10.AddDays(2)));
        Assert.Equal(TimerResult.NotInProgress, request.MarkReminded(request.Version, 1, Monday10.AddHours(5)));
        Assert.Equal(TimerResult.NotInProgress, request.MarkEscalated(request.Version, [People.Carol], Monday10.AddDays(2)));
    }

    [Fact]
    public async Task NextStage_GetsItsOwnDueTime_FromWhenItStarts()
    {
        var flow = Flow(Stage("Manager", ApproverRule.RequesterManager(), sla: TimeSpan.FromHours(8)), Stage("Legal", ApproverRule.Group("Legal"), sla: TimeSpan.FromHours(8)));
        var request = await Submit(flow, calendar: WeekdayCalendar.Instance, at: Friday15);

        await request.ApproveAsync(People.Bob, request.CurrentCard, null, FakeDirectory.Standard(), WeekdayCalendar.Instance, Monday11);

        Assert.Equal(new DateTimeOffset(2026, 1, 13, 11, 0, 0, TimeSpan.Zero), request.CurrentStage!.DueAt);
    }
}
