using System.Collections.Concurrent;
using ApprovalBot.Storage;
using Npgsql;

namespace ApprovalBot.TestSupport.Storage;

/// <summary>
/// An xunit fixture (class or collection) over the test PostgreSQL (<see cref="TestPostgres"/>): it fails when there
/// is none in CI, and makes fresh databases with random names, dropping any a test left behind when it is disposed.
/// </summary>
public sealed class PostgresServerFixture : IAsyncLifetime, ITestDatabaseFactory
{
    private readonly ConcurrentDictionary<PostgresTestDatabase, byte> _open = new();
    private string? _server;

    public StorageProvider Provider => StorageProvider.Postgres;

    /// <summary>The server's own connection string (its default database, a role that may create databases).</summary>
    public string ServerConnectionString => _server ?? throw new InvalidOperationException("The fixture is not initialised.");

    public async Task InitializeAsync() => _server = await TestPostgres.GetConnectionStringAsync();

    public async Task<ITestDatabase> CreateDatabaseAsync()
    {
        var database = await PostgresTestDatabase.CreateAsync(ServerConnectionString, d => _open.TryRemove(d, out _));
        _open[database] = 0;
        return database;
    }

    public async Task DisposeAsync()
    {
        foreach (var database in _open.Keys)
            await database.DisposeAsync();
    }
}

public sealed class PostgresTestDatabase : ITestDatabase
{
    private readonly string _server;
    private readonly Action<PostgresTestDatabase> _onDisposed;
    private int _disposed;

    private PostgresTestDatabase(string server, string name, Action<PostgresTestDatabase> onDisposed)
    {
        _server = server;
        Name = name;
        _onDisposed = onDisposed;
        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name };
        Connection = new StorageConnection(StorageProvider.Postgres, StorageProviders.PostgresConnectionString(builder.ConnectionString));
    }

    public string Name { get; }

    public StorageConnection Connection { get; }

    public static async Task<PostgresTestDatabase> CreateAsync(string server, Action<PostgresTestDatabase>? onDisposed = null)
    {
        var database = new PostgresTestDatabase(server, $"approvalbot_test_{Guid.NewGuid():N}"[..30], onDisposed ?? (_ => { }));
        await database.ExecuteOnServerAsync($"CREATE DATABASE \"{database.Name}\"");
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _onDisposed(this);
        await using (var connection = new NpgsqlConnection(Connection.ConnectionString))
            NpgsqlConnection.ClearPool(connection);
        // FORCE ends sessions still open on it (a pooled EF connection, a test that failed mid-way). A session of another
        // role (an autovacuum worker, on a server that runs one) cannot be ended by us: it finishes soon, so try again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 20)
            {
                await Task.Delay(100 * attempt);
            }
        }
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
