using System.Globalization;
using ApprovalBot.Benchmarks.Analysis;
using ApprovalBot.Benchmarks.Figures;
using ApprovalBot.Benchmarks.Harness;

namespace ApprovalBot.Benchmarks;

/// <summary>
/// <c>dotnet ApprovalBot.Benchmarks.dll [--quick] [--sqlite-only|--postgres-only] [--out DIR] [--only a,b] [--concurrency 1,10] [--escalations 10000,100000] [--recipients 10000] [--timers 10000,20000] [--timer-window SECONDS] [--setup-per-timer SECONDS] [--bot-setting Key=Value] [--verbose]</c>
/// (normally through scripts/bench.sh). Prints the table to stdout, progress to stderr, and writes results.csv,
/// samples.csv, table.txt and one SVG per chart into the output folder. Exit code 0 when every figure ran (targets
/// missed or not), 1 when a figure failed, 2 on bad arguments.
/// </summary>
internal static class Program
{
    private static readonly IReadOnlyList<Target> Targets =
    [
        new("card-action", "p99", AtMost: true, 50, "ms"),
        new("card-action", "decisions/s", AtMost: false, 1000, "1/s"),
        new("command", "p99", AtMost: true, 50, "ms"),
        new("timers", "p99", AtMost: true, 1000, "ms"),
        new("timers", "lost", AtMost: true, 0, ""),
        new("timers", "doubled", AtMost: true, 0, ""),
        new(FootprintFigure.Memory, "rss idle", AtMost: true, 300, "MB"),
        new(FootprintFigure.Startup, "healthy", AtMost: true, 3, "s"),
        new(FanOutFigure.FigureName, "% of allowed", AtMost: false, 90, "%"),
        new(FanOutFigure.FigureName, "lost", AtMost: true, 0, ""),
        new(FanOutFigure.FigureName, "duplicates", AtMost: true, 0, ""),
    ];

    private static readonly IReadOnlyList<ChartSpec> Charts =
    [
        new("card-action-latency.svg", "card-action", ["p50", "p99"], "Card action round trip (Approve)", "concurrent approvers", "latency (ms)", Targets[0]),
        new("card-action-throughput.svg", "card-action", ["decisions/s"], "Card action throughput", "concurrent approvers", "decisions per second", Targets[1]),
        new("command-latency.svg", "command", ["p50", "p99"], "Command round trip (status)", "concurrent users", "latency to the connector (ms)", Targets[2]),
        new("timers-lateness.svg", "timers", ["p50", "p99", "max"], "Timer lateness (headline window)", "armed escalation deadlines", "lateness (ms)", Targets[3]),
        new("timers-scaling.svg", "timers-scaling", ["p50", "p99", "max"], "Timer lateness, same window, doubling work", "armed escalation deadlines", "lateness (ms)", Targets[3]),
        new("memory.svg", FootprintFigure.Memory, ["rss at start", "rss idle"], "Memory (VmRSS)", "open escalations (and a tenth as many pending approvals)", "resident set (MB)", Targets[6]),
        new("start-up.svg", FootprintFigure.Startup, ["healthy", "timers armed"], "Start-up with data", "open escalations (and a tenth as many pending approvals)", "seconds from process start", Targets[7]),
        new("fan-out.svg", FanOutFigure.FigureName, ["% of allowed"], "Digest fan-out: accepted sends against Teams' 50 requests/s", "digest recipients", "% of the allowed rate", Targets[8]),
        new("fan-out-gate.svg", FanOutGateFigure.FigureName, ["% of allowed", "429s"], "The send path alone: the bot's throttle gate against Teams' 50 requests/s", "the bot's budget (Connector:Throttle:GlobalRequestsPerSecond)", "% of the allowed rate; 429s"),
        new("fan-out-time.svg", FanOutFigure.FigureName, ["first post", "all delivered"], "Digest fan-out: time from the due minute", "digest recipients", "seconds after the due minute"),
    ];

    private static readonly IReadOnlyList<IFigure> Figures = [new CommandFigure(), new CardActionFigure(), new FootprintFigure(), new TimerFigure(), new FanOutFigure(), new FanOutGateFigure()];

    public static async Task<int> Main(string[] args)
    {
        var quick = false;
        var storages = new List<string> { "sqlite", "postgres" };
        string? output = null;
        var only = Figures.Select(f => f.Name).ToList();
        var verbose = false;
        IReadOnlyList<int>? concurrency = null;
        IReadOnlyList<int>? escalations = null;
        IReadOnlyList<int>? recipients = null;
        IReadOnlyList<int>? timers = null;
        int? timerWindowSeconds = null;
        double? setupPerTimer = null;
        var botSettings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick": quick = true; break;
                case "--sqlite-only": storages = ["sqlite"]; break;
                case "--postgres-only": storages = ["postgres"]; break;
                case "--verbose": verbose = true; break;
                case "--out" when i + 1 < args.Length: output = args[++i]; break;
                case "--concurrency" when i + 1 < args.Length && TryParseList(args[i + 1], out var levels): concurrency = levels; i++; break;
                case "--escalations" when i + 1 < args.Length && TryParseList(args[i + 1], out var sizes): escalations = sizes; i++; break;
                case "--recipients" when i + 1 < args.Length && TryParseList(args[i + 1], out var fanOut): recipients = fanOut; i++; break;
                case "--timers" when i + 1 < args.Length && TryParseList(args[i + 1], out var counts): timers = counts; i++; break;
                case "--timer-window" when i + 1 < args.Length && TryParseList(args[i + 1], out var seconds) && seconds.Count == 1: timerWindowSeconds = seconds[0]; i++; break;
                case "--setup-per-timer" when i + 1 < args.Length && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var perTimer) && perTimer > 0:
                    setupPerTimer = perTimer;
                    i++;
                    break;
                case "--bot-setting" when i + 1 < args.Length && args[i + 1].Contains('=', StringComparison.Ordinal):
                    var pair = args[++i].Split('=', 2);
                    botSettings[pair[0]] = pair[1];
                    break;
                case "--only" when i + 1 < args.Length: only = [.. args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]; break;
                default:
                    await Console.Error.WriteLineAsync(
                        $"Unknown argument '{args[i]}'.\nUsage: [--quick] [--sqlite-only|--postgres-only] [--out DIR] [--only {string.Join(',', Figures.Select(f => f.Name))}] [--concurrency 1,10,...] [--escalations 10000,...] [--recipients 10000,...] [--timers N,N,...] [--timer-window SECONDS] [--setup-per-timer SECONDS] [--bot-setting Key=Value] [--verbose]");
                    return 2;
            }
        }
        var unknown = only.Except(Figures.Select(f => f.Name)).ToList();
        if (unknown.Count > 0)
        {
            await Console.Error.WriteLineAsync($"Unknown figure(s): {string.Join(", ", unknown)}. Figures: {string.Join(", ", Figures.Select(f => f.Name))}.");
            return 2;
        }

        var startedAt = BenchClock.Time.GetUtcNow();
        output ??= Path.Combine("bench", "results", startedAt.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(output);
        var work = Directory.CreateTempSubdirectory("approvalbot-bench-");
        var scale = quick ? Scale.Quick : Scale.Full;
        if (concurrency is not null) scale = scale with { Concurrency = concurrency };
        if (escalations is not null) scale = scale with { FootprintEscalations = escalations };
        if (recipients is not null) scale = scale with { FanOutRecipients = recipients };
        // Chosen timer points replace the scaling points and the headline: each count over the window (default: the scaling window).
        if (timers is not null) scale = scale with { ScalingTimers = timers, HeadlineTimers = 0 };
        if (timerWindowSeconds is { } window) scale = scale with { ScalingWindow = TimeSpan.FromSeconds(window) };
        var results = new Results();
        var failed = 0;
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        await Console.Error.WriteLineAsync($"ApprovalBot benchmark ({(quick ? "quick" : "full")}), {Environment.ProcessorCount} CPU(s), results in {Path.GetFullPath(output)}");
        try
        {
            await using var bed = await BenchBed.StartAsync(work.FullName, verbose);
            foreach (var (key, value) in botSettings) bed.ExtraSettings[key] = value;
            foreach (var storage in storages.Select(s => s == "sqlite" ? StorageUnderTest.Sqlite() : StorageUnderTest.Postgres()))
            {
                var run = new BenchRun(scale, results, bed, storage, work.FullName);
                if (setupPerTimer is { } measured)
                {
                    run.SetupSecondsPerTimer = measured;
                    run.SetupMeasured = true;
                }
                foreach (var figure in Figures.Where(f => only.Contains(f.Name)))
                {
                    try
                    {
                        await figure.RunAsync(run, cancel.Token);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        failed++;
                        run.Say($"{figure.Name} FAILED: {e}");
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("Cancelled; writing what was measured.");
            failed++;
        }
        finally
        {
            try
            {
                work.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }

        results.WriteCsv(output);
        var charts = results.WriteCharts(output, Charts);
        var header = string.Create(CultureInfo.InvariantCulture,
            $"ApprovalBot benchmark, {(quick ? "quick" : "full")} run of {startedAt:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} CPU(s), {BenchClock.Time.GetUtcNow() - startedAt:hh\\:mm\\:ss}\n");
        var table = header + results.Table(Targets);
        await File.WriteAllTextAsync(Path.Combine(output, "table.txt"), table);
        Console.WriteLine(table);
        Console.WriteLine($"Wrote {Path.Combine(output, "results.csv")}, samples.csv, table.txt and {charts.Count} chart(s).");
        return failed == 0 ? 0 : 1;
    }

    private static bool TryParseList(string text, out IReadOnlyList<int> values)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var parsed = parts.Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 0).ToList();
        values = parsed;
        return parsed.Count > 0 && parsed.TrueForAll(n => n > 0);
    }
}
