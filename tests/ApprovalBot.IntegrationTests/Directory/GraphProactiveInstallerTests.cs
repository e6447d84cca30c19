using ApprovalBot.OrgDirectory.Graph;
using ApprovalBot.TestSupport.Graph;

namespace ApprovalBot.IntegrationTests.OrgDirectory;

/// <summary>
/// Proactive installation through the real Graph SDK against the fake Graph: install (201) or find it installed (409),
/// then the installation and its chat; refusals fall back to Teams, outages wait for a retry.
/// </summary>
public sealed class GraphProactiveInstallerTests : IAsyncLifetime
{
    private GraphTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await GraphTestBed.StartAsync(installApp: true);

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private Task<ProactiveInstall> InstallAsync(string userId) => _bed.Installer.InstallAsync(userId, CancellationToken.None);

    [Fact]
    public async Task InstallAsync_InstallsTheCatalogApp_ThenGivesItsChat_AndRemembersIt()
    {
        var result = await InstallAsync(GraphOrg.Patti);

        Assert.Equal(new ProactiveInstall.Ready(FakeGraphServer.ChatIdFor(GraphOrg.Patti)), result);
        Assert.True(_bed.Graph.IsInstalledFor(GraphOrg.Patti));
        var requests = _bed.Requests;
        Assert.Equal(3, requests.Count);
        Assert.Equal($"POST /v1.0/users/{GraphOrg.Patti}/teamwork/installedApps", requests[0].Line);
        Assert.Contains($"\"teamsApp@odata.bind\":\"{_bed.Graph.BaseUrl}/appCatalogs/teamsApps/{_bed.Graph.AppCatalogId}\"", requests[0].Body, StringComparison.Ordinal);
        Assert.Equal($"GET /v1.0/users/{GraphOrg.Patti}/teamwork/installedApps?$expand=teamsApp&$filter=teamsApp/id eq '{_bed.Graph.AppCatalogId}'", requests[1].Line);
        Assert.StartsWith($"GET /v1.0/users/{GraphOrg.Patti}/teamwork/installedApps/", requests[2].Line, StringComparison.Ordinal);
        Assert.EndsWith("/chat?$select=id", requests[2].Line, StringComparison.Ordinal);

        Assert.Equal(result, await InstallAsync(GraphOrg.Patti));
        Assert.Equal(3, _bed.Requests.Count);
    }

    [Fact]
    public async Task InstallAsync_TakesAConflictAsAlreadyInstalled()
    {
        _bed.Graph.MarkInstalled(GraphOrg.Megan);

        Assert.Equal(new ProactiveInstall.Ready(FakeGraphServer.ChatIdFor(GraphOrg.Megan)), await InstallAsync(GraphOrg.Megan));
        Assert.Equal(3, _bed.Requests.Count); // 409, the installation, its chat
    }

    [Theory]
    [InlineData("29:1a2b3c")]
    [InlineData("user-id-1")]
    public async Task InstallAsync_SkipsTeamsUserIds_WithoutAskingGraph(string teamsUserId)
    {
        Assert.IsType<ProactiveInstall.Skipped>(await InstallAsync(teamsUserId));
        Assert.Empty(_bed.Requests);
    }

    [Fact]
    public async Task InstallAsync_SkipsAUserGraphDoesNotKnow_AndARefusal_SoTeamsCanTryItsOwnWay()
    {
        Assert.IsType<ProactiveInstall.Skipped>(await InstallAsync(GraphOrg.Nobody));

        _bed.Graph.Fail(403, times: 1, pathContains: "/teamwork/", code: "Forbidden");
        var refused = Assert.IsType<ProactiveInstall.Skipped>(await InstallAsync(GraphOrg.Isaiah));
        Assert.Contains("403", refused.Why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstallAsync_IsUnavailable_WhileGraphIsDown_AndReadyOnceItIsBack()
    {
        _bed.Graph.Fail(503, times: 100, pathContains: "/teamwork/");

        var down = Assert.IsType<ProactiveInstall.Unavailable>(await InstallAsync(GraphOrg.Alex));
        Assert.Contains("503", down.Why, StringComparison.Ordinal);

        _bed.Graph.Heal();
        Assert.IsType<ProactiveInstall.Ready>(await InstallAsync(GraphOrg.Alex));
    }

    [Fact]
    public async Task WithoutACatalogAppId_NothingIsInstalled()
    {
        await using var bed = await GraphTestBed.StartAsync(installApp: false);

        Assert.IsType<ProactiveInstall.Skipped>(await bed.Installer.InstallAsync(GraphOrg.Alex, CancellationToken.None));
        Assert.Empty(bed.Requests);
    }
}
