using System.Data.Common;
using System.Diagnostics;
using ApprovalBot.Storage;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.IntegrationTests.Scheduling;

/// <summary>A trigger row as Quartz stores it.</summary>
internal sealed record StoredTrigger(DateTimeOffset? NextFireTime, string State);

/// <summary>A trigger a scheduler instance has acquired and will fire at <paramref name="DueAt"/>.</summary>
internal sealed record AcquiredTrigger(string Instance, string Subject, DateTimeOffset DueAt);

/// <summary>
/// Reads the bot's Quartz tables and the database's clock directly, the way an operator would. Quartz 4.7.3 provisions
/// <c>QRTZ_TRIGGERS</c> on SQLite and <c>qrtz_triggers</c> on PostgreSQL (unquoted, so the same SQL reads both), with
/// <c>sched_name</c> = the scheduler's InstanceName, <c>trigger_group</c> = timer kind, <c>trigger_name</c> = subject, and
/// <c>next_fire_time</c> as UTC ticks (<c>bigint</c>).
/// </summary>
internal sealed class QuartzStore(ITestDatabase database)
{
    public const string SchedulerName = "ApprovalBot";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public async Task<StoredTrigger?> GetTriggerAsync(string kind, string subject)
    {
        await using var db = database.CreateContext();
        await using var command = await OpenCommandAsync(db,
            "SELECT next_fire_time, trigger_state FROM qrtz_triggers WHERE sched_name = @scheduler AND trigger_group = @kind AND trigger_name = @subject",
            ("@scheduler", SchedulerName), ("@kind", kind), ("@subject", subject));
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
            return null;
        var next = reader.IsDBNull(0) ? (DateTimeOffset?)null : new DateTimeOffset(reader.GetInt64(0), TimeSpan.Zero);
        return new StoredTrigger(next, reader.GetString(1));
    }

    public async Task<int> CountTriggersAsync(string kind)
    {
        await using var db = database.CreateContext();
        await using var command = await OpenCommandAsync(db,
            "SELECT COUNT(*) FROM qrtz_triggers WHERE sched_name = @scheduler AND trigger_group = @kind",
            ("@scheduler", SchedulerName), ("@kind", kind));
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// "Now" as the database reads it: PostgreSQL's <c>clock_timestamp()</c>; SQLite's <c>julianday('now')</c> (SQLite has
    /// no server: that is the OS clock the bot's TimeProvider reads too). Millisecond precision.
    /// </summary>
    public async Task<DateTimeOffset> GetNowAsync()
    {
        var sql = database.Connection.Provider == StorageProvider.Postgres
            ? "SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS bigint)"
            : "SELECT CAST(ROUND((julianday('now') - 2440587.5) * 86400000.0) AS INTEGER)";
        await using var db = database.CreateContext();
        await using var command = await OpenCommandAsync(db, sql);
        var milliseconds = Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        return DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
    }

    /// <summary>The instance ids of the schedulers checked in to the cluster (PostgreSQL: <c>qrtz_scheduler_state</c>).</summary>
    public async Task<List<string>> GetInstancesAsync()
    {
        await using var db = database.CreateContext();
        await using var command = await OpenCommandAsync(db,
            "SELECT instance_name FROM qrtz_scheduler_state WHERE sched_name = @scheduler", ("@scheduler", SchedulerName));
        await using var reader = await command.ExecuteReaderAsync();
        var instances = new List<string>();
        while (await reader.ReadAsync())
            instances.Add(reader.GetString(0));
        return instances;
    }

    /// <summary>
    /// The triggers of <paramref name="kind"/> that a scheduler has acquired (taken for itself, due within its idle
    /// wait) but not fired yet: which instance holds which subject, and its due time.
    /// </summary>
    public async Task<List<AcquiredTrigger>> GetAcquiredAsync(string kind)
    {
        await using var db = database.CreateContext();
        await using var command = await OpenCommandAsync(db,
            "SELECT instance_name, trigger_name, sched_time FROM qrtz_fired_triggers WHERE sched_name = @scheduler AND trigger_group = @kind AND state = 'ACQUIRED'",
            ("@scheduler", SchedulerName), ("@kind", kind));
        await using var reader = await command.ExecuteReaderAsync();
        var acquired = new List<AcquiredTrigger>();
        while (await reader.ReadAsync())
            acquired.Add(new AcquiredTrigger(reader.GetString(0), reader.GetString(1), new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero)));
        return acquired;
    }

    /// <summary>Polls until the trigger exists and satisfies <paramref name="condition"/>.</summary>
    public async Task<StoredTrigger> WaitForTriggerAsync(string kind, string subject, Func<StoredTrigger, bool> condition, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        StoredTrigger? last = null;
        while (waited.Elapsed < timeout)
        {
            last = await GetTriggerAsync(kind, subject);
            if (last is not null && condition(last))
                return last;
            await Task.Delay(PollInterval);
        }
        throw new TimeoutException($"Trigger {kind}/{subject} did not reach the expected state within {timeout.TotalSeconds:0.#} s; last seen: {last?.ToString() ?? "none"}.");
    }

    /// <summary>Polls the database clock until it reads <paramref name="instant"/> or later; returns that reading.</summary>
    public async Task<DateTimeOffset> WaitUntilAsync(DateTimeOffset instant, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var now = await GetNowAsync();
            if (now >= instant)
                return now;
            if (waited.Elapsed > timeout)
                throw new TimeoutException($"The database clock did not reach {instant:o} within {timeout.TotalSeconds:0.#} s (it reads {now:o}).");
            var left = instant - now;
            await Task.Delay(left < PollInterval ? left : PollInterval);
        }
    }

    private static async Task<DbCommand> OpenCommandAsync(BotDbContext db, string sql, params (string Name, object Value)[] parameters)
    {
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // fixed SQL text; values go in as parameters
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return command;
    }
}
