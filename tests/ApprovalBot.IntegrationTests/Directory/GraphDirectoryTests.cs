using ApprovalBot.Domain.Common;
using ApprovalBot.OrgDirectory;

namespace ApprovalBot.IntegrationTests.OrgDirectory;

/// <summary>
/// The Graph directory through the real Graph SDK and Azure.Identity, against a fake Graph and a fake Entra that speak
/// their real HTTP and JSON over HTTPS on loopback: what is asked (exactly), what the answers become, paging,
/// throttling, outages and the cache.
/// </summary>
public sealed class GraphDirectoryTests : IAsyncLifetime
{
    private const string Select = "$select=id,displayName,mail,userPrincipalName,jobTitle";
    private GraphTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await GraphTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private IDirectory Directory => _bed.Directory;

    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task GetManagerAsync_ReturnsTheManager_AskingGraphForTheSelectedFieldsOnly_WithATokenForGraph()
    {
        var manager = await Directory.GetManagerAsync(new PersonId(GraphOrg.Alex), None);

        Assert.NotNull(manager);
        Assert.Equal(new PersonId(GraphOrg.Megan), manager.Id);
        Assert.Equal("Megan Bowen", manager.DisplayName);
        Assert.Equal("meganb@contoso.test", manager.Email);
        var request = Assert.Single(_bed.Requests);
        Assert.Equal($"GET /v1.0/users/{GraphOrg.Alex}/manager?{Select}", request.Line);
        Assert.True(request.Authorized);
        var token = Assert.Single(_bed.Entra.TokenRequests);
        Assert.Equal(("contoso.test", "client_credentials", _bed.Graph.Scope), (token.Tenant, token.GrantType, token.Scope));
    }

    [Fact]
    public async Task GetManagerAsync_ReturnsNull_WhenGraphAnswers404ForAPersonWithoutAManager()
    {
        Assert.Null(await Directory.GetManagerAsync(new PersonId(GraphOrg.Lynne), None));
        Assert.NotNull(await Directory.GetPersonAsync(new PersonId(GraphOrg.Lynne), None));
        Assert.Null(await Directory.GetManagerAsync(new PersonId(GraphOrg.Nobody), None));
    }

    [Fact]
    public async Task GetGroupMembersAsync_FindsTheGroupByName_AndFollowsNextLinksAcrossEveryPage()
    {
        var members = await Directory.GetGroupMembersAsync(GraphOrg.LargeGroup, None);

        Assert.NotNull(members);
        Assert.Equal([GraphOrg.Alex, GraphOrg.Megan, GraphOrg.Lynne, GraphOrg.Adele, GraphOrg.Isaiah], members.Select(m => m.Id.Value));
        Assert.Equal("Isaiah Langer", members[^1].DisplayName);
        var lines = _bed.Requests.Select(r => r.Line).ToList();
        Assert.Equal($"GET /v1.0/groups?$filter=displayName eq 'Everyone in IT'&$select=id,displayName&$top=2", lines[0]);
        var pages = lines.Skip(1).ToList();
        Assert.Equal(3, pages.Count);
        Assert.All(pages, p => Assert.Contains("/transitiveMembers/graph.user?", p, StringComparison.Ordinal));
        Assert.Contains($"{Select}&$top=999", pages[0], StringComparison.Ordinal);
        Assert.EndsWith("?$skiptoken=2", pages[1], StringComparison.Ordinal);
        Assert.EndsWith("?$skiptoken=4", pages[2], StringComparison.Ordinal);

        // The members are people the directory now knows without asking again.
        Assert.Equal("Adele Vance", (await Directory.GetPersonAsync(new PersonId(GraphOrg.Adele), None))!.DisplayName);
        Assert.Equal(4, _bed.Requests.Count);
    }

    [Fact]
    public async Task GetGroupMembersAsync_IsNullForAnUnknownGroup_EmptyForAnEmptyOne_AndEscapesQuotesInTheName()
    {
        Assert.Null(await Directory.GetGroupMembersAsync("No such group", None));
        Assert.Empty((await Directory.GetGroupMembersAsync(GraphOrg.EmptyGroup, None))!);
        var quoted = await Directory.GetGroupMembersAsync(GraphOrg.QuotedGroup, None);

        Assert.Equal([GraphOrg.Patti], quoted!.Select(m => m.Id.Value));
        Assert.Contains(_bed.Requests, r => r.Line.Contains("displayName eq 'O''Brien''s reviewers'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("alexw@contoso.test")]
    [InlineData("ALEX.WILBER@contoso.test")]
    public async Task FindByEmailOrUpnAsync_FindsThePerson_ByMailOrUserPrincipalName(string address)
    {
        var person = await Directory.FindByEmailOrUpnAsync(address, None);

        Assert.Equal(new PersonId(GraphOrg.Alex), person!.Id);
        Assert.Equal(("alexw@contoso.test", "alex.wilber@contoso.test", "Analyst"), (person.Email, person.UserPrincipalName, person.JobTitle));
        Assert.Equal($"GET /v1.0/users?$filter=mail eq '{address}' or userPrincipalName eq '{address}'&{Select}&$top=2", Assert.Single(_bed.Requests).Line);
        Assert.Null(await Directory.FindByEmailOrUpnAsync("nobody@contoso.test", None));
    }

    [Fact]
    public async Task GetTimeZoneAsync_GivesIanaIds_ConvertingWindowsNames_AndNullWithoutAMailbox()
    {
        Assert.Equal("Europe/Berlin", await Directory.GetTimeZoneAsync(new PersonId(GraphOrg.Alex), None));
        Assert.Equal("America/New_York", await Directory.GetTimeZoneAsync(new PersonId(GraphOrg.Lynne), None));
        Assert.Equal("UTC", await Directory.GetTimeZoneAsync(new PersonId(GraphOrg.Patti), None));
        Assert.Null(await Directory.GetTimeZoneAsync(new PersonId(GraphOrg.Adele), None));
        Assert.Contains(_bed.Requests, r => r.Line == $"GET /v1.0/users/{GraphOrg.Alex}/mailboxSettings?$select=timeZone,automaticRepliesSetting");
    }

    [Fact]
    public async Task GetAutomaticRepliesAsync_ReadsEachStatus_AndTheScheduleAsInstants()
    {
        Assert.Equal(AutomaticReplies.Off, await Directory.GetAutomaticRepliesAsync(new PersonId(GraphOrg.Alex), None));
        Assert.Equal(AutomaticRepliesStatus.AlwaysEnabled, (await Directory.GetAutomaticRepliesAsync(new PersonId(GraphOrg.Megan), None))!.Status);

        var scheduled = await Directory.GetAutomaticRepliesAsync(new PersonId(GraphOrg.Lynne), None);
        Assert.Equal(AutomaticRepliesStatus.Scheduled, scheduled!.Status);
        Assert.Equal(new DateTimeOffset(2026, 12, 24, 16, 0, 0, TimeSpan.Zero), scheduled.ScheduledStart); // 08:00 Pacific
        Assert.Equal(new DateTimeOffset(2027, 1, 4, 0, 0, 0, TimeSpan.Zero), scheduled.ScheduledEnd);
        Assert.False(scheduled.IsOnAt(_bed.Clock.GetUtcNow()));
        Assert.True(scheduled.IsOnAt(new DateTimeOffset(2026, 12, 28, 12, 0, 0, TimeSpan.Zero)));

        // No mailbox (404 MailboxNotEnabledForRESTAPI): replies off. Nobody (404): unknown, so null.
        Assert.Equal(AutomaticReplies.Off, await Directory.GetAutomaticRepliesAsync(new PersonId(GraphOrg.Adele), None));
        Assert.Null(await Directory.GetAutomaticRepliesAsync(new PersonId(GraphOrg.Nobody), None));
    }

    [Fact]
    public async Task Throttling_IsRetriedAfterTheRetryAfterGraphSent_AndThenAnswers()
    {
        _bed.Graph.Fail(429, times: 1, retryAfter: TimeSpan.FromSeconds(1));

        var person = await Directory.GetPersonAsync(new PersonId(GraphOrg.Patti), None);

        Assert.Equal("Patti Fernandez", person!.DisplayName);
        var requests = _bed.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Equal(requests[0].Line, requests[1].Line);
        Assert.True(requests[1].Elapsed - requests[0].Elapsed >= TimeSpan.FromMilliseconds(950),
            $"The retry came {requests[1].Elapsed - requests[0].Elapsed} after the 429, before its Retry-After of 1 s.");
    }

    [Fact]
    public async Task AnOutlastingOutage_ThrowsDirectoryUnavailable_AfterTheConfiguredRetries_WithoutLeakingTheToken()
    {
        _bed.Graph.Fail(503, times: 100);

        var e = await Assert.ThrowsAsync<DirectoryUnavailableException>(() => Directory.GetManagerAsync(new PersonId(GraphOrg.Alex), None));

        Assert.Equal(4, _bed.Requests.Count); // the request and Graph's 3 retries
        Assert.Contains("the manager of " + GraphOrg.Alex, e.Message, StringComparison.Ordinal);
        Assert.Contains("503", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("fake-entra.", e.ToString(), StringComparison.Ordinal);

        // A failure is not cached: once Graph is back, the next call asks again and gets the answer.
        _bed.Graph.Heal();
        Assert.Equal(new PersonId(GraphOrg.Megan), (await Directory.GetManagerAsync(new PersonId(GraphOrg.Alex), None))!.Id);
    }

    [Fact]
    public async Task MissingPermission_IsAnOutageNamingTheFix_NotAnEmptyAnswer()
    {
        _bed.Graph.Fail(403, times: 1, code: "Authorization_RequestDenied");

        var e = await Assert.ThrowsAsync<DirectoryUnavailableException>(() => Directory.GetGroupMembersAsync(GraphOrg.LargeGroup, None));

        Assert.Contains("403 Authorization_RequestDenied", e.Message, StringComparison.Ordinal);
        Assert.Contains("permissions", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answers_AreCached_UntilTheirLifetimeEnds_OnTheHostClock()
    {
        var alex = new PersonId(GraphOrg.Alex);
        await Directory.GetPersonAsync(alex, None);
        await Directory.GetTimeZoneAsync(alex, None);
        Assert.Equal(2, _bed.Requests.Count);

        _bed.Clock.Advance(TimeSpan.FromMinutes(4));
        await Directory.GetPersonAsync(alex, None);
        await Directory.GetTimeZoneAsync(alex, None);
        await Directory.GetAutomaticRepliesAsync(alex, None); // the same mailbox settings
        Assert.Equal(2, _bed.Requests.Count);

        // Mailbox settings live 5 minutes, people 15.
        _bed.Clock.Advance(TimeSpan.FromMinutes(2));
        await Directory.GetPersonAsync(alex, None);
        await Directory.GetTimeZoneAsync(alex, None);
        Assert.Equal(3, _bed.Requests.Count);
        Assert.EndsWith("/mailboxSettings", _bed.Requests[^1].Path, StringComparison.Ordinal);

        _bed.Clock.Advance(TimeSpan.FromMinutes(10));
        await Directory.GetPersonAsync(alex, None);
        Assert.Equal(4, _bed.Requests.Count);
    }

    [Fact]
    public async Task NotFound_IsCachedForTheShorterLifetime()
    {
        var lynne = new PersonId(GraphOrg.Lynne);
        Assert.Null(await Directory.GetManagerAsync(lynne, None));
        Assert.Null(await Directory.GetManagerAsync(lynne, None));
        Assert.Single(_bed.Requests);

        _bed.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Null(await Directory.GetManagerAsync(lynne, None));
        Assert.Equal(2, _bed.Requests.Count);
        Assert.Single(_bed.Entra.TokenRequests); // one token serves every call
    }
}
