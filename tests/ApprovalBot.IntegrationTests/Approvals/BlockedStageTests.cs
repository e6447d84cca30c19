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
    private readonly PurchaseFlowBed _bed = new("blocked");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private Task<BotTestHost> StartAsync() => _bed.StartAsync();

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

        _bed.Groups.Add("Finance", new PersonId(Cast.Patti.AadObjectId));
        Assert.Equal(1, await auditor.RetryBlockedAsync(CancellationToken.None));

        var (_, financeCard) = await patti.ExpectCardAsync();
        Assert.Contains(ApprovalVerbs.Approve, Cards.Verbs(financeCard));
        await using var check = bot.CreateDbContext();
        var started = await check.ApprovalRequests.AsNoTracking().SingleAsync(r => r.Id == id);
        Assert.Equal((ApprovalStatus.InProgress, 2), (started.Status, started.CurrentStageNumber));
    }
}

/// <summary>
/// What the directory tests share: a SQLite database, the flows file (the agreement flow with only the manager's stage,
/// and "Purchase": the manager, then any member of the group Finance, which the real directory file does not have),
/// and the real directory file wrapped in a <see cref="FixableDirectory"/> whose groups and outage the test controls.
/// </summary>
internal sealed class PurchaseFlowBed(string name)
{
    private readonly string _folder = Directory.CreateTempSubdirectory($"approvalbot-{name}-").FullName;
    private ITestDatabase? _database;

    public FixableDirectory.Groups Groups { get; } = new();

    public FixableDirectory.Outage Outage { get; } = new();

    /// <summary>The bot on the bed's database, flows and directory; on <paramref name="time"/> when given.</summary>
    public async Task<BotTestHost> StartAsync(TimeProvider? time = null)
    {
        _database ??= await new SqliteTestDatabases().CreateDatabaseAsync();
        var flows = Path.Combine(_folder, "flows.json");
        await File.WriteAllTextAsync(flows, """
            { "flows": [
              { "name": "IT support agreement", "stages": [ { "name": "Manager", "approvers": "manager", "slaHours": 16 } ] },
              { "name": "Purchase", "stages": [
                { "name": "Manager", "approvers": "manager", "slaHours": 16 },
                { "name": "Finance", "approvers": "group:Finance", "decision": "any", "slaHours": 8 } ] } ] }
            """);
        return await BotTestHost.StartAsync(new BotTestHostOptions
        {
            Database = _database,
            Time = time,
            Settings = new Dictionary<string, string?> { ["Approvals:FlowsFile"] = flows },
            Services = services => services.AddSingleton<IDirectory>(sp => new FixableDirectory(sp.GetRequiredService<JsonFileDirectory>(), Groups, Outage)),
        });
    }

    /// <summary>Deletes the database and the flows folder (the test class's <c>IAsyncLifetime.DisposeAsync</c> calls it).</summary>
    public async Task DisposeAsync()
    {
        if (_database is not null) await _database.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
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
