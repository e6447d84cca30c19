using System.Diagnostics;
using System.Globalization;
using ApprovalBot.Benchmarks.Analysis;
using ApprovalBot.Benchmarks.Harness;
using ApprovalBot.TestSupport.Connector;
using ApprovalBot.TestSupport.Processes;

namespace ApprovalBot.Benchmarks.Figures;

/// <summary>
/// Command round trip: N users each send <c>status &lt;their request&gt;</c> in their 1:1 chat, wait for the reply,
/// think for <see cref="Scale.CommandThinkTime"/>, and again. A sample runs from just before the POST to the moment the
/// fake connector received the reply (its own timestamp, same clock): parse, database, card, outbox commit, dispatcher,
/// the app's outbound throttle and the Entra-authenticated HTTP call. The think time keeps the offered load near the
/// bot's outbound budget (48 requests/s by default), so the figure is latency, not queueing behind the budget —
/// except at the top level, where it shows what happens past it.
/// </summary>
internal sealed class CommandFigure : IFigure
{
    private const int WarmUpUsers = 10;

    /// <summary>
    /// 200 warm-up commands before any sample: the JIT promotes the request path to optimised code only after about 30
    /// calls of each method plus a background compile, and 10 commands measured the tiering, not the bot (p99 539 ms
    /// cold against 46 ms warm on this machine).
    /// </summary>
    private const int WarmUpCommandsPerUser = 20;

    public string Name => "command";

    public async Task RunAsync(BenchRun run, CancellationToken cancellationToken)
    {
        await using var database = await run.Storage.CreateAsync();
        await run.Bed.MigrateAsync(database);
        var levels = run.Scale.Concurrency;
        var users = WarmUpUsers + levels.Sum();
        run.Say($"{Name}: seeding one pending approval for each of {users} users");
        // Offset the people from the card-action figure's, so conversations never overlap in the shared fake connector.
        var requests = await Seeder.PendingApprovalsAsync(database, Offset, users, 1, BenchClock.Time.GetUtcNow());

        await using var bot = await BotProcess.StartAsync(run.Bed.BotOptions("command", database), cancellationToken);
        using var http = BenchBed.CreateClient(bot);
        await run.Bed.WaitUntilAcceptedAsync(http, cancellationToken);
        _ = await SendAllAsync(run, http, requests, Offset, WarmUpUsers, WarmUpCommandsPerUser, TimeSpan.Zero, cancellationToken);

        var first = Offset + WarmUpUsers;
        foreach (var concurrency in levels)
        {
            var cpuBefore = BotProbe.CpuTime(bot.ProcessId);
            var (latencies, acks, failures) = await SendAllAsync(run, http, requests, first, concurrency, run.Scale.CommandsPerUser, run.Scale.CommandThinkTime, cancellationToken);
            var cpu = BotProbe.CpuTime(bot.ProcessId) - cpuBefore;
            var cpuPerCommand = cpu is { } used && latencies.Count > 0 ? used.TotalMilliseconds / latencies.Count : double.NaN;
            run.Results.Add(Name, run.Storage.Name, concurrency, "bot cpu/command", cpuPerCommand, "ms");
            first += concurrency;
            var summary = run.Results.AddLatencies(Name, run.Storage.Name, concurrency, latencies);
            run.Results.Add(Name, run.Storage.Name, concurrency, "ack p50", Percentiles.Of(acks, 50), "ms");
            run.Results.Add(Name, run.Storage.Name, concurrency, "ack p99", Percentiles.Of(acks, 99), "ms");
            run.Results.Add(Name, run.Storage.Name, concurrency, "failures", failures.Count, "");
            run.Say(string.Create(CultureInfo.InvariantCulture, $"{Name} ×{concurrency}: {summary}, bot CPU {cpuPerCommand:0.0} ms/command (POST answered: p50 {Percentiles.Of(acks, 50):0.0} p99 {Percentiles.Of(acks, 99):0.0}), {failures.Count} failed{(failures.Count > 0 ? " (first: " + failures[0] + ")" : "")}"));
        }
        await bot.StopAsync();
    }

    /// <summary>Approvers of this figure are numbered from here (the card figure's start at 0).</summary>
    private const int Offset = 50_000;

    private static async Task<(List<double> Latencies, List<double> Acks, List<string> Failures)> SendAllAsync(
        BenchRun run, HttpClient http, IReadOnlyList<long>[] requests, int first, int count, int commands, TimeSpan think, CancellationToken cancellationToken)
    {
        var latencies = new List<double>();
        var acks = new List<double>();
        var failures = new List<string>();
        var gate = new Lock();
        var connector = run.Bed.Connector;
        // The connector outlives a pass (both databases use it, and the same chats): only replies from now on count.
        var baseline = connector.Requests.Count;
        var workers = Enumerable.Range(first, count).Select(async user =>
        {
            var person = Seeder.Approver(user).Value;
            var chat = BenchBed.ChatOf(person);
            var id = requests[user - Offset][0];
            var lastSeen = baseline;
            // Users do not start in lock step.
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * think.TotalMilliseconds), cancellationToken);
            for (var i = 0; i < commands; i++)
            {
                var sentAt = BenchClock.Time.GetUtcNow();
                var began = Stopwatch.GetTimestamp();
                string? failure = null;
                try
                {
                    var (status, body) = await run.Bed.PostAsync(http, run.Bed.Message(person, string.Create(CultureInfo.InvariantCulture, $"status {id}")), cancellationToken);
                    var ack = Stopwatch.GetElapsedTime(began).TotalMilliseconds;
                    lock (gate) acks.Add(ack);
                    if (status is not (200 or 202))
                    {
                        failure = $"{person}: {status} {body}";
                    }
                    else
                    {
                        var seen = lastSeen;
                        var reply = await connector.WaitForAsync(
                            r => r.ConversationId == chat && r.Sequence > seen && r.Operation is FakeOperation.ReplyToActivity or FakeOperation.SendToConversation,
                            TimeSpan.FromSeconds(60));
                        lastSeen = reply.Sequence;
                        lock (gate) latencies.Add((reply.ReceivedAt - sentAt).TotalMilliseconds);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TimeoutException)
                {
                    failure = $"{person}: {e.Message}";
                }
                if (failure is not null)
                {
                    lock (gate) failures.Add(failure);
                }
                if (think > TimeSpan.Zero) await Task.Delay(think, cancellationToken);
            }
        }).ToList();
        await Task.WhenAll(workers);
        return (latencies, acks, failures);
    }
}
