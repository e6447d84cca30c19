using ApprovalBot.CommunicationPlans;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.CommunicationPlans;
using ApprovalBot.IntegrationTests.Api;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Escalations;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Scheduling;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalBot.IntegrationTests.CommunicationPlans;

/// <summary>
/// What the communication plan tests start from: the escalation tests' Active agreement "Contoso help desk" (overseen by
/// Alex) with a plan whose provider contacts are Isaiah (a Teams user) and Pat (e-mail only), our contact Adele, updates
/// due every Monday 09:00 UTC and sent 1:1 to Megan, review meetings every Wednesday 10:00 UTC; the API test keys.
/// </summary>
internal static class PlanTestBed
{
    public static CommunicationPlan Plan(string zone = "UTC", string? review = "0 10 * * WED", UpdateDestination? updatesGoTo = null) => new(
        [new ContactPoint("Adele Vance", new PersonId(Cast.Adele.AadObjectId), role: "Service owner")],
        [new ContactPoint("Isaiah Langer", new PersonId(Cast.Isaiah.AadObjectId), role: "Account manager"), new ContactPoint("Pat Provider", email: "pat@contoso.example")],
        new RecurringSchedule("0 9 * * MON", zone),
        updatesGoTo ?? UpdateDestination.OneToOne(new PersonId(Cast.Megan.AadObjectId)),
        review is null ? null : new RecurringSchedule(review, zone));

    public static async Task<(EscalationTestBed Bed, long AgreementId)> StartAsync(DateTimeOffset now, ITestDatabase? database = null, CommunicationPlan? plan = null)
    {
        var bed = await EscalationTestBed.StartAsync(database ?? await new SqliteTestDatabases().CreateDatabaseAsync(), now, ApiTestKeys.Settings());
        return (bed, await EscalationAgreements.ActiveAsync(bed.Bot.Database, now, [Cast.Alex], plan: plan ?? Plan()));
    }

    /// <summary>One round of the plan auditor (opens the first obligation of a new agreement, re-arms timers).</summary>
    public static Task<int> AuditAsync(this EscalationTestBed bed) =>
        bed.Bot.Services.GetRequiredService<PlanTimerAuditor>().AuditAsync(CancellationToken.None);

    public static async Task<List<UpdateObligation>> ObligationsAsync(this EscalationTestBed bed, long agreementId)
    {
        await using var db = bed.Bot.CreateDbContext();
        return [.. (await db.UpdateObligations.AsNoTracking().Where(o => o.AgreementId == agreementId).ToListAsync()).OrderBy(o => o.DueAt)];
    }

    public static Task<ArmedTimer?> ArmedAsync(this EscalationTestBed bed, string kind, long subject) =>
        bed.Bot.Services.GetRequiredService<DurableTimers>().GetArmedAsync(kind, $"{subject}", CancellationToken.None);

    public static bool Says(System.Text.Json.Nodes.JsonObject card, string text) => TestConversation.Texts(card).Contains(text, StringComparison.Ordinal);
}
