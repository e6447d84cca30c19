using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using static ApprovalBot.UnitTests.Domain.Approvals.Requests;

namespace ApprovalBot.UnitTests.Domain.Approvals;

/// <summary>
/// An approver who is out of office when their stage starts hands their seat to a stand-in, who then decides "for"
/// them; the domain refuses stand-ins that would break the rules (the requester, someone already deciding in the
/// stage, nobody) and keeps the seat with the approver then, saying why.
/// </summary>
public class OutOfOfficeTests
{
    private static readonly DateTimeOffset Holiday = Monday10.AddDays(-1);
    private static readonly DateTimeOffset HolidayEnd = Monday10.AddDays(5);

    private static ApprovalFlow ManagerFlow() => Flow(Stage("Manager", ApproverRule.RequesterManager()));

    private static ApprovalFlow LegalAll() => Flow(Stage("Legal", ApproverRule.Group("Legal"), DecisionRule.All));

    private static FakeDirectory Away(PersonId approver, PersonId? standIn, DateTimeOffset? from = null, DateTimeOffset? until = null)
    {
        var directory = FakeDirectory.Standard();
        directory.Absent[approver] = new FakeDirectory.Away(from ?? Holiday, until ?? HolidayEnd, standIn);
        return directory;
    }

    [Fact]
    public async Task SubmitAsync_HandsTheSeatToTheStandIn_WhenTheApproverIsOutOfOffice()
    {
        var request = await Submit(ManagerFlow(), Away(People.Bob, People.Carol));

        var seat = request.CurrentStage!.Seats.Single();
        Assert.Equal((People.Bob, People.Carol), (seat.Owner, seat.Holder));
        Assert.Equal([People.Carol], request.WaitingFor);
        var entry = request.LastAudit();
        Assert.Equal((AuditAction.OutOfOffice, (PersonId?)null, (PersonId?)People.Bob, (PersonId?)People.Carol), (entry.Action, entry.Actor, entry.OnBehalfOf, entry.DelegateTo));
        Assert.Equal("system", entry.Who);
        Assert.StartsWith("Delegated automatically: bob is out of office (automatic replies are on); carol (their manager) decides for bob.", entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StandIn_DecidesForTheAbsentApprover_AndTheApproverCannot()
    {
        var directory = Away(People.Bob, People.Carol);
        var request = await Submit(ManagerFlow(), directory);

        var bob = await request.Approve(People.Bob, directory);
        var carol = await request.Approve(People.Carol, directory);

        Assert.Equal(RefusalReason.DelegatedAway, bob.Refusal!.Reason);
        Assert.Equal("You were out of office when this stage started, so carol decides for you.", bob.Refusal.Message);
        Assert.True(carol.Accepted);
        Assert.Equal("carol for bob", carol.Entry.Who);
        Assert.Equal((People.Carol, (PersonId?)People.Bob), (request.Outcome!.DecidedBy, request.Outcome.OnBehalfOf));
        Assert.Equal(ApprovalStatus.Approved, request.Status);
    }

    [Theory]
    [InlineData(-1, false)] // a tick before the window opens
    [InlineData(0, true)]   // the moment it opens
    public async Task SubmitAsync_DelegatesOnlyFromTheWindowsStart(long ticks, bool delegated)
    {
        var request = await Submit(ManagerFlow(), Away(People.Bob, People.Carol, from: Monday10), at: Monday10.AddTicks(ticks));

        Assert.Equal(delegated ? People.Carol : People.Bob, request.CurrentStage!.Seats.Single().Holder);
    }

    [Theory]
    [InlineData(-1, true)] // a tick before the window closes
    [InlineData(0, false)] // the moment it closes: back in office
    public async Task SubmitAsync_DelegatesOnlyUntilTheWindowsEnd(long ticks, bool delegated)
    {
        var request = await Submit(ManagerFlow(), Away(People.Bob, People.Carol, until: Monday10), at: Monday10.AddTicks(ticks));

        Assert.Equal(delegated ? People.Carol : People.Bob, request.CurrentStage!.Seats.Single().Holder);
        Assert.Equal(delegated, request.AuditTrail.Any(e => e.Action == AuditAction.OutOfOffice));
    }

    [Fact]
    public async Task ApproveAsync_ChecksTheNextStagesApprovers_AtTheTimeThatStageStarts()
    {
        // Leo goes on holiday after submission, before the manager approves: stage 2 starts with Leo away.
        var directory = Away(People.Leo, People.Dan, from: Monday10.AddMinutes(30));
        var request = await Submit(Flow(Stage("Manager", ApproverRule.RequesterManager()), Stage("Legal", ApproverRule.Group("Legal"), DecisionRule.All)), directory);
        Assert.DoesNotContain(request.AuditTrail, e => e.Action == AuditAction.OutOfOffice);

        await request.Approve(People.Bob, directory, at: Monday10.AddHours(1));

        Assert.Equal(2, request.CurrentStage!.StageNumber);
        Assert.Equal(People.Dan, request.CurrentStage.Seats.Single(s => s.Owner == People.Leo).Holder);
        Assert.Equal([People.Lena, People.Dan, People.Lou], request.WaitingFor);
    }

    [Fact]
    public async Task SeatStays_WhenTheStandInIsTheRequester()
    {
        var request = await Submit(ManagerFlow(), Away(People.Bob, People.Alice));

        Assert.Equal(People.Bob, request.CurrentStage!.Seats.Single().Holder);
        var entry = request.LastAudit();
        Assert.Equal((AuditAction.OutOfOffice, (PersonId?)People.Bob, (PersonId?)null), (entry.Action, entry.OnBehalfOf, entry.DelegateTo));
        Assert.Equal("bob is out of office (automatic replies are on) but keeps the approval: their manager alice is the requester, who cannot approve their own request.", entry.Detail);
    }

    [Fact]
    public async Task SeatStays_WhenTheStandInAlreadyDecidesInTheStage()
    {
        var request = await Submit(LegalAll(), Away(People.Leo, People.Lena));

        Assert.Equal(People.Leo, request.CurrentStage!.Seats.Single(s => s.Owner == People.Leo).Holder);
        Assert.Contains("keeps the approval: their manager lena already decides in this stage", request.LastAudit().Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeatStays_WhenNobodyCanStandIn()
    {
        var request = await Submit(ManagerFlow(), Away(People.Bob, standIn: null));

        Assert.Equal(People.Bob, request.CurrentStage!.Seats.Single().Holder);
        Assert.Contains("keeps the approval: they have no manager in the directory", request.LastAudit().Detail, StringComparison.Ordinal);
        Assert.True(request.CanDecide(People.Bob));
    }

    [Fact]
    public async Task OneStandIn_TakesOnlyOneSeat_WhenTwoApproversAreAway()
    {
        var directory = Away(People.Leo, People.Dan);
        directory.Absent[People.Lou] = new FakeDirectory.Away(Holiday, HolidayEnd, People.Dan);

        var request = await Submit(LegalAll(), directory);

        var seats = request.CurrentStage!.Seats;
        Assert.Equal([People.Lena, People.Dan, People.Lou], seats.Select(s => s.Holder));
        Assert.Contains("lou is out of office", request.LastAudit().Detail, StringComparison.Ordinal);
        Assert.Contains("dan already decides in this stage", request.LastAudit().Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_CreatesTheRequestBlocked_WhenTheDirectoryDoesNotAnswer()
    {
        var directory = FakeDirectory.Standard();
        directory.Down = true;

        var request = await Submit(ManagerFlow(), directory);

        Assert.Equal((ApprovalStatus.Blocked, 1), (request.Status, request.CurrentStageNumber));
        Assert.True(request.IsWaitingForDirectory);
        Assert.Equal(AuditAction.DirectoryUnavailable, request.LastAudit().Action);
        Assert.Contains("the directory is not answering", request.BlockedReason, StringComparison.Ordinal);
        Assert.Contains("continues by itself", request.BlockedReason, StringComparison.Ordinal);

        directory.Down = false;
        Assert.True(await request.RetryBlockedStageAsync(directory, AroundTheClockCalendar.Instance, Monday10.AddHours(1)));
        Assert.Equal([People.Bob], request.WaitingFor);
        Assert.False(request.IsWaitingForDirectory);
    }

    [Fact]
    public async Task SubmitAsync_WaitsForTheDirectory_WhenOnlyTheOutOfOfficeLookupFails()
    {
        var directory = FakeDirectory.Standard();
        directory.AbsencesDown = true;

        var request = await Submit(ManagerFlow(), directory);

        Assert.True(request.IsWaitingForDirectory);
        Assert.Empty(request.StageRuns);
    }

    [Fact]
    public async Task SubmitAsync_StillRefuses_WhenTheDirectoryAnswersThatNobodyApproves()
    {
        var directory = new FakeDirectory(); // nobody has a manager

        var error = await Assert.ThrowsAsync<DomainException>(() => Submit(ManagerFlow(), directory));

        Assert.Equal("approval.unresolved", error.Code);
    }

    [Fact]
    public async Task ApproveAsync_RecordsTheDecision_AndTheNextStageWaits_WhenTheDirectoryDoesNotAnswer()
    {
        var directory = FakeDirectory.Standard();
        var request = await Submit(Flow(Stage("Manager", ApproverRule.RequesterManager()), Stage("Legal", ApproverRule.Group("Legal"))), directory);
        directory.Down = true;

        var result = await request.Approve(People.Bob, directory);

        Assert.True(result.Accepted);
        Assert.Equal(StageRunStatus.Approved, request.StageRuns[0].Status);
        Assert.Equal((ApprovalStatus.Blocked, 2), (request.Status, request.CurrentStageNumber));
        Assert.True(request.IsWaitingForDirectory);

        directory.Down = false;
        Assert.True(await request.RetryBlockedStageAsync(directory, AroundTheClockCalendar.Instance, Monday10.AddHours(2)));
        Assert.Equal([People.Lena, People.Leo, People.Lou], request.WaitingFor);
    }

    [Fact]
    public async Task ResubmitAsync_RecordsTheNewRevision_AndWaits_WhenTheDirectoryDoesNotAnswer()
    {
        var directory = FakeDirectory.Standard();
        var request = await Submit(ManagerFlow(), directory);
        request.AskForChanges(People.Bob);
        directory.Down = true;

        await request.ResubmitAsync(People.Alice, new Resubmission("Warranty added"), directory, AroundTheClockCalendar.Instance, Monday10.AddHours(5));

        Assert.Equal((2, ApprovalStatus.Blocked), (request.Revision, request.Status));
        Assert.True(request.IsWaitingForDirectory);
    }

    [Fact]
    public async Task IsWaitingForDirectory_IsFalse_WhenBlockedForSomethingToFix()
    {
        var directory = FakeDirectory.Standard();
        var request = await Submit(Flow(Stage("Manager", ApproverRule.RequesterManager()), Stage("Finance", ApproverRule.Group("Finance"))), directory);

        await request.Approve(People.Bob, directory);

        Assert.Equal(ApprovalStatus.Blocked, request.Status);
        Assert.False(request.IsWaitingForDirectory);
    }
}
