using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;

namespace ApprovalBot.Storage;

/// <summary>The supported databases. Chosen by <c>Storage:Provider</c>.</summary>
public enum StorageProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Every difference between SQLite and PostgreSQL lives here (architecture rule 11). Features never ask which
/// database runs.
/// </summary>
public static partial class StorageProviders
{
    public const string SqliteProviderName = "Microsoft.EntityFrameworkCore.Sqlite";
    public const string PostgresProviderName = "Npgsql.EntityFrameworkCore.PostgreSQL";

    public static bool IsSqlite(string? providerName) => string.Equals(providerName, SqliteProviderName, StringComparison.Ordinal);

    /// <summary>
    /// The one place a <see cref="BotDbContext"/> is pointed at a database: the host (<see cref="StorageModule"/>) and
    /// the tests configure contexts through here, so the tests run what production runs.
    /// </summary>
    public static DbContextOptionsBuilder<TContext> UseStorage<TContext>(this DbContextOptionsBuilder<TContext> builder, StorageConnection connection)
        where TContext : DbContext
    {
        ((DbContextOptionsBuilder)builder).UseStorage(connection);
        return builder;
    }

    /// <inheritdoc cref="UseStorage{TContext}"/>
    public static DbContextOptionsBuilder UseStorage(this DbContextOptionsBuilder builder, StorageConnection connection)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connection);
        switch (connection.Provider)
        {
            case StorageProvider.Sqlite:
                builder.UseSqlite(connection.ConnectionString, o => o.UseQuerySplittingBehavior(QuerySplittingBehavior.SingleQuery));
                // Set on every open, FULL included: the scheduler's store shares the connection pool (same connection
                // string) and may run its connections at NORMAL (Scheduling:StoreCommits), and a pooled handle keeps
                // the level its last user set. The pragma costs no I/O.
                builder.AddInterceptors(new SqliteSynchronousInterceptor(connection.SqliteSynchronous));
                break;
            case StorageProvider.Postgres:
                // No EnableRetryOnFailure: a retrying strategy refuses user transactions unless every caller wraps them
                // in CreateExecutionStrategy, and blindly re-running a SaveChanges whose commit outcome is unknown is
                // what the dedupe keys exist to survive, not something to do on purpose. Transient failures surface to
                // the caller, whose own redelivery (Teams, Quartz misfire, outbox poll) retries the whole unit of work.
                builder.UseNpgsql(connection.ConnectionString, o => o.UseQuerySplittingBehavior(QuerySplittingBehavior.SingleQuery));
                break;
            default:
                throw new InvalidOperationException($"Storage provider {connection.Provider} is not supported.");
        }

        // Single queries, chosen rather than defaulted (EF warns when an aggregate with several collections — an
        // approval's stages and audit, an escalation's timeline and notifications — loads without a choice): one
        // statement reads a consistent aggregate, which the version check on save relies on; split queries would read
        // its collections at different moments. The row fan-out stays small (tens of timeline entries per aggregate).
        // Migrations are written by hand and carry no model snapshot (EF design-time tooling does not restore here).
        // EF 10 then skips its pending-model-changes check and says so (ModelSnapshotNotFound, expected: Debug).
        // Were a snapshot ever added, or EF to compare against an empty model, PendingModelChangesWarning would throw
        // in Migrate() and stop the start: it is ignored on purpose. The guard is the schema test instead: it requires
        // the migrated schema to equal EnsureCreated's, on both providers.
        builder.AddInterceptors(OrderedCollectionsInterceptor.Instance);
        return builder.ConfigureWarnings(w => w
            .Ignore(RelationalEventId.PendingModelChangesWarning)
            .Log((RelationalEventId.ModelSnapshotNotFound, LogLevel.Debug)));
    }

    /// <summary>
    /// Foreign keys on; <c>Default Timeout</c> is how long Microsoft.Data.Sqlite retries a command while another
    /// connection (EF or Quartz: both use this string) holds the write lock; pooling keeps connections open between
    /// uses. WAL is not a connection setting but a property of the file, set by the migrator.
    /// </summary>
    public static string SqliteConnectionString(string file, int busyTimeoutSeconds) =>
        new SqliteConnectionStringBuilder
        {
            DataSource = file,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = busyTimeoutSeconds,
        }.ToString();

    /// <summary>The configured PostgreSQL connection string, validated, with an application name when it has none.</summary>
    public static string PostgresConnectionString(string? configured)
    {
        const string key = $"ConnectionStrings:{StorageOptions.PostgresConnectionStringName}";
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new InvalidOperationException(
                $"{StorageOptions.SectionName}:Provider is Postgres but {key} is not set. " +
                "Set it (e.g. env ConnectionStrings__Postgres=\"Host=...;Port=5432;Username=...;Password=...;Database=...\").");
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(configured);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"{key} is not a valid PostgreSQL connection string: {e.Message}", e);
        }
        if (string.IsNullOrWhiteSpace(builder.Host))
            throw new InvalidOperationException($"{key} has no Host.");
        if (string.IsNullOrWhiteSpace(builder.ApplicationName))
            builder.ApplicationName = "ApprovalBot";
        return builder.ConnectionString;
    }

    /// <summary>Where a connection string points, without credentials.</summary>
    public static string DescribeConnectionString(StorageProvider provider, string connectionString)
    {
        try
        {
            return provider switch
            {
                StorageProvider.Sqlite => new SqliteConnectionStringBuilder(connectionString).DataSource,
                StorageProvider.Postgres => DescribePostgres(new NpgsqlConnectionStringBuilder(connectionString)),
                _ => "?",
            };
        }
        catch (ArgumentException)
        {
            return "unparsable connection string";
        }

        static string DescribePostgres(NpgsqlConnectionStringBuilder b) => $"{b.Host}:{b.Port}/{b.Database} as {b.Username}";
    }

    /// <summary>
    /// SQLite has no instant type and EF cannot compare or order DateTimeOffset stored as text, so instants are
    /// stored there as Unix milliseconds (sortable integers). PostgreSQL keeps <c>timestamp with time zone</c>, written
    /// as UTC whatever the offset the value carries.
    /// </summary>
    public static void ConfigureConventions(string? providerName, ModelConfigurationBuilder builder)
    {
        if (IsSqlite(providerName))
        {
            builder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
            builder.Properties<DateTimeOffset?>().HaveConversion<UnixMillisecondsConverter>();
        }
        else
        {
            // Npgsql writes only UTC offsets to timestamptz; instants computed on a business calendar carry the
            // calendar's local offset (a due time in Europe/Berlin is +01:00). Same instant, stored as UTC.
            builder.Properties<DateTimeOffset>().HaveConversion<UtcConverter>();
            builder.Properties<DateTimeOffset?>().HaveConversion<UtcConverter>();
        }
    }

    /// <summary>The column type for an instant in a hand-written migration, matching <see cref="ConfigureConventions"/>.</summary>
    public static string InstantColumnType(string? providerName) =>
        IsSqlite(providerName) ? "INTEGER" : "timestamp with time zone";

    private sealed class UtcConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
        v => v.ToUniversalTime(),
        v => v);

    private sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.ToUnixTimeMilliseconds(),
        v => DateTimeOffset.FromUnixTimeMilliseconds(v));
}

public static partial class StorageProviders
{
    /// <summary>
    /// Whether a failed save broke a unique key of <paramref name="table"/>: SQLite names the table in its message
    /// (<c>UNIQUE constraint failed: table.column, …</c>), PostgreSQL the constraint (<paramref name="constraint"/>).
    /// </summary>
    internal static bool IsUniqueViolation(DbUpdateException exception, string table, string constraint) =>
        exception.InnerException switch
        {
            SqliteException { SqliteErrorCode: 19 } sqlite =>
                sqlite.Message.Contains($"constraint failed: {table}.", StringComparison.Ordinal),
            PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } postgres =>
                string.Equals(postgres.ConstraintName, constraint, StringComparison.Ordinal),
            _ => false,
        };
}

public static partial class StorageProviders
{
    /// <summary>
    /// Inside an open transaction, holds the agreement's row until the transaction ends, so read-check-insert work about
    /// one agreement (is this period already reported?) runs one at a time. PostgreSQL: a row lock
    /// (<c>SELECT … FOR UPDATE</c>). SQLite: nothing to do — EF begins SQLite transactions <c>IMMEDIATE</c>, which takes
    /// the database's write lock at once, so a second writer waits at its own <c>BEGIN</c>.
    /// </summary>
    internal static async Task LockAgreementAsync(BotDbContext db, long agreementId, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("Lock an agreement inside a transaction: the lock lasts until it ends.");
        if (!IsSqlite(db.Database.ProviderName))
            await db.Database.ExecuteSqlInterpolatedAsync($"SELECT id FROM agreements WHERE id = {agreementId} FOR UPDATE", cancellationToken);
    }
}
