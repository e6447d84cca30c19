using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ApprovalBot.Storage;

/// <summary>
/// Lets SQLite itself wait for the write lock (<c>sqlite3_busy_timeout</c>) on every connection EF opens, for the
/// connection's <c>Default Timeout</c> (<c>Storage:Sqlite:BusyTimeoutSeconds</c>). Without it a statement that meets the
/// lock held by another connection (a concurrent save, Quartz arming a timer) comes back busy at once and
/// Microsoft.Data.Sqlite retries it after a fixed 150 ms sleep: with a few concurrent card clicks, most of a click's
/// latency was those sleeps. SQLite's handler retries after 1, 2, 5, 10 … ms instead, so a writer gets the lock within
/// a few milliseconds of its release. The timeout and what happens when it runs out are unchanged: past it the statement
/// fails with "database is locked", as before.
/// </summary>
internal sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    public static readonly SqliteBusyTimeout Instance = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle } sqlite) return;
        var milliseconds = (int)Math.Min(int.MaxValue, Math.Max(0, sqlite.DefaultTimeout) * 1000L);
        SqliteException.ThrowExceptionForRC(SQLitePCL.raw.sqlite3_busy_timeout(handle, milliseconds), handle);
    }
}
