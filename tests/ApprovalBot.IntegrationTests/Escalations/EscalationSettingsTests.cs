using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Escalations;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Scheduling;
using ApprovalBot.TestSupport;
using ApprovalBot.TestSupport.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalBot.IntegrationTests.Escalations;

/// <summary><c>Escalations:ReopenWindow</c> reaches each escalation's policy snapshot and its auto-close deadline.</summary>
public sealed class EscalationSettingsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Monday10 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _clock = new(Monday10);
    private BotTestHost _bot = null!;

    public async Task InitializeAsync() =>
        _bot = await BotTestHost.StartAsync(new BotTestHostOptions
        {
            Database = await new SqliteTestDatabases().CreateDatabaseAsync(),
            Time = _clock,
            Settings = new Dictionary<string, string?> { ["Escalations:ReopenWindow"] = "1.12:00:00" },
        });

    public async Task DisposeAsync()
    {
        var database = _bot.Database;
        await _bot.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task ConfiguredReopenWindow_IsSnapshotted_AndSetsTheAutoCloseDeadline()
    {
        var agreementId = await EscalationSetup.ActiveAgreementAsync(_bot, Monday10);
        var opened = await EscalationSetup.OpenAsync(_bot, agreementId, "Mail server down");
        Assert.Equal(TimeSpan.FromHours(36), opened.Policy.ReopenWindow);

        await using (var scope = _bot.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<ActOnEscalation>().HandleAsync(
                new ActOnEscalationInput(opened.Id, new PersonId(Cast.Adele.AadObjectId), false, EscalationAction.Resolve, "Replaced the certificate."),
                CancellationToken.None);
            Assert.Null(result.Refusal);
        }

        var resolved = await EscalationSetup.LoadAsync(_bot, opened.Id);
        Assert.Equal(EscalationState.Resolved, resolved.State);
        var armed = await _bot.Services.GetRequiredService<DurableTimers>().GetArmedAsync(EscalationTimers.Kind, $"{opened.Id}", CancellationToken.None);
        Assert.Equal(resolved.ResolvedAt!.Value.AddHours(36), armed!.DueAt);
    }
}
