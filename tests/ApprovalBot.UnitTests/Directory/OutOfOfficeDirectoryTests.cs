using ApprovalBot.Approvals;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.OrgDirectory;

namespace ApprovalBot.UnitTests.OrgDirectory;

/// <summary>
/// Automatic replies in the directory file, and how the resolver turns them into an absence with a stand-in: the
/// configured delegate, else the manager; the scheduled window on a manual clock; the switch; an outage.
/// </summary>
public sealed class OutOfOfficeDirectoryTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly PersonId Worker = new("worker");
    private static readonly PersonId Boss = new("boss");
    private static readonly PersonId Lawyer = new("lawyer");
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = new(2026, 12, 12, 8, 0, 0, TimeSpan.Zero);

    private const string File = """
        { "people": [
            { "id": "boss", "displayName": "Bea Boss", "email": "bea@example.com", "automaticReplies": { "status": "alwaysEnabled" } },
            { "id": "worker", "displayName": "Walt Worker", "email": "walt@example.com", "managerId": "boss",
              "automaticReplies": { "status": "Scheduled", "start": "2026-12-07T09:00:00+01:00", "end": "2026-12-12T08:00:00Z" } },
            { "id": "lawyer", "displayName": "Lee Lawyer", "email": "lee@example.com", "managerId": "boss", "automaticReplies": { "status": "disabled" } }
          ] }
        """;

    private static DirectoryApproverResolver Resolver(OutOfOfficeOptions? options = null, IDirectory? directory = null) =>
        new(directory ?? JsonFileDirectory.FromJson(File), options ?? new OutOfOfficeOptions());

    [Fact]
    public async Task GetAutomaticRepliesAsync_ReadsTheFile_AndIsOffForPeopleWithoutTheField()
    {
        var directory = JsonFileDirectory.FromJson(File);

        Assert.Equal(new AutomaticReplies(AutomaticRepliesStatus.Scheduled, Start, End), await directory.GetAutomaticRepliesAsync(Worker, None));
        Assert.Equal(AutomaticRepliesStatus.AlwaysEnabled, (await directory.GetAutomaticRepliesAsync(Boss, None))!.Status);
        Assert.Equal(AutomaticReplies.Off, await JsonFileDirectory.FromJson(JsonFileDirectoryTests.Small).GetAutomaticRepliesAsync(Boss, None));
        Assert.Null(await directory.GetAutomaticRepliesAsync(new PersonId("nobody"), None));
    }

    [Fact]
    public void FromJson_ListsEveryAutomaticRepliesProblem()
    {
        var error = Assert.Throws<DirectoryFileException>(() => JsonFileDirectory.FromJson("""
            { "people": [
                { "id": "a", "displayName": "A", "automaticReplies": { "status": "holiday" } },
                { "id": "b", "displayName": "B", "automaticReplies": { "status": "scheduled", "start": "2026-12-07T09:00:00", "end": "soon" } },
                { "id": "c", "displayName": "C", "automaticReplies": { "status": "scheduled", "start": "2026-12-12T00:00:00Z", "end": "2026-12-07T00:00:00Z" } },
                { "id": "d", "displayName": "D", "automaticReplies": { "status": "disabled", "end": "2026-12-07T00:00:00Z" } }
              ] }
            """));

        Assert.Equal(
        [
            "person a automaticReplies has status 'holiday'; it must be disabled, alwaysEnabled or scheduled",
            "person b automaticReplies has start '2026-12-07T09:00:00', which is not a date and time with a UTC offset (e.g. 2026-12-07T09:00:00Z or 2026-12-07T09:00:00+01:00)",
            "person b automaticReplies has end 'soon', which is not a date and time with a UTC offset (e.g. 2026-12-07T09:00:00Z or 2026-12-07T09:00:00+01:00)",
            "person c automaticReplies ends (2026-12-07T00:00:00Z) before it starts (2026-12-12T00:00:00Z)",
            "person d automaticReplies has a start or end, which only a scheduled status uses",
        ], error.Problems);
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    public async Task AbsenceAsync_FollowsTheScheduledStart(long ticks, bool away) =>
        Assert.Equal(away, await Resolver().AbsenceAsync(Worker, Start.AddTicks(ticks), None) is not null);

    [Theory]
    [InlineData(-1, true)]
    [InlineData(0, false)]
    public async Task AbsenceAsync_FollowsTheScheduledEnd(long ticks, bool away) =>
        Assert.Equal(away, await Resolver().AbsenceAsync(Worker, End.AddTicks(ticks), None) is not null);

    [Fact]
    public async Task AbsenceAsync_ProposesTheManager_WhenNoDelegateIsConfigured()
    {
        var absence = await Resolver().AbsenceAsync(Worker, Start, None);

        Assert.Equal(new ApproverAbsence("automatic replies are on until 2026-12-12 08:00 +00:00", Boss, "their manager"), absence);
    }

    [Theory]
    [InlineData("WALT@example.com", "lee@example.com")]
    [InlineData("worker", "lawyer")]
    public async Task AbsenceAsync_ProposesTheConfiguredDelegate_ByAddressOrId(string approver, string standIn)
    {
        var options = new OutOfOfficeOptions { Delegates = { [approver] = standIn } };

        var absence = await Resolver(options).AbsenceAsync(Worker, Start, None);

        Assert.Equal((Lawyer, "their configured delegate"), (absence!.StandIn, absence.StandInRole));
    }

    [Fact]
    public async Task AbsenceAsync_FallsBackToTheManager_WhenTheConfiguredDelegateIsUnknown()
    {
        var options = new OutOfOfficeOptions { Delegates = { ["walt@example.com"] = "gone@example.com" } };

        var absence = await Resolver(options).AbsenceAsync(Worker, Start, None);

        Assert.Equal((Boss, "their manager, as their configured delegate 'gone@example.com' is not in the directory"), (absence!.StandIn, absence.StandInRole));
    }

    [Fact]
    public async Task AbsenceAsync_ProposesNobody_WhenThereIsNoDelegateAndNoManager()
    {
        var absence = await Resolver().AbsenceAsync(Boss, Start, None);

        Assert.Equal(new ApproverAbsence("automatic replies are on", null, NoStandIn: "they have no configured delegate and no manager in the directory"), absence);
    }

    [Fact]
    public async Task AbsenceAsync_IsNull_WhenSwitchedOffOrNotAway()
    {
        Assert.Null(await Resolver(new OutOfOfficeOptions { Enabled = false }).AbsenceAsync(Boss, Start, None));
        Assert.Null(await Resolver().AbsenceAsync(Lawyer, Start, None));
    }

    [Fact]
    public async Task AbsenceAsync_SaysTheDirectoryIsUnavailable_WhenItDoesNotAnswer() =>
        await Assert.ThrowsAsync<ApproversUnavailableException>(() => Resolver(directory: new DownDirectory()).AbsenceAsync(Worker, Start, None).AsTask());

    [Fact]
    public void OutOfOfficeOptions_RefuseEmptyOrSelfDelegates()
    {
        Assert.True(new OutOfOfficeOptions { Delegates = { ["a@example.com"] = "b@example.com" } }.DelegatesAreValid());
        Assert.False(new OutOfOfficeOptions { Delegates = { ["a@example.com"] = " " } }.DelegatesAreValid());
        Assert.False(new OutOfOfficeOptions { Delegates = { ["a@example.com"] = "A@example.com" } }.DelegatesAreValid());
    }

    private sealed class DownDirectory : IDirectory
    {
        public Task<DirectoryPerson?> GetPersonAsync(PersonId id, CancellationToken cancellationToken) => throw new DirectoryUnavailableException();

        public Task<DirectoryPerson?> FindByEmailOrUpnAsync(string emailOrUpn, CancellationToken cancellationToken) => throw new DirectoryUnavailableException();

        public Task<DirectoryPerson?> GetManagerAsync(PersonId id, CancellationToken cancellationToken) => throw new DirectoryUnavailableException();

        public Task<IReadOnlyList<DirectoryPerson>?> GetGroupMembersAsync(string groupName, CancellationToken cancellationToken) => throw new DirectoryUnavailableException();

        public Task<string?> GetTimeZoneAsync(PersonId id, CancellationToken cancellationToken) => throw new DirectoryUnavailableException();

        public Task<AutomaticReplies?> GetAutomaticRepliesAsync(PersonId id, CancellationToken cancellationToken) => throw new DirectoryUnavailableException();
    }
}
