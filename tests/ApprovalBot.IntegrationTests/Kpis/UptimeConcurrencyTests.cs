using System.Net;
using System.Text.Json.Nodes;
using ApprovalBot.IntegrationTests.Api;
using ApprovalBot.IntegrationTests.Escalations;
using ApprovalBot.TestSupport.Storage;

namespace ApprovalBot.IntegrationTests.Kpis;

/// <summary>
/// Uptime reports sent at the same moment for the same period: the overlap check and the insert run under the
/// agreement's lock, so exactly one is stored and the others are refused with 409 — on SQLite and on PostgreSQL.
/// </summary>
public abstract class UptimeConcurrencyTests(ITestDatabaseFactory databases) : IAsyncLifetime
{
    private static readonly DateTimeOffset Monday10 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private EscalationTestBed _bed = null!;
    private long _agreement;

    public async Task InitializeAsync() => (_bed, _agreement) = await KpiTestBed.StartAsync(Monday10, await databases.CreateDatabaseAsync());

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task OverlappingReportsSentAtOnce_StoreExactlyOne_AndRefuseTheRestWith409()
    {
        var path = $"/api/v1/agreements/{_agreement}/uptime";
        const int Senders = 8;

        var statuses = await Task.WhenAll(Enumerable.Range(0, Senders).Select(async i =>
        {
            using var response = await ApiCalls.PostAsync(_bed.Bot, path, new JsonObject
            {
                ["from"] = "2026-11-16T00:00:00Z", ["to"] = "2026-11-23T00:00:00Z", ["percent"] = 99.0 + i / 10.0, ["service"] = "Mail",
            });
            return response.StatusCode;
        }));

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(Senders - 1, statuses.Count(s => s == HttpStatusCode.Conflict));
        using var list = await ApiCalls.GetAsync(_bed.Bot, path);
        Assert.Single((await ApiCalls.JsonAsync(list))["items"]!.AsArray());
    }
}

public sealed class SqliteUptimeConcurrencyTests() : UptimeConcurrencyTests(new SqliteTestDatabases());

public sealed class PostgresUptimeConcurrencyTests(PostgresServerFixture postgres)
    : UptimeConcurrencyTests(postgres), IClassFixture<PostgresServerFixture>;
