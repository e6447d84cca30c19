using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace ApprovalBot.Storage;

/// <summary>
/// Brings the database to the newest migration; the one way the host migrates. Safe when several instances start at
/// once: it holds a migration lock for the whole of <c>Migrate()</c> (see
/// <see cref="StorageProviders.AcquireMigrationLockAsync"/>) and re-reads the history under it. Plain
/// <c>Database.Migrate()</c> is not safe that way on PostgreSQL once two or more migrations are pending.
/// </summary>
public sealed partial class StorageMigrator(
    IDbContextFactory<BotDbContext> contexts, StorageConnection connection, ILogger<StorageMigrator> logger)
{
    private readonly string _database = connection.ToString();

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        var timer = Stopwatch.StartNew();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var known = db.Database.GetMigrations().ToList();
        var latest = known.Count > 0 ? known[^1] : "(none)";

        // The lock lives in the database (PostgreSQL) or beside it (SQLite), so the database must exist first.
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (!await creator.ExistsAsync(cancellationToken))
        {
            try
            {
                await creator.CreateAsync(cancellationToken);
            }
            catch (DbException)
            {
                if (!await creator.ExistsAsync(cancellationToken))
                    throw;
                // Another instance created it first.
            }
        }

        List<string> pending;
        await using (await StorageProviders.AcquireMigrationLockAsync(connection, cancellationToken))
        {
            var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
            var unknown = applied.Where(id => !known.Contains(id, StringComparer.Ordinal)).Order(StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
                LogUnknownMigrations(logger, unknown);

            pending = known.Where(id => !applied.Contains(id)).ToList();
            if (pending.Count > 0)
            {
                LogApplying(logger, _database, pending.Count, pending);
                await db.Database.MigrateAsync(cancellationToken);
            }
        }

        var journal = await StorageProviders.EnsureWriteAheadLogAsync(connection, cancellationToken);
        if (journal is not null && !string.Equals(journal, "wal", StringComparison.OrdinalIgnoreCase))
            LogNotWal(logger, journal);

        if (pending.Count == 0)
        {
            LogUpToDate(logger, _database, latest);
            return;
        }
        foreach (var id in pending)
            LogApplied(logger, id);
        LogMigrated(logger, _database, latest, timer.ElapsedMilliseconds);
    }

    [LoggerMessage(EventId = 1500, Level = LogLevel.Information, Message = "Database {Database}: applying {Count} migration(s): {Migrations}")]
    private static partial void LogApplying(ILogger logger, string database, int count, IReadOnlyList<string> migrations);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "Migration {Migration} applied")]
    private static partial void LogApplied(ILogger logger, string migration);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Information, Message = "Database {Database} migrated to {Migration} in {ElapsedMs} ms")]
    private static partial void LogMigrated(ILogger logger, string database, string migration, long elapsedMs);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Information, Message = "Database {Database} is up to date at {Migration}")]
    private static partial void LogUpToDate(ILogger logger, string database, string migration);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Warning,
        Message = "The database has migrations this build does not know ({Migrations}): a newer version has run against it")]
    private static partial void LogUnknownMigrations(ILogger logger, IReadOnlyList<string> migrations);

    [LoggerMessage(EventId = 1505, Level = LogLevel.Warning,
        Message = "SQLite journal mode is {Mode}, not WAL (another connection may hold the file); writers will block readers")]
    private static partial void LogNotWal(ILogger logger, string mode);
}

/// <summary>
/// Runs <see cref="StorageMigrator"/> in <see cref="IHostedLifecycleService.StartingAsync"/>, which the host calls for
/// every lifecycle service before it calls any <see cref="IHostedService.StartAsync"/> (Kestrel starts listening in
/// its StartAsync): nothing serves or dispatches on an old schema. A failure stops the host from starting.
/// </summary>
internal sealed class StorageMigrationHostedService(StorageMigrator migrator) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
