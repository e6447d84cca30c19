using System.Net;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Teams.Outbox;
using ApprovalBot.TestSupport.Connector;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.IntegrationTests.Operations;

/// <summary>
/// <c>/ops</c> as a Teams static tab, through the real endpoint in production auth mode: the tab page is a shell with no
/// data that loads the shared tab script from the bot; the script then asks for <c>/ops</c> with the Teams token, which
/// an administrator's token opens and anyone else's gets a 403 "not an administrator" for; and the page's actions,
/// posted by the tab with the token in the Authorization header and no cookie (the Teams frame sends none), are done and
/// audited under the administrator's name.
/// </summary>
public sealed class OperationsTabTests(OperationsHost host) : IClassFixture<OperationsHost>
{
    private BotTestHost Bot => host.Bot;

    [Fact]
    public async Task TheTabPage_IsAShellThatLoadsTheTeamsLibraryAndTheSharedTabScriptFromTheBot_AndHoldsNoData()
    {
        using var response = await Bot.Http.GetAsync("/ops/tab");
        var body = await response.Content.ReadAsStringAsync();
        using var library = await Bot.Http.GetAsync("/ops/assets/MicrosoftTeams-2.58.0.min.js");
        using var script = await Bot.Http.GetAsync("/ops/assets/tab.js");
        using var stylesheet = await Bot.Http.GetAsync("/ops/assets/ops.css");
        using var unknown = await Bot.Http.GetAsync("/ops/assets/other.js");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<script src=\"/ops/assets/MicrosoftTeams-2.58.0.min.js\"></script>", body, StringComparison.Ordinal);
        Assert.Contains("<script src=\"/ops/assets/tab.js\" data-page=\"/ops\" data-root=\"ops\" data-tab=\"Operations\" defer></script>", body, StringComparison.Ordinal);
        Assert.Contains("<main id=\"ops\">", body, StringComparison.Ordinal);
        Assert.DoesNotContain("data-figure", body, StringComparison.Ordinal);
        Assert.DoesNotContain("http-equiv=\"refresh\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", body, StringComparison.Ordinal);
        var csp = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'self' https://teams.microsoft.com", csp, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, library.StatusCode);
        Assert.Contains("microsoftTeams", await library.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("getAuthToken", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, stylesheet.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task AnAdministratorsTabToken_GetsThePageWithItsData_ForTheTabToReload()
    {
        var ops = new OpsClient(Bot, authorization: host.TabToken(OperationsHost.AdminObjectId));

        var (status, page) = await ops.GetPageAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<main id=\"ops\" data-refresh=\"10\">", page, StringComparison.Ordinal);
        Assert.Contains("data-figure=\"timers-armed\"", page, StringComparison.Ordinal);
        Assert.Contains("data-health=\"database\"", page, StringComparison.Ordinal);
        Assert.Contains($"({OperationsHost.AdminObjectId}, Teams)", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANonAdministratorsTabToken_GetsA403PageThatSaysTheyAreNotAnAdministrator_WithNoData()
    {
        var ops = new OpsClient(Bot, authorization: host.TabToken(OperationsHost.OtherObjectId));

        var (status, page) = await ops.GetPageAsync();
        var (post, postPage) = await ops.PostFormAsync("/ops/outbox/1/discard", token: null);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("<main id=\"ops\"><h1>Administrators only</h1>", page, StringComparison.Ordinal);
        Assert.Contains("You are signed in, but not an administrator.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-figure", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-refresh", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, post);
        Assert.Contains("not an administrator", postPage, StringComparison.Ordinal);
        await using var db = Bot.CreateDbContext();
        Assert.False(await db.OperationsAudit.AnyAsync(a => a.Actor.Contains(OperationsHost.OtherObjectId)));
    }

    [Fact]
    public async Task AnActionPostedByTheTab_WithTheBearerTokenAndNoCookieOrFormToken_IsDone_AndAuditedUnderTheAdministrator()
    {
        var chat = await Bot.WelcomedChatAsync(TestUser.Create("Isaiah Langer"));
        Bot.Connector.Enqueue(FakeResponse.Error(400, "BadArgument", "Activity is not valid."), conversationId: chat.Id);
        await chat.SendAsync("help");
        long id = 0;
        await Bot.WaitUntilStoredAsync(async db =>
        {
            id = await db.OutboxMessages.Where(m => m.Status == OutboxStatus.GivenUp && m.ConversationId == chat.Id).Select(m => m.Id).FirstOrDefaultAsync();
            return id != 0;
        }, "no message was given up", TimeSpan.FromSeconds(20));
        // As the tab's fetch sends it: the form's fields, the token in the Authorization header, the page's own origin,
        // and no cookie (none reaches the bot from inside the Teams frame), so no double-submit token either.
        var tab = new OpsClient(Bot, authorization: host.TabToken(OperationsHost.AdminObjectId));

        var (status, page) = await tab.PostFormAsync($"/ops/outbox/{id}/retry", token: null, origin: Bot.Http.BaseAddress!.GetLeftPart(UriPartial.Authority));

        Assert.True(status == HttpStatusCode.OK, page);
        Assert.Contains($"Outbox message {id} is pending again and is sent next.", page, StringComparison.Ordinal);
        Assert.Contains("<main id=\"ops\" data-refresh=\"10\">", page, StringComparison.Ordinal);
        await chat.ExpectCardAsync();
        await chat.ExpectNoMoreMessagesAsync();
        await using var db = Bot.CreateDbContext();
        Assert.Equal(OutboxStatus.Sent, (await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id)).Status);
        var audit = Assert.Single(await db.OperationsAudit.AsNoTracking().Where(a => a.Target == $"outbox {id}").ToListAsync());
        Assert.Equal(("outbox.retry", "done"), (audit.Action, audit.Outcome));
        Assert.Contains($"({OperationsHost.AdminObjectId}, Teams)", audit.Actor, StringComparison.Ordinal);
    }
}
