using ApprovalBot.IntegrationTests.Api;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Escalations;
using ApprovalBot.TestSupport.Storage;

namespace ApprovalBot.IntegrationTests.Kpis;

/// <summary>What the KPI tests start from: the bot with the test API keys, the organisation in Berlin, and the escalation tests' Active agreement.</summary>
internal static class KpiTestBed
{
    public static async Task<(EscalationTestBed Bed, long AgreementId)> StartAsync(DateTimeOffset now, ITestDatabase? database = null)
    {
        var settings = ApiTestKeys.Settings();
        settings["Approvals:TimeZone"] = "Europe/Berlin";
        var bed = await EscalationTestBed.StartAsync(database ?? await new SqliteTestDatabases().CreateDatabaseAsync(), now, settings);
        return (bed, await EscalationAgreements.ActiveAsync(bed.Bot.Database, now, [Cast.Alex]));
    }
}
