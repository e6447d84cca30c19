using System.Data.Common;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Storage;
using Microsoft.Extensions.DependencyInjection;
using Quartz.Impl.AdoJobStore.Common;

namespace ApprovalBot.IntegrationTests.Storage;

/// <summary>
/// On SQLite, Quartz's many-timers-at-once reads (the timer audit asks for 500) look each key up in the primary key
/// instead of scanning every timer, because the bot gives the planner statistics for Quartz's tables.
/// </summary>
public sealed class QuartzPlannerStatisticsTests
{
    private const string ManyJobsLookup =
        "EXPLAIN QUERY PLAN SELECT * FROM QRTZ_JOB_DETAILS WHERE SCHED_NAME = 'S' AND " +
        "((JOB_NAME = 'a' AND JOB_GROUP = 'g') OR (JOB_NAME = 'b' AND JOB_GROUP = 'g') OR (JOB_NAME = 'c' AND JOB_GROUP = 'g'))";

    private const string ManyTriggersLookup =
        "EXPLAIN QUERY PLAN SELECT * FROM QRTZ_TRIGGERS WHERE SCHED_NAME = 'S' AND " +
        "((TRIGGER_NAME = 'a' AND TRIGGER_GROUP = 'g') OR (TRIGGER_NAME = 'b' AND TRIGGER_GROUP = 'g') OR (TRIGGER_NAME = 'c' AND TRIGGER_GROUP = 'g'))";

    [Fact]
    public async Task QuartzManyKeyReads_LookUpEachKey_InsteadOfScanningTheSchedulersTimers()
    {
        await using var bot = await BotTestHost.StartAsync(new BotTestHostOptions { Mode = BotTestMode.LocalDevelopment });

        // A connection from Quartz's own provider, as its job store opens them.
        await using var connection = bot.Services.GetRequiredService<IDbProvider>().CreateConnection();
        await connection.OpenAsync();

        foreach (var lookup in new[] { ManyJobsLookup, ManyTriggersLookup })
        {
            var plan = await PlanAsync(connection, lookup);
            // Without statistics SQLite walks an index on (SCHED_NAME, …) alone: "SEARCH … USING INDEX … (SCHED_NAME=?)",
            // which is every timer of the scheduler.
            Assert.DoesNotContain("(SCHED_NAME=?)", plan, StringComparison.Ordinal);
            Assert.Contains("MULTI-INDEX OR", plan, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PlannerStatistics_AreWrittenOnce_AndAnOperatorsAnalyzeIsKept()
    {
        await using var bot = await BotTestHost.StartAsync(new BotTestHostOptions { Mode = BotTestMode.LocalDevelopment });
        var storage = bot.Services.GetRequiredService<StorageConnection>();
        await using var connection = bot.Services.GetRequiredService<IDbProvider>().CreateConnection();
        await connection.OpenAsync();
        Assert.Equal(StorageProviders.QuartzPlannerStatistics.Count, await ScalarAsync(connection, "SELECT count(*) FROM sqlite_stat1 WHERE tbl LIKE 'QRTZ%'"));

        // Statistics SQLite gathered itself (an operator's ANALYZE) stand: a later start writes nothing over them.
        await ScalarAsync(connection, "UPDATE sqlite_stat1 SET stat = '42 42 1 1' WHERE idx = 'sqlite_autoindex_QRTZ_JOB_DETAILS_1'");
        Assert.Equal(0, await StorageProviders.EnsureQuartzPlannerStatisticsAsync(storage, CancellationToken.None));
        Assert.Equal(1, await ScalarAsync(connection, "SELECT count(*) FROM sqlite_stat1 WHERE stat = '42 42 1 1'"));
    }

    private static async Task<string> PlanAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
            lines.Add(reader.GetString(3));
        return string.Join('\n', lines);
    }

    private static async Task<long> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
