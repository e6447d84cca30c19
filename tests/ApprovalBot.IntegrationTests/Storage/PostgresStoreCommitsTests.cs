using System.Data.Common;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Storage;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Quartz.Impl.AdoJobStore.Common;

namespace ApprovalBot.IntegrationTests.Storage;

/// <summary>
/// On PostgreSQL, with <c>Scheduling:StoreCommits=Relaxed</c> (the default), the scheduler's store commits without
/// waiting for the WAL flush (<c>synchronous_commit = off</c> for its sessions); with <c>Synchronous</c> it keeps the
/// server's setting, and the bot's own connections keep it either way. Read back from <c>pg_settings</c> on a running bot.
/// </summary>
public sealed class PostgresStoreCommitsTests(PostgresServerFixture postgres) : IClassFixture<PostgresServerFixture>
{
    [Theory]
    [InlineData(null, "off")]
    [InlineData("Relaxed", "off")]
    [InlineData("Synchronous", "on")]
    public async Task SchedulerSessions_CommitAsConfigured_TheBotsOwnStaySynchronous(string? storeCommits, string scheduler)
    {
        var settings = new Dictionary<string, string?>();
        if (storeCommits is not null)
            settings["Scheduling:StoreCommits"] = storeCommits;
        // The test server runs with synchronous_commit off for speed; this database gets PostgreSQL's durable default
        // back, as a production server has it, so that both settings show.
        var database = await postgres.CreateDatabaseAsync();
        // Unpooled: a pooled session opened before the change would keep the old setting and could serve the bot.
        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.Connection.ConnectionString) { Pooling = false }.ConnectionString))
        {
            await admin.OpenAsync();
            await using var alter = admin.CreateCommand();
            alter.CommandText = $"ALTER DATABASE \"{admin.Database}\" SET synchronous_commit = on";
            await alter.ExecuteNonQueryAsync();
        }
        await using var bot = await BotTestHost.StartAsync(new BotTestHostOptions { Database = database, Settings = settings });

        await using (var connection = bot.Services.GetRequiredService<IDbProvider>().CreateConnection())
        {
            await connection.OpenAsync();
            var quartz = await SynchronousCommitAsync(connection);
            Assert.True(quartz?.StartsWith(scheduler + " ", StringComparison.Ordinal), $"the scheduler's session: {quartz}");
        }
        await using var db = await bot.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        var own = await SynchronousCommitAsync(db.Database.GetDbConnection());
        Assert.True(own?.StartsWith("on ", StringComparison.Ordinal), $"the bot's own session: {own}");
    }

    /// <summary>The session's setting, where it came from and the database, e.g. "off client approvalbot_test_…".</summary>
    private static async Task<string?> SynchronousCommitAsync(DbConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT setting || ' ' || source || ' ' || current_database() FROM pg_settings WHERE name = 'synchronous_commit'";
        return (string?)await command.ExecuteScalarAsync();
    }
}
