using System.Net;
using System.Text.Json.Nodes;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.IntegrationTests.Api;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.OrgDirectory;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.IntegrationTests.Approvals;

/// <summary>
/// An approver whose automatic replies are on (in the directory file) when their stage starts: the approval goes to
/// their manager, who approves "for" them — on the card, in the audit trail, in the API and in the requester's
/// messages — and the approver is told where it went. Switched off, the approval stays with the approver.
/// </summary>
public sealed class OutOfOfficeDelegationTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("approvalbot-oof-").FullName;
    private ITestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await new SqliteTestDatabases().CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The shipped sample directory with Megan (Alex's manager; her manager is Lynne) out of office.</summary>
    private async Task<BotTestHost> StartAsync(bool enabled = true)
    {
        var directory = JsonNode.Parse(DirectoryModule.ReadSample(), documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!;
        var megan = directory["people"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == Cast.Megan.AadObjectId)!;
        megan["automaticReplies"] = new JsonObject { ["status"] = "scheduled", ["start"] = "2026-01-01T00:00:00Z", ["end"] = "2099-01-01T00:00:00Z" };
        var file = Path.Combine(_folder, "directory.json");
        await File.WriteAllTextAsync(file, directory.ToJsonString());
        var settings = ApiTestKeys.Settings();
        settings["Directory:File"] = file;
        settings["Approvals:OutOfOffice:Enabled"] = enabled ? "true" : "false";
        return await BotTestHost.StartAsync(new BotTestHostOptions { Database = _database, Settings = settings });
    }

    private static async Task<long> RequestFromMeganAsync(BotTestHost bot, TestConversation alex)
    {
        await alex.SendAsync("request");
        var (form, _) = await alex.ExpectCardAsync();
        var started = await alex.ClickAsync(form.ActivityId, RequestFormVerbs.Submit, new JsonObject { ["title"] = "Replace the core switch", ["approvers"] = "meganb@example.com" });
        Assert.Equal(HttpStatusCode.OK, started.Status);
        await using var db = bot.CreateDbContext();
        return (await db.ApprovalRequests.AsNoTracking().SingleAsync()).Id;
    }

    [Fact]
    public async Task ApprovalOfAnApproverOutOfOffice_GoesToTheirManager_WhoApprovesForThem()
    {
        await using var bot = await StartAsync();
        var alex = await bot.WelcomedChatAsync(Cast.Alex);
        var megan = await bot.WelcomedChatAsync(Cast.Megan);
        var lynne = await bot.WelcomedChatAsync(Cast.Lynne);

        var id = await RequestFromMeganAsync(bot, alex);

        var (copy, card) = await lynne.ExpectCardAsync();
        Assert.Contains(ApprovalVerbs.Approve, Cards.Verbs(card));
        Assert.Contains("Megan Bowen\n is out of office: delegated automatically to Lynne Robbins", TestConversation.Texts(card), StringComparison.Ordinal);
        var told = await megan.ExpectMessageAsync();
        Assert.Contains("You are out of office, so your approval of \u201cReplace the core switch\u201d", told.Current.Text, StringComparison.Ordinal);
        Assert.Contains("went to Lynne Robbins", told.Current.Text, StringComparison.Ordinal);

        var approved = await lynne.ClickAsync(copy.ActivityId, ApprovalVerbs.Approve, Cards.Click(card, ApprovalVerbs.Approve, comment: "Go ahead"));
        Assert.Equal(HttpStatusCode.OK, approved.Status);
        await bot.WaitForOutboxToSettleAsync();

        // The card, everywhere it was posted: "Lynne Robbins for Megan Bowen".
        var updated = TestConversation.CardOf(bot.Connector.GetMessages(lynne.Id).Single(m => m.ActivityId == copy.ActivityId).Current);
        Assert.Contains("Approved by Lynne Robbins for Megan Bowen", TestConversation.Texts(updated), StringComparison.Ordinal);
        // The requester's message.
        Assert.Contains(bot.Connector.GetMessages(alex.Id), m => (m.Current.Text ?? "").Contains("Lynne Robbins (for Megan Bowen) approved stage 1", StringComparison.Ordinal));

        // The API: the outcome and the audit trail.
        using var read = await ApiCalls.GetAsync(bot, $"/api/v1/approvals/{id}");
        var request = await ApiCalls.JsonAsync(read);
        Assert.Equal("Approved", request["status"]!.GetValue<string>());
        Assert.Equal((Cast.Lynne.AadObjectId, Cast.Megan.AadObjectId), (request["outcome"]!["decidedBy"]!.GetValue<string>(), request["outcome"]!["onBehalfOf"]!.GetValue<string>()));
        var seat = request["stageRuns"]![0]!["seats"]![0]!;
        Assert.Equal((Cast.Megan.AadObjectId, Cast.Lynne.AadObjectId), (seat["owner"]!.GetValue<string>(), seat["holder"]!.GetValue<string>()));
        using var audit = await ApiCalls.GetAsync(bot, $"/api/v1/approvals/{id}/audit");
        var entries = (await ApiCalls.JsonAsync(audit)).AsArray();
        var away = entries.Single(e => e!["action"]!.GetValue<string>() == nameof(AuditAction.OutOfOffice))!;
        Assert.Null(away["actor"]);
        Assert.Equal((Cast.Megan.AadObjectId, Cast.Lynne.AadObjectId), (away["onBehalfOf"]!.GetValue<string>(), away["delegateTo"]!.GetValue<string>()));
        Assert.StartsWith($"Delegated automatically: {Cast.Megan.AadObjectId} is out of office", away["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var decision = entries.Single(e => e!["action"]!.GetValue<string>() == nameof(AuditAction.Approve))!;
        Assert.Equal((Cast.Lynne.AadObjectId, Cast.Megan.AadObjectId), (decision["actor"]!.GetValue<string>(), decision["onBehalfOf"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ApprovalStaysWithTheApprover_WhenOutOfOfficeDelegationIsSwitchedOff()
    {
        await using var bot = await StartAsync(enabled: false);
        var alex = await bot.WelcomedChatAsync(Cast.Alex);
        var megan = await bot.WelcomedChatAsync(Cast.Megan);

        await RequestFromMeganAsync(bot, alex);

        var (_, card) = await megan.ExpectCardAsync();
        Assert.Contains(ApprovalVerbs.Approve, Cards.Verbs(card));
        await using var db = bot.CreateDbContext();
        var request = await db.ApprovalRequests.AsNoTracking().SingleAsync();
        Assert.Equal([new Domain.Common.PersonId(Cast.Megan.AadObjectId)], request.WaitingFor);
        Assert.DoesNotContain(request.AuditTrail, e => e.Action == AuditAction.OutOfOffice);
    }
}
