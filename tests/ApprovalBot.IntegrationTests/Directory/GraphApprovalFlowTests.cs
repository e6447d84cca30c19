using System.Net;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Teams.Outbox;
using ApprovalBot.TestSupport.Connector;
using ApprovalBot.TestSupport.Graph;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalBot.IntegrationTests.OrgDirectory;

/// <summary>
/// The agreement approval flow through the real endpoint with <c>Directory:Source=Graph</c> pointed at the fake Graph:
/// the manager, Legal and Management come from Graph, and approvers who never talked to the bot get the app installed
/// for them through Graph (201, or 409 when it already was) and their card in the chat Graph names.
/// </summary>
public sealed class GraphApprovalFlowTests : IAsyncLifetime
{
    private FakeEntraTokenEndpoint _graphEntra = null!;
    private FakeGraphServer _graph = null!;
    private BotTestHost _bot = null!;

    public async Task InitializeAsync()
    {
        // Graph's token comes from its own fake Entra: the host's one (for the connector) is made inside BotTestHost.
        _graphEntra = await FakeEntraTokenEndpoint.StartAsync(clientId: ApprovalBot.TestSupport.Auth.TestTokenIssuer.DefaultAppId);
        _graph = await FakeGraphServer.StartAsync(_graphEntra);
        _graph.AddUser(new FakeGraphUser(Cast.Alex.AadObjectId, "Alex Wilber", "alexw@contoso.test") { ManagerId = Cast.Megan.AadObjectId, TimeZone = "W. Europe Standard Time" });
        _graph.AddUser(new FakeGraphUser(Cast.Megan.AadObjectId, "Megan Bowen", "meganb@contoso.test") { ManagerId = Cast.Lynne.AadObjectId });
        _graph.AddUser(new FakeGraphUser(Cast.Adele.AadObjectId, "Adele Vance", "adelev@contoso.test"));
        _graph.AddUser(new FakeGraphUser(Cast.Isaiah.AadObjectId, "Isaiah Langer", "isaiahl@contoso.test"));
        _graph.AddUser(new FakeGraphUser(Cast.Patti.AadObjectId, "Patti Fernandez", "pattif@contoso.test"));
        _graph.AddUser(new FakeGraphUser(Cast.Lynne.AadObjectId, "Lynne Robbins", "lynner@contoso.test"));
        _graph.AddGroup(BuiltInFlows.LegalGroup, Cast.Adele.AadObjectId, Cast.Isaiah.AadObjectId);
        _graph.AddGroup(BuiltInFlows.ManagementGroup, Cast.Patti.AadObjectId, Cast.Lynne.AadObjectId);
        _graph.MarkInstalled(Cast.Adele.AadObjectId); // she had the app already: the install answers 409

        _bot = await BotTestHost.StartAsync(new BotTestHostOptions
        {
            Settings = _graph.BotConfiguration(installApp: true),
            Services = _graph.Trust,
        });
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _graph.DisposeAsync();
        await _graphEntra.DisposeAsync();
    }

    /// <summary>
    /// Alex installs the bot and submits a complete draft (the drafting form has its own tests). Everyone else has never
    /// talked to the bot.
    /// </summary>
    private async Task<(TestConversation Alex, long AgreementId)> SubmitAsync()
    {
        var alex = _bot.PersonalChat(Cast.Alex);
        await alex.InstallAsync();
        await alex.ExpectCardAsync(); // the welcome card
        long agreementId;
        await using (var db = _bot.CreateDbContext())
        {
            var terms = SampleTerms.Complete() with { OversightOwners = [new(Cast.Alex.AadObjectId)] };
            var agreement = Agreement.CreateDraft("Contoso help desk", terms, new(Cast.Alex.AadObjectId), _bot.Services.GetRequiredService<TimeProvider>().GetUtcNow());
            db.Agreements.Add(agreement);
            await db.SaveChangesAsync();
            agreementId = agreement.Id;
        }
        Assert.Equal(HttpStatusCode.OK, (await alex.SendAsync($"agreement submit {agreementId}")).Status);
        return (alex, agreementId);
    }

    [Fact]
    public async Task AgreementFlow_ReachesApproversFoundInGraph_InstallingTheBotForThemFirst_AndEndsApproved()
    {
        var (alex, agreementId) = await SubmitAsync();

        // Stage 1: Alex's manager, from Graph; she never talked to the bot, so it installs itself for her (201).
        var megan = _bot.PersonalChat(Cast.Megan, FakeGraphServer.ChatIdFor(Cast.Megan.AadObjectId));
        var (meganCopy, meganCard) = await megan.ExpectCardAsync(c => Cards.Verbs(c).Contains(ApprovalVerbs.Approve), TimeSpan.FromSeconds(20));
        Assert.True(_graph.IsInstalledFor(Cast.Megan.AadObjectId));
        var meganInstall = _graph.Requests.Where(r => r.Path.Contains(Cast.Megan.AadObjectId, StringComparison.Ordinal) && r.Path.Contains("/teamwork/", StringComparison.Ordinal)).Select(r => r.Line).ToList();
        Assert.Equal(
        [
            $"POST /v1.0/users/{Cast.Megan.AadObjectId}/teamwork/installedApps",
            $"GET /v1.0/users/{Cast.Megan.AadObjectId}/teamwork/installedApps?$expand=teamsApp&$filter=teamsApp/id eq '{_graph.AppCatalogId}'",
        ], meganInstall.Take(2));
        Assert.EndsWith("/chat?$select=id", meganInstall[2], StringComparison.Ordinal);
        Assert.DoesNotContain(_bot.Connector.Requests, r => r.Operation == FakeOperation.CreateConversation);
        Assert.Equal(HttpStatusCode.OK, (await megan.ClickAsync(meganCopy.ActivityId, ApprovalVerbs.Approve, Cards.Click(meganCard, ApprovalVerbs.Approve, "Fine by me."))).Status);

        // Stage 2: Legal from Graph's group. Adele had the app (409, normal); Isaiah gets it installed.
        var adele = _bot.PersonalChat(Cast.Adele, FakeGraphServer.ChatIdFor(Cast.Adele.AadObjectId));
        var isaiah = _bot.PersonalChat(Cast.Isaiah, FakeGraphServer.ChatIdFor(Cast.Isaiah.AadObjectId));
        var (adeleCopy, adeleCard) = await adele.ExpectCardAsync(c => Cards.Verbs(c).Contains(ApprovalVerbs.Approve), TimeSpan.FromSeconds(20));
        await isaiah.ExpectCardAsync(c => Cards.Verbs(c).Contains(ApprovalVerbs.Approve), TimeSpan.FromSeconds(20));
        Assert.Contains(_graph.Requests, r => r.Method == "POST" && r.Path.Contains(Cast.Adele.AadObjectId, StringComparison.Ordinal));
        Assert.True(_graph.IsInstalledFor(Cast.Isaiah.AadObjectId));
        Assert.Equal(HttpStatusCode.OK, (await adele.ClickAsync(adeleCopy.ActivityId, ApprovalVerbs.Approve, Cards.Click(adeleCard, ApprovalVerbs.Approve))).Status);

        // Stage 3: Management; Patti signs.
        var patti = _bot.PersonalChat(Cast.Patti, FakeGraphServer.ChatIdFor(Cast.Patti.AadObjectId));
        var (pattiCopy, pattiCard) = await patti.ExpectCardAsync(c => Cards.Verbs(c).Contains(ApprovalVerbs.Approve), TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.OK, (await patti.ClickAsync(pattiCopy.ActivityId, ApprovalVerbs.Approve, Cards.Click(pattiCard, ApprovalVerbs.Approve, "Signed."))).Status);

        await _bot.WaitForOutboxToSettleAsync();
        await using var check = _bot.CreateDbContext();
        Assert.Equal(ApprovalStatus.Approved, (await check.ApprovalRequests.AsNoTracking().SingleAsync(r => r.Subject.Id == agreementId)).Status);
        Assert.Equal(AgreementStatus.Active, (await check.Agreements.AsNoTracking().SingleAsync(a => a.Id == agreementId)).Status);
        Assert.Contains(_bot.Connector.GetMessages(alex.Id), m => (m.Current.Text ?? "").Contains("Megan Bowen approved stage 1", StringComparison.Ordinal));
        Assert.All(_graph.Requests, r => Assert.True(r.Authorized, $"{r.Line} had no valid Graph token"));
    }

    [Fact]
    public async Task ApproverOutOfOfficeInGraph_HasTheApprovalGoToTheirManagerFromGraph_WhoApprovesForThem()
    {
        // Megan's mailbox has automatic replies on: stage 1 goes to her manager in Graph, Lynne.
        _graph.AddUser(new FakeGraphUser(Cast.Megan.AadObjectId, "Megan Bowen", "meganb@contoso.test")
        {
            ManagerId = Cast.Lynne.AadObjectId,
            AutomaticReplies = new System.Text.Json.Nodes.JsonObject { ["status"] = "alwaysEnabled" },
        });
        var (alex, agreementId) = await SubmitAsync();

        var lynne = _bot.PersonalChat(Cast.Lynne, FakeGraphServer.ChatIdFor(Cast.Lynne.AadObjectId));
        var (copy, card) = await lynne.ExpectCardAsync(c => Cards.Verbs(c).Contains(ApprovalVerbs.Approve), TimeSpan.FromSeconds(20));
        Assert.Contains("Megan Bowen\n is out of office: delegated automatically to Lynne Robbins", TestConversation.Texts(card), StringComparison.Ordinal);
        Assert.Contains(_graph.Requests, r => r.Method == "GET" && r.Path.Contains($"/users/{Cast.Megan.AadObjectId}/mailboxSettings", StringComparison.Ordinal));
        // Megan is told where her approval went, in the chat Graph opened for her.
        var megan = _bot.PersonalChat(Cast.Megan, FakeGraphServer.ChatIdFor(Cast.Megan.AadObjectId));
        var told = await megan.ExpectMessageAsync(TimeSpan.FromSeconds(20));
        Assert.Contains("went to Lynne Robbins", told.Current.Text, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await lynne.ClickAsync(copy.ActivityId, ApprovalVerbs.Approve, Cards.Click(card, ApprovalVerbs.Approve, "For Megan."))).Status);
        await _bot.WaitForOutboxToSettleAsync();
        Assert.Contains(_bot.Connector.GetMessages(alex.Id), m => (m.Current.Text ?? "").Contains("Lynne Robbins (for Megan Bowen) approved stage 1", StringComparison.Ordinal));
        await using var check = _bot.CreateDbContext();
        var request = await check.ApprovalRequests.AsNoTracking().SingleAsync(r => r.Subject.Id == agreementId);
        var decision = Assert.Single(request.AuditTrail, e => e.Action == AuditAction.Approve);
        Assert.Equal((Cast.Lynne.AadObjectId, Cast.Megan.AadObjectId), (decision.Actor?.Value, decision.OnBehalfOf?.Value));
    }

    [Fact]
    public async Task GraphDownWhileInstalling_LeavesTheCardPendingForRetry_AndItArrivesOnceGraphIsBack()
    {
        _graph.Fail(503, times: 1000, pathContains: "/teamwork/");
        await SubmitAsync();

        await _bot.WaitUntilStoredAsync(
            async db => await db.OutboxMessages.AnyAsync(m => m.Operation == OutboxOperation.CreateAndSend && m.Status == OutboxStatus.Pending
                                                             && m.LastError != null && m.LastResult!.Contains(OutboxDispatcher.GraphUnavailable)),
            "The card for Megan was not kept pending after Graph failed.", TimeSpan.FromSeconds(30));
        Assert.Empty(_bot.Connector.GetMessages(FakeGraphServer.ChatIdFor(Cast.Megan.AadObjectId)));
        Assert.DoesNotContain(_bot.Connector.Requests, r => r.Operation == FakeOperation.CreateConversation);

        _graph.Heal();
        var megan = _bot.PersonalChat(Cast.Megan, FakeGraphServer.ChatIdFor(Cast.Megan.AadObjectId));
        await megan.ExpectCardAsync(c => Cards.Verbs(c).Contains(ApprovalVerbs.Approve), TimeSpan.FromSeconds(30));
    }
}
