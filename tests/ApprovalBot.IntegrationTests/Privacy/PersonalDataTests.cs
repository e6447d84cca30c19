using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ApprovalBot.Digests.Subscriptions;
using ApprovalBot.Domain.Digests;
using ApprovalBot.IntegrationTests.Api;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Digests;
using ApprovalBot.IntegrationTests.Escalations;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.IntegrationTests.Kpis;
using ApprovalBot.Operations;
using ApprovalBot.Privacy;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.IntegrationTests.Privacy;

/// <summary>
/// <c>GET /api/v1/people/{id}/export</c> and <c>POST /api/v1/people/{id}/erasure</c> through the real endpoint with the
/// test API keys: Alex has talked to the bot, subscribed to a digest and received one, reported, acknowledged, resolved
/// and rated escalations, asked for an approval and has one waiting for his decision, oversees the agreement and appears
/// in an operator's audit line. The export lists all of it; the erasure leaves none of his keys in any table of the
/// model, one pseudonymous audit record, his digest timer cancelled and the KPIs as they were.
/// </summary>
public abstract partial class PersonalDataTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Monday10 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private const string PseudonymKey = "test-pseudonym-key-0123456789abcdef";
    private EscalationTestBed _bed = null!;
    private long _agreement;

    private protected abstract Task<ITestDatabase> DatabaseAsync();

    internal static readonly string[] AlexKeys = [Cast.Alex.AadObjectId, Cast.Alex.Name, "alexw@example.com", Cast.Alex.Id];

    public async Task InitializeAsync()
    {
        var settings = ApiTestKeys.Settings();
        settings["Approvals:TimeZone"] = "Europe/Berlin";
        settings["Privacy:PseudonymKey"] = PseudonymKey;
        _bed = await EscalationTestBed.StartAsync(await DatabaseAsync(), Monday10, settings);
        _agreement = await EscalationAgreements.ActiveAsync(_bed.Bot.Database, Monday10, [Cast.Alex]);
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [GeneratedRegex("^erased-[0-9a-f]{12}$")]
    private static partial Regex PseudonymPattern();

    private async Task<(long AlexAsks, long AlexDecides, long Subscription)> AlexEverywhereAsync()
    {
        await KpiTestBed.ThreeEscalationsAsync(_bed, _agreement, Monday10);
        var alex = await _bed.ChatWithAsync(Cast.Alex);
        // The unacknowledged P1's timers may still be telling Alex about it; the confirmation is the reply that matters.
        await alex.SayAsync("digest daily 08:00", "Subscribed");

        using var asks = await ApiCalls.PostAsync(_bed.Bot, "/api/v1/approvals", new JsonObject
        {
            ["requester"] = "alexw@example.com",
            ["title"] = "New laptop for Alex Wilber",
            ["details"] = "My old one broke.",
            ["approvers"] = new JsonArray(ApiCalls.Megan),
        });
        var alexAsks = (await ApiCalls.JsonAsync(asks, HttpStatusCode.Created))["id"]!.GetValue<long>();
        using var decides = await ApiCalls.PostAsync(_bed.Bot, "/api/v1/approvals", new JsonObject
        {
            ["requester"] = ApiCalls.Megan,
            ["title"] = "Budget for the team offsite",
            ["details"] = "Two days in March.",
            ["approvers"] = new JsonArray(ApiCalls.Alex),
        });
        var alexDecides = (await ApiCalls.JsonAsync(decides, HttpStatusCode.Created))["id"]!.GetValue<long>();

        await using (var db = _bed.Bot.CreateDbContext())
        {
            db.OperationsAudit.Add(OperationsAuditEntry.Record(_bed.Clock.GetUtcNow(), "Alex Wilber (alexw@example.com)", "timer.retry", "timer escalation/1", true, null));
            await db.SaveChangesAsync();
        }

        // The digest is due Tuesday 08:00 Berlin; it lists Alex's own escalations.
        // (The clock is set, not jumped after the outbox settles: a send to Alex's chat may be waiting out a throttle on it.)
        _bed.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 24, 6, 59, 59, TimeSpan.Zero));
        await alex.ExpectCardWhileTickingAsync(_bed.Clock, DigestTestBed.IsDigest);
        var subscription = (await _bed.SubscriptionAsync(DigestRecipientKind.Person, Cast.Alex.AadObjectId))!;
        await _bed.DigestTimerFollowingAsync(subscription);
        await _bed.Clock.TickUntilAsync(async () =>
        {
            await using var db = _bed.Bot.CreateDbContext();
            return !await db.OutboxMessages.AnyAsync(m => m.Status == ApprovalBot.Teams.Outbox.OutboxStatus.Pending);
        }, () => "the outbox still has pending messages");
        return (alexAsks, alexDecides, subscription.Id);
    }

    private async Task<JsonNode> ExportAsync(string id)
    {
        using var response = await ApiCalls.GetAsync(_bed.Bot, $"/api/v1/people/{Uri.EscapeDataString(id)}/export", ApiTestKeys.Admin);
        return await ApiCalls.JsonAsync(response);
    }

    private static Dictionary<string, int> RowsPerTable(JsonNode export) =>
        export["tables"]!.AsArray().ToDictionary(t => t!["table"]!.GetValue<string>(), t => t!["rows"]!.AsArray().Count);

    private async Task<HttpResponseMessage> EraseAsync(string id, string? reason, string key = ApiTestKeys.Admin)
    {
        var body = new JsonObject { ["reason"] = reason };
        return await ApiCalls.PostAsync(_bed.Bot, $"/api/v1/people/{Uri.EscapeDataString(id)}/erasure", body, key);
    }

    private async Task<string> KpisAsync()
    {
        using var response = await ApiCalls.GetAsync(_bed.Bot, $"/api/v1/kpis?agreementId={_agreement}&period=2026-11");
        return KpiJson.Comparable(await ApiCalls.JsonAsync(response));
    }

    [Fact]
    public async Task Export_ListsThePersonInEveryTable_ErasureLeavesNoneOfTheirKeys_OnePseudonymousAudit_TimerCancelled_KpisUnchanged()
    {
        var (alexAsks, alexDecides, subscription) = await AlexEverywhereAsync();
        Assert.NotNull(await _bed.DigestTimerAsync(subscription));

        var export = await ExportAsync("alexw@example.com");
        var rows = RowsPerTable(export);
        foreach (var table in new[]
                 {
                     "conversation_references", "processed_activities", "outbox_messages", "approval_requests", "approval_stage_seats",
                     "approval_audit", "agreement_revisions", "escalations", "escalation_timeline", "escalation_survey_answers",
                     "digest_subscriptions", "digest_deliveries", "operations_audit",
                 })
        {
            Assert.True(rows.GetValueOrDefault(table) > 0, $"The export has no {table} rows: {string.Join(", ", rows.Select(r => $"{r.Key}={r.Value}"))}");
        }
        Assert.Equal(Cast.Alex.AadObjectId, export["person"]!.GetValue<string>());
        Assert.Contains("Restarted the relay.", export.ToJsonString(), StringComparison.Ordinal);
        Assert.NotEmpty(await PersonalDataScan.FindAsync(_bed.Bot, AlexKeys));

        var otherEscalation = await _bed.OpenAsync(_agreement, Domain.Agreements.Priority.P3, "Printer jam", Cast.Megan);
        await using (var db = _bed.Bot.CreateDbContext())
        {
            foreach (var id in await db.Escalations.Select(e => e.Id).ToListAsync())
                await _bed.WaitUntilNothingDueAsync(id);
        }
        var kpis = await KpisAsync();
        var before = await PersonalDataScan.FindAsync(_bed.Bot, AlexKeys);
        var (approvalsBefore, escalationsBefore) = (await TotalAsync("/api/v1/approvals"), await TotalAsync("/api/v1/escalations"));

        // Not the admin role: refused, nothing changed, nothing audited.
        using (var refused = await EraseAsync(Cast.Alex.AadObjectId, "Left the company", ApiTestKeys.Writer))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using (var refusedExport = await ApiCalls.GetAsync(_bed.Bot, $"/api/v1/people/{Cast.Alex.AadObjectId}/export", ApiTestKeys.Reader))
            Assert.Equal(HttpStatusCode.Forbidden, refusedExport.StatusCode);
        Assert.Equal(before, await PersonalDataScan.FindAsync(_bed.Bot, AlexKeys));
        Assert.Empty(await AuditAsync(ErasePersonalData.AuditAction));

        // A reason is required.
        using (var noReason = await EraseAsync(Cast.Alex.AadObjectId, " "))
            await ApiCalls.JsonAsync(noReason, HttpStatusCode.BadRequest);

        using var erased = await EraseAsync(Cast.Alex.AadObjectId, "Left the company; Alex Wilber asked on 1 Dec");
        var result = await ApiCalls.JsonAsync(erased);

        var pseudonym = result["pseudonym"]!.GetValue<string>();
        Assert.Matches(PseudonymPattern(), pseudonym);
        var mac = System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(PseudonymKey), System.Text.Encoding.UTF8.GetBytes(Cast.Alex.AadObjectId.ToLowerInvariant()));
        Assert.Equal("erased-" + Convert.ToHexStringLower(mac)[..12], pseudonym);
        Assert.Equal([alexDecides], result["awaitingDecision"]!.AsArray().Select(n => n!.GetValue<long>()));
        Assert.True(result["total"]!.GetValue<int>() > 0);
        Assert.Empty(await PersonalDataScan.FindAsync(_bed.Bot, AlexKeys));

        var audit = Assert.Single(await AuditAsync(ErasePersonalData.AuditAction));
        Assert.Equal(("api:ops", pseudonym, "done"), (audit.Actor, audit.Target, audit.Outcome));
        var detail = JsonNode.Parse(audit.Detail!)!;
        Assert.Equal($"Left the company; {pseudonym} asked on 1 Dec", detail["Reason"]!.GetValue<string>());
        Assert.True(detail["Counts"]!["escalations"]!.GetValue<int>() >= 3);
        Assert.Equal(result["counts"]!["escalations"]!.GetValue<int>(), detail["Counts"]!["escalations"]!.GetValue<int>());

        Assert.Null(await _bed.DigestTimerAsync(subscription));
        Assert.Null(await _bed.SubscriptionAsync(DigestRecipientKind.Person, Cast.Alex.AadObjectId));
        Assert.Equal(kpis, await KpisAsync());

        // The rest still works: listings, the other people's records, a new escalation.
        Assert.Equal((approvalsBefore, escalationsBefore), (await TotalAsync("/api/v1/approvals"), await TotalAsync("/api/v1/escalations")));
        using (var asked = await ApiCalls.GetAsync(_bed.Bot, $"/api/v1/approvals/{alexAsks}"))
            Assert.Equal(pseudonym, (await ApiCalls.JsonAsync(asked))["requester"]!.GetValue<string>());
        Assert.Equal("Printer jam", (await _bed.LoadAsync(otherEscalation.Id)).Title);

        var afterwards = await ExportAsync(Cast.Alex.AadObjectId);
        Assert.All(afterwards["tables"]!.AsArray(), t => Assert.Empty(t!["rows"]!.AsArray()));

        // A second erasure finds nothing, gives the same pseudonym and records that it changed nothing.
        using var again = await EraseAsync("alexw@example.com", "Asked twice");
        var second = await ApiCalls.JsonAsync(again);
        Assert.Equal((pseudonym, 0), (second["pseudonym"]!.GetValue<string>(), second["total"]!.GetValue<int>()));
        Assert.Equal(2, (await AuditAsync(ErasePersonalData.AuditAction)).Count);
        Assert.Equal(kpis, await KpisAsync());
    }

    private async Task<int> TotalAsync(string path)
    {
        using var response = await ApiCalls.GetAsync(_bed.Bot, path);
        return (await ApiCalls.JsonAsync(response))["total"]!.GetValue<int>();
    }

    private async Task<List<OperationsAuditEntry>> AuditAsync(string action)
    {
        await using var db = _bed.Bot.CreateDbContext();
        return await db.OperationsAudit.AsNoTracking().Where(a => a.Action == action).OrderBy(a => a.Id).ToListAsync();
    }
}

public sealed class SqlitePersonalDataTests : PersonalDataTests
{
    private protected override async Task<ITestDatabase> DatabaseAsync() => await new SqliteTestDatabases().CreateDatabaseAsync();
}

public sealed class PostgresPersonalDataTests(PostgresServerFixture postgres) : PersonalDataTests, IClassFixture<PostgresServerFixture>
{
    private protected override async Task<ITestDatabase> DatabaseAsync() => await postgres.CreateDatabaseAsync();
}

/// <summary>Erasure without <c>Privacy:PseudonymKey</c>, and an address nobody has.</summary>
public sealed class PersonalDataRefusalTests
{
    [Fact]
    public async Task Erasure_IsRefusedWith503AndChangesNothing_WithoutAPseudonymKey_AndUnknownAddressesAre404()
    {
        await using var bed = await EscalationTestBed.StartAsync(await new SqliteTestDatabases().CreateDatabaseAsync(), new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), ApiTestKeys.Settings());
        await bed.ChatWithAsync(Cast.Alex);

        using var refused = await ApiCalls.PostAsync(bed.Bot, $"/api/v1/people/{Cast.Alex.AadObjectId}/erasure", new JsonObject { ["reason"] = "x" }, ApiTestKeys.Admin);
        await ApiCalls.JsonAsync(refused, HttpStatusCode.ServiceUnavailable);
        Assert.NotEmpty(await PersonalDataScan.FindAsync(bed.Bot, PersonalDataTests.AlexKeys));

        using var unknown = await ApiCalls.GetAsync(bed.Bot, "/api/v1/people/nobody@example.com/export", ApiTestKeys.Admin);
        await ApiCalls.JsonAsync(unknown, HttpStatusCode.NotFound);
    }

}
