using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

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
public static class StorageProviders
{
    public const string SqliteProviderName = "Microsoft.EntityFrameworkCore.Sqlite";
    public const string PostgresProviderName = "Npgsql.EntityFrameworkCore.PostgreSQL";

    public static bool IsSqlite(string? providerName) => string.Equals(providerName, SqliteProviderName, StringComparison.Ordinal);

    /// <summary>
    /// SQLite has no instant type and EF cannot compare or order DateTimeOffset stored as text, so instants are
    /// stored there as Unix milliseconds (sortable integers). PostgreSQL keeps <c>timestamp with time zone</c>.
    /// </summary>
    public static void ConfigureConventions(string? providerName, ModelConfigurationBuilder builder)
    {
        if (IsSqlite(providerName))
        {
            builder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
            builder.Properties<DateTimeOffset?>().HaveConversion<UnixMillisecondsConverter>();
        }
    }

    /// <summary>The column type for an instant in a hand-written migration, matching <see cref="ConfigureConventions"/>.</summary>
    public static string InstantColumnType(string? providerName) =>
        IsSqlite(providerName) ? "INTEGER" : "timestamp with time zone";

    private sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.ToUnixTimeMilliseconds(),
        v => DateTimeOffset.FromUnixTimeMilliseconds(v));
}
