using ApprovalBot.CommunicationPlans;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Escalations;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Scheduling;
using ApprovalBot.TestSupport.Storage;
using Microsoft.Extensions.DependencyInjection;
using static ApprovalBot.IntegrationTests.CommunicationPlans.PlanTestBed;

namespace ApprovalBot.IntegrationTests.CommunicationPlans;

/// <summary>
/// Review meetings every Wednesday 10:00 UTC: a day before each, both sides' contacts and the oversight owners get the
/// agenda (open escalations, SLA breaches and KPIs since the last review). Now is Monday 23 November 2026 10:00 UTC; the
/// next review is Wednesday 25 November, its reminder Tuesday 24 November 10:00, the last review was 18 November.
/// </summary>
public sealed class ReviewReminderTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Monday10 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Review = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private EscalationTestBed _bed = null!;
    private long _agreement;

    public async Task InitializeAsync() => (_bed, _agreement) = await StartAsync(Monday10);

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task TheDayBeforeAReview_BothSidesAndTheOwnersGetTheAgenda_Once_AndTheNextReviewIsArmed()
    {
        var alex = await _bed.ChatWithAsync(Cast.Alex);
        var adele = await _bed.ChatWithAsync(Cast.Adele);
        var isaiah = await _bed.ChatWithAsync(Cast.Isaiah);
        var escalation = await _bed.OpenAsync(_agreement, Priority.P2, "Mail server down", Cast.Alex);
        await _bed.AuditAsync();
        var armed = await _bed.ArmedAsync(PlanTimers.ReviewKind, _agreement);
        Assert.Equal((Review.AddDays(-1), Review.ToUnixTimeSeconds()), (armed!.DueAt, armed.FencingToken));

        // The escalation climbs to L3 and breaches both targets (response at 3 h, resolution at 8 h) before the reminder.
        await _bed.JumpToAsync(Monday10.AddHours(8).AddSeconds(1));
        await _bed.WaitUntilNothingDueAsync(escalation.Id);

        await _bed.JumpToAsync(Review.AddDays(-1).AddSeconds(1));
        static bool IsAgenda(System.Text.Json.Nodes.JsonObject c) => Says(c, "Review meeting: Contoso help desk");
        var (_, agenda) = await alex.ExpectCardWhileTickingAsync(_bed.Clock, IsAgenda);
        await adele.ExpectCardWhileTickingAsync(_bed.Clock, IsAgenda);
        await isaiah.ExpectCardWhileTickingAsync(_bed.Clock, IsAgenda);

        var texts = TestConversation.Texts(agenda);
        Assert.True(texts.Contains("Wed 25 Nov 2026, 11:00 (Europe/Berlin)", StringComparison.Ordinal), texts); // in Alex's zone
        Assert.Contains("Wed 18 Nov 2026, 11:00", texts, StringComparison.Ordinal); // since the last review
        Assert.Contains($"E-{escalation.Id}", texts, StringComparison.Ordinal);
        Assert.Contains("P2 · L3 · breached · Mail server down", texts, StringComparison.Ordinal);
        Assert.Contains($"2: E-{escalation.Id}", texts, StringComparison.Ordinal);                   // the response and the resolution breach
        Assert.Contains("1 opened", texts, StringComparison.Ordinal);
        Assert.Contains("no provider update was due in this period", texts, StringComparison.Ordinal);

        await _bed.Clock.TickUntilAsync(async () => (await _bed.ArmedAsync(PlanTimers.ReviewKind, _agreement))?.FencingToken == Review.AddDays(7).ToUnixTimeSeconds(),
            () => "the next review is not armed"); // armed after the agenda's commit
        Assert.Equal(Review.AddDays(6), (await _bed.ArmedAsync(PlanTimers.ReviewKind, _agreement))!.DueAt);

        // A repeated fire of the same review sends nothing again.
        await _bed.Bot.WaitForOutboxToSettleAsync();
        var requests = _bed.Bot.Connector.Requests.Count;
        await using (var scope = _bed.Bot.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredKeyedService<ITimerHandler>(PlanTimers.ReviewKind)
                .HandleAsync(new TimerFire(PlanTimers.ReviewKind, $"{_agreement}", Review.AddDays(-1), Review.ToUnixTimeSeconds(), _bed.Clock.GetUtcNow()), CancellationToken.None);
        await _bed.Bot.WaitForOutboxToSettleAsync();
        Assert.Equal(requests, _bed.Bot.Connector.Requests.Count);
        Assert.Equal(1, EscalationAgreements.PostsContaining(_bed.Bot.Connector, alex.Id, "Review meeting: Contoso help desk"));
    }
}

/// <summary>The update flow on PostgreSQL: the obligation queries, the unique (agreement, due time) index and Quartz there.</summary>
public sealed class PostgresProviderUpdateTests(PostgresServerFixture postgres) : IAsyncLifetime, IClassFixture<PostgresServerFixture>
{
    private static readonly DateTimeOffset Monday10 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Due = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private EscalationTestBed _bed = null!;
    private long _agreement;

    public async Task InitializeAsync() => (_bed, _agreement) = await StartAsync(Monday10, await postgres.CreateDatabaseAsync());

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task OverdueThenLateUpdate_OnPostgres()
    {
        var isaiah = await _bed.ChatWithAsync(Cast.Isaiah);
        await _bed.AuditAsync();
        Assert.Equal(0, await _bed.AuditAsync()); // the first obligation exists: nothing opened twice

        await _bed.JumpToAsync(Due.AddSeconds(1));
        await isaiah.ExpectCardWhileTickingAsync(_bed.Clock, c => Says(c, "Update overdue: Contoso help desk"));
        await isaiah.SendAsync("update Contoso Late, but here.");
        await isaiah.ExpectCardAsync(c => Says(c, "Update posted late"));

        var rows = await _bed.ObligationsAsync(_agreement);
        Assert.Equal([(Due, Domain.CommunicationPlans.UpdateState.Late), (Due.AddDays(7), Domain.CommunicationPlans.UpdateState.Due)], rows.Select(r => (r.DueAt, r.State)));
    }
}
