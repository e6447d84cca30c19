using System.Diagnostics;
using System.Globalization;
using ApprovalBot.Benchmarks.Harness;
using ApprovalBot.TestSupport.Processes;

namespace ApprovalBot.Benchmarks.Figures;

/// <summary>
/// Card action round trip: N approvers click Approve at once, each on their own pending request (one-stage, one
/// approver), through /api/messages with valid channel tokens; a sample ends when the invoke response (the refreshed
/// card saying the approval is recorded, sent after the decision committed) has been read. Each approver works through
/// <see cref="Scale.DecisionsPerApprover"/> requests back to back. Latency p50/p90/p99/max and decisions/s per N.
/// </summary>
internal sealed class CardActionFigure : IFigure
{
    public const string Recorded = "Your approval is recorded.";
    private const int WarmUpApprovers = 10;

    public string Name => "card-action";

    public async Task RunAsync(BenchRun run, CancellationToken cancellationToken)
    {
        await using var database = await run.Storage.CreateAsync();
        await run.Bed.MigrateAsync(database);
        var levels = run.Scale.Concurrency;
        var approvers = WarmUpApprovers + levels.Sum();
        run.Say($"{Name}: seeding {approvers * run.Scale.DecisionsPerApprover} pending approvals for {approvers} approvers");
        var requests = await Seeder.PendingApprovalsAsync(database, 0, approvers, run.Scale.DecisionsPerApprover, BenchClock.Time.GetUtcNow());

        await using var bot = await BotProcess.StartAsync(run.Bed.BotOptions("card-action", database), cancellationToken);
        using var http = BenchBed.CreateClient(bot);
        await run.Bed.WaitUntilAcceptedAsync(http, cancellationToken);
        await ClickAllAsync(run, http, requests, 0, WarmUpApprovers, cancellationToken);

        var first = WarmUpApprovers;
        foreach (var concurrency in levels)
        {
            var cpuBefore = BotProbe.CpuTime(bot.ProcessId);
            var (latencies, failures, elapsed) = await ClickAllAsync(run, http, requests, first, concurrency, cancellationToken);
            var cpu = BotProbe.CpuTime(bot.ProcessId) - cpuBefore;
            first += concurrency;
            var summary = run.Results.AddLatencies(Name, run.Storage.Name, concurrency, latencies);
            var rate = latencies.Count / elapsed.TotalSeconds;
            run.Results.Add(Name, run.Storage.Name, concurrency, "decisions/s", rate, "1/s");
            var cpuPerDecision = cpu is { } used && latencies.Count > 0 ? used.TotalMilliseconds / latencies.Count : double.NaN;
            run.Results.Add(Name, run.Storage.Name, concurrency, "bot cpu/decision", cpuPerDecision, "ms");
            run.Results.Add(Name, run.Storage.Name, concurrency, "failures", failures.Count, "");
            run.Say(string.Create(CultureInfo.InvariantCulture, $"{Name} ×{concurrency}: {summary}, {rate:0} decisions/s, bot CPU {cpuPerDecision:0.0} ms/decision, {failures.Count} failed{(failures.Count > 0 ? " (first: " + failures[0] + ")" : "")}"));
        }
        await bot.StopAsync();
    }

    /// <summary>Approvers <paramref name="first"/>… click through all their requests, all approvers at once.</summary>
    private static async Task<(List<double> Latencies, List<string> Failures, TimeSpan Elapsed)> ClickAllAsync(
        BenchRun run, HttpClient http, IReadOnlyList<long>[] requests, int first, int count, CancellationToken cancellationToken)
    {
        var latencies = new List<double>();
        var failures = new List<string>();
        var gate = new Lock();
        using var start = new SemaphoreSlim(0);
        var workers = Enumerable.Range(first, count).Select(async approver =>
        {
            var person = Seeder.Approver(approver).Value;
            await start.WaitAsync(cancellationToken);
            foreach (var id in requests[approver])
            {
                var activity = run.Bed.ApproveClick(person, id);
                var began = Stopwatch.GetTimestamp();
                string? failure;
                try
                {
                    var (status, body) = await run.Bed.PostAsync(http, activity, cancellationToken);
                    failure = status == 200 && body.Contains(Recorded, StringComparison.Ordinal) ? null : $"#{id}: {status} {Truncate(body)}";
                }
                catch (HttpRequestException e)
                {
                    failure = $"#{id}: {e.Message}";
                }
                var elapsed = Stopwatch.GetElapsedTime(began).TotalMilliseconds;
                lock (gate)
                {
                    if (failure is null) latencies.Add(elapsed);
                    else failures.Add(failure);
                }
            }
        }).ToList();
        var clock = Stopwatch.StartNew();
        start.Release(count);
        await Task.WhenAll(workers);
        return (latencies, failures, clock.Elapsed);
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
