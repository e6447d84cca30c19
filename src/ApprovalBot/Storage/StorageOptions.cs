namespace ApprovalBot.Storage;

/// <summary>
/// Configuration section <c>Storage</c>. The PostgreSQL connection string is not here but in
/// <c>ConnectionStrings:Postgres</c>, where hosting platforms and secret stores expect connection strings.
/// </summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";
    public const string PostgresConnectionStringName = "Postgres";

    /// <summary><c>Sqlite</c> (default) or <c>Postgres</c>, case-insensitive. Anything else stops the start.</summary>
    public string? Provider { get; set; }

    public SqliteStorageOptions Sqlite { get; set; } = new();

    /// <summary>Apply pending migrations when the host starts, before it serves or schedules (default true).</summary>
    public bool MigrateAtStartup { get; set; } = true;
}

public sealed class SqliteStorageOptions
{
    /// <summary>The database file; a relative path is relative to the content root. Its directory is created.</summary>
    public string Path { get; set; } = "approvalbot.db";

    /// <summary>
    /// How long a command waits for the write lock another connection holds (EF and Quartz write the same file)
    /// before it fails with "database is locked". Becomes the connection string's <c>Default Timeout</c>.
    /// </summary>
    public int BusyTimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// <c>Full</c> (default) or <c>Normal</c>, case-insensitive: SQLite's <c>PRAGMA synchronous</c> on every connection
    /// (EF's and Quartz's). See <see cref="SqliteSynchronous"/> for what <c>Normal</c> trades. Anything else stops the start.
    /// </summary>
    public string? Synchronous { get; set; } = nameof(SqliteSynchronous.Full);
}
