using System.Net;
using ApprovalBot.IntegrationTests.Api;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Operations;
using ApprovalBot.Scheduling;
using ApprovalBot.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalBot.IntegrationTests.Operations;

/// <summary>
/// Timers on the operations page, through the real endpoint on the manual clock: a timer whose handler throws shows up
/// with its error summary (page and JSON), and Retry fires it now, once.
/// </summary>
public sealed class OperationsTimerTests
{
    private const string Kind = "ops-probe";
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The bot on <paramref name="clock"/>, with the API test keys, the probe's handler for <see cref="Kind"/>, and <paramref name="settings"/>.</summary>
    private static Task<BotTestHost> StartWithProbeAsync(ManualTimeProvider clock, FlakyProbe probe, params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?>(ApiTestKeys.Settings());
        foreach (var (key, value) in settings) all[key] = value;
        return BotTestHost.StartAsync(new BotTestHostOptions
        {
            Time = clock,
            Settings = all,
            Services = s =>
            {
                s.AddSingleton(probe);
                s.AddTimerHandler<FlakyHandler>(Kind);
            },
        });
    }

    [Fact]
    public async Task AFailedTimer_AppearsWithItsErrorSummary_AndRetryRunsItExactlyOnce()
    {
        var clock = new ManualTimeProvider(Start);
        var probe = new FlakyProbe { Failing = true };
        // Quartz's own retry comes an hour later: within this test only the operator's Retry fires it again.
        await using var bot = await StartWithProbeAsync(clock, probe, ("Scheduling:FailedTimerRetryDelay", "01:00:00"), ("Scheduling:FailedTimerMaxRetryDelay", "02:00:00"));
        var timers = bot.Services.GetRequiredService<DurableTimers>();
        await timers.ArmAsync(Kind, "42", Start.AddSeconds(5), fencingToken: 3, CancellationToken.None);
        var ops = new OpsClient(bot, apiKey: ApiTestKeys.Admin);

        // The failure is recorded as the fire ends, and Quartz stores the retry a moment later.
        await clock.TickUntilAsync(async () => await FailureCountAsync(bot) == 1
                && await timers.GetDueAtAsync(Kind, "42", CancellationToken.None) > clock.GetUtcNow().AddMinutes(30),
            () => $"no failure recorded, or no retry armed ({probe.Runs} runs)");
        Assert.Equal(1, probe.Runs);

        // The JSON: the failure with its summary, the timer still armed for Quartz's retry an hour on.
        var (status, json) = await ops.GetJsonAsync();
        Assert.Equal(HttpStatusCode.OK, status);
        var failed = Assert.Single(json!["timers"]!["failed"]!.AsArray());
        Assert.Equal((Kind, "42", 0), (failed!["kind"]!.GetValue<string>(), failed["subjectId"]!.GetValue<string>(), failed["attempt"]!.GetValue<int>()));
        Assert.Equal("System.InvalidOperationException", failed["errorType"]!.GetValue<string>());
        Assert.Equal("The probe handler fails as told.", failed["error"]!.GetValue<string>());
        var nextRetry = failed["nextRetryAt"]!.GetValue<DateTimeOffset>();
        Assert.True(nextRetry > clock.GetUtcNow().AddMinutes(30), $"next retry {nextRetry:o}");
        var kinds = json["timers"]!["armed"]!.AsArray();
        Assert.True(kinds.Any(k => k!["kind"]!.GetValue<string>() == Kind && k["armed"]!.GetValue<int>() == 1 && k["inRetry"]!.GetValue<int>() == 1), kinds.ToJsonString());
        foreach (var registered in new[] { "approval", "escalation", "digest", "provider-update", "review-reminder", "housekeeping" })
            Assert.Contains(kinds, k => k!["kind"]!.GetValue<string>() == registered);
        var fire = json["timers"]!["recentFires"]!.AsArray().First(f => f!["kind"]!.GetValue<string>() == Kind);
        Assert.False(fire!["succeeded"]!.GetValue<bool>());
        Assert.True(fire["latenessMs"]!.GetValue<double>() >= 0);

        // The page: the same failure, with its Retry form.
        var (pageStatus, page) = await ops.GetPageAsync();
        Assert.Equal(HttpStatusCode.OK, pageStatus);
        Assert.Contains($"data-failed-timer=\"{Kind}/42\"", page, StringComparison.Ordinal);
        Assert.Contains("The probe handler fails as told.", page, StringComparison.Ordinal);
        Assert.Contains("action=\"/ops/timers/retry\"", page, StringComparison.Ordinal);
        Assert.NotNull(ops.FormToken);

        // Retry (the page's form), now that the handler works: it runs once more, now, and the failure is gone.
        probe.Failing = false;
        var (retried, answer) = await ops.PostFormAsync("/ops/timers/retry", [new("kind", Kind), new("subject", "42")]);
        Assert.Equal(HttpStatusCode.OK, retried);
        Assert.Contains($"Timer {Kind}/42 fires now.", answer, StringComparison.Ordinal);
        await clock.TickUntilAsync(async () => probe.RunsOf("42") == 2 && await FailureCountAsync(bot) == 0, () => $"{probe.Runs} runs after the retry");

        // Once: a sentinel due after the hour Quartz's retry was due has fired, and the timer did not fire again.
        await timers.ArmAsync(Kind, "sentinel", clock.GetUtcNow().AddHours(3), fencingToken: 1, CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(3));
        await clock.TickUntilAsync(() => Task.FromResult(probe.RunsOf("sentinel") == 1), () => "the sentinel did not fire");
        Assert.Equal(2, probe.RunsOf("42"));
        Assert.Null(await timers.GetArmedAsync(Kind, "42", CancellationToken.None));

        await using var db = bot.CreateDbContext();
        var audit = Assert.Single(await db.OperationsAudit.AsNoTracking().ToListAsync());
        Assert.Equal(("timer.retry", $"timer {Kind}/42", "done", "API key 'ops'"), (audit.Action, audit.Target, audit.Outcome, audit.Actor));
        var (_, after) = await ops.GetJsonAsync();
        Assert.Empty(after!["timers"]!["failed"]!.AsArray());
        Assert.Contains(after["recentActions"]!.AsArray(), a => a!["action"]!.GetValue<string>() == "timer.retry");
    }

    [Fact]
    public async Task Retry_IsRefusedAndAudited_WhenTheTimerIsNotArmed()
    {
        await using var bot = await BotTestHost.StartAsync(new BotTestHostOptions { Settings = ApiTestKeys.Settings() });
        var ops = new OpsClient(bot, apiKey: ApiTestKeys.Admin);

        var (status, json) = await ops.PostApiAsync("/timers/escalation/999/retry");
        var (unknown, _) = await ops.PostApiAsync("/timers/no-such-kind/1/retry");

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("not armed", json!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        await using var db = bot.CreateDbContext();
        Assert.All(await db.OperationsAudit.AsNoTracking().ToListAsync(), a => Assert.Equal("refused", a.Outcome));
        Assert.Equal(2, await db.OperationsAudit.CountAsync());
    }

    [Fact]
    public async Task AFailedTimerWhoseRetriesRanOut_IsOfferedDismiss_AndDismissRemovesItFromTheFailedList_Audited()
    {
        var clock = new ManualTimeProvider(Start);
        var probe = new FlakyProbe { Failing = true };
        // One retry, 10 s on (± 20 %): the timer fails on its first fire and on its only retry.
        await using var bot = await StartWithProbeAsync(clock, probe, ("Scheduling:FailedTimerRetries", "1"), ("Scheduling:FailedTimerRetryDelay", "00:00:10"));
        var timers = bot.Services.GetRequiredService<DurableTimers>();
        await timers.ArmAsync(Kind, "7", Start.AddSeconds(5), fencingToken: 1, CancellationToken.None);
        var ops = new OpsClient(bot, apiKey: ApiTestKeys.Admin);

        // Its retries run out: a failure is left with no trigger, so no later fire would ever clear it.
        await clock.TickUntilAsync(async () => probe.RunsOf("7") == 2 && await FailureCountAsync(bot) == 1 && await timers.GetArmedAsync(Kind, "7", CancellationToken.None) is null,
            () => $"the retries did not run out, or no failure was recorded ({probe.RunsOf("7")} runs)");
        var (_, json) = await ops.GetJsonAsync();
        var failed = Assert.Single(json!["timers"]!["failed"]!.AsArray());
        Assert.Null(failed!["nextRetryAt"]);
        var (_, page) = await ops.GetPageAsync();
        Assert.Contains($"data-failed-timer=\"{Kind}/7\"", page, StringComparison.Ordinal);
        Assert.Contains("action=\"/ops/timers/dismiss\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("action=\"/ops/timers/retry\"", page, StringComparison.Ordinal);

        var (status, answer) = await ops.PostFormAsync("/ops/timers/dismiss", [new("kind", Kind), new("subject", "7")]);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"The failure of timer {Kind}/7 (System.InvalidOperationException: The probe handler fails as told.) was dismissed.", answer, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-failed-timer=\"{Kind}/7\"", answer, StringComparison.Ordinal);
        var (_, after) = await ops.GetJsonAsync();
        Assert.Empty(after!["timers"]!["failed"]!.AsArray());
        Assert.Equal(0, await FailureCountAsync(bot));
        // Dismissed once: a second Dismiss (the API) finds nothing, and is audited as refused.
        var (again, problem) = await ops.PostApiAsync($"/timers/{Kind}/7/dismiss");
        Assert.Equal(HttpStatusCode.NotFound, again);
        Assert.Contains("has no failure to dismiss", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, probe.RunsOf("7"));
        await using var db = bot.CreateDbContext();
        var audit = await db.OperationsAudit.AsNoTracking().OrderBy(a => a.Id).Select(a => new { a.Action, a.Target, a.Outcome, a.Actor }).ToListAsync();
        Assert.Equal(
            [new { Action = "timer.dismiss", Target = $"timer {Kind}/7", Outcome = "done", Actor = "API key 'ops'" }, new { Action = "timer.dismiss", Target = $"timer {Kind}/7", Outcome = "refused", Actor = "API key 'ops'" }],
            audit);
    }

    [Fact]
    public async Task Dismiss_IsRefusedAndChangesNothing_WhileTheFailedTimerIsStillArmedForARetry()
    {
        var clock = new ManualTimeProvider(Start);
        var probe = new FlakyProbe { Failing = true };
        await using var bot = await StartWithProbeAsync(clock, probe, ("Scheduling:FailedTimerRetryDelay", "01:00:00"), ("Scheduling:FailedTimerMaxRetryDelay", "02:00:00"));
        var timers = bot.Services.GetRequiredService<DurableTimers>();
        await timers.ArmAsync(Kind, "8", Start.AddSeconds(5), fencingToken: 1, CancellationToken.None);
        await clock.TickUntilAsync(async () => await FailureCountAsync(bot) == 1
                && await timers.GetDueAtAsync(Kind, "8", CancellationToken.None) > clock.GetUtcNow().AddMinutes(30),
            () => $"no failure recorded, or no retry armed ({probe.Runs} runs)");
        var ops = new OpsClient(bot, apiKey: ApiTestKeys.Admin);

        var (status, problem) = await ops.PostApiAsync($"/timers/{Kind}/8/dismiss");

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("is still armed", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, await FailureCountAsync(bot));
        var (_, page) = await ops.GetPageAsync();
        Assert.Contains("action=\"/ops/timers/retry\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("action=\"/ops/timers/dismiss\"", page, StringComparison.Ordinal);
        await using var db = bot.CreateDbContext();
        var audit = Assert.Single(await db.OperationsAudit.AsNoTracking().ToListAsync());
        Assert.Equal(("timer.dismiss", "refused"), (audit.Action, audit.Outcome));
    }

    private static async Task<int> FailureCountAsync(BotTestHost bot)
    {
        await using var db = bot.CreateDbContext();
        return await db.TimerFailures.CountAsync();
    }

    internal sealed class FlakyProbe
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _bySubject = new(StringComparer.Ordinal);
        private int _runs;
        private volatile bool _failing;

        public bool Failing
        {
            get => _failing;
            set => _failing = value;
        }

        public int Runs => Volatile.Read(ref _runs);

        public int RunsOf(string subject) => _bySubject.GetValueOrDefault(subject);

        public void Run(string subject)
        {
            _bySubject.AddOrUpdate(subject, 1, (_, n) => n + 1);
            Interlocked.Increment(ref _runs);
            if (Failing) throw new InvalidOperationException("The probe handler fails as told.\nSecond line, not shown.");
        }
    }

    private sealed class FlakyHandler(FlakyProbe probe) : ITimerHandler
    {
        public Task HandleAsync(TimerFire fire, CancellationToken cancellationToken)
        {
            probe.Run(fire.SubjectId);
            return Task.CompletedTask;
        }
    }
}
