using System.Text.Json.Nodes;
using ApprovalBot.Approvals;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.OrgDirectory;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalBot.IntegrationTests.Approvals;

/// <summary>
/// A stage whose approvers the directory cannot resolve blocks the request, and the requester is told why; once the
/// directory knows the group (as Graph would after an administrator's fix), the auditor starts the stage and its
/// approvers get the card.
/// </summary>
public sealed class BlockedStageTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("approvalbot-blocked-").FullName;
    private readonly FixableDirectory.Groups _groups = new();
    private ITestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await new SqliteTestDatabases().CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<BotTestHost> StartAsync()
    {
        var flows = await PurchaseFlows.WriteAsync(_folder);
        return await BotTestHost.StartAsync(new BotTestHostOptions
        {
            Database = _database,
            Settings = new Dictionary<string, string?> { ["Approvals:FlowsFile"] = flows },
            Services = services => services.AddSingleton<IDirectory>(sp => new FixableDirectory(sp.GetRequiredService<JsonFileDirectory>(), _groups)),
        });
    }

    [Fact]
    public async Task UnresolvableStage_BlocksAndTellsTheRequester_ThenStartsOnceTheDirectoryIsFixed()
    {
        await using var bot = await StartAsync();
        var alex = await bot.WelcomedChatAsync(Cast.Alex);
        var megan = await bot.WelcomedChatAsync(Cast.Megan);
        var patti = await bot.WelcomedChatAsync(Cast.Patti);

        await alex.SendAsync("request");
        var (form, _) = await alex.ExpectCardAsync();
        await alex.ClickAsync(form.ActivityId, RequestFormVerbs.Submit, new JsonObject { ["title"] = "New printers", ["flow"] = "Purchase" });
        var (copy, card) = await megan.ExpectCardAsync();
        await megan.ClickAsync(copy.ActivityId, ApprovalVerbs.Approve, Cards.Click(card, ApprovalVerbs.Approve));
        await bot.WaitForOutboxToSettleAsync();

        long id;
        await using (var db = bot.CreateDbContext())
        {
            var request = await db.ApprovalRequests.AsNoTracking().SingleAsync();
            id = request.Id;
            Assert.Equal((ApprovalStatus.Blocked, 2), (request.Status, request.CurrentStageNumber));
        }
        Assert.Contains(bot.Connector.GetMessages(alex.Id), m => (m.Current.Text ?? "").Contains("no group named 'Finance'", StringComparison.Ordinal));
        var auditor = bot.Services.GetRequiredService<ApprovalTimerAuditor>();
        Assert.Equal(0, await auditor.RetryBlockedAsync(CancellationToken.None)); // still broken: nothing starts

        _groups.Add("Finance", new PersonId(Cast.Patti.AadObjectId));
        Assert.Equal(1, await auditor.RetryBlockedAsync(CancellationToken.None));

        var (_, financeCard) = await patti.ExpectCardAsync();
        Assert.Contains(ApprovalVerbs.Approve, Cards.Verbs(financeCard));
        await using var check = bot.CreateDbContext();
        var started = await check.ApprovalRequests.AsNoTracking().SingleAsync(r => r.Id == id);
        Assert.Equal((ApprovalStatus.InProgress, 2), (started.Status, started.CurrentStageNumber));
    }
}

/// <summary>
/// The flows the directory tests use: the agreement flow with only the manager's stage, and "Purchase" (the manager,
/// then any member of the group Finance, which the real directory file does not have).
/// </summary>
internal static class PurchaseFlows
{
    /// <summary>Writes the flows file into <paramref name="folder"/>; the path, for <c>Approvals:FlowsFile</c>.</summary>
    public static async Task<string> WriteAsync(string folder)
    {
        var flows = Path.Combine(folder, "flows.json");
        await File.WriteAllTextAsync(flows, """
            { "flows": [
              { "name": "IT support agreement", "stages": [ { "name": "Manager", "approvers": "manager", "slaHours": 16 } ] },
              { "name": "Purchase", "stages": [
                { "name": "Manager", "approvers": "manager", "slaHours": 16 },
                { "name": "Finance", "approvers": "group:Finance", "decision": "any", "slaHours": 8 } ] } ] }
            """);
        return flows;
    }
}

/// <summary>
/// The real directory file plus groups an administrator adds while the bot runs (as Graph would show them), and an
/// outage switch: while <see cref="Outage.Down"/>, every call fails as Graph's does when it is not answering.
/// </summary>
internal sealed class FixableDirectory(IDirectory inner, FixableDirectory.Groups added, FixableDirectory.Outage? outage = null) : IDirectory
{
    public Task<DirectoryPerson?> GetPersonAsync(PersonId id, CancellationToken cancellationToken) => Up().GetPersonAsync(id, cancellationToken);

    public Task<DirectoryPerson?> FindByEmailOrUpnAsync(string emailOrUpn, CancellationToken cancellationToken) => Up().FindByEmailOrUpnAsync(emailOrUpn, cancellationToken);

    public Task<DirectoryPerson?> GetManagerAsync(PersonId id, CancellationToken cancellationToken) => Up().GetManagerAsync(id, cancellationToken);

    public Task<string?> GetTimeZoneAsync(PersonId id, CancellationToken cancellationToken) => Up().GetTimeZoneAsync(id, cancellationToken);

    public Task<AutomaticReplies?> GetAutomaticRepliesAsync(PersonId id, CancellationToken cancellationToken) => Up().GetAutomaticRepliesAsync(id, cancellationToken);

    public async Task<IReadOnlyList<DirectoryPerson>?> GetGroupMembersAsync(string groupName, CancellationToken cancellationToken)
    {
        if (!added.TryGet(groupName, out var members)) return await Up().GetGroupMembersAsync(groupName, cancellationToken);
        var people = new List<DirectoryPerson>();
        foreach (var id in members)
            people.Add((await Up().GetPersonAsync(id, cancellationToken))!);
        return people;
    }

    private IDirectory Up()
    {
        if (outage is { Down: true }) throw new DirectoryUnavailableException("The directory is not answering (test outage).");
        return inner;
    }

    internal sealed class Groups
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, PersonId[]> _groups = new(StringComparer.OrdinalIgnoreCase);

        public void Add(string name, params PersonId[] members) => _groups[name] = members;

        public bool TryGet(string name, out PersonId[] members) => _groups.TryGetValue(name, out members!);
    }

    internal sealed class Outage
    {
        private volatile bool _down;

        public bool Down
        {
            get => _down;
            set => _down = value;
        }
    }
}
