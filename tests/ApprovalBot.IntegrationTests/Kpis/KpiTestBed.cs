using ApprovalBot.Domain.Agreements;
using ApprovalBot.Escalations;
using ApprovalBot.IntegrationTests.Api;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Escalations;
using ApprovalBot.TestSupport;
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

    /// <summary>
    /// The KPI fixture, from <paramref name="monday10"/> on the agreement's 24×7 UTC clocks (business time is wall time):
    /// E1 P2 acknowledged after 30 min, resolved after 2 h; E2 P1 opened an hour later and never acknowledged (15 min
    /// target: missed); E3 P2 opened then, acknowledged after 10 min, still open. Alex rates E1's resolution 4 of 5.
    /// Afterwards it is 13:00.
    /// </summary>
    public static async Task ThreeEscalationsAsync(EscalationTestBed bed, long agreement, DateTimeOffset monday10)
    {
        var e1 = await bed.OpenAsync(agreement, Priority.P2, "Mail server down", Cast.Alex);
        bed.Clock.SetUtcNow(monday10.AddMinutes(30));
        await bed.ActAsync(e1.Id, Cast.Alex, EscalationAction.Acknowledge);
        bed.Clock.SetUtcNow(monday10.AddHours(1));
        await bed.OpenAsync(agreement, Priority.P1, "Payroll down", Cast.Alex);
        var e3 = await bed.OpenAsync(agreement, Priority.P2, "VPN slow", Cast.Alex);
        bed.Clock.SetUtcNow(monday10.AddMinutes(70));
        await bed.ActAsync(e3.Id, Cast.Alex, EscalationAction.Acknowledge);
        bed.Clock.SetUtcNow(monday10.AddHours(2));
        await bed.ActAsync(e1.Id, Cast.Alex, EscalationAction.Resolve, "Restarted the relay.");
        await bed.ActAsync(e1.Id, Cast.Alex, EscalationAction.AnswerSurvey, "Quick fix.", score: 4, resolution: 1);
        await bed.JumpToAsync(monday10.AddHours(3));
    }
}

/// <summary>
/// What the KPI, uptime and dashboard test classes start from: the KPI bed at Monday 23 November 2026 10:00 UTC with its
/// Active agreement, disposed after each test.
/// </summary>
public abstract class KpiBedTests : IAsyncLifetime
{
    private protected static readonly DateTimeOffset Monday10 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private protected EscalationTestBed Bed { get; private set; } = null!;

    private protected long Agreement { get; private set; }

    private protected ManualTimeProvider Clock => Bed.Clock;

    public async Task InitializeAsync() => (Bed, Agreement) = await KpiTestBed.StartAsync(Monday10);

    public async Task DisposeAsync() => await Bed.DisposeAsync();
}
