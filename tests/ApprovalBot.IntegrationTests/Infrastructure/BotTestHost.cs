using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Storage;
using ApprovalBot.TestSupport.Auth;
using ApprovalBot.TestSupport.Connector;
using ApprovalBot.TestSupport.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApprovalBot.IntegrationTests.Infrastructure;

/// <summary>How a <see cref="BotTestHost"/> authenticates inbound traffic.</summary>
public enum BotTestMode
{
    /// <summary>An app id is configured: every request needs a channel token signed by the fake Bot Framework login.</summary>
    Authenticated,
    /// <summary>No app id: local development mode (loopback only, no tokens either way).</summary>
    LocalDevelopment,
}

public sealed record BotTestHostOptions
{
    public BotTestMode Mode { get; init; } = BotTestMode.Authenticated;
    /// <summary>A database to use; by default a fresh SQLite file.</summary>
    public ITestDatabase? Database { get; init; }
    /// <summary>Extra configuration, applied last.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();
    /// <summary>Replaces the host's clock (for example a <see cref="TestSupport.ManualTimeProvider"/>).</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>Replaces services at an edge the tests cannot reach for real (e.g. the directory, as Graph would change it).</summary>
    public Action<IServiceCollection>? Services { get; init; }
}

/// <summary>
/// The real bot, on real Kestrel, with the real auth path and a real database; fakes only at the edges we cannot
/// reach, each speaking real HTTP: the Bot Framework login (OpenID metadata + keys), Entra's token endpoint, and the
/// Teams connector. Tests talk to it through <see cref="TestConversation"/>s.
/// </summary>
public sealed class BotTestHost : IAsyncDisposable
{
    private readonly Factory _factory;
    private readonly ITestDatabase _database;
    private readonly bool _ownsDatabase;

    private BotTestHost(Factory factory, ITestDatabase database, bool ownsDatabase, FakeConnector connector,
        FakeBotFrameworkLogin? login, FakeEntraTokenEndpoint? entra, TestTokenIssuer tokens, BotTestMode mode)
    {
        Logs = factory.Logs;
        _factory = factory;
        _database = database;
        _ownsDatabase = ownsDatabase;
        Connector = connector;
        Login = login;
        Entra = entra;
        Tokens = tokens;
        Mode = mode;
        Http = factory.CreateClient();
    }

    public BotTestMode Mode { get; }

    /// <summary>The bot's latest warnings and errors, for failure messages.</summary>
    public RecentLogs Logs { get; }
    public FakeConnector Connector { get; }
    public FakeBotFrameworkLogin? Login { get; }
    public FakeEntraTokenEndpoint? Entra { get; }
    public TestTokenIssuer Tokens { get; }
    public HttpClient Http { get; }
    public IServiceProvider Services => _factory.Services;
    public ITestDatabase Database => _database;
    public string ServiceUrl => Connector.ServiceUrl;
    public string AppId => Entra?.ClientId ?? "";
    public string BotId => Mode == BotTestMode.Authenticated ? $"28:{AppId}" : "28:approvalbot-local";

    public static async Task<BotTestHost> StartAsync(BotTestHostOptions? options = null)
    {
        options ??= new BotTestHostOptions();
        var connector = await FakeConnector.StartAsync();
        FakeBotFrameworkLogin? login = null;
        FakeEntraTokenEndpoint? entra = null;
        var settings = new Dictionary<string, string?>
        {
            ["Scheduling:IdleWaitTime"] = "00:00:01",
            ["Outbox:PollInterval"] = "00:00:00.200",
            ["Outbox:BaseDelay"] = "00:00:00.100",
            ["Connector:BaseDelay"] = "00:00:00.050",
            ["Connector:MaxDelay"] = "00:00:00.200",
            ["Logging:LogLevel:Default"] = "Warning",
            // Tests send many commands as one user at one manual instant; UserTurnLimitTests set the real limit.
            ["BotEndpoint:UserTurnBurst"] = "1000",
        };
        // The app's outbound budget is paced (a few calls at once, then one every 1/N s of the host's clock). On a test
        // clock that moves only when a test moves it, a test that makes the bot send more than that burst at one instant
        // would wait for a slot nobody moves the clock to. Those hosts get a budget that paces nothing; hosts on the real
        // clock keep the default, and the pacing itself is tested in ConnectorThrottleGateTests.
        if (options.Time is not null)
            settings["Connector:Throttle:GlobalRequestsPerSecond"] = "1000";
        if (options.Mode == BotTestMode.Authenticated)
        {
            login = await FakeBotFrameworkLogin.StartAsync();
            entra = await FakeEntraTokenEndpoint.StartAsync(clientId: TestTokenIssuer.DefaultAppId);
            foreach (var (key, value) in entra.BotConfiguration()) settings[key] = value;
            settings["BotAuthentication:OpenIdMetadataUrl"] = login.MetadataUrl;
            settings["Connector:AdditionalAllowedHosts:0"] = "127.0.0.1";
            connector.RequireTokensFrom(entra);
        }

        var ownsDatabase = options.Database is null;
        var database = options.Database ?? SqliteTestDatabase.Create();
        foreach (var (key, value) in database.HostSettings()) settings[key] = value;
        foreach (var (key, value) in options.Settings) settings[key] = value;

        var factory = new Factory(settings, entra, options.Time, options.Services);
        factory.UseKestrel(0);
        try
        {
            factory.StartServer();
        }
        catch
        {
            // A host that refuses to start (a test of start-up validation) must not leave its fakes or database behind.
            await factory.DisposeAsync();
            await connector.DisposeAsync();
            if (login is not null) await login.DisposeAsync();
            if (entra is not null) await entra.DisposeAsync();
            if (ownsDatabase) await database.DisposeAsync();
            throw;
        }
#pragma warning disable RS0030 // tokens must be valid on the clock the bot validates with: the host's own
        var tokens = new TestTokenIssuer(options.Time ?? TimeProvider.System);
#pragma warning restore RS0030
        var host = new BotTestHost(factory, database, ownsDatabase, connector, login, entra, tokens, options.Mode);
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(30));
        return host;
    }

    /// <summary>Like a readiness probe: the scheduler and the database answer before the first test request.</summary>
    private async Task WaitUntilHealthyAsync(TimeSpan limit)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using var response = await Http.GetAsync("/healthz");
            if (response.IsSuccessStatusCode) return;
            if (watch.Elapsed > limit)
                throw new InvalidOperationException($"The bot did not become healthy within {limit}: {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(50);
        }
    }

    public TestConversation PersonalChat(TestUser user, string? conversationId = null) =>
        new(this, conversationId ?? $"a:personal-{user.Id}", ConversationTypes.Personal, user);

    /// <summary>The user's 1:1 chat after they installed the bot and got its welcome card (so the bot can reach them).</summary>
    public async Task<TestConversation> WelcomedChatAsync(TestUser user)
    {
        var chat = PersonalChat(user);
        await chat.InstallAsync();
        await chat.ExpectCardAsync();
        return chat;
    }

    public TestConversation Channel(TestUser user, string channelId = "19:general@thread.tacv2", string? rootMessageId = null) =>
        new(this, rootMessageId is null ? channelId : $"{channelId};messageid={rootMessageId}", ConversationTypes.Channel, user)
        {
            TeamsChannelId = channelId,
        };

    /// <summary>Posts raw bytes to /api/messages, with a valid token for <paramref name="serviceUrl"/> unless told otherwise.</summary>
    public async Task<HttpResponseMessage> PostRawAsync(string body, string? authorization = "valid", string contentType = "application/json", string? serviceUrl = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (authorization == "valid")
        {
            if (Mode == BotTestMode.Authenticated)
                request.Headers.TryAddWithoutValidation("Authorization", Tokens.MintHeader(new ChannelTokenSpec { ServiceUrl = serviceUrl ?? ServiceUrl }));
        }
        else if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        return await Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> PostActivityAsync(Activity activity, string? authorization = "valid") =>
        PostRawAsync(ProtocolJson.Serialize(activity), authorization, serviceUrl: activity.ServiceUrl);

    /// <summary>
    /// Waits until the outbox has nothing left to send (every message sent or given up): the event "the bot is done
    /// talking", instead of a fixed quiet period. Fails after <paramref name="limit"/>.
    /// </summary>
    public async Task WaitForOutboxToSettleAsync(TimeSpan? limit = null)
    {
        var max = limit ?? TimeSpan.FromSeconds(20);
        try
        {
            await WaitUntilStoredAsync(
                async db => !await db.OutboxMessages.AnyAsync(m => m.Status == ApprovalBot.Teams.Outbox.OutboxStatus.Pending),
                $"The outbox still had pending messages after {max}.", max);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} {await DescribeAsync()}", e);
        }
    }

    /// <summary>
    /// What the bot is holding back and what it complained about: the clock, the outbox's pending messages (a retry or a
    /// claim waiting for a manual clock that does not move, a post an update waits for) and the latest warnings and
    /// errors. For failure messages, so a rare failure in CI explains itself.
    /// </summary>
    public async Task<string> DescribeAsync()
    {
        var now = Services.GetRequiredService<TimeProvider>().GetUtcNow();
        string pendingLines;
        try
        {
            await using var db = CreateDbContext();
            var pending = await db.OutboxMessages.AsNoTracking().Where(m => m.Status == ApprovalBot.Teams.Outbox.OutboxStatus.Pending).OrderBy(m => m.Id).Take(10).ToListAsync();
            pendingLines = pending.Count == 0 ? "none" : string.Join(" | ", pending.Select(m => string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"#{m.Id} {m.Operation} {m.DedupeKey} to {m.ConversationId ?? m.RecipientUserId}: attempts {m.Attempts}, next attempt {m.NextAttemptAt:o}, claimed by {m.ClaimedBy ?? "-"} until {m.ClaimedUntil:o}, after #{m.AfterMessageId}, last {m.LastResult ?? "-"} {m.LastError ?? ""}")));
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            pendingLines = $"unreadable ({e.Message})";
        }
        return $"Clock {now:o}. Pending in the outbox: {pendingLines}. The bot's latest warnings and errors:{Environment.NewLine}{Logs.Describe()}";
    }

    /// <summary>
    /// Waits until the bot's database satisfies <paramref name="condition"/> (asked every 20 ms on a fresh context): for
    /// work the bot does in the background on the real clock. Throws a <see cref="TimeoutException"/> with
    /// <paramref name="failure"/> after <paramref name="limit"/>.
    /// </summary>
    public async Task WaitUntilStoredAsync(Func<BotDbContext, Task<bool>> condition, string failure, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await using (var db = CreateDbContext())
            {
                if (await condition(db)) return;
            }
            if (watch.Elapsed > limit) throw new TimeoutException(failure);
            await Task.Delay(20);
        }
    }

    /// <summary>A fresh context on the bot's database, for asserting what was stored.</summary>
    public BotDbContext CreateDbContext() => _database.CreateContext();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _factory.DisposeAsync();
        await Connector.DisposeAsync();
        if (Login is not null) await Login.DisposeAsync();
        if (Entra is not null) await Entra.DisposeAsync();
        if (_ownsDatabase) await _database.DisposeAsync();
    }

    private sealed class Factory(Dictionary<string, string?> settings, FakeEntraTokenEndpoint? entra, TimeProvider? time, Action<IServiceCollection>? configure)
        : WebApplicationFactory<Program>
    {
        public RecentLogs Logs { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.ConfigureLogging(logging => logging.AddProvider(Logs));
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
            builder.ConfigureServices(services =>
            {
                if (entra is not null) services.TrustFakeEntra(entra);
                if (time is not null) services.AddSingleton(time);
                configure?.Invoke(services);
            });
        }
    }
}

/// <summary>A person in the tests: bot-scoped id, display name, Entra object id (opaque strings, as on the wire).</summary>
public sealed record TestUser(string Id, string Name, string AadObjectId)
{
    public static TestUser Create(string name) =>
        new($"29:{name.ToLowerInvariant().Replace(' ', '-')}", name, Guid.NewGuid().ToString());
}

/// <summary>What the endpoint answered: status, body, and for invokes the parsed body.</summary>
public sealed record TurnResult(HttpStatusCode Status, string Body)
{
    public JsonNode? Json => string.IsNullOrEmpty(Body) ? null : JsonNode.Parse(Body);

    /// <summary>For an Action.Execute answer: the card that replaces the clicked one (null if the answer is not a card).</summary>
    public JsonObject? Card => Json?["type"]?.GetValue<string>() == ContentTypes.AdaptiveCard ? Json["value"] as JsonObject : null;
}
