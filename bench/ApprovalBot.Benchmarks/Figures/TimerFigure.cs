using System.Globalization;
using ApprovalBot.Benchmarks.Analysis;
using ApprovalBot.Benchmarks.Harness;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Escalations;
using ApprovalBot.TestSupport.Processes;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Benchmarks.Figures;

/// <summary>
/// Timer lateness: N open P1 escalations whose L1 acknowledgement deadlines are spread evenly over a window are seeded
/// before the bot starts; its start-up audit arms the N durable timers (as after a restore). Each deadline raises its
/// escalation to L2. From the bot's fire log: lateness of each fire (the bot's "job started − due", and "logged after
/// commit − due"), deadlines never fired (lost; cross-checked against the database) and fired twice. Deadlines that fell
/// before the start-up audit finished arming are counted apart ("before armed") and left out of the lateness figures:
/// they measure the start-up, not the timers. A deadline counts as lost when it has not fired once fires stopped coming
/// for 30 s after the window (a backlog is late, not lost), or by the cap (window end + max(2 min, window)). Headline: <see cref="Scale.HeadlineTimers"/> over
/// <see cref="Scale.HeadlineWindow"/> (figure <c>timers</c>); scaling: each of <see cref="Scale.ScalingTimers"/> over
/// <see cref="Scale.ScalingWindow"/> (figure <c>timers-scaling</c>: the same window, so the rate doubles with the work).
/// </summary>
internal sealed class TimerFigure : IFigure
{
    private static readonly TimeSpan ResponseTarget = TimeSpan.FromMinutes(30);

    public string Name => "timers";

    public async Task RunAsync(BenchRun run, CancellationToken cancellationToken)
    {
        foreach (var count in run.Scale.ScalingTimers)
            await RunPointAsync(run, "timers-scaling", count, run.Scale.ScalingWindow, cancellationToken);
        if (run.Scale.HeadlineTimers > 0)
            await RunPointAsync(run, Name, run.Scale.HeadlineTimers, run.Scale.HeadlineWindow, cancellationToken);
    }

    private static async Task RunPointAsync(BenchRun run, string figure, int count, TimeSpan window, CancellationToken cancellationToken)
    {
        await using var database = await run.Storage.CreateAsync();
        await run.Bed.MigrateAsync(database);

        // The deadlines must lie after seeding, start-up and the arming of every timer: half as much again as measured
        // (PostgreSQL's durable, clustered store seeds and arms 100,000 in about 5.6 ms a timer, SQLite in 1.3 ms; until
        // a point has measured it, assume the slower).
        var perTimer = run.Storage.Name == "PostgreSQL" && !run.SetupMeasured ? Math.Max(run.SetupSecondsPerTimer, 0.008) : run.SetupSecondsPerTimer;
        var lead = TimeSpan.FromSeconds(15) + TimeSpan.FromSeconds(count * perTimer * 1.5);
        var now = BenchClock.Time.GetUtcNow();
        var first = TruncateToMilliseconds(now + lead);
        var step = window / count;
        var deadlines = Enumerable.Range(0, count).Select(i => TruncateToMilliseconds(first + step * i)).ToList();
        run.Say(string.Create(CultureInfo.InvariantCulture, $"{figure}: seeding {count} escalations due from {first:HH:mm:ss} over {window.TotalSeconds:0} s"));
        var agreement = await Seeder.AgreementAsync(database, now, ResponseTarget);
        var ids = await Seeder.OpenEscalationsAsync(database, agreement, Priority.P1, deadlines);
        var due = ids.Zip(deadlines).ToDictionary(p => p.First.ToString(CultureInfo.InvariantCulture), p => p.Second);

        await using var bot = await BotProcess.StartAsync(run.Bed.BotOptions(figure, database, new Dictionary<string, string?>
        {
            ["Logging:LogLevel:" + TimerFire.Category] = "Information",
        }), cancellationToken);
        // A slow audit (a loaded machine) is not a failure: deadlines that fell before it finished are counted apart.
        var rearmed = await bot.WaitForLogAsync(BotProbe.IsEscalationsRearmed, lead + window + TimeSpan.FromMinutes(5), cancellationToken);
        var armedAt = rearmed.Timestamp ?? BenchClock.Time.GetUtcNow();
        run.SetupSecondsPerTimer = Math.Max(0.001, (armedAt - now).TotalSeconds / count);
        run.SetupMeasured = true;
        // CPU from here on is the firing (the audit has finished); divided by the fires below.
        var cpuBefore = BotProbe.CpuTime(bot.ProcessId);
        run.Say(string.Create(CultureInfo.InvariantCulture, $"{figure}: healthy after {bot.StartupTime.TotalSeconds:0.0} s, {count} timers armed {(first - armedAt).TotalSeconds:0.0} s before the first deadline"));

        // Wait for the window to pass, then while fires still come (a backlog is late, not lost), up to a cap.
        var end = deadlines[^1];
        var quiet = TimeSpan.FromSeconds(30);
        var cap = end + TimeSpan.FromSeconds(Math.Max(120, window.TotalSeconds));
        var fired = new HashSet<string>(StringComparer.Ordinal);
        var read = 0;
        var lastFireAt = BenchClock.Time.GetUtcNow();
        while (true)
        {
            var lines = bot.Lines;
            for (; read < lines.Count; read++)
            {
                if (TimerFire.TryParse(lines[read]) is { Kind: EscalationTimers.Kind } fire && fired.Add(fire.Subject))
                    lastFireAt = BenchClock.Time.GetUtcNow();
            }
            var nowAt = BenchClock.Time.GetUtcNow();
            if (nowAt > end && (fired.Count >= count || nowAt - lastFireAt > quiet || nowAt > cap)) break;
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
        var cpu = BotProbe.CpuTime(bot.ProcessId) - cpuBefore;
        await bot.StopAsync(TimeSpan.FromMinutes(2));

        var fires = bot.Lines.Select(TimerFire.TryParse).OfType<TimerFire>().Where(f => f.Kind == EscalationTimers.Kind).ToList();
        var counted = due.Where(d => d.Value >= armedAt).ToDictionary(d => d.Key, d => d.Value);
        var byDeadline = fires.Where(f => counted.TryGetValue(f.Subject, out var at) && at == f.DueAt).GroupBy(f => f.Subject).ToDictionary(g => g.Key, g => g.ToList());
        var lost = counted.Count - byDeadline.Count;
        var doubled = byDeadline.Values.Count(l => l.Count > 1);
        var lateness = byDeadline.Values.Select(l => l[0].LatenessMs).ToList();
        var committed = byDeadline.Values.Where(l => l[0].LoggedAt is not null).Select(l => (l[0].LoggedAt!.Value - l[0].DueAt).TotalMilliseconds).ToList();
        int stillAtL1;
        await using (var db = database.CreateContext())
            stillAtL1 = await db.Escalations.CountAsync(e => e.Level == SupportLevel.L1, cancellationToken);

        var summary = run.Results.AddLatencies(figure, run.Storage.Name, count, lateness);
        run.Results.Add(figure, run.Storage.Name, count, "p99 committed", Percentiles.Of(committed, 99), "ms");
        run.Results.Add(figure, run.Storage.Name, count, "lost", lost, "");
        run.Results.Add(figure, run.Storage.Name, count, "bot cpu/fire", cpu is { } used && fires.Count > 0 ? used.TotalMilliseconds / fires.Count : double.NaN, "ms");
        run.Results.Add(figure, run.Storage.Name, count, "doubled", doubled, "");
        run.Results.Add(figure, run.Storage.Name, count, "before armed", due.Count - counted.Count, "");
        run.Results.Add(figure, run.Storage.Name, count, "not raised in db", stillAtL1, "");
        run.Say(string.Create(CultureInfo.InvariantCulture,
            $"{figure} {count}/{window.TotalSeconds:0}s: lateness {summary}; lost {lost}, doubled {doubled}, before armed {due.Count - counted.Count}, still at L1 in the database {stillAtL1}"));
    }

    private static DateTimeOffset TruncateToMilliseconds(DateTimeOffset instant) => DateTimeOffset.FromUnixTimeMilliseconds(instant.ToUnixTimeMilliseconds());
}
