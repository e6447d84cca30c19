using ApprovalBot.Escalations;
using ApprovalBot.IntegrationTests.Escalations;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.TestSupport.Storage;
using static ApprovalBot.IntegrationTests.Metrics.MetricsScrape;

namespace ApprovalBot.IntegrationTests.Metrics;

/// <summary>
/// The database gauges on PostgreSQL: Quartz's tables there are lower case (the armed-timer count reads them directly),
/// and the aggregate queries translate for Npgsql too. SQLite runs the same in <see cref="MetricsEndpointTests"/>.
/// </summary>
public sealed class PostgresMetricsGaugesTests(PostgresServerFixture postgres) : IClassFixture<PostgresServerFixture>
{
    [Fact]
    public async Task Gauges_ShowTheOpenEscalationAndItsArmedTimer_OnPostgres()
    {
        var now = MetricsBotFixture.Monday10;
        await using var bot = await BotTestHost.StartAsync(new BotTestHostOptions
        {
            Database = await postgres.CreateDatabaseAsync(),
            Time = new ApprovalBot.TestSupport.ManualTimeProvider(now),
            Settings = KeySettings(),
        });
        var agreementId = await EscalationSetup.ActiveAgreementAsync(bot, now);
        await EscalationSetup.ChatWithAsync(bot, Approvals.Cast.Adele);
        await EscalationSetup.OpenAsync(bot, agreementId, "Mail server down");

        var text = await ScrapeUntilAsync(bot, t => Value(t, "approvalbot_escalations_open", ("level", "L1"), ("sla_state", "on_track")) == 1);
        Assert.Equal(1, Value(text, "approvalbot_timers_armed", ("kind", EscalationTimers.Kind)));
        Assert.Equal(0, Value(text, "approvalbot_escalations_open", ("level", "L2")));
        Assert.True(Value(text, "approvalbot_outbox_pending") >= 0);
        var (exit, output) = await Promtool.RunAsync(["check", "metrics"], text);
        Assert.True(exit == 0, $"promtool check metrics failed ({exit}):\n{output}");
    }
}
