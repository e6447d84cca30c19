using System.Collections.Concurrent;
using System.Globalization;
using ApprovalBot.Benchmarks.Harness;
using ApprovalBot.Protocol.Connector;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.TestSupport.Connector;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalBot.Benchmarks.Figures;

/// <summary>
/// The send path alone, without the database or the timers: the bot's own connector client and throttle gate
/// (<c>AddBotConnector</c>, in this process) post to <see cref="Messages"/> different chats from
/// <see cref="Workers"/> workers (the outbox dispatcher's default parallelism), as fast as the gate lets
/// them, into a fake connector that enforces <see cref="TeamsRateLimiter"/>'s limits. Once per gate budget
/// (<c>Connector:Throttle:GlobalRequestsPerSecond</c>, the x of the figure): the accepted posts per second and the 429s.
/// It shows what the budget setting costs or risks against the published 50 requests/s when the sender has a backlog:
/// at exactly 50 the gate's and the connector's windows see the same requests at slightly different moments.
/// Not a bot process: storage-independent, run once.
/// </summary>
internal sealed class FanOutGateFigure : IFigure
{
    public const string FigureName = "fan-out-gate";
    private static readonly int Workers = new ApprovalBot.Teams.Outbox.OutboxOptions().Parallelism;
    private static readonly int[] Budgets = [30, 45, 48, 50];

    public string Name => FigureName;

    private static int Messages(BenchRun run) => run.Scale.FanOutRecipients.Count > 1 ? 2_000 : 750;

    public async Task RunAsync(BenchRun run, CancellationToken cancellationToken)
    {
        if (run.Results.Measurements.Any(m => m.Figure == FigureName)) return; // storage-independent: once per run
        foreach (var budget in Budgets)
            await RunBudgetAsync(run, budget, Messages(run), cancellationToken);
    }

    private static async Task RunBudgetAsync(BenchRun run, int budget, int messages, CancellationToken cancellationToken)
    {
        await using var teams = await FakeConnector.StartAsync(BenchClock.Time);
        var limiter = new TeamsRateLimiter(BenchClock.Time);
        teams.Admit(limiter.Admission(_ => "bench-app"));

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Connector:Throttle:GlobalRequestsPerSecond"] = budget.ToString(CultureInfo.InvariantCulture),
            ["Connector:AdditionalAllowedHosts:0"] = "127.0.0.1",
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddBotConnector(configuration).BuildServiceProvider();
        var client = services.GetRequiredService<IConnectorClient>();

        var queue = new ConcurrentQueue<int>(Enumerable.Range(0, messages));
        var failed = 0;
        var workers = Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            while (queue.TryDequeue(out var i))
            {
                var chat = string.Create(CultureInfo.InvariantCulture, $"a:gate-{i:00000}");
                var result = await client.SendToConversationAsync(teams.ServiceUrl, chat,
                    new Activity { Type = ActivityTypes.Message, Text = "Your digest", Conversation = new ConversationAccount { Id = chat } }, cancellationToken);
                if (!result.Succeeded) Interlocked.Increment(ref failed);
            }
        }, cancellationToken)).ToList();
        await Task.WhenAll(workers);

        var requests = teams.Requests;
        var posts = requests.Where(r => r.ResponseStatus is >= 200 and < 300).OrderBy(r => r.ReceivedAt).ToList();
        var throttled = requests.Count(r => r.ResponseStatus == 429);
        var window = (posts[^1].ReceivedAt - posts[0].ReceivedAt).TotalSeconds;
        var rate = (posts.Count - 1) / window;
        var duplicates = posts.Count - posts.Select(p => p.ConversationId).Distinct(StringComparer.Ordinal).Count();
        const string storage = "in-process";
        run.Results.Add(FigureName, storage, budget, "sends/s", rate, "1/s");
        run.Results.Add(FigureName, storage, budget, "% of allowed", 100 * rate / limiter.AppRequestsPerSecond, "%");
        run.Results.Add(FigureName, storage, budget, "429s", throttled, "");
        run.Results.Add(FigureName, storage, budget, "not sent", failed, "");
        run.Results.Add(FigureName, storage, budget, "duplicates", duplicates, "");
        run.Say(string.Create(CultureInfo.InvariantCulture,
            $"{FigureName} budget {budget}/s: {posts.Count} of {messages} posts in {window:0.0} s = {rate:0.0}/s ({100 * rate / limiter.AppRequestsPerSecond:0.0} % of 50/s); {throttled} 429s, {failed} not sent, {duplicates} duplicates"));
    }
}
