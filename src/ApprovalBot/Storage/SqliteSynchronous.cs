using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ApprovalBot.Storage;

/// <summary>
/// SQLite's <c>PRAGMA synchronous</c> for every connection the bot opens (<c>Storage:Sqlite:Synchronous</c>).
/// <see cref="Full"/> (SQLite's own default) flushes the WAL to disk at every commit: a commit the
/// bot acknowledged survives a power loss. <see cref="Normal"/> flushes only at checkpoints: in WAL mode the database
/// stays consistent whatever happens and a crash of the process loses nothing, but a power loss or an OS crash can
/// roll back the last commits. The pragma is per connection, so it is set again each time one opens.
/// </summary>
public enum SqliteSynchronous
{
    Full,
    Normal,
}

public static partial class StorageProviders
{
    /// <summary>Case-insensitive <c>Full</c> or <c>Normal</c>; unset means <c>Full</c>; numbers are not names.</summary>
    public static SqliteSynchronous ParseSqliteSynchronous(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return SqliteSynchronous.Full;
        foreach (var level in Enum.GetValues<SqliteSynchronous>())
        {
            if (string.Equals(value.Trim(), level.ToString(), StringComparison.OrdinalIgnoreCase))
                return level;
        }
        throw new InvalidOperationException(
            $"{StorageOptions.SectionName}:Sqlite:Synchronous is '{value}'. " +
            $"Use '{SqliteSynchronous.Full}' (the default: every commit is on disk) or '{SqliteSynchronous.Normal}' " +
            "(commits reach the disk at checkpoints; a power loss can lose the last ones).");
    }

    /// <summary>
    /// An ADO.NET factory for Quartz's SQLite store (<c>UseSqlite(factory, connectionString)</c>) whose connections set
    /// <paramref name="level"/> when they open. Quartz opens a connection per unit of work, so a one-off pragma would not
    /// reach them, and no connection string keyword carries the level.
    /// </summary>
    public static DbProviderFactory SqliteFactoryFor(SqliteSynchronous level) => new SynchronousSqliteFactory(level);

    /// <summary>The level the scheduler's store commits at on SQLite: NORMAL when relaxed, else the storage's own.</summary>
    public static SqliteSynchronous SchedulerSqliteLevel(StorageConnection connection, bool relaxed)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return relaxed ? SqliteSynchronous.Normal : connection.SqliteSynchronous;
    }

    /// <summary>
    /// The scheduler's PostgreSQL connection string: the storage's, with <c>synchronous_commit = off</c> for the session
    /// when relaxed (a server option passed at connection start; the bot's own connections keep the server's setting).
    /// Its own pool, since the string differs.
    /// </summary>
    public static string SchedulerPostgresConnectionString(StorageConnection connection, bool relaxed)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!relaxed) return connection.ConnectionString;
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connection.ConnectionString);
        builder.Options = string.Join(' ', new[] { builder.Options, "-c synchronous_commit=off" }.Where(o => !string.IsNullOrWhiteSpace(o)));
        return builder.ConnectionString;
    }

    private static string PragmaFor(SqliteSynchronous level) => level switch
    {
        SqliteSynchronous.Full => "PRAGMA synchronous = FULL;",
        SqliteSynchronous.Normal => "PRAGMA synchronous = NORMAL;",
        _ => throw new InvalidOperationException($"SQLite synchronous level {level} is not supported."),
    };

    /// <summary>EF's side: sets the level on each connection EF opens (EF creates its SQLite connections itself).</summary>
    internal sealed class SqliteSynchronousInterceptor(SqliteSynchronous level) : DbConnectionInterceptor
    {
        private readonly string _pragma = PragmaFor(level);

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = _pragma;
            command.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = _pragma;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Quartz's side: <see cref="SqliteFactory"/> with connections that set the level when they open.</summary>
    private sealed class SynchronousSqliteFactory(SqliteSynchronous level) : DbProviderFactory
    {
        private readonly string _pragma = PragmaFor(level);

        public override DbConnection CreateConnection() => new SynchronousSqliteConnection(_pragma);

        public override DbCommand CreateCommand() => SqliteFactory.Instance.CreateCommand();

        public override DbParameter CreateParameter() => SqliteFactory.Instance.CreateParameter();

        public override DbConnectionStringBuilder CreateConnectionStringBuilder() => SqliteFactory.Instance.CreateConnectionStringBuilder();
    }

    /// <summary>
    /// Microsoft.Data.Sqlite's <c>OpenAsync</c> is DbConnection's, which calls <see cref="Open"/>: one override covers
    /// both. A pooled handle keeps the level; setting it again costs no I/O.
    /// </summary>
    private sealed class SynchronousSqliteConnection(string pragma) : SqliteConnection
    {
        public override void Open()
        {
            base.Open();
            using var command = CreateCommand();
            command.CommandText = pragma;
            command.ExecuteNonQuery();
        }
    }
}
