using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.CommunicationPlans;

namespace ApprovalBot.UnitTests.Domain.CommunicationPlans;

/// <summary>
/// An update obligation's guarded transitions and timer steps. The period opens Monday 2 Nov 2026 09:00 UTC, the update
/// is due Monday 9 Nov 09:00 and the period closes Monday 16 Nov 09:00 (a weekly cadence); reminder 1 day before,
/// escalation 1 day after.
/// </summary>
public class UpdateObligationTests
{
    private static readonly DateTimeOffset Opens = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Due = Opens.AddDays(7);
    private static readonly DateTimeOffset Closes = Due.AddDays(7);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private static UpdateObligation Open(DateTimeOffset? now = null, TimeSpan? reminderBefore = null) =>
        UpdateObligation.Open(1, Opens, Due, Closes, reminderBefore ?? Day, Day, now ?? Opens);

    [Fact]
    public void Timers_RemindThenOverdueThenEscalateThenMiss_EachOnce_InTimeOrder()
    {
        var o = Open();
        Assert.Equal(Due - Day, o.NextTimerAt());

        Assert.Equal([UpdateStep.Reminder], Fire(o, Due - Day));
        Assert.Equal(Due, o.NextTimerAt());
        Assert.Equal([UpdateStep.Overdue], Fire(o, Due));
        Assert.Equal(Due + Day, o.NextTimerAt());
        Assert.Equal([UpdateStep.Escalation], Fire(o, Due + Day));
        Assert.Equal(Closes, o.NextTimerAt());
        Assert.Equal(UpdateState.Due, o.State);
        Assert.Equal([UpdateStep.Missed], Fire(o, Closes));

        Assert.Equal(UpdateState.Missed, o.State);
        Assert.Null(o.NextTimerAt());
        Assert.Equal(5, o.Version);
    }

    [Fact]
    public void FireDue_ChangesNothing_WhenTheTokenIsStale_OrNothingIsDue_OrTheObligationIsClosed()
    {
        var o = Open();
        Assert.Equal(UpdateTimerOutcome.StaleToken, o.FireDue(o.Version + 1, Due).Outcome);
        Assert.Equal(UpdateTimerOutcome.NothingDue, o.FireDue(o.Version, Due - Day - TimeSpan.FromMinutes(1)).Outcome);
        Assert.Equal((1L, (DateTimeOffset?)null), (o.Version, o.OverdueNoticeAt));

        o.Post("pat", "All fine.", Due - TimeSpan.FromHours(1));
        Assert.Equal(UpdateTimerOutcome.Closed, o.FireDue(o.Version, Due).Outcome);
    }

    [Fact]
    public void FireDue_AfterADowntime_SkipsTheStaleReminder_AndOnceClosed_TellsOnlyMissed()
    {
        var late = Open();
        Assert.Equal([UpdateStep.Overdue, UpdateStep.Escalation], Fire(late, Due + Day + TimeSpan.FromHours(1)));
        Assert.Null(late.RemindedAt);

        var closed = Open();
        Assert.Equal([UpdateStep.Missed], Fire(closed, Closes + Day));
        Assert.Equal((UpdateState.Missed, (DateTimeOffset?)null), (closed.State, closed.EscalatedAt));
    }

    [Fact]
    public void Open_PlansNoReminder_WhenItsTimeHasPassed_OrNoneIsConfigured()
    {
        Assert.Null(Open(now: Due - TimeSpan.FromHours(2)).ReminderAt);
        Assert.Null(Open(reminderBefore: TimeSpan.Zero).ReminderAt);
        Assert.Equal(Due, Open(now: Due - TimeSpan.FromHours(2)).NextTimerAt());
        Assert.Throws<DomainException>(() => UpdateObligation.Open(1, Opens, Due, Due, Day, Day, Opens));
        Assert.Throws<DomainException>(() => UpdateObligation.Open(1, Due.AddSeconds(1), Due, Closes, Day, Day, Opens));
    }

    [Fact]
    public void Post_IsOnTime_AtOrBeforeTheDueTime_AndLate_AfterIt()
    {
        var onTime = Open();
        onTime.Post("pat", "  Backups green.  ", Due);
        Assert.Equal((UpdateState.OnTime, "Backups green.", "pat", (DateTimeOffset?)Due), (onTime.State, onTime.Text, onTime.PostedBy, onTime.PostedAt));
        Assert.Null(onTime.NextTimerAt());

        var late = Open();
        Fire(late, Due);
        late.Post("pat", "Sorry, late.", Due.AddSeconds(1));
        Assert.Equal(UpdateState.Late, late.State);
        Assert.True(late.CountsAsDue(Due.AddSeconds(1)));
    }

    [Fact]
    public void Post_IsRefused_AndChangesNothing_WhenClosedOrOutsideThePeriodOrTheTextIsBad()
    {
        var o = Open();
        Assert.Equal("update.transition", Assert.Throws<DomainException>(() => o.Post("pat", "Early.", Opens.AddSeconds(-1))).Code);
        Assert.Equal("update.transition", Assert.Throws<DomainException>(() => o.Post("pat", "Too late.", Closes)).Code);
        Assert.Equal("update.text", Assert.Throws<DomainException>(() => o.Post("pat", "   ", Due)).Code);
        Assert.Equal("update.text", Assert.Throws<DomainException>(() => o.Post("pat", new string('x', UpdateObligation.MaxTextLength + 1), Due)).Code);
        Assert.Equal((UpdateState.Due, 1L, (string?)null), (o.State, o.Version, o.Text));

        o.Post("pat", new string('x', UpdateObligation.MaxTextLength), Due);
        Assert.Equal("update.transition", Assert.Throws<DomainException>(() => o.Post("pat", "Again.", Due)).Code);
        Assert.Equal("update.transition", Assert.Throws<DomainException>(() => o.Miss(Closes)).Code);
    }

    [Fact]
    public void Miss_IsRefused_BeforeThePeriodCloses()
    {
        var o = Open();
        Assert.Throws<DomainException>(() => o.Miss(Closes.AddSeconds(-1)));
        o.Miss(Closes);
        Assert.Equal(UpdateState.Missed, o.State);
    }

    [Fact]
    public void End_CancelsBeforeTheDueTime_NotCounted_AndMissesAfterIt()
    {
        var early = Open();
        early.End(Due.AddSeconds(-1));
        Assert.Equal(UpdateState.Cancelled, early.State);
        Assert.False(early.CountsAsDue(Closes));

        var after = Open();
        after.End(Due);
        Assert.Equal(UpdateState.Missed, after.State);
        Assert.True(after.CountsAsDue(Due));
        Assert.False(Open().CountsAsDue(Due.AddSeconds(-1)));
    }

    private static List<UpdateStep> Fire(UpdateObligation o, DateTimeOffset at)
    {
        var result = o.FireDue(o.Version, at);
        Assert.True(result.Applied, $"Nothing applied at {at:o}: {result.Outcome}");
        return [.. result.Steps];
    }
}
