using System.Net;
using ApprovalBot.IntegrationTests.Api;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Scheduling;
using ApprovalBot.TestSupport.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalBot.IntegrationTests.Operations;

/// <summary>
/// The operations read on PostgreSQL, where the scheduler is clustered: the grouped and ordered queries on Quartz's
/// trigger table (lower-case names there), and the instance with its scheduler check-in and version.
/// </summary>
public sealed class OperationsPostgresTests(PostgresServerFixture postgres) : IClassFixture<PostgresServerFixture>
{
    [Fact]
    public async Task TheSnapshot_CountsAndOrdersTheArmedTimers_AndListsTheClusteredInstanceWithItsVersion()
    {
        await using var database = await postgres.CreateDatabaseAsync();
        await using var bot = await BotTestHost.StartAsync(new BotTestHostOptions { Database = database, Settings = ApiTestKeys.Settings() });
        var timers = bot.Services.GetRequiredService<DurableTimers>();
        var now = bot.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        await timers.ArmAsync("digest", "2", now.AddHours(2), 1, CancellationToken.None);
        await timers.ArmAsync("digest", "1", now.AddHours(1), 1, CancellationToken.None);
        var ops = new OpsClient(bot, apiKey: ApiTestKeys.Admin);

        JsonInstance? instance = null;
        System.Text.Json.Nodes.JsonNode? json = null;
        await bot.WaitUntilStoredAsync(async _ =>
        {
            json = (await ops.GetJsonAsync()).Json;
            var current = json!["instances"]!.AsArray().FirstOrDefault(i => i!["current"]!.GetValue<bool>());
            instance = current is null ? null : new JsonInstance(current["schedulerCheckIn"]?.GetValue<DateTimeOffset>(), current["version"]?.GetValue<string>(), current["schedulerState"]!.GetValue<string>());
            return instance is { SchedulerCheckIn: not null, Version: not null };
        }, "the instance has no scheduler check-in or version", TimeSpan.FromSeconds(30));

        Assert.Equal("Alive", instance!.State);
        var digest = json!["timers"]!["armed"]!.AsArray().Single(k => k!["kind"]!.GetValue<string>() == "digest");
        Assert.Equal(2, digest!["armed"]!.GetValue<int>());
        var due = json["timers"]!["nextDue"]!.AsArray().Where(d => d!["kind"]!.GetValue<string>() == "digest").Select(d => d!["subjectId"]!.GetValue<string>()).ToList();
        Assert.Equal(["1", "2"], due);
        var first = json["timers"]!["nextDue"]!.AsArray().First(d => d!["subjectId"]!.GetValue<string>() == "1");
        Assert.Equal(now.AddHours(1).ToUnixTimeMilliseconds(), first!["dueAt"]!.GetValue<DateTimeOffset>().ToUnixTimeMilliseconds());
        var (status, page) = await ops.GetPageAsync();
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-due-timer=\"digest/1\"", page, StringComparison.Ordinal);
    }

    private sealed record JsonInstance(DateTimeOffset? SchedulerCheckIn, string? Version, string State);
}
