using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.TestSupport.Auth;
using ApprovalBot.TestSupport.Connector;
using ApprovalBot.TestSupport.Processes;
using ApprovalBot.TestSupport.Storage;

namespace ApprovalBot.Benchmarks.Harness;

/// <summary>
/// The edges the bot talks to, each real HTTP on 127.0.0.1 as in the multi-process tests: the Bot Framework login
/// (OpenID metadata + keys, so inbound activities carry valid signed channel tokens through the production auth
/// path), Entra's token endpoint (HTTPS with a self-signed certificate the child trusts through <c>SSL_CERT_FILE</c>)
/// and the Teams connector, which accepts only tokens that Entra issued. Also starts bots and databases.
/// </summary>
internal sealed class BenchBed : IAsyncDisposable
{
    public const string TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private static readonly TimeSpan TokenReuse = TimeSpan.FromMinutes(10);
    private readonly Lock _tokenGate = new();
    private string? _token;
    private DateTimeOffset _tokenMinted;

    private BenchBed(FakeConnector connector, FakeBotFrameworkLogin login, FakeEntraTokenEndpoint entra, string certificateFile, bool verbose)
    {
        Connector = connector;
        Login = login;
        Entra = entra;
        CertificateFile = certificateFile;
        Verbose = verbose;
        Tokens = new TestTokenIssuer(BenchClock.Time);
    }

    public FakeConnector Connector { get; }
    public FakeBotFrameworkLogin Login { get; }
    public FakeEntraTokenEndpoint Entra { get; }
    public TestTokenIssuer Tokens { get; }
    public string CertificateFile { get; }
    public bool Verbose { get; }

    /// <summary>Settings given with <c>--bot-setting Key=Value</c>, applied to every bot last (to try a tuning).</summary>
    public Dictionary<string, string?> ExtraSettings { get; } = new(StringComparer.OrdinalIgnoreCase);
    public string BotId => "28:" + Entra.ClientId;

    public static async Task<BenchBed> StartAsync(string folder, bool verbose)
    {
        var connector = await FakeConnector.StartAsync();
        var login = await FakeBotFrameworkLogin.StartAsync();
        var entra = await FakeEntraTokenEndpoint.StartAsync(clientId: TestTokenIssuer.DefaultAppId);
        connector.RequireTokensFrom(entra);
        var certificateFile = Path.Combine(folder, "fake-entra.pem");
        await File.WriteAllTextAsync(certificateFile, entra.Certificate.ExportCertificatePem() + "\n");
        return new BenchBed(connector, login, entra, certificateFile, verbose);
    }

    /// <summary>
    /// How the bot runs in every figure: production auth (app id, Entra, channel tokens from the fake login), the
    /// connector on loopback, and no per-user turn limit (one benchmark user sends far more than a person could).
    /// </summary>
    public BotProcessOptions BotOptions(string name, ITestDatabase database, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var options = new BotProcessOptions { Name = name, StartTimeout = TimeSpan.FromMinutes(5) }
            .With(Entra.BotConfiguration())
            .With(database.HostSettings())
            .With("BotAuthentication:OpenIdMetadataUrl", Login.MetadataUrl)
            .With("Connector:AdditionalAllowedHosts:0", "127.0.0.1")
            .With("BotEndpoint:UserTurnsPerMinute", "0")
            // Not configuration: the child's TLS stack trusts the fake Entra's self-signed certificate (and only for it
            // is a custom trust needed; every other edge is plain http on loopback).
            .With("SSL_CERT_FILE", CertificateFile);
        if (Verbose) options.Output = Console.Error.WriteLine;
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
            options.Settings[key] = value;
        foreach (var (key, value) in ExtraSettings)
            options.Settings[key] = value;
        return options;
    }

    /// <summary>Starts and stops the bot once on <paramref name="database"/>, so its migrations (and Quartz's tables) exist for seeding.</summary>
    public async Task MigrateAsync(ITestDatabase database)
    {
        await using var bot = await BotProcess.StartAsync(BotOptions("migrate", database));
        await bot.StopAsync();
    }

    /// <summary>A client for many concurrent requests to the bot.</summary>
    public static HttpClient CreateClient(BotProcess bot) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = 1000, PooledConnectionLifetime = TimeSpan.FromMinutes(30) })
        {
            BaseAddress = bot.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };

    /// <summary>
    /// Waits until the bot accepts an authenticated activity (a typing indicator, which does nothing): its first fetch
    /// of the login's signing keys may fail on a busy machine, and a failed fetch is retried only after a while.
    /// </summary>
    public async Task WaitUntilAcceptedAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var last = "no answer";
        while (waited.Elapsed < TimeSpan.FromMinutes(3))
        {
            try
            {
                var (status, body) = await PostAsync(http, NewActivity(ActivityTypes.Typing, "bench-probe"), cancellationToken);
                if (status is >= 200 and < 300) return;
                last = $"{status} {body}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
        throw new TimeoutException($"The bot did not accept an authenticated activity within 3 minutes (last: {last}).");
    }

    /// <summary>A valid channel token (minted once and reused for a while, as the channel does).</summary>
    public string AuthorizationHeader()
    {
        lock (_tokenGate)
        {
            var now = BenchClock.Time.GetUtcNow();
            if (_token is null || now - _tokenMinted > TokenReuse)
                (_token, _tokenMinted) = (Tokens.MintHeader(new ChannelTokenSpec { ServiceUrl = Connector.ServiceUrl }), now);
            return _token;
        }
    }

    /// <summary>An activity from a person (Teams id <c>29:</c> + their Entra id) in their 1:1 chat with the bot.</summary>
    public Activity NewActivity(string type, string person)
    {
        return new Activity
        {
            Type = type,
            Id = $"{type}-{Guid.NewGuid():N}",
            ChannelId = "msteams",
            ServiceUrl = Connector.ServiceUrl,
            From = new ChannelAccount { Id = "29:" + person, Name = person, AadObjectId = person },
            Recipient = new ChannelAccount { Id = BotId, Name = "ApprovalBot" },
            Conversation = new ConversationAccount { Id = ChatOf(person), ConversationType = ConversationTypes.Personal, TenantId = TenantId },
            ChannelData = new TeamsChannelData { Tenant = new TenantInfo { Id = TenantId } },
            Locale = "en-US",
        };
    }

    public static string ChatOf(string person) => "a:personal-" + person;

    /// <summary>The Approve click on request <paramref name="requestId"/>'s card (revision 1, stage 1), as Teams sends it.</summary>
    public Activity ApproveClick(string person, long requestId)
    {
        var activity = NewActivity(ActivityTypes.Invoke, person);
        activity.Name = InvokeNames.AdaptiveCardAction;
        activity.ReplyToId = "card-" + requestId.ToString(CultureInfo.InvariantCulture);
        activity.Value = new JsonObject
        {
            ["action"] = new JsonObject
            {
                ["type"] = "Action.Execute",
                ["verb"] = Approvals.Cards.ApprovalVerbs.Approve,
                ["data"] = new JsonObject { ["requestId"] = requestId, ["revision"] = 1, ["stage"] = 1, ["comment"] = "Benchmark approval" },
            },
            ["trigger"] = "manual",
        };
        return activity;
    }

    public Activity Message(string person, string text)
    {
        var activity = NewActivity(ActivityTypes.Message, person);
        activity.Text = text;
        activity.TextFormat = "plain";
        return activity;
    }

    /// <summary>POSTs the activity to /api/messages with a valid token; returns status and body.</summary>
    public async Task<(int Status, string Body)> PostAsync(HttpClient http, Activity activity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/messages", UriKind.Relative))
        {
            Content = new StringContent(ProtocolJson.Serialize(activity), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        request.Headers.TryAddWithoutValidation("Authorization", AuthorizationHeader());
        using var response = await http.SendAsync(request, cancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        await Connector.DisposeAsync();
        await Login.DisposeAsync();
        await Entra.DisposeAsync();
    }
}

/// <summary>The benchmark lives on the real clock: it measures real time, and the bot is another process.</summary>
internal static class BenchClock
{
#pragma warning disable RS0030 // real time is what a benchmark measures
    public static TimeProvider Time => TimeProvider.System;
#pragma warning restore RS0030
}

/// <summary>Which database the bot runs on in a pass, and how to get a fresh one.</summary>
internal sealed class StorageUnderTest(string name, Func<Task<ITestDatabase>> create)
{
    public string Name { get; } = name;

    public Task<ITestDatabase> CreateAsync() => create();

    public static StorageUnderTest Sqlite() => new("SQLite", () => Task.FromResult<ITestDatabase>(SqliteTestDatabase.Create()));

    /// <summary>PostgreSQL from <c>APPROVALBOT_TEST_POSTGRES</c>, else a throwaway server (scripts/postgres.sh) stopped when the benchmark exits.</summary>
    public static StorageUnderTest Postgres() => new("PostgreSQL", async () =>
        await PostgresTestDatabase.CreateAsync(await TestPostgres.GetConnectionStringAsync()));
}
