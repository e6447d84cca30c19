using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.TestSupport.Storage;

namespace ApprovalBot.IntegrationTests.Escalations;

/// <summary>
/// The whole climb on PostgreSQL (Quartz's store, the escalation's JSON columns and the outbox there): nobody
/// acknowledges, so L1 → L2 → L3 → the response breach to L3 and the oversight owner, each told once at its deadline.
/// SQLite runs the same climb in <see cref="EscalationTimerTests"/>.
/// </summary>
public sealed class PostgresEscalationClimbTests(PostgresServerFixture postgres) : IAsyncLifetime, IClassFixture<PostgresServerFixture>
{
    private static readonly DateTimeOffset Monday10 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private EscalationTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await EscalationTestBed.StartAsync(await postgres.CreateDatabaseAsync(), Monday10);

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task MissedAcknowledgements_ClimbL1L2L3_ThenTheResponseBreach_EachOnce_OnPostgres()
    {
        var agreementId = await _bed.ActiveAgreementAsync(Cast.Megan);
        var adele = await _bed.ChatWithAsync(Cast.Adele);
        var isaiah = await _bed.ChatWithAsync(Cast.Isaiah);
        var lynne = await _bed.ChatWithAsync(Cast.Lynne);
        var megan = await _bed.ChatWithAsync(Cast.Megan);
        var opened = await _bed.OpenAsync(agreementId, Priority.P2, "Mail server down", Cast.Alex);
        await adele.ExpectCardAsync();

        await _bed.JumpToAsync(Monday10.AddHours(1).AddSeconds(1));
        await isaiah.ExpectCardWhileTickingAsync(_bed.Clock);
        await _bed.JumpToAsync(Monday10.AddHours(2).AddSeconds(1));
        await lynne.ExpectCardWhileTickingAsync(_bed.Clock);
        await _bed.JumpToAsync(Monday10.AddHours(3).AddSeconds(1));
        await megan.ExpectCardWhileTickingAsync(_bed.Clock);
        await _bed.WaitUntilNothingDueAsync(opened.Id); // every deadline that passed has been handled

        var connector = _bed.Bot.Connector;
        Assert.Equal(1, EscalationAgreements.PostsContaining(connector, isaiah.Id, "Raised to L2"));
        Assert.Equal(1, EscalationAgreements.PostsContaining(connector, lynne.Id, "Raised to L3"));
        const string breached = "Nobody acknowledged it, L3 included";
        Assert.Equal(1, EscalationAgreements.PostsContaining(connector, lynne.Id, breached));
        Assert.Equal(1, EscalationAgreements.PostsContaining(connector, megan.Id, breached));

        var escalation = await _bed.LoadAsync(opened.Id);
        Assert.Equal(SupportLevel.L3, escalation.Level);
        Assert.Equal(
            [Monday10.AddHours(1), Monday10.AddHours(2)],
            escalation.Timeline.Where(e => e.Kind == EscalationEventKind.LevelRaised).Select(e => e.At));
        Assert.Equal(Monday10.AddHours(3), Assert.Single(escalation.Timeline, e => e.Kind == EscalationEventKind.ResponseBreached).At);
        Assert.Equal(Monday10.AddHours(4), (await _bed.ArmedAsync(opened.Id))!.DueAt); // only the 50 % warning is left
    }
}
