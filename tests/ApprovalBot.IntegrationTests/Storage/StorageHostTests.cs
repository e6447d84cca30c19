using System.Collections.Concurrent;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using ApprovalBot.TestSupport.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ApprovalBot.IntegrationTests.Storage;

/// <summary><c>builder.AddStorage()</c> in a real host: start-up migration, both context registrations, health.</summary>
public abstract class StorageHostTests(ITestDatabaseFactory databases)
{
    /// <summary>Every migration the host knows, in order (read from their attributes, so a new one needs no edit here).</summary>
    private static readonly IReadOnlyList<string> Migrations =
    [
        .. typeof(BotDbContext).Assembly.GetTypes()
            .Select(t => t.GetCustomAttributes(typeof(Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute), false).OfType<Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute>().FirstOrDefault()?.Id)
            .OfType<string>()
            .Order(StringComparer.Ordinal),
    ];

    [Fact]
    public async Task AddStorage_MigratesBeforeHostedServicesStart_AndServesContextsAndHealth()
    {
        await using var database = await databases.CreateDatabaseAsync();
        var logs = new CapturedLogs();
        using var host = BuildHost(database, logs);

        await host.StartAsync();
        try
        {
            var probe = host.Services.GetServices<IHostedService>().OfType<PendingMigrationsProbe>().Single();
            Assert.Equal(0, probe.PendingWhenStarted);
            Assert.Equal(database.Connection.Provider, host.Services.GetRequiredService<StorageConnection>().Provider);

            using (var scope = host.Services.CreateScope())
            {
                var scoped = scope.ServiceProvider.GetRequiredService<BotDbContext>();
                Assert.Same(scoped, scope.ServiceProvider.GetRequiredService<BotDbContext>());
                scoped.Add(ProcessedActivity.Create("a:1", "activity-1", "message", new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero)));
                await scoped.SaveChangesAsync();
            }
            await using (var background = await host.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync())
                Assert.Equal(1, await background.ProcessedActivities.CountAsync());

            var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
            Assert.Equal(HealthStatus.Healthy, health.Status);
            Assert.Contains("database", health.Entries.Keys);

            Assert.Contains(logs.Messages, m => m.StartsWith("Database ", StringComparison.Ordinal) && m.Contains($"applying {Migrations.Count} migration(s)", StringComparison.Ordinal));
            Assert.Contains(logs.Messages, m => m.Contains($"migrated to {Migrations[^1]}", StringComparison.Ordinal));
            Assert.DoesNotContain(logs.Messages, m => m.Contains("Password", StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task AddStorage_SecondStart_FindsTheDatabaseUpToDate()
    {
        await using var database = await databases.CreateDatabaseAsync();
        using (var first = BuildHost(database, new CapturedLogs()))
        {
            await first.StartAsync();
            await first.StopAsync();
        }

        var logs = new CapturedLogs();
        using var second = BuildHost(database, logs);
        await second.StartAsync();
        await second.StopAsync();
        Assert.Contains(logs.Messages, m => m.Contains($"is up to date at {Migrations[^1]}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddStorage_LeavesTheSchemaAlone_WhenMigrateAtStartupIsFalse()
    {
        await using var database = await databases.CreateDatabaseAsync();
        using var host = BuildHost(database, new CapturedLogs(), migrateAtStartup: false);
        await host.StartAsync();
        await host.StopAsync();

        var probe = host.Services.GetServices<IHostedService>().OfType<PendingMigrationsProbe>().Single();
        Assert.Equal(Migrations.Count, probe.PendingWhenStarted);
    }

    private protected static IHost BuildHost(ITestDatabase database, CapturedLogs logs, bool migrateAtStartup = true)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(database.HostSettings());
        builder.Configuration.AddInMemoryCollection([new("Storage:MigrateAtStartup", migrateAtStartup ? "true" : "false")]);
        builder.Logging.AddProvider(logs);
        builder.AddStorage();
        builder.Services.AddHostedService<PendingMigrationsProbe>();
        return builder.Build();
    }

    /// <summary>A hosted service registered after storage, as every feature's is: it must find the schema migrated.</summary>
    private sealed class PendingMigrationsProbe(IDbContextFactory<BotDbContext> contexts) : IHostedService
    {
        public int PendingWhenStarted { get; private set; } = -1;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            PendingWhenStarted = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private protected sealed class CapturedLogs : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _messages = new();

        public IReadOnlyCollection<string> Messages => _messages;

        public ILogger CreateLogger(string categoryName) => new Logger(_messages);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                    messages.Enqueue(formatter(state, exception));
            }
        }
    }
}

public sealed class SqliteStorageHostTests() : StorageHostTests(new SqliteTestDatabases())
{
    [Fact]
    public async Task AddStorage_Sqlite_LeavesTheFileInWalModeWithForeignKeysOn()
    {
        await using var database = SqliteTestDatabase.Create();
        using var host = BuildHost(database, new CapturedLogs());
        await host.StartAsync();
        await host.StopAsync();

        await using var connection = new SqliteConnection(database.Connection.ConnectionString);
        await connection.OpenAsync();
        Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode"));
        Assert.Equal("1", await ScalarAsync(connection, "PRAGMA foreign_keys"));
    }

    [Fact]
    public async Task SecondWriter_WaitsForTheFirstWritersLock_InsteadOfFailing()
    {
        await using var database = SqliteTestDatabase.Create();
        await using (var db = database.CreateContext())
            await db.Database.MigrateAsync();

        // Another writer (Quartz, say) holds the write lock for a while.
        await using var other = new SqliteConnection(database.Connection.ConnectionString);
        await other.OpenAsync();
        await using var transaction = (SqliteTransaction)await other.BeginTransactionAsync(); // BEGIN IMMEDIATE: takes the write lock
        await using (var command = other.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO processed_activities (conversation_id, activity_id, activity_type, received_at) VALUES ('q', 'q', 'quartz', 0)";
            await command.ExecuteNonQueryAsync();
        }

        await using var db2 = database.CreateContext();
        db2.Add(ProcessedActivity.Create("a:1", "activity-1", "message", new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero)));
        var save = Task.Run(() => db2.SaveChangesAsync());
        await Task.Delay(TimeSpan.FromMilliseconds(600));
        Assert.False(save.IsCompleted, "the second writer should be waiting for the lock");
        await transaction.CommitAsync();

        Assert.Equal(1, await save);
        Assert.Equal(2, await db2.ProcessedActivities.CountAsync());
    }

    private static async Task<string?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

public sealed class PostgresStorageHostTests(PostgresServerFixture postgres)
    : StorageHostTests(postgres), IClassFixture<PostgresServerFixture>;
