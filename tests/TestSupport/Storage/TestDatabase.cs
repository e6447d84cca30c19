using ApprovalBot.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.TestSupport.Storage;

/// <summary>A fresh, empty database that exists until disposed.</summary>
public interface ITestDatabase : IAsyncDisposable
{
    StorageConnection Connection { get; }
}

/// <summary>Makes fresh databases of one provider; test classes written once run on both providers through it.</summary>
public interface ITestDatabaseFactory
{
    StorageProvider Provider { get; }

    Task<ITestDatabase> CreateDatabaseAsync();
}

public static class TestDatabaseExtensions
{
    /// <summary>A new, non-pooled context on this database, configured exactly as the host configures its contexts.</summary>
    public static BotDbContext CreateContext(this ITestDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return new BotDbContext(new DbContextOptionsBuilder<BotDbContext>().UseStorage(database.Connection).Options);
    }

    /// <summary>
    /// The configuration that points a host's <c>AddStorage()</c> at this database, e.g. for a WebApplicationFactory:
    /// <c>foreach (var (key, value) in database.HostSettings()) builder.UseSetting(key, value);</c>
    /// </summary>
    public static Dictionary<string, string?> HostSettings(this ITestDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.Connection.Provider switch
        {
            StorageProvider.Sqlite => new()
            {
                [$"{StorageOptions.SectionName}:Provider"] = nameof(StorageProvider.Sqlite),
                [$"{StorageOptions.SectionName}:Sqlite:Path"] = new SqliteConnectionStringBuilder(database.Connection.ConnectionString).DataSource,
            },
            StorageProvider.Postgres => new()
            {
                [$"{StorageOptions.SectionName}:Provider"] = nameof(StorageProvider.Postgres),
                [$"ConnectionStrings:{StorageOptions.PostgresConnectionStringName}"] = database.Connection.ConnectionString,
            },
            _ => throw new InvalidOperationException($"Storage provider {database.Connection.Provider} is not supported."),
        };
    }
}
