using System.Net;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Escalations;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.TestSupport.Storage;

namespace ApprovalBot.IntegrationTests.Faults;

/// <summary>
/// PostgreSQL stopped and started again under a running bot (a server of this test's own; the shared test server stays
/// up): during the outage an activity is answered 503 with Retry-After and the health check says Unhealthy; afterwards
/// the bot recovers by itself — the redelivered activity is answered once, the escalation deadline that passed during
/// the outage fires once, and what was committed before is all there.
/// </summary>
public sealed class PostgresOutageTests
{
    private static readonly DateTimeOffset Monday10 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ABotOnARestartedDatabase_Answers503DuringTheOutage_ThenRecoversAndLosesNothing()
    {
        await using var server = await PrivatePostgresServer.StartAsync();
        await using var bed = await EscalationTestBed.StartAsync(await PostgresTestDatabase.CreateAsync(server.ConnectionString), Monday10);
        var agreementId = await bed.ActiveAgreementAsync(Cast.Alex);
        var alex = await bed.ChatWithAsync(Cast.Alex);
        var adele = await bed.ChatWithAsync(Cast.Adele);
        var isaiah = await bed.ChatWithAsync(Cast.Isaiah);
        var opened = await bed.OpenAsync(agreementId, Priority.P2, "Mail server down", Cast.Alex);
        await adele.ExpectCardAsync();
        await bed.Bot.WaitForOutboxToSettleAsync();

        await server.HaltAsync();

        var list = alex.NewActivity(ActivityTypes.Message);
        list.Text = "list";
        using (var during = await bed.Bot.PostActivityAsync(list))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
            Assert.NotNull(during.Headers.RetryAfter);
        }
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await HealthWhileTickingAsync(bed));
        // L1's response deadline (11:00) passes while the database is down.
        bed.Clock.SetUtcNow(Monday10.AddHours(1).AddSeconds(1));

        await server.ResumeAsync();

        // Teams redelivers the refused activity: it is answered now, once.
        using (var redelivered = await bed.Bot.PostActivityAsync(list))
            Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        Assert.Contains("Mail server down", TestConversation.Texts((await alex.ExpectCardAsync()).Card), StringComparison.Ordinal);
        using (var again = await bed.Bot.PostActivityAsync(list))
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        // The deadline missed during the outage fires after it, once: L2 is told.
        var (_, l2Card) = await isaiah.ExpectCardWhileTickingAsync(bed.Clock);
        Assert.Contains("Raised to L2", TestConversation.Texts(l2Card), StringComparison.Ordinal);
        var escalation = await bed.WaitWhileTickingAsync(opened.Id, e => e.Level == SupportLevel.L2);
        await bed.Bot.WaitForOutboxToSettleAsync();
        Assert.Single(escalation.Timeline, e => e.Kind == EscalationEventKind.LevelRaised);
        Assert.Equal(opened.Title, escalation.Title);
        await alex.ExpectNoMoreMessagesAsync();
        await isaiah.ExpectNoMoreMessagesAsync();
        Assert.Equal(HttpStatusCode.OK, await HealthWhileTickingAsync(bed));
    }

    /// <summary>
    /// /healthz, with the manual clock moving: the scheduler's check retries its store on the bot's clock (three tries
    /// a second apart, about 3 s in production) before it says the store is unreachable.
    /// </summary>
    private static async Task<HttpStatusCode> HealthWhileTickingAsync(EscalationTestBed bed)
    {
        var request = bed.Bot.Http.GetAsync(new Uri("/healthz", UriKind.Relative));
        await bed.Clock.TickUntilAsync(() => Task.FromResult(request.IsCompleted), () => "/healthz did not answer", maxTicks: 30);
        using var response = await request;
        return response.StatusCode;
    }
}
