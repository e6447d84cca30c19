using System.Diagnostics;
using System.Globalization;
using ApprovalBot.Benchmarks.Harness;
using ApprovalBot.TestSupport.Processes;

namespace ApprovalBot.Benchmarks.Figures;

/// <summary>
/// Memory and start-up with data: E open escalations (deadlines days away) and E/10 pending approvals are seeded, then
/// the bot is started. <c>start-up</c>: process start to the first 200 from /healthz (<see cref="BotProcess.StartupTime"/>),
/// and to the end of the start-up audit that arms every escalation's timer (it runs in the background after healthy).
/// <c>memory</c>: VmRSS right after healthy, and after the audit plus an idle period (the GC settles; nothing else runs).
/// </summary>
internal sealed class FootprintFigure : IFigure
{
    public const string Memory = "memory";
    public const string Startup = "start-up";

    public string Name => "footprint";

    public async Task RunAsync(BenchRun run, CancellationToken cancellationToken)
    {
        foreach (var escalations in run.Scale.FootprintEscalations)
        {
            await using var database = await run.Storage.CreateAsync();
            await run.Bed.MigrateAsync(database);
            var approvals = escalations / 10 * run.Scale.ApprovalsPerTenEscalations;
            run.Say($"{Name}: seeding {escalations} open escalations and {approvals} pending approvals");
            var seeding = Stopwatch.StartNew();
            var now = BenchClock.Time.GetUtcNow();
            var agreement = await Seeder.AgreementAsync(database, now, TimeSpan.FromHours(1));
            var far = now + TimeSpan.FromDays(2);
            await Seeder.OpenEscalationsAsync(database, agreement, Domain.Agreements.Priority.P4,
                [.. Enumerable.Range(0, escalations).Select(i => far + TimeSpan.FromSeconds(i))]);
            await Seeder.PendingApprovalsAsync(database, 0, Math.Max(1, approvals / 10), 10, now);

            var seeded = seeding.Elapsed;
            var started = Stopwatch.StartNew();
            await using var bot = await BotProcess.StartAsync(run.Bed.BotOptions("footprint", database), cancellationToken);
            var healthy = bot.StartupTime;
            var rssAtStart = BotProbe.ResidentMegabytes(bot.ProcessId);
            await bot.WaitForLogAsync(BotProbe.IsEscalationsRearmed, TimeSpan.FromMinutes(60), cancellationToken);
            var armed = started.Elapsed;
            await Task.Delay(run.Scale.IdleBeforeSecondReading, cancellationToken);
            var rssIdle = BotProbe.ResidentMegabytes(bot.ProcessId);
            await bot.StopAsync(TimeSpan.FromMinutes(2));

            run.SetupSecondsPerTimer = (seeded + armed).TotalSeconds / escalations;
            run.Results.Add(Startup, run.Storage.Name, escalations, "healthy", healthy.TotalSeconds, "s");
            run.Results.Add(Startup, run.Storage.Name, escalations, "timers armed", armed.TotalSeconds, "s");
            run.Results.Add(Memory, run.Storage.Name, escalations, "rss at start", rssAtStart, "MB");
            run.Results.Add(Memory, run.Storage.Name, escalations, "rss idle", rssIdle, "MB");
            run.Say(string.Create(CultureInfo.InvariantCulture,
                $"{Name} {escalations}/{approvals}: healthy after {healthy.TotalSeconds:0.00} s, timers armed after {armed.TotalSeconds:0.0} s; RSS {rssAtStart:0} MB at start, {rssIdle:0} MB idle"));
        }
    }
}
