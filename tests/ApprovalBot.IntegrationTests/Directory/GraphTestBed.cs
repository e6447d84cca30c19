using System.Text.Json.Nodes;
using ApprovalBot.OrgDirectory;
using ApprovalBot.OrgDirectory.Graph;
using ApprovalBot.TestSupport;
using ApprovalBot.TestSupport.Connector;
using ApprovalBot.TestSupport.Graph;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ApprovalBot.IntegrationTests.OrgDirectory;

/// <summary>A small organisation in the fake Graph: ids, names, managers, mailboxes and groups the tests use.</summary>
internal static class GraphOrg
{
    public const string Alex = "6e1c0a52-0000-4000-8000-000000000001";     // manager Megan; mailbox in W. Europe Standard Time
    public const string Megan = "6e1c0a52-0000-4000-8000-000000000002";    // manager Lynne; out of office, always
    public const string Lynne = "6e1c0a52-0000-4000-8000-000000000003";    // no manager; IANA zone; scheduled out of office
    public const string Adele = "6e1c0a52-0000-4000-8000-000000000004";    // no mailbox
    public const string Isaiah = "6e1c0a52-0000-4000-8000-000000000005";
    public const string Patti = "6e1c0a52-0000-4000-8000-000000000006";
    public const string Nobody = "6e1c0a52-0000-4000-8000-0000000000ff";

    public const string LargeGroup = "Everyone in IT";                     // five members: three pages of two
    public const string EmptyGroup = "Retired approvers";
    public const string QuotedGroup = "O'Brien's reviewers";

    public static void Seed(FakeGraphServer graph)
    {
        graph.AddUser(new FakeGraphUser(Alex, "Alex Wilber", "alexw@contoso.test", "alex.wilber@contoso.test", "Analyst") { ManagerId = Megan, TimeZone = "W. Europe Standard Time" });
        graph.AddUser(new FakeGraphUser(Megan, "Megan Bowen", "meganb@contoso.test", "meganb@contoso.test") { ManagerId = Lynne, AutomaticReplies = new JsonObject { ["status"] = "alwaysEnabled" } });
        graph.AddUser(new FakeGraphUser(Lynne, "Lynne Robbins", "lynner@contoso.test", "lynner@contoso.test")
        {
            TimeZone = "America/New_York",
            AutomaticReplies = new JsonObject
            {
                ["status"] = "scheduled",
                ["scheduledStartDateTime"] = new JsonObject { ["dateTime"] = "2026-12-24T08:00:00.0000000", ["timeZone"] = "Pacific Standard Time" },
                ["scheduledEndDateTime"] = new JsonObject { ["dateTime"] = "2027-01-04T00:00:00.0000000", ["timeZone"] = "UTC" },
            },
        });
        graph.AddUser(new FakeGraphUser(Adele, "Adele Vance", "adelev@contoso.test", "adelev@contoso.test") { HasMailbox = false });
        graph.AddUser(new FakeGraphUser(Isaiah, "Isaiah Langer", null, "isaiahl@contoso.test"));
        graph.AddUser(new FakeGraphUser(Patti, "Patti Fernandez", "pattif@contoso.test", "pattif@contoso.test"));
        graph.AddGroup(LargeGroup, Alex, Megan, Lynne, Adele, Isaiah);
        graph.AddGroup(EmptyGroup);
        graph.AddGroup(QuotedGroup, Patti);
    }
}

/// <summary>
/// The directory module as the host registers it, with <c>Directory:Source=Graph</c> pointed at a fake Graph whose
/// tokens come from a fake Entra, both over real HTTPS on loopback, and a manual clock for the cache.
/// </summary>
internal sealed class GraphTestBed : IAsyncDisposable
{
    private GraphTestBed(FakeEntraTokenEndpoint entra, FakeGraphServer graph, ServiceProvider services, ManualTimeProvider clock)
    {
        Entra = entra;
        Graph = graph;
        Services = services;
        Clock = clock;
    }

    public FakeEntraTokenEndpoint Entra { get; }
    public FakeGraphServer Graph { get; }
    public ServiceProvider Services { get; }
    public ManualTimeProvider Clock { get; }
    public IDirectory Directory => Services.GetRequiredService<IDirectory>();
    public IProactiveInstaller Installer => Services.GetRequiredService<IProactiveInstaller>();

    /// <summary>Requests to Graph's API (the token endpoint is the fake Entra's, counted there).</summary>
    public IReadOnlyList<FakeGraphRequest> Requests => Graph.Requests;

    public static async Task<GraphTestBed> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, bool installApp = false)
    {
        var entra = await FakeEntraTokenEndpoint.StartAsync();
        var graph = await FakeGraphServer.StartAsync(entra);
        GraphOrg.Seed(graph);
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        var configuration = graph.BotConfiguration(installApp);
        configuration["MicrosoftAppId"] = entra.ClientId; // the bot's own registration, as in production
        configuration["Directory:Graph:RetryDelay"] = "00:00:00";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) configuration[key] = value;
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddOptions<ApprovalBot.Protocol.Connector.BotCredentialOptions>().Bind(builder.Configuration);
        builder.AddDirectory();
        graph.Trust(builder.Services);
        var services = builder.Services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        return new GraphTestBed(entra, graph, services, clock);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Graph.DisposeAsync();
        await Entra.DisposeAsync();
    }
}
