using System.Threading.Channels;
using ApprovalBot.Scheduling;
using ApprovalBot.Storage;
using ApprovalBot.TestSupport.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ApprovalBot.IntegrationTests.Scheduling;

/// <summary>
/// The durable-timer layer in a real host — storage and scheduling modules, Quartz with its persistent store, the
/// system clock (Quartz's scheduler thread runs on real time, so deadlines are a fraction of a second away) — with a
/// probe timer kind whose handler records each fire.
/// </summary>
public abstract class DurableTimersHostTests(ITestDatabaseFactory databases)
{
    private protected const string Probe = "probe";
    private static readonly TimeSpan FireTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task ArmAsync_RunsTheKindsHandlerWithSubjectDueAndFencingToken_WhenTheDeadlinePasses()
    {
        await using var database = await databases.CreateDatabaseAsync();
        using var host = await StartHostAsync(database);
        var timers = host.Services.GetRequiredService<DurableTimers>();
        var due = host.Services.GetRequiredService<TimeProvider>().GetUtcNow() + TimeSpan.FromMilliseconds(500);

        await timers.ArmAsync(Probe, "approval-42", due, fencingToken: 7, CancellationToken.None);

        var fire = await host.Services.GetRequiredService<ProbeRecorder>().NextAsync(FireTimeout);
        Assert.Equal((Probe, "approval-42", 7L), (fire.Kind, fire.SubjectId, fire.FencingToken));
        Assert.Equal(due.ToUnixTimeMilliseconds(), fire.DueAt.ToUnixTimeMilliseconds());
        Assert.True(fire.FiredAt >= fire.DueAt, $"Fired at {fire.FiredAt:o}, before its deadline {fire.DueAt:o}.");
        // A fired timer with nothing re-arming it is gone.
        await WaitUntilAsync(async () => await timers.GetDueAtAsync(Probe, "approval-42", CancellationToken.None) is null);
        await host.StopAsync();
    }

    [Fact]
    public async Task ArmAsync_ReplacesTheDeadline_WhenArmedAgainForTheSameSubject()
    {
        await using var database = await databases.CreateDatabaseAsync();
        using var host = await StartHostAsync(database);
        var timers = host.Services.GetRequiredService<DurableTimers>();
        var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();

        await timers.ArmAsync(Probe, "approval-1", now + TimeSpan.FromHours(1), 1, CancellationToken.None);
        await timers.ArmAsync(Probe, "approval-2", now + TimeSpan.FromHours(3), 1, CancellationToken.None);
        await timers.ArmAsync(Probe, "approval-1", now + TimeSpan.FromHours(2), 2, CancellationToken.None);

        Assert.Equal(now + TimeSpan.FromHours(2), await timers.GetDueAtAsync(Probe, "approval-1", CancellationToken.None));
        Assert.Equal(now + TimeSpan.FromHours(3), await timers.GetDueAtAsync(Probe, "approval-2", CancellationToken.None));
        Assert.Equal(2, await new QuartzStore(database).CountTriggersAsync(Probe));
        await host.StopAsync();
    }

    [Fact]
    public async Task CancelAsync_RemovesTheTimer_AndSaysWhetherOneWasArmed()
    {
        await using var database = await databases.CreateDatabaseAsync();
        using var host = await StartHostAsync(database);
        var timers = host.Services.GetRequiredService<DurableTimers>();
        var soon = host.Services.GetRequiredService<TimeProvider>().GetUtcNow() + TimeSpan.FromMilliseconds(500);
        await timers.ArmAsync(Probe, "approval-1", soon, 1, CancellationToken.None);
        // A sentinel due just after the cancelled deadline: once it has fired, the scheduler has passed that deadline.
        await timers.ArmAsync(Probe, "sentinel", soon + TimeSpan.FromMilliseconds(100), 1, CancellationToken.None);

        Assert.True(await timers.CancelAsync(Probe, "approval-1", CancellationToken.None));
        Assert.False(await timers.CancelAsync(Probe, "approval-1", CancellationToken.None));
        Assert.Null(await timers.GetDueAtAsync(Probe, "approval-1", CancellationToken.None));

        // Past the cancelled deadline only the sentinel fires.
        var recorder = host.Services.GetRequiredService<ProbeRecorder>();
        Assert.Equal("sentinel", (await recorder.NextAsync(FireTimeout)).SubjectId);
        Assert.Equal(1, recorder.Count);
        await host.StopAsync();
    }

    [Fact]
    public async Task RearmStale_ArmsOnlyFromAFreshRead_WhenThePageIsOlderThanTheChangeThatCancelledOrMovedTheTimer()
    {
        await using var database = await databases.CreateDatabaseAsync();
        using var host = await StartHostAsync(database);
        var timers = host.Services.GetRequiredService<DurableTimers>();
        var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        // The page was read when subjects 1 and 2 were due in an hour (version 1), 3 was due in 2 h and is armed so.
        // Since then 1 was put on hold (no timer; the change cancelled it), 2 moved to 3 h at version 2 and its
        // re-arming was lost in a crash, and 3 did not change.
        List<AuditedSubject> page = [new(1, now.AddHours(1), 1), new(2, now.AddHours(1), 1), new(3, now.AddHours(2), 1)];
        var current = new Dictionary<long, AuditedSubject> { [2] = new(2, now.AddHours(3), 2), [3] = page[2] };
        await timers.ArmAsync(Probe, "3", now.AddHours(2), 1, CancellationToken.None);

        var reloaded = new List<long>();
        var rearmed = await TimerAudit.RearmStaleAsync(
            timers, Probe,
            (after, _) => Task.FromResult(page.Where(p => p.Id > after).ToList()),
            (ids, _) =>
            {
                reloaded.AddRange(ids);
                return Task.FromResult(ids.Where(current.ContainsKey).Select(id => current[id]).ToList());
            },
            p => p.Id, p => (p.Due, p.Version),
            CancellationToken.None);

        Assert.Equal(1, rearmed);
        Assert.Equal([1L, 2L], reloaded); // only what the page showed missing or stale is read again
        Assert.Null(await timers.GetArmedAsync(Probe, "1", CancellationToken.None)); // the stale page alone never re-arms a cancelled timer
        var second = await timers.GetArmedAsync(Probe, "2", CancellationToken.None);
        Assert.Equal((now.AddHours(3).ToUnixTimeMilliseconds(), 2L), (second!.DueAt.ToUnixTimeMilliseconds(), second.FencingToken));
        var third = await timers.GetArmedAsync(Probe, "3", CancellationToken.None);
        Assert.Equal((now.AddHours(2).ToUnixTimeMilliseconds(), 1L), (third!.DueAt.ToUnixTimeMilliseconds(), third.FencingToken));
        await host.StopAsync();
    }

    [Fact]
    public async Task RearmStale_ArmsEveryMissingTimerOnce_AcrossPages_AndLeavesArmedOnesAlone()
    {
        await using var database = await databases.CreateDatabaseAsync();
        using var host = await StartHostAsync(database);
        var timers = host.Services.GetRequiredService<DurableTimers>();
        var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        // More than two pages of subjects; every third one is armed already (one of them with a newer fencing token than
        // the page says, as a change since would have), one in five needs no timer.
        var subjects = Enumerable.Range(1, TimerAudit.PageSize * 2 + 100)
            .Select(i => new AuditedSubject(i, i % 5 == 0 ? null : now.AddHours(1).AddSeconds(i), 1))
            .ToList();
        var armedBefore = subjects.Where(p => p.Id % 3 == 0 && p.Due is not null).ToList();
        await timers.ArmManyAsync(Probe, [.. armedBefore.Select(p => new TimerToArm(Subject(p.Id), p.Due!.Value, p.Id == 3 ? 9 : 1))], CancellationToken.None);
        var reloads = 0;

        var rearmed = await TimerAudit.RearmStaleAsync(
            timers, Probe,
            (after, _) => Task.FromResult(subjects.Where(p => p.Id > after).Take(TimerAudit.PageSize).ToList()),
            (ids, _) =>
            {
                reloads++;
                return Task.FromResult(subjects.Where(p => ids.Contains(p.Id)).ToList());
            },
            p => p.Id, p => (p.Due, p.Version),
            CancellationToken.None);

        var needed = subjects.Where(p => p.Due is not null).ToList();
        Assert.Equal(needed.Count - armedBefore.Count, rearmed);
        Assert.Equal(3, reloads); // one fresh read per page, not one per subject
        Assert.Equal(needed.Count, await new QuartzStore(database).CountTriggersAsync(Probe));
        var armed = await timers.GetArmedAsync(Probe, [.. subjects.Select(p => Subject(p.Id))], CancellationToken.None);
        Assert.Equal(needed.Select(p => Subject(p.Id)).Order(StringComparer.Ordinal), armed.Keys.Order(StringComparer.Ordinal));
        Assert.All(needed.Where(p => p.Id != 3), p => Assert.True(armed[Subject(p.Id)].Is(p.Due!.Value, 1), $"Subject {p.Id}: {armed[Subject(p.Id)]}"));
        Assert.Equal(9, armed["3"].FencingToken); // the newer token stays

        // A second pass finds nothing to do and reads nothing again.
        reloads = 0;
        Assert.Equal(0, await TimerAudit.RearmStaleAsync(
            timers, Probe,
            (after, _) => Task.FromResult(subjects.Where(p => p.Id > after).Take(TimerAudit.PageSize).ToList()),
            (ids, _) =>
            {
                reloads++;
                return Task.FromResult(subjects.Where(p => ids.Contains(p.Id)).ToList());
            },
            p => p.Id, p => p.Id == 3 ? (p.Due, 9L) : (p.Due, p.Version),
            CancellationToken.None));
        Assert.Equal(0, reloads);
        await host.StopAsync();
    }

    [Fact]
    public async Task ArmManyAsync_ArmsTheMissingAndStale_KeepsNewerTokensAndIdenticalTimers_AndTheNewestOfADuplicate()
    {
        await using var database = await databases.CreateDatabaseAsync();
        using var host = await StartHostAsync(database);
        var timers = host.Services.GetRequiredService<DurableTimers>();
        var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        await timers.ArmAsync(Probe, "newer", now.AddHours(1), 5, CancellationToken.None);
        await timers.ArmAsync(Probe, "same", now.AddHours(2), 1, CancellationToken.None);
        await timers.ArmAsync(Probe, "stale", now.AddHours(3), 1, CancellationToken.None);

        var armed = await timers.ArmManyAsync(Probe, [
            new TimerToArm("newer", now.AddHours(4), 4),
            new TimerToArm("same", now.AddHours(2), 1),
            new TimerToArm("stale", now.AddHours(5), 2),
            new TimerToArm("missing", now.AddHours(6), 1),
            new TimerToArm("twice", now.AddHours(7), 1),
            new TimerToArm("twice", now.AddHours(8), 2),
        ], CancellationToken.None);

        Assert.Equal(3, armed);
        var stored = await timers.GetArmedAsync(Probe, ["newer", "same", "stale", "missing", "twice", "none"], CancellationToken.None);
        Assert.Equal(5, stored.Count);
        Assert.True(stored["newer"].Is(now.AddHours(1), 5));
        Assert.True(stored["same"].Is(now.AddHours(2), 1));
        Assert.True(stored["stale"].Is(now.AddHours(5), 2));
        Assert.True(stored["missing"].Is(now.AddHours(6), 1));
        Assert.True(stored["twice"].Is(now.AddHours(8), 2));
        Assert.Equal(now.AddHours(5).ToUnixTimeMilliseconds(), (await timers.GetDueAtAsync(Probe, "stale", CancellationToken.None))!.Value.ToUnixTimeMilliseconds());
        Assert.Equal(5, await new QuartzStore(database).CountTriggersAsync(Probe));
        await host.StopAsync();
    }

    private static string Subject(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private sealed record AuditedSubject(long Id, DateTimeOffset? Due, long Version);

    [Fact]
    public async Task ArmAsync_Throws_WhenTheKindHasNoHandler()
    {
        await using var database = await databases.CreateDatabaseAsync();
        using var host = await StartHostAsync(database);
        var timers = host.Services.GetRequiredService<DurableTimers>();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            timers.ArmAsync("no-such-kind", "x", host.Services.GetRequiredService<TimeProvider>().GetUtcNow(), 0, CancellationToken.None));
        Assert.Contains("no-such-kind", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await new QuartzStore(database).CountTriggersAsync("no-such-kind"));
        await host.StopAsync();
    }

    [Fact]
    public async Task DurableTimerJob_RunsTheHandlerAgain_WhenItFailed()
    {
        await using var database = await databases.CreateDatabaseAsync();
        using var host = await StartHostAsync(database);
        var recorder = host.Services.GetRequiredService<ProbeRecorder>();
        recorder.FailNext = 1;
        var timers = host.Services.GetRequiredService<DurableTimers>();
        var due = host.Services.GetRequiredService<TimeProvider>().GetUtcNow() + TimeSpan.FromMilliseconds(300);

        await timers.ArmAsync(Probe, "approval-7", due, fencingToken: 3, CancellationToken.None);

        var failed = await recorder.NextAsync(FireTimeout);
        var retried = await recorder.NextAsync(FireTimeout);
        // The same deadline and fencing token, after the configured delay (0.5 s, ±20 % jitter): a stored retry, not an
        // immediate re-run.
        Assert.Equal((Probe, "approval-7", 3L), (retried.Kind, retried.SubjectId, retried.FencingToken));
        Assert.Equal(failed.DueAt, retried.DueAt);
        Assert.True(retried.FiredAt - failed.FiredAt >= TimeSpan.FromMilliseconds(350), $"Retried {(retried.FiredAt - failed.FiredAt).TotalMilliseconds} ms after the failure.");
        // Done once it succeeded.
        await WaitUntilAsync(async () => await timers.GetDueAtAsync(Probe, "approval-7", CancellationToken.None) is null);
        Assert.Equal(2, recorder.Count);
        await host.StopAsync();
    }

    [Fact]
    public async Task AddTimerHandler_KeepsEveryKind_WhenAFeatureRegistersAfterAddScheduling()
    {
        await using var database = await databases.CreateDatabaseAsync();
        // StartHostAsync registers the probe kind after AddScheduling has registered housekeeping, as a feature would.
        using var host = await StartHostAsync(database);

        Assert.Equal(["housekeeping", Probe], host.Services.GetRequiredService<TimerKinds>().All.Order(StringComparer.Ordinal));
        Assert.Single(host.Services.GetServices<TimerKinds>());
        await host.StopAsync();
    }

    [Fact]
    public void AddTimerHandler_Throws_WhenAKindIsRegisteredTwice()
    {
        var services = new ServiceCollection();
        services.AddTimerHandler<ProbeHandler>(Probe);

        var error = Assert.Throws<InvalidOperationException>(() => services.AddTimerHandler<ProbeHandler>(Probe));
        Assert.Contains(Probe, error.Message, StringComparison.Ordinal);
    }

    private protected static async Task<IHost> StartHostAsync(ITestDatabase database)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(database.HostSettings());
        builder.Configuration.AddInMemoryCollection([
            new("Scheduling:IdleWaitTime", "00:00:01"),
            new("Housekeeping:Every", "1.00:00:00"),
            new("Scheduling:FailedTimerRetryDelay", "00:00:00.500"),
        ]);
        builder.AddClock();
        builder.AddStorage();
        builder.AddScheduling();
        builder.Services.AddSingleton<ProbeRecorder>();
        builder.Services.AddTimerHandler<ProbeHandler>(Probe);
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return host;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(FireTimeout);
        while (!await condition())
            await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
    }

    private sealed class ProbeRecorder
    {
        private readonly Channel<TimerFire> _fires = Channel.CreateUnbounded<TimerFire>();
        private int _count;
        private int _failNext;

        public int Count => Volatile.Read(ref _count);

        /// <summary>How many of the next fires throw (after being recorded).</summary>
        public int FailNext
        {
            get => Volatile.Read(ref _failNext);
            set => Volatile.Write(ref _failNext, value);
        }

        public void Record(TimerFire fire)
        {
            Interlocked.Increment(ref _count);
            _fires.Writer.TryWrite(fire);
            if (Interlocked.Decrement(ref _failNext) >= 0)
                throw new InvalidOperationException("The probe handler fails as told.");
            Interlocked.Exchange(ref _failNext, 0);
        }

        public async Task<TimerFire> NextAsync(TimeSpan timeout)
        {
            using var cancel = new CancellationTokenSource(timeout);
            return await _fires.Reader.ReadAsync(cancel.Token);
        }
    }

    private sealed class ProbeHandler(ProbeRecorder recorder) : ITimerHandler
    {
        public Task HandleAsync(TimerFire fire, CancellationToken cancellationToken)
        {
            recorder.Record(fire);
            return Task.CompletedTask;
        }
    }
}

public sealed class SqliteDurableTimersHostTests() : DurableTimersHostTests(new SqliteTestDatabases());

public sealed class PostgresDurableTimersHostTests(PostgresServerFixture postgres)
    : DurableTimersHostTests(postgres), IClassFixture<PostgresServerFixture>
{
    /// <summary>
    /// The statements an audit pass sends when nothing is missing, counted by Npgsql's own tracing (every command of this
    /// test's database, the scheduler's background polling included): a few per page, not two per armed timer.
    /// </summary>
    [Fact]
    public async Task RearmStale_ReadsTheArmedTimersOfAPageInAFewStatements_WhenNothingIsMissing()
    {
        await using var database = await postgres.CreateDatabaseAsync();
        using var host = await StartHostAsync(database);
        var timers = host.Services.GetRequiredService<DurableTimers>();
        var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var subjects = Enumerable.Range(1, TimerAudit.PageSize * 2 + 100).Select(i => (Id: (long)i, Due: now.AddHours(1).AddSeconds(i))).ToList();
        Assert.Equal(subjects.Count, await timers.ArmManyAsync(
            Probe, [.. subjects.Select(s => new TimerToArm(s.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), s.Due, 1))], CancellationToken.None));
        var databaseName = new Npgsql.NpgsqlConnectionStringBuilder(database.Connection.ConnectionString).Database!;
        var statements = 0;
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref _) => System.Diagnostics.ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (activity.TagObjects.Any(t => t.Value is string value && value.Contains(databaseName, StringComparison.Ordinal)))
                    Interlocked.Increment(ref statements);
            },
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);

        var rearmed = await TimerAudit.RearmStaleAsync(
            timers, Probe,
            (after, _) => Task.FromResult(subjects.Where(s => s.Id > after).Take(TimerAudit.PageSize).ToList()),
            (ids, _) => Task.FromResult(subjects.Where(s => ids.Contains(s.Id)).ToList()),
            s => s.Id, s => (s.Due, 1L),
            CancellationToken.None);

        var counted = Volatile.Read(ref statements);
        Assert.Equal(0, rearmed);
        Assert.True(counted is > 0 and <= 20, $"{counted} statements for an audit pass over {subjects.Count} armed timers (3 pages).");
        await host.StopAsync();
    }
}
