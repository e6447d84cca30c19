using ApprovalBot.Storage;
using Microsoft.Data.Sqlite;

namespace ApprovalBot.TestSupport.Storage;

/// <summary>SQLite databases in their own temporary folders, with the host's connection settings (WAL, busy timeout).</summary>
public sealed class SqliteTestDatabases : ITestDatabaseFactory
{
    public StorageProvider Provider => StorageProvider.Sqlite;

    public Task<ITestDatabase> CreateDatabaseAsync() => Task.FromResult<ITestDatabase>(SqliteTestDatabase.Create());
}

public sealed class SqliteTestDatabase : ITestDatabase
{
    private readonly DirectoryInfo _folder;

    private SqliteTestDatabase(DirectoryInfo folder, StorageConnection connection)
    {
        _folder = folder;
        Connection = connection;
    }

    public StorageConnection Connection { get; }

    public string FilePath => Path.Combine(_folder.FullName, "approvalbot.db");

    public static SqliteTestDatabase Create()
    {
        var folder = Directory.CreateTempSubdirectory("approvalbot-sqlite-");
        var file = Path.Combine(folder.FullName, "approvalbot.db");
        return new SqliteTestDatabase(folder, new StorageConnection(StorageProvider.Sqlite, StorageProviders.SqliteConnectionString(file, 10)));
    }

    public ValueTask DisposeAsync()
    {
        // Pooled connections keep the file (and its -wal/-shm) open.
        using (var connection = new SqliteConnection(Connection.ConnectionString))
            SqliteConnection.ClearPool(connection);
        try
        {
            _folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leaked temp folder must not fail the test that used it.
        }
        return ValueTask.CompletedTask;
    }
}
