using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Calendars;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.IntegrationTests.Storage;

/// <summary>
/// Escalations through EF on a migrated database: the policy snapshot, hold and resolved periods, warnings and the
/// timeline survive a round trip so exactly that the clocks and the next deadline come out the same; the version is
/// the concurrency token.
/// </summary>
public abstract class EscalationPersistenceTests(ITestDatabaseFactory databases)
{
    /// <summary>Monday 5 January 2026, 09:00 in Berlin (08:00 UTC).</summary>
    private static readonly DateTimeOffset Monday9 = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);

    private static EscalationPolicy Policy() => new(
        agreementId: 7, agreementName: "Contoso help desk", agreementRevision: 2, Priority.P2,
        responseTarget: TimeSpan.FromHours(1), resolutionTarget: TimeSpan.FromHours(8),
        BusinessCalendar.WeekdaysNineToFive("Europe/Berlin", [new Holiday(new DateOnly(2026, 1, 6), "Epiphany")]).Definition,
        [
            new EscalationLevel(SupportLevel.L1, new EscalationContacts([], "19:l1@thread.tacv2"), "First line"),
            new EscalationLevel(SupportLevel.L2, new EscalationContacts([People.Leo]), "Technical"),
            new EscalationLevel(SupportLevel.L3, new EscalationContacts([People.Mia], "19:mgmt@thread.tacv2"), "Management"),
        ],
        [People.Alice, People.Carol], TimeSpan.FromDays(7));

    [Fact]
    public async Task Escalation_ThroughHoldLevelRaiseAndWarnings_RoundTripsSoThatClocksAndDeadlinesAgree()
    {
        await using var database = await MigratedAsync();
        var escalation = Escalation.Open(Policy(), "Mail server down", "Nobody receives e-mail.", People.Bob, Monday9);
        escalation.Assign(People.Bob, People.Dan, Monday9.AddMinutes(5));
        escalation.Hold(People.Dan, "Waiting for the customer's logs", Monday9.AddMinutes(10));
        escalation.Resume(People.Dan, Monday9.AddMinutes(40));
        var fired = escalation.FireDue(escalation.Version, Monday9.AddHours(2)); // L1 missed its response (10:30): L2
        Assert.Equal(EscalationTimerOutcome.Applied, fired.Outcome);
        Assert.Equal(SupportLevel.L2, escalation.Level);
        escalation.Acknowledge(People.Leo, Monday9.AddHours(2).AddMinutes(5));
        escalation.FireDue(escalation.Version, Monday9.AddDays(2)); // Tuesday is a holiday: warnings on Wednesday

        await using (var db = database.CreateContext())
        {
            db.Escalations.Add(escalation);
            await db.SaveChangesAsync();
        }

        await using var read = database.CreateContext();
        var loaded = await read.Escalations.AsNoTracking().SingleAsync();
        var now = Monday9.AddDays(2).AddHours(1);
        Assert.Equal(escalation.Policy, loaded.Policy);
        Assert.Equal((escalation.State, escalation.Level, escalation.Assignee, escalation.Version), (loaded.State, loaded.Level, loaded.Assignee, loaded.Version));
        Assert.Equal(escalation.HoldPeriods, loaded.HoldPeriods);
        Assert.Equal(escalation.WarningsSent, loaded.WarningsSent);
        Assert.Equal(escalation.ResolutionElapsed(now), loaded.ResolutionElapsed(now));
        Assert.Equal(escalation.ResponseElapsed(now), loaded.ResponseElapsed(now));
        Assert.Equal(escalation.NextTimerAt(now), loaded.NextTimerAt(now));
        Assert.Equal(
            escalation.Timeline.Select(e => (e.Sequence, e.At, e.Actor, e.Kind, e.Level, e.Reason, e.Detail, e.Percent)),
            loaded.Timeline.Select(e => (e.Sequence, e.At, e.Actor, e.Kind, e.Level, e.Reason, e.Detail, e.Percent)));
    }

    [Fact]
    public async Task Escalation_SavedFromAStaleCopy_FailsWithAConcurrencyError()
    {
        await using var database = await MigratedAsync();
        long id;
        await using (var db = database.CreateContext())
        {
            var escalation = Escalation.Open(Policy(), "VPN flaky", null, People.Bob, Monday9);
            db.Escalations.Add(escalation);
            await db.SaveChangesAsync();
            id = escalation.Id;
        }

        await using var first = database.CreateContext();
        await using var second = database.CreateContext();
        var a = await first.Escalations.SingleAsync(e => e.Id == id);
        var b = await second.Escalations.SingleAsync(e => e.Id == id);
        a.Acknowledge(People.Bob, Monday9.AddMinutes(10));
        await first.SaveChangesAsync();
        b.EscalateManually(People.Bob, "The customer called the CEO", Monday9.AddMinutes(11));

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
    }

    private async Task<ITestDatabase> MigratedAsync()
    {
        var database = await databases.CreateDatabaseAsync();
        await using var db = database.CreateContext();
        await db.Database.MigrateAsync();
        return database;
    }
}

public sealed class SqliteEscalationPersistenceTests() : EscalationPersistenceTests(new SqliteTestDatabases());

public sealed class PostgresEscalationPersistenceTests(PostgresServerFixture postgres)
    : EscalationPersistenceTests(postgres), IClassFixture<PostgresServerFixture>;
