using ApprovalBot.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace ApprovalBot.IntegrationTests.Storage;

/// <summary>How <c>Storage:*</c> and <c>ConnectionStrings:Postgres</c> become a <see cref="StorageConnection"/>.</summary>
public sealed class StorageConfigurationTests : IDisposable
{
    private readonly DirectoryInfo _contentRoot = Directory.CreateTempSubdirectory("approvalbot-config-");

    public void Dispose() => _contentRoot.Delete(recursive: true);

    [Theory]
    [InlineData(null, StorageProvider.Sqlite)]
    [InlineData("", StorageProvider.Sqlite)]
    [InlineData("sqlite", StorageProvider.Sqlite)]
    [InlineData("SQLITE", StorageProvider.Sqlite)]
    [InlineData("Postgres", StorageProvider.Postgres)]
    [InlineData("postgres", StorageProvider.Postgres)]
    public void ParseProvider_AcceptsTheNamesCaseInsensitively_WhenGiven(string? value, StorageProvider expected) =>
        Assert.Equal(expected, StorageConnection.ParseProvider(value));

    [Theory]
    [InlineData("SqlServer")]
    [InlineData("PostgreSQL")]
    [InlineData("1")]
    public void FromConfiguration_Throws_WhenTheProviderIsUnknown(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Resolve(new() { ["Storage:Provider"] = value }));
        Assert.Contains($"Storage:Provider is '{value}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Sqlite' (the default) or 'Postgres'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromConfiguration_DefaultsToSqliteInTheContentRoot_WithWalFriendlySettings()
    {
        var connection = Resolve([]);

        Assert.Equal(StorageProvider.Sqlite, connection.Provider);
        var sqlite = new SqliteConnectionStringBuilder(connection.ConnectionString);
        Assert.Equal(Path.Combine(_contentRoot.FullName, "approvalbot.db"), sqlite.DataSource);
        Assert.True(sqlite.ForeignKeys);
        Assert.True(sqlite.Pooling);
        Assert.Equal(10, sqlite.DefaultTimeout);
    }

    [Fact]
    public void FromConfiguration_CreatesTheDirectoryOfARelativeSqlitePath()
    {
        var connection = Resolve(new() { ["Storage:Sqlite:Path"] = "data/nested/bot.db", ["Storage:Sqlite:BusyTimeoutSeconds"] = "3" });

        var sqlite = new SqliteConnectionStringBuilder(connection.ConnectionString);
        Assert.Equal(Path.Combine(_contentRoot.FullName, "data", "nested", "bot.db"), sqlite.DataSource);
        Assert.True(Directory.Exists(Path.Combine(_contentRoot.FullName, "data", "nested")));
        Assert.Equal(3, sqlite.DefaultTimeout);
    }

    [Fact]
    public void FromConfiguration_Throws_WhenPostgresHasNoConnectionString()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Resolve(new() { ["Storage:Provider"] = "Postgres" }));
        Assert.Contains("ConnectionStrings:Postgres is not set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromConfiguration_Throws_WhenThePostgresConnectionStringIsMalformed()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Resolve(new()
        {
            ["Storage:Provider"] = "Postgres",
            ["ConnectionStrings:Postgres"] = "Hots=db;Nonsense=1",
        }));
        Assert.Contains("ConnectionStrings:Postgres is not a valid PostgreSQL connection string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromConfiguration_UsesThePostgresConnectionString_AndNeverPrintsItsPassword()
    {
        var connection = Resolve(new()
        {
            ["Storage:Provider"] = "Postgres",
            ["ConnectionStrings:Postgres"] = "Host=db.internal;Port=5433;Username=bot;Password=s3cret;Database=approvals",
        });

        Assert.Equal(StorageProvider.Postgres, connection.Provider);
        var postgres = new NpgsqlConnectionStringBuilder(connection.ConnectionString);
        Assert.Equal(("db.internal", 5433, "approvals", "s3cret", "ApprovalBot"),
            (postgres.Host, postgres.Port, postgres.Database, postgres.Password, postgres.ApplicationName));
        Assert.Equal("Postgres (db.internal:5433/approvals as bot)", connection.ToString());
    }

    private StorageConnection Resolve(Dictionary<string, string?> settings) =>
        StorageConnection.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), _contentRoot.FullName);
}
