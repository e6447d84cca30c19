using System.Net;
using System.Text.Json.Nodes;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Escalations;
using ApprovalBot.IntegrationTests.Api;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Escalations;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Privacy;
using ApprovalBot.Scheduling;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalBot.IntegrationTests.Privacy;

/// <summary>
/// Retention of closed escalations' free text, run by the housekeeping timer on the manual clock: with a 30-day period,
/// an escalation closed 40 days ago loses its description, resolution note, timeline reasons and survey comment but keeps
/// everything the KPIs read; one closed 15 days ago and one still open keep their text. Another run (two at once, as on
/// two instances) changes and records nothing.
/// </summary>
public abstract class RetentionTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Monday10 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private EscalationTestBed _bed = null!;
    private long _agreement;

    private protected abstract Task<ITestDatabase> DatabaseAsync();

    public async Task InitializeAsync()
    {
        var settings = ApiTestKeys.Settings();
        settings["Privacy:ClosedEscalationFreeTextDays"] = "30";
        settings["Privacy:RetentionBatchSize"] = "1";
        settings["Housekeeping:Every"] = "40.00:00:00";
        _bed = await EscalationTestBed.StartAsync(await DatabaseAsync(), Monday10, settings);
        _agreement = await EscalationAgreements.ActiveAsync(_bed.Bot.Database, Monday10, [Cast.Alex]);
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private async Task<long> OpenAsync(string title, string description)
    {
        using var response = await ApiCalls.PostAsync(_bed.Bot, "/api/v1/escalations", new JsonObject
        {
            ["agreementId"] = _agreement, ["priority"] = "P2", ["title"] = title, ["description"] = description, ["reporter"] = "alexw@example.com",
        });
        return (await ApiCalls.JsonAsync(response, HttpStatusCode.Created))["id"]!.GetValue<long>();
    }

    private async Task<string> KpisAsync()
    {
        using var response = await ApiCalls.GetAsync(_bed.Bot, $"/api/v1/kpis?agreementId={_agreement}&period=2026-11");
        return KpiJson.Comparable(await ApiCalls.JsonAsync(response));
    }

    private async Task<int> RetentionAuditsAsync()
    {
        await using var db = _bed.Bot.CreateDbContext();
        return await db.OperationsAudit.CountAsync(a => a.Action == ClosedEscalationTextRetention.AuditAction);
    }

    [Fact]
    public async Task Housekeeping_RemovesTheFreeTextOfEscalationsClosedLongerThanTheRetention_AndKeepsWhatKpisRead()
    {
        var old = await OpenAsync("Mail server down", "Nobody receives e-mail since 9:40.");
        var recent = await OpenAsync("VPN slow", "Home office users time out.");
        var open = await OpenAsync("Printer jam", "Third floor printer.");
        _bed.Clock.SetUtcNow(Monday10.AddMinutes(30));
        await _bed.ActAsync(old, Cast.Alex, EscalationAction.Acknowledge);
        await _bed.ActAsync(open, Cast.Alex, EscalationAction.Acknowledge);
        await _bed.ActAsync(old, Cast.Alex, EscalationAction.Hold, "Waiting for the mail provider.");
        await _bed.ActAsync(old, Cast.Alex, EscalationAction.Resume);
        await _bed.ActAsync(old, Cast.Alex, EscalationAction.Resolve, "Restarted the relay.");
        await _bed.ActAsync(old, Cast.Alex, EscalationAction.AnswerSurvey, "Quick fix.", score: 4, resolution: 1);
        await _bed.ActAsync(old, Cast.Alex, EscalationAction.Close);
        await _bed.JumpToAsync(Monday10.AddDays(25));
        await _bed.ActAsync(recent, Cast.Alex, EscalationAction.Resolve, "Swapped the concentrator.");
        await _bed.ActAsync(recent, Cast.Alex, EscalationAction.Close);
        // Short of housekeeping's first run at start + 40 days; every escalation timer that was due has been handled
        // before the KPIs are read (a breach found late would change them, not the retention).
        await _bed.JumpToAsync(Monday10.AddDays(40).AddSeconds(-30));
        foreach (var id in new[] { old, recent, open })
            await _bed.WaitUntilNothingDueAsync(id);
        var kpis = await KpisAsync();
        var oldBefore = await _bed.LoadAsync(old);
        Assert.Equal(0, await RetentionAuditsAsync());

        // Housekeeping is due at start + 40 days.
        await _bed.Clock.TickUntilAsync(async () => await RetentionAuditsAsync() > 0, () => "no retention audit row yet");

        var removed = await _bed.LoadAsync(old);
        Assert.Equal((ClosedEscalationTextRetention.Marker, ClosedEscalationTextRetention.Marker), (removed.Description, removed.ResolutionNote));
        Assert.All(removed.Timeline, t => Assert.True(t.Reason is null or ClosedEscalationTextRetention.Marker, $"{t.Kind}: {t.Reason}"));
        Assert.Contains(removed.Timeline, t => t.Reason == ClosedEscalationTextRetention.Marker);
        var answer = Assert.Single(removed.SurveyAnswers);
        Assert.Equal((4, (string?)null), (answer.Score, answer.Comment));
        Assert.Equal(
            (oldBefore.Title, oldBefore.State, oldBefore.Priority, oldBefore.OpenedAt, oldBefore.AcknowledgedAt, oldBefore.ResolvedAt, oldBefore.ClosedAt, oldBefore.Timeline.Count),
            (removed.Title, removed.State, removed.Priority, removed.OpenedAt, removed.AcknowledgedAt, removed.ResolvedAt, removed.ClosedAt, removed.Timeline.Count));
        Assert.Equal([.. oldBefore.Timeline.Select(t => (t.Kind, t.At, t.Detail))], [.. removed.Timeline.Select(t => (t.Kind, t.At, t.Detail))]);

        var kept = await _bed.LoadAsync(recent);
        Assert.Equal(("Home office users time out.", "Swapped the concentrator."), (kept.Description, kept.ResolutionNote));
        Assert.Equal("Third floor printer.", (await _bed.LoadAsync(open)).Description);
        Assert.Equal(kpis, await KpisAsync());

        await using (var db = _bed.Bot.CreateDbContext())
        {
            var audit = await db.OperationsAudit.AsNoTracking().SingleAsync(a => a.Action == ClosedEscalationTextRetention.AuditAction);
            Assert.Equal(ClosedEscalationTextRetention.AuditActor, audit.Actor);
            var counts = JsonNode.Parse(audit.Detail!)!;
            Assert.Equal((1, 1, 1), (counts["Escalations"]!.GetValue<int>(), counts["ResolutionNotes"]!.GetValue<int>(), counts["SurveyComments"]!.GetValue<int>()));
        }

        // Two more runs at once, as two instances would: nothing left to remove, nothing recorded.
        var now = _bed.Clock.GetUtcNow();
        await Task.WhenAll(RunRetentionAsync(now), RunRetentionAsync(now));
        Assert.Equal(1, await RetentionAuditsAsync());
        Assert.Equal("Home office users time out.", (await _bed.LoadAsync(recent)).Description);
    }

    private async Task RunRetentionAsync(DateTimeOffset now)
    {
        await using var scope = _bed.Bot.Services.CreateAsyncScope();
        foreach (var task in scope.ServiceProvider.GetServices<IHousekeepingTask>())
            await task.RunAsync(now, CancellationToken.None);
    }
}

/// <summary>The KPI answer without the instant it was computed at, for comparing two answers.</summary>
internal static class KpiJson
{
    public static string Comparable(JsonNode node)
    {
        Strip(node);
        return node.ToJsonString();

        static void Strip(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject o:
                    o.Remove("computedAt");
                    // The provider's update obligations move from overdue to missed on their own timers while a test
                    // ticks the clock to housekeeping; neither retention nor erasure touches them.
                    o.Remove("cadenceCompliance");
                    foreach (var (_, v) in o) Strip(v);
                    break;
                case JsonArray a:
                    foreach (var v in a) Strip(v);
                    break;
            }
        }
    }
}

public sealed class SqliteRetentionTests : RetentionTests
{
    private protected override async Task<ITestDatabase> DatabaseAsync() => await new SqliteTestDatabases().CreateDatabaseAsync();
}

public sealed class PostgresRetentionTests(PostgresServerFixture postgres) : RetentionTests, IClassFixture<PostgresServerFixture>
{
    private protected override async Task<ITestDatabase> DatabaseAsync() => await postgres.CreateDatabaseAsync();
}
