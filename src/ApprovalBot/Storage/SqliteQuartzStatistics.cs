using Microsoft.Data.Sqlite;

namespace ApprovalBot.Storage;

public static partial class StorageProviders
{
    /// <summary>
    /// Query-planner statistics for Quartz's job and trigger tables on SQLite, written when SQLite has none of its own.
    /// Quartz reads many timers at once as <c>SCHED_NAME = ? AND ((JOB_NAME = ? AND JOB_GROUP = ?) OR …)</c> (the timer
    /// audit asks for 500 at a time). Without statistics SQLite takes <c>SCHED_NAME = ?</c> for a selective prefix and
    /// walks an index on it, but every row has the same scheduler name, so each such read scans the whole table: 639 ms
    /// for 500 keys at 20,000 timers, against 14 ms when the planner knows the prefix selects every row and looks each key
    /// up in the primary key instead. The figures describe a large store (100,000 timers in a few groups, one scheduler);
    /// they steer the plan, they are not counted. They are written once Quartz has provisioned its tables (a connection
    /// that creates a table does not load statistics for it), and an <c>ANALYZE</c> run by an operator replaces them.
    /// </summary>
    internal static readonly IReadOnlyList<(string Table, string Index, string Stat)> QuartzPlannerStatistics =
    [
        ("QRTZ_JOB_DETAILS", "sqlite_autoindex_QRTZ_JOB_DETAILS_1", "100000 100000 1 1"),   // (sched, name, group)
        ("QRTZ_JOB_DETAILS", "IDX_QRTZ_J_G_N", "100000 100000 10000 1"),                      // (sched, group, name)
        ("QRTZ_TRIGGERS", "sqlite_autoindex_QRTZ_TRIGGERS_1", "100000 100000 1 1"),           // (sched, name, group)
        ("QRTZ_TRIGGERS", "IDX_QRTZ_T_J", "100000 100000 1 1"),                               // (sched, job name, job group)
        ("QRTZ_TRIGGERS", "IDX_QRTZ_T_G_N", "100000 100000 10000 1"),                         // (sched, group, name)
        ("QRTZ_TRIGGERS", "IDX_QRTZ_T_C", "100000 100000 100000"),                            // (sched, calendar)
        ("QRTZ_TRIGGERS", "IDX_QRTZ_T_NFT_ST", "100000 100000 20000 1 1 1"),                  // (sched, state, next fire, …)
    ];

    /// <summary>
    /// Writes <see cref="QuartzPlannerStatistics"/> for each index SQLite has no statistics for, then drops the pooled
    /// connections so that every connection opened from now on plans with them. Returns how many rows were written;
    /// nothing happens on PostgreSQL, whose autovacuum keeps real statistics.
    /// </summary>
    internal static async Task<int> EnsureQuartzPlannerStatisticsAsync(StorageConnection connection, CancellationToken cancellationToken)
    {
        if (connection.Provider != StorageProvider.Sqlite)
            return 0;
        var written = 0;
        await using (var sqlite = new SqliteConnection(connection.ConnectionString))
        {
            await sqlite.OpenAsync(cancellationToken);
            await using var transaction = await sqlite.BeginTransactionAsync(cancellationToken);
            await using (var exists = sqlite.CreateCommand())
            {
                exists.CommandText = "SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'";
                if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 0)
                {
                    // sqlite_stat1 cannot be created by name; analysing one small table makes it.
                    await using var create = sqlite.CreateCommand();
                    create.CommandText = "ANALYZE \"__EFMigrationsHistory\"";
                    await create.ExecuteNonQueryAsync(cancellationToken);
                }
            }
            foreach (var (table, index, stat) in QuartzPlannerStatistics)
            {
                await using var insert = sqlite.CreateCommand();
                insert.CommandText =
                    "INSERT INTO sqlite_stat1 (tbl, idx, stat) SELECT $table, $index, $stat " +
                    "WHERE NOT EXISTS (SELECT 1 FROM sqlite_stat1 WHERE tbl = $table AND idx = $index)";
                insert.Parameters.AddWithValue("$table", table);
                insert.Parameters.AddWithValue("$index", index);
                insert.Parameters.AddWithValue("$stat", stat);
                written += await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        if (written > 0)
            SqliteConnection.ClearAllPools();
        return written;
    }
}
