using Microsoft.Extensions.Configuration;

namespace ApprovalBot.Storage;

/// <summary>
/// The effective database: which provider and the full connection string EF uses. Quartz uses the same database, so
/// the scheduling module takes <see cref="ConnectionString"/> from here (<c>UseSqlite</c> / <c>UsePostgres</c>).
/// Registered as a singleton by <see cref="StorageModule.AddStorage"/>. <see cref="SqliteSynchronous"/> is SQLite's
/// <c>PRAGMA synchronous</c>, which no connection string keyword sets: EF and Quartz each apply it when a connection
/// opens (Quartz runs at NORMAL instead with relaxed store commits, <c>Scheduling:StoreCommits</c>; <see cref="StorageProviders.UseStorage(Microsoft.EntityFrameworkCore.DbContextOptionsBuilder, StorageConnection)"/>,
/// <see cref="StorageProviders.SqliteFactoryFor"/>). Ignored on PostgreSQL.
/// </summary>
public sealed record StorageConnection(StorageProvider Provider, string ConnectionString, SqliteSynchronous SqliteSynchronous = SqliteSynchronous.Full)
{
    /// <summary>
    /// Reads <c>Storage:Provider</c>, <c>Storage:Sqlite:*</c> and <c>ConnectionStrings:Postgres</c>. Throws
    /// <see cref="InvalidOperationException"/> with the key to fix when the configuration is unusable.
    /// For SQLite the database file's directory is created.
    /// </summary>
    public static StorageConnection FromConfiguration(IConfiguration configuration, string contentRootPath)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        var provider = ParseProvider(options.Provider);
        return provider switch
        {
            StorageProvider.Sqlite => new(provider,
                StorageProviders.SqliteConnectionString(SqliteFile(options.Sqlite, contentRootPath), options.Sqlite.BusyTimeoutSeconds),
                StorageProviders.ParseSqliteSynchronous(options.Sqlite.Synchronous)),
            StorageProvider.Postgres => new(provider, StorageProviders.PostgresConnectionString(
                configuration.GetConnectionString(StorageOptions.PostgresConnectionStringName))),
            _ => throw new InvalidOperationException($"Storage provider {provider} has no connection settings."),
        };
    }

    /// <summary>Case-insensitive <c>Sqlite</c> or <c>Postgres</c>; unset means <c>Sqlite</c>; numbers are not names.</summary>
    public static StorageProvider ParseProvider(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return StorageProvider.Sqlite;
        foreach (var provider in Enum.GetValues<StorageProvider>())
        {
            if (string.Equals(value.Trim(), provider.ToString(), StringComparison.OrdinalIgnoreCase))
                return provider;
        }
        throw new InvalidOperationException(
            $"{StorageOptions.SectionName}:Provider is '{value}', which is not a supported database. " +
            $"Use '{StorageProvider.Sqlite}' (the default) or '{StorageProvider.Postgres}'.");
    }

    /// <summary>The provider and where the database is, without secrets: safe to log.</summary>
    public override string ToString() => Provider == StorageProvider.Sqlite && SqliteSynchronous != SqliteSynchronous.Full
        ? $"{Provider} ({StorageProviders.DescribeConnectionString(Provider, ConnectionString)}, synchronous {SqliteSynchronous})"
        : $"{Provider} ({StorageProviders.DescribeConnectionString(Provider, ConnectionString)})";

    private static string SqliteFile(SqliteStorageOptions sqlite, string contentRootPath)
    {
        if (string.IsNullOrWhiteSpace(sqlite.Path))
            throw new InvalidOperationException($"{StorageOptions.SectionName}:Sqlite:Path is empty; leave it unset for 'approvalbot.db' or give a file path.");
        if (sqlite.BusyTimeoutSeconds <= 0)
            throw new InvalidOperationException($"{StorageOptions.SectionName}:Sqlite:BusyTimeoutSeconds must be positive, not {sqlite.BusyTimeoutSeconds}.");

        var file = Path.GetFullPath(Path.Combine(contentRootPath, sqlite.Path));
        var directory = Path.GetDirectoryName(file);
        try
        {
            if (!string.IsNullOrEmpty(directory))
                Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"{StorageOptions.SectionName}:Sqlite:Path is '{sqlite.Path}': cannot create the directory '{directory}': {e.Message}", e);
        }
        return file;
    }
}
