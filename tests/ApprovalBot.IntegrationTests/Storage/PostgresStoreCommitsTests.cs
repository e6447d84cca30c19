using System.Data.Common;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Storage;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz.Impl.AdoJobStore.Common;

namespace ApprovalBot.IntegrationTests.Storage;

/// <summary>
/// On PostgreSQL the scheduler's store commits without waiting for the WAL flush (<c>synchronous_commit = off</c> for
/// its sessions) unless <c>Scheduling:StoreCommits</c> is <c>Synchronous</c>; the bot's own connections keep the
/// server's setting (on) either way. Read back with <c>SHOW synchronous_commit</c> on a running bot.
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
        await using var bot = await BotTestHost.StartAsync(new BotTestHostOptions { Database = await postgres.CreateDatabaseAsync(), Settings = settings });

        await using (var connection = bot.Services.GetRequiredService<IDbProvider>().CreateConnection())
        {
            await connection.OpenAsync();
            Assert.Equal(scheduler, await SynchronousCommitAsync(connection));
        }
        await using var db = await bot.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        Assert.Equal("on", await SynchronousCommitAsync(db.Database.GetDbConnection()));
    }

    private static async Task<string?> SynchronousCommitAsync(DbConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SHOW synchronous_commit";
        return (string?)await command.ExecuteScalarAsync();
    }
}
