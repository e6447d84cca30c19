using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.OrgDirectory;

namespace ApprovalBot.UnitTests.OrgDirectory;

public sealed class DirectoryApproverResolverTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly PersonId Worker = new("worker");
    private static readonly PersonId Boss = new("boss");
    private static readonly PersonId Lawyer = new("lawyer");

    private static DirectoryApproverResolver Resolver() => new(JsonFileDirectory.FromJson(JsonFileDirectoryTests.Small));

    [Fact]
    public async Task ResolveAsync_ReturnsTheManager_WhenTheRuleIsRequesterManager()
    {
        var resolution = await Resolver().ResolveAsync(ApproverRule.RequesterManager(), Worker, None);

        Assert.True(resolution.IsResolved);
        Assert.Equal([Boss], resolution.Approvers);
    }

    [Fact]
    public async Task ResolveAsync_CannotResolve_WhenTheRequesterHasNoManager()
    {
        var resolution = await Resolver().ResolveAsync(ApproverRule.RequesterManager(), Boss, None);

        Assert.False(resolution.IsResolved);
        Assert.Contains("Bea Boss has no manager", resolution.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_CannotResolve_WhenTheRequesterIsNotInTheDirectory()
    {
        var resolution = await Resolver().ResolveAsync(ApproverRule.RequesterManager(), new PersonId("stranger"), None);

        Assert.False(resolution.IsResolved);
        Assert.Contains("(stranger) is not in the directory", resolution.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_ReturnsTheMembers_WhenTheRuleIsAGroup()
    {
        var resolution = await Resolver().ResolveAsync(ApproverRule.Group("LEGAL"), Worker, None);

        Assert.Equal([Lawyer, Boss], resolution.Approvers);
    }

    [Fact]
    public async Task ResolveAsync_CannotResolve_WhenTheGroupIsUnknown()
    {
        var resolution = await Resolver().ResolveAsync(ApproverRule.Group("Finance"), Worker, None);

        Assert.Contains("no group named 'Finance'", resolution.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_CannotResolve_WhenTheGroupIsEmpty()
    {
        var resolution = await Resolver().ResolveAsync(ApproverRule.Group("Empty"), Worker, None);

        Assert.Contains("group 'Empty' has no members", resolution.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_ReturnsThePeople_WhenAllAreInTheDirectory()
    {
        var resolution = await Resolver().ResolveAsync(ApproverRule.People(Lawyer, Boss), Worker, None);

        Assert.Equal([Lawyer, Boss], resolution.Approvers);
    }

    [Fact]
    public async Task ResolveAsync_CannotResolve_WhenSomeNamedPeopleAreUnknown()
    {
        var resolution = await Resolver().ResolveAsync(ApproverRule.People(Lawyer, new PersonId("ghost")), Worker, None);

        Assert.Equal("not in the directory: ghost", resolution.Failure);
    }

    [Theory]
    [InlineData(ApproverRuleKind.RequesterManager)]
    [InlineData(ApproverRuleKind.Group)]
    [InlineData(ApproverRuleKind.People)]
    public async Task ResolveAsync_SaysTheApproversAreUnavailable_WhenTheDirectoryIsUnavailable(ApproverRuleKind kind)
    {
        var rule = kind switch
        {
            ApproverRuleKind.RequesterManager => ApproverRule.RequesterManager(),
            ApproverRuleKind.Group => ApproverRule.Group("Legal"),
            _ => ApproverRule.People(Lawyer),
        };

        // The domain turns this into a stage that waits for the directory (see OutOfOfficeTests in Domain).
        var error = await Assert.ThrowsAsync<ApproversUnavailableException>(
            async () => await new DirectoryApproverResolver(new UnavailableDirectory()).ResolveAsync(rule, Worker, None));
        Assert.IsType<DirectoryUnavailableException>(error.InnerException);
    }

    /// <summary>A directory whose every call fails the way an outage does.</summary>
    private sealed class UnavailableDirectory : IDirectory
    {
        private static Task<T> Down<T>() => Task.FromException<T>(new DirectoryUnavailableException("Graph is down."));

        public Task<DirectoryPerson?> GetPersonAsync(PersonId id, CancellationToken cancellationToken) => Down<DirectoryPerson?>();

        public Task<DirectoryPerson?> FindByEmailOrUpnAsync(string emailOrUpn, CancellationToken cancellationToken) => Down<DirectoryPerson?>();

        public Task<DirectoryPerson?> GetManagerAsync(PersonId id, CancellationToken cancellationToken) => Down<DirectoryPerson?>();

        public Task<IReadOnlyList<DirectoryPerson>?> GetGroupMembersAsync(string groupName, CancellationToken cancellationToken) =>
            Down<IReadOnlyList<DirectoryPerson>?>();

        public Task<string?> GetTimeZoneAsync(PersonId id, CancellationToken cancellationToken) => Down<string?>();

        public Task<AutomaticReplies?> GetAutomaticRepliesAsync(PersonId id, CancellationToken cancellationToken) => Down<AutomaticReplies?>();
    }
}
