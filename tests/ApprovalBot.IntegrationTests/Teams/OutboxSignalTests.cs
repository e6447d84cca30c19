using ApprovalBot.Protocol.Schema;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using ApprovalBot.Teams.Outbox;
using ApprovalBot.TestSupport;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ApprovalBot.IntegrationTests.Teams;

/// <summary>
/// The dispatcher's wake-up (<see cref="OutboxSignal"/>) against a real database through the storage module's own
/// contexts (with its commit interceptor): a commit that carries an outbox message wakes it, whether the save ran in
/// EF's own transaction or in an explicit one (then only at the commit); a commit without one does not.
/// </summary>
public abstract class OutboxSignalTests(ITestDatabaseFactory databases)
{
    private readonly ManualTimeProvider _clock = new();
    private int _messages;

    [Fact]
    public async Task Commit_WakesTheDispatcher_OnlyWhenItCarriesAnOutboxMessage()
    {
        await using var database = await databases.CreateDatabaseAsync();
        using var host = await StartHostAsync(database);
        var signal = host.Services.GetRequiredService<OutboxSignal>();
        var contexts = host.Services.GetRequiredService<IDbContextFactory<BotDbContext>>();

        // Saves and commits without a message: asleep.
        await using (var db = await contexts.CreateDbContextAsync())
        {
            db.Add(ProcessedActivity.Create("a:1", "activity-1", "message", _clock.GetUtcNow()));
            db.Add(ProcessedActivity.Create("a:1", "activity-2", "message", _clock.GetUtcNow()));
            await db.SaveChangesAsync();
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Add(ProcessedActivity.Create("a:1", "activity-3", "message", _clock.GetUtcNow()));
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }
        Assert.False(signal.IsNotified);

        // One message, and two, each in EF's own save.
        foreach (var count in new[] { 1, 2 })
        {
            await using var db = await contexts.CreateDbContextAsync();
            var outbox = new Outbox(db, _clock, signal);
            for (var i = 0; i < count; i++) await StageAsync(outbox);
            await db.SaveChangesAsync();
            Assert.True(signal.IsNotified, $"{count} message(s) saved without waking the dispatcher.");
            await ConsumeAsync(signal);
        }

        // In an explicit transaction: only its commit wakes; a rolled-back one never does.
        await using (var db = await contexts.CreateDbContextAsync())
        {
            var outbox = new Outbox(db, _clock, signal);
            await using (var transaction = await db.Database.BeginTransactionAsync())
            {
                await StageAsync(outbox);
                await db.SaveChangesAsync();
                Assert.False(signal.IsNotified);
                await transaction.RollbackAsync();
            }
            Assert.False(signal.IsNotified);
            db.ChangeTracker.Clear();

            await using (var transaction = await db.Database.BeginTransactionAsync())
            {
                await StageAsync(outbox);
                await db.SaveChangesAsync();
                db.Add(ProcessedActivity.Create("a:1", "activity-4", "message", _clock.GetUtcNow()));
                await db.SaveChangesAsync();
                Assert.False(signal.IsNotified);
                await transaction.CommitAsync();
            }
            Assert.True(signal.IsNotified);
            await ConsumeAsync(signal);
        }

        // The dispatcher's own bookkeeping (a message marked sent) wakes nothing.
        await using (var db = await contexts.CreateDbContextAsync())
        {
            var message = await db.OutboxMessages.OrderBy(m => m.Id).FirstAsync();
            db.Entry(message).Property(m => m.Attempts).CurrentValue += 1;
            await db.SaveChangesAsync();
        }
        Assert.False(signal.IsNotified);
        await using (var db = await contexts.CreateDbContextAsync())
            Assert.Equal(4, await db.OutboxMessages.CountAsync());
        await host.StopAsync();
    }

    private Task<OutboxMessage> StageAsync(Outbox outbox) =>
        outbox.SendToUserAsync("https://smba.example/emea/", "29:someone", "tenant", new Activity { Text = "hello" }, $"signal-test-{++_messages}", CancellationToken.None);

    /// <summary>Takes the pending wake (as the dispatcher does), on a clock that never moves: it returns only because one was pending.</summary>
    private async Task ConsumeAsync(OutboxSignal signal)
    {
        await signal.WaitAsync(TimeSpan.FromHours(1), _clock, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(signal.IsNotified);
    }

    private static async Task<IHost> StartHostAsync(ITestDatabase database)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(database.HostSettings());
        builder.AddStorage();
        builder.Services.AddSingleton<OutboxSignal>();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}

public sealed class SqliteOutboxSignalTests() : OutboxSignalTests(new SqliteTestDatabases());

public sealed class PostgresOutboxSignalTests(PostgresServerFixture postgres)
    : OutboxSignalTests(postgres), IClassFixture<PostgresServerFixture>;
