using System.Data.Common;
using System.Globalization;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz.Impl.AdoJobStore.Common;

namespace ApprovalBot.IntegrationTests.Storage;

/// <summary>
/// <c>Storage:Sqlite:Synchronous</c> reaches every connection the bot opens, EF's and Quartz's own, except that the
/// scheduler's store runs at NORMAL with relaxed store commits (<c>Scheduling:StoreCommits=Relaxed</c>). Read
/// back with <c>PRAGMA synchronous</c>: 1 = NORMAL, 2 = FULL.
/// </summary>
public sealed class SqliteSynchronousTests
{
    [Theory]
    [InlineData(null, null, 2L, 1L)]
    [InlineData("Full", "Relaxed", 2L, 1L)]
    [InlineData("Full", "synchronous", 2L, 2L)]
    [InlineData("normal", null, 1L, 1L)]
    [InlineData(null, "Synchronous", 2L, 2L)]
    [InlineData("normal", "Synchronous", 1L, 1L)]
    public async Task EveryConnection_RunsAtItsConfiguredSynchronousLevel(string? setting, string? storeCommits, long expected, long scheduler)
    {
        var settings = new Dictionary<string, string?>();
        if (setting is not null)
            settings["Storage:Sqlite:Synchronous"] = setting;
        if (storeCommits is not null)
            settings["Scheduling:StoreCommits"] = storeCommits;
        await using var bot = await BotTestHost.StartAsync(new BotTestHostOptions { Mode = BotTestMode.LocalDevelopment, Settings = settings });

        // Quartz: the provider its job store makes connections with, opened the two ways a store may open them.
        var quartz = bot.Services.GetRequiredService<IDbProvider>();
        await using (var connection = quartz.CreateConnection())
        {
            await connection.OpenAsync();
            Assert.Equal(scheduler, await SynchronousAsync(connection));
        }
        await using (var connection = quartz.CreateConnection())
        {
            connection.ConnectionString = Unpooled(connection.ConnectionString);
            await connection.OpenAsync();
            Assert.Equal(scheduler, await SynchronousAsync(connection));
        }
        await using (var connection = quartz.CreateConnection())
        {
            connection.ConnectionString = Unpooled(connection.ConnectionString);
            connection.Open();
            Assert.Equal(scheduler, await SynchronousAsync(connection));
        }

        // EF: contexts from the host's pool, their connection opened by EF (twice). The pool shares handles between EF
        // and Quartz, and the handle Quartz just returned keeps the level it set: EF must set its own again.
        for (var round = 0; round < 2; round++)
        {
            await using var db = await bot.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
            await db.Database.OpenConnectionAsync();
            Assert.Equal(expected, await SynchronousAsync(db.Database.GetDbConnection()));
        }
        // An unpooled connection gets a new handle, set only by whoever opened it. EF, configured the way the host does it:
        var storage = bot.Services.GetRequiredService<StorageConnection>();
        await using (var db = new BotDbContext(new DbContextOptionsBuilder<BotDbContext>().UseStorage(storage with { ConnectionString = Unpooled(storage.ConnectionString) }).Options))
        {
            await db.Database.OpenConnectionAsync();
            Assert.Equal(expected, await SynchronousAsync(db.Database.GetDbConnection()));
        }
    }

    private static string Unpooled(string connectionString) =>
        new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString();

    private static async Task<long> SynchronousAsync(DbConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
