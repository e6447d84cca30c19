using System.Net;
using System.Text.Json.Nodes;
using ApprovalBot.Breaches;
using ApprovalBot.Breaches.Cards;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Breaches;
using ApprovalBot.Domain.Common;
using ApprovalBot.IntegrationTests.Api;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Escalations;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Scheduling;
using ApprovalBot.TestSupport;
using ApprovalBot.TestSupport.Connector;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalBot.IntegrationTests.Breaches;

/// <summary>
/// Data-protection incidents through the real endpoint, the real scheduler (Quartz on the bot's database) and a manual
/// clock. The agreement ("Contoso help desk", <see cref="EscalationAgreements.ActiveAsync"/>, overseen by Lynne) names
/// Megan as our data-protection contact and, at the provider, Adele (in Teams) and Priya Privacy (an e-mail and a phone
/// only), with a 72-hour notification deadline: a breach reported at <see cref="Start"/> warns at +36 h, +54 h and
/// +64 h 48 min, and its deadline is +72 h.
/// </summary>
public abstract class BreachClockTests(ITestDatabaseFactory databases) : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2026, 9, 25, 10, 0, 0, TimeSpan.Zero);

    protected static readonly DataProtectionTerms Contacts = new(
        [new ContactPoint("Megan Bowen", new PersonId(Cast.Megan.AadObjectId), "meganb@example.com", role: "Data protection officer")],
        [new ContactPoint("Adele Vance", new PersonId(Cast.Adele.AadObjectId), role: "Privacy lead"),
         new ContactPoint("Priya Privacy", email: "privacy@contoso.example", phone: "+1 555 0199", role: "Data protection officer")],
        TimeSpan.FromHours(72));

    protected ManualTimeProvider Clock { get; } = new(Start);

    protected ITestDatabase Database { get; private set; } = null!;

    protected BotTestHost Bot { get; set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await databases.CreateDatabaseAsync();
        Bot = await StartBotAsync();
    }

    public async Task DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Database.DisposeAsync();
    }

    protected Task<BotTestHost> StartBotAsync() => BotTestHost.StartAsync(new BotTestHostOptions
    {
        Database = Database,
        Time = Clock,
        Settings = ApiTestKeys.Settings(),
    });

    protected Task<long> ActiveAgreementAsync(string name = "Contoso help desk") =>
        EscalationAgreements.ActiveAsync(Database, Clock.GetUtcNow(), [Cast.Lynne], name: name, dataProtection: Contacts);

    protected async Task<DataBreach> LoadAsync(long id)
    {
        await using var db = Bot.CreateDbContext();
        return await db.DataBreaches.AsNoTracking().SingleAsync(b => b.Id == id);
    }

    /// <summary>
    /// The armed timer's due time once it is <paramref name="expected"/> (or what it is after 10 s): the bot arms the
    /// next step after the commit that sent the cards, so a card can arrive a moment before its timer is stored.
    /// </summary>
    protected async Task<DateTimeOffset?> ArmedDueAsync(long id, DateTimeOffset expected)
    {
        DateTimeOffset? due = null;
        try
        {
            await Bot.WaitUntilStoredAsync(async _ => (due = (await ArmedAsync(id))?.DueAt) == expected, "", TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // The assertion shows what is armed instead.
        }
        return due;
    }

    protected Task<ArmedTimer?> ArmedAsync(long id) =>
        Bot.Services.GetRequiredService<DurableTimers>().GetArmedAsync(BreachTimers.Kind, $"{id}", CancellationToken.None);

    protected async Task JumpToAsync(DateTimeOffset instant)
    {
        await Bot.WaitForOutboxToSettleAsync(); // a send in flight must not outlive its claim when the clock jumps
        Clock.SetUtcNow(instant);
    }

    protected static bool IsIncidentCard(JsonObject card) => TestConversation.Texts(card).Contains("Data-protection incident", StringComparison.Ordinal);

    protected static Func<JsonObject, bool> IsClockNotice(int percent) => card => TestConversation.Texts(card).Contains(
        percent == 100 ? "B-1: the notification deadline has passed" : $"B-1: {percent} % of the notification deadline used", StringComparison.Ordinal);

    protected static int Posts(BotTestHost bot, TestConversation chat, string text) => EscalationAgreements.PostsContaining(bot.Connector, chat.Id, text);

    [Fact]
    public async Task ABreach_NotifiesBothSidesAtOnce_WarnsAt50_75And90Percent_RecordsAcknowledgements_AndClosingStopsTheClock()
    {
        var agreementId = await ActiveAgreementAsync();
        var alex = await Bot.WelcomedChatAsync(Cast.Alex);
        var megan = await Bot.WelcomedChatAsync(Cast.Megan);
        var adele = await Bot.WelcomedChatAsync(Cast.Adele);

        await alex.SendAsync("breach Contoso help desk Backup tapes with customer records lost in transit");

        // The reporter's copy: reported, who was notified, and Priya (no Teams account) listed to call.
        var (_, reporterCard) = await alex.ExpectCardAsync(IsIncidentCard);
        var shown = TestConversation.Texts(reporterCard);
        Assert.Contains("Reported as B-1.", shown, StringComparison.Ordinal);
        Assert.Contains("Backup tapes with customer records lost in transit", shown, StringComparison.Ordinal);
        Assert.Contains("Not reachable in Teams: no Teams account on record. The reporter is to contact them directly: e-mail privacy@contoso.example, phone +1 555 0199.", shown, StringComparison.Ordinal);
        Assert.Contains("2026-09-28 10:00 UTC", shown, StringComparison.Ordinal);
        Assert.Empty(Cards.Verbs(reporterCard));   // the reporter is no contact: no Acknowledge
        // Both sides' contacts in Teams get the card at once, with Acknowledge.
        var (meganMessage, meganCard) = await megan.ExpectCardAsync(IsIncidentCard);
        var (adeleMessage, adeleCard) = await adele.ExpectCardAsync(IsIncidentCard);
        Assert.Equal([BreachVerbs.Acknowledge], Cards.Verbs(meganCard));
        Assert.Equal([BreachVerbs.Acknowledge], Cards.Verbs(adeleCard));

        var breach = await LoadAsync(1);
        Assert.Equal(agreementId, breach.AgreementId);
        Assert.Equal(
            [(BreachEventKind.Opened, null), (BreachEventKind.Notified, "Megan Bowen (our side)"), (BreachEventKind.Notified, "Adele Vance (provider)"), (BreachEventKind.Unreachable, "Priya Privacy (provider)")],
            breach.Events.Select(e => (e.Kind, e.Contact)));
        Assert.Equal(Start.AddHours(36), await ArmedDueAsync(1, Start.AddHours(36)));
        var (_, ops) = await new Operations.OpsClient(Bot, apiKey: ApiTestKeys.Admin).GetJsonAsync();
        Assert.Contains(ops!["timers"]!["nextDue"]!.AsArray(), d => d!["kind"]!.GetValue<string>() == BreachTimers.Kind
            && d["label"]?.GetValue<string>() == "Data breach B-1 · Contoso help desk"); // the operations page names the incident

        // Someone who is no contact clicks Acknowledge on a forwarded card: a clear message, nothing changes.
        var foreign = await megan.ClickAsync(meganMessage.ActivityId, BreachVerbs.Acknowledge, Cards.Click(meganCard, BreachVerbs.Acknowledge), from: Cast.Alex);
        Assert.Contains("Only the data-protection contacts of 'Contoso help desk'", TestConversation.Texts(foreign.Card), StringComparison.Ordinal);
        Assert.Equal(breach.Version, (await LoadAsync(1)).Version);

        // Megan acknowledges: recorded, and every copy shows it in place.
        Clock.Advance(TimeSpan.FromMinutes(20));
        var acknowledged = await megan.ClickAsync(meganMessage.ActivityId, BreachVerbs.Acknowledge, Cards.Click(meganCard, BreachVerbs.Acknowledge));
        Assert.Contains("Acknowledged at 2026-09-25 10:20 UTC.", TestConversation.Texts(acknowledged.Card), StringComparison.Ordinal);
        Assert.Empty(Cards.Verbs(acknowledged.Card));
        // Adele's copy is updated in place: waited for as it arrives (read once after the outbox settled, CI once saw it
        // without the acknowledgement), then read.
        await Bot.Connector.WaitForAsync(r => r.Operation == FakeOperation.UpdateActivity && r.ActivityId == adeleMessage.ActivityId
                                              && r.Activity is { } update
                                              && TestConversation.Texts(TestConversation.CardOf(update)).Contains("Acknowledged by Megan Bowen at 2026-09-25 10:20 UTC", StringComparison.Ordinal));
        await Bot.WaitForOutboxToSettleAsync();
        var adeleCopy = TestConversation.CardOf(Bot.Connector.GetMessage(adele.Id, adeleMessage.ActivityId)!.Current);
        Assert.Contains("Acknowledged by Megan Bowen at 2026-09-25 10:20 UTC", TestConversation.Texts(adeleCopy), StringComparison.Ordinal);
        Assert.Equal([BreachVerbs.Acknowledge], Cards.Verbs(adeleCopy));   // Adele has not acknowledged yet
        Assert.Equal(Start.AddMinutes(20), (await LoadAsync(1)).AcknowledgedAt(new PersonId(Cast.Megan.AadObjectId)));
        // A second click on the old card: a clear message, nothing changes.
        var again = await megan.ClickAsync(meganMessage.ActivityId, BreachVerbs.Acknowledge, Cards.Click(meganCard, BreachVerbs.Acknowledge));
        Assert.Contains("You acknowledged incident B-1 at 2026-09-25 10:20 UTC already.", TestConversation.Texts(again.Card), StringComparison.Ordinal);

        // The clock: 50, 75 and 90 % to the reporter and both contacts in Teams, each at its instant and once.
        foreach (var (percent, at) in new[] { (50, Start.AddHours(36)), (75, Start.AddHours(54)), (90, Start.AddMinutes(3888)) })
        {
            await JumpToAsync(at.AddSeconds(-1));
            Assert.Equal(0, Posts(Bot, alex, IsClockNoticeText(percent)));
            await JumpToAsync(at);
            foreach (var chat in new[] { alex, megan, adele }) await chat.ExpectCardWhileTickingAsync(Clock, IsClockNotice(percent));
        }
        var warned = await LoadAsync(1);
        Assert.Equal([Start.AddHours(36), Start.AddHours(54), Start.AddMinutes(3888)], warned.Events.Where(e => e.Kind == BreachEventKind.Warning).Select(e => e.At));
        Assert.Equal(Start.AddHours(72), await ArmedDueAsync(1, Start.AddHours(72)));

        // Closing stops the clock: no timer left, no deadline notice.
        await alex.SendAsync("breach close B-1 Supervisory authority notified; provider confirmed");
        var (_, closedCard) = await alex.ExpectCardAsync(c => TestConversation.Texts(c).Contains("Closed: the notification clock of B-1 stopped.", StringComparison.Ordinal));
        Assert.Contains("Closed at 2026-09-28 02:48 UTC by Alex Wilber: Supervisory authority notified; provider confirmed", TestConversation.Texts(closedCard), StringComparison.Ordinal);
        Assert.Null(await ArmedAsync(1));
        await JumpToAsync(Start.AddHours(73));
        await Bot.WaitForOutboxToSettleAsync();
        Assert.Equal(0, Posts(Bot, alex, "the notification deadline has passed"));
        var closed = await LoadAsync(1);
        Assert.Equal((BreachState.Closed, 90), (closed.State, closed.ClockPercent));

        // The timeline export, JSON and CSV: every event in order.
        var json = await ApiCalls.JsonAsync(await ApiCalls.GetAsync(Bot, "/api/v1/breaches/1/timeline"));
        Assert.Equal("B-1", json["reference"]!.GetValue<string>());
        Assert.Equal(
            ["Opened", "Notified", "Notified", "Unreachable", "Acknowledged", "Warning", "Warning", "Warning", "Closed"],
            json["events"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()));
        Assert.Equal("Megan Bowen", json["events"]![4]!["actorName"]!.GetValue<string>());
        using var csvResponse = await ApiCalls.GetAsync(Bot, "/api/v1/breaches/1/timeline?format=csv");
        Assert.Equal(HttpStatusCode.OK, csvResponse.StatusCode);
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType!.MediaType);
        var lines = (await csvResponse.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("incident,agreement,sequence,at,kind,actor,actorName,contact,percent,detail", lines[0]);
        Assert.Equal(10, lines.Length);
        Assert.StartsWith("B-1,Contoso help desk,6,2026-09-26T22:00:00.000Z,Warning,,,,50,", lines[6], StringComparison.Ordinal);
        Assert.Contains("Unreachable", lines[4], StringComparison.Ordinal);
    }

    protected static string IsClockNoticeText(int percent) => $"B-1: {percent} % of the notification deadline used";
}

public sealed class SqliteBreachClockTests() : BreachClockTests(new SqliteTestDatabases())
{
    [Fact]
    public async Task ARestartAcrossAWarning_FiresItOnce_AtStartUp()
    {
        await ActiveAgreementAsync();
        var alex = await Bot.WelcomedChatAsync(Cast.Alex);
        var megan = await Bot.WelcomedChatAsync(Cast.Megan);
        await alex.SendAsync("breach Contoso Laptop with payroll data stolen");
        await megan.ExpectCardAsync(IsIncidentCard);
        await Bot.WaitForOutboxToSettleAsync();
        Assert.Equal(Start.AddHours(36), await ArmedDueAsync(1, Start.AddHours(36)));
        await Bot.DisposeAsync();

        // Nobody runs while the 50 % instant passes. (The new host has its own fake connector: what it stages is read
        // from the outbox, where each message has a dedupe key naming the incident, the step and the person.)
        Clock.SetUtcNow(Start.AddHours(40));
        Bot = await StartBotAsync();

        await Clock.TickUntilAsync(async () => (await ArmedAsync(1))?.DueAt == Start.AddHours(54), () => "the 75 % step is not armed");
        // Let the auditor pass too: still one warning, one message per person.
        await Bot.Services.GetRequiredService<BreachTimerAuditor>().AuditAsync(CancellationToken.None);
        await Clock.TickUntilAsync(async () => (await ArmedAsync(1))?.DueAt == Start.AddHours(54), () => "the 75 % step is not armed");
        var breach = await LoadAsync(1);
        Assert.Equal(Start.AddHours(36), Assert.Single(breach.Events, e => e.Kind == BreachEventKind.Warning).At);
        Assert.Equal(50, breach.ClockPercent);
        await using var db = Bot.CreateDbContext();
        var warnings = await db.OutboxMessages.AsNoTracking().Where(m => m.DedupeKey.StartsWith("data-breach:1:clock:50:to:")).Select(m => m.DedupeKey).ToListAsync();
        string[] expected = [.. new[] { Cast.Alex, Cast.Megan, Cast.Adele }.Select(u => $"data-breach:1:clock:50:to:{u.AadObjectId}")];
        Assert.Equal(expected.Order(StringComparer.Ordinal), warnings.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TheApi_ReportsAcknowledgesAndCloses_AndRefusesWhatItMustWithoutChangingAnything()
    {
        var agreementId = await ActiveAgreementAsync();
        var alex = await Bot.WelcomedChatAsync(Cast.Alex);
        var megan = await Bot.WelcomedChatAsync(Cast.Megan);

        // Unknown agreement, blank summary: nothing stored.
        using (var unknown = await ApiCalls.PostAsync(Bot, "/api/v1/agreements/999/breaches", new JsonObject { ["reportedBy"] = "alexw@example.com", ["summary"] = "x" }))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using (var blank = await ApiCalls.PostAsync(Bot, $"/api/v1/agreements/{agreementId}/breaches", new JsonObject { ["reportedBy"] = "alexw@example.com", ["summary"] = " " }))
            Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);

        using var created = await ApiCalls.PostAsync(Bot, $"/api/v1/agreements/{agreementId}/breaches",
            new JsonObject { ["reportedBy"] = "alexw@example.com", ["summary"] = "Mailbox export sent to the wrong customer" });
        var dto = await ApiCalls.JsonAsync(created, HttpStatusCode.Created);
        Assert.Equal((1, "Open", 4320), (dto["id"]!.GetValue<long>(), dto["state"]!.GetValue<string>(), dto["notificationDeadlineMinutes"]!.GetValue<int>()));
        var priya = dto["contacts"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "Priya Privacy")!;
        Assert.Null(priya["notifiedAt"]);
        Assert.Contains("no Teams account on record", priya["unreachable"]!.GetValue<string>(), StringComparison.Ordinal);
        // Reported through the API: the reporter gets a copy in Teams too, and the contacts theirs.
        await alex.ExpectCardAsync(IsIncidentCard);
        await megan.ExpectCardAsync(IsIncidentCard);

        // Not a contact: 403, nothing recorded.
        using (var forbidden = await ApiCalls.PostAsync(Bot, "/api/v1/breaches/1/acknowledge", new JsonObject { ["by"] = "alexw@example.com" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
            Assert.Equal("breach.forbidden", (await ApiCalls.JsonAsync(forbidden, HttpStatusCode.Forbidden))["code"]!.GetValue<string>());
        }
        using (var acknowledge = await ApiCalls.PostAsync(Bot, "/api/v1/breaches/1/acknowledge", new JsonObject { ["by"] = "adelev@example.com" }))
            Assert.NotNull((await ApiCalls.JsonAsync(acknowledge))["contacts"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "Adele Vance")!["acknowledgedAt"]);
        using (var twice = await ApiCalls.PostAsync(Bot, "/api/v1/breaches/1/acknowledge", new JsonObject { ["by"] = "adelev@example.com" }))
            Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        using (var outsider = await ApiCalls.PostAsync(Bot, "/api/v1/breaches/1/close", new JsonObject { ["by"] = Cast.Isaiah.AadObjectId, ["note"] = "Done" }))
            Assert.Equal(HttpStatusCode.Forbidden, outsider.StatusCode);
        using (var close = await ApiCalls.PostAsync(Bot, "/api/v1/breaches/1/close", new JsonObject { ["by"] = Cast.Lynne.AadObjectId, ["note"] = "Customer informed" }))
            Assert.Equal("Closed", (await ApiCalls.JsonAsync(close))["state"]!.GetValue<string>());
        Assert.Null(await ArmedAsync(1));

        var list = await ApiCalls.JsonAsync(await ApiCalls.GetAsync(Bot, $"/api/v1/agreements/{agreementId}/breaches"));
        Assert.Equal(
            ["Opened", "Notified", "Notified", "Unreachable", "Acknowledged", "Closed"],
            list.AsArray().Single()!["events"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()));
    }

    [Fact]
    public async Task TheCommand_Refuses_AnUnknownOrEndedAgreement_AndAStaleClose_WithAClearMessage()
    {
        var agreementId = await ActiveAgreementAsync();
        var alex = await Bot.WelcomedChatAsync(Cast.Alex);

        await alex.SendAsync("breach Northwind Laptop stolen");
        var (_, unknown) = await alex.ExpectCardAsync();
        Assert.Contains("No active agreement is called 'Northwind'", TestConversation.Texts(unknown), StringComparison.Ordinal);

        await alex.SendAsync("breach close B-7 Done");
        var (_, missing) = await alex.ExpectCardAsync();
        Assert.Contains("There is no incident B-7.", TestConversation.Texts(missing), StringComparison.Ordinal);

        await using (var db = Bot.CreateDbContext())
        {
            var agreement = await db.Agreements.SingleAsync(a => a.Id == agreementId);
            agreement.Terminate("Provider insolvency", new PersonId(Cast.Lynne.AadObjectId), Clock.GetUtcNow());
            await db.SaveChangesAsync();
        }
        await alex.SendAsync("breach Contoso help desk Laptop stolen");
        var (_, ended) = await alex.ExpectCardAsync();
        Assert.Contains("Agreement 'Contoso help desk' was terminated on", TestConversation.Texts(ended), StringComparison.Ordinal);
        await using var check = Bot.CreateDbContext();
        Assert.False(await check.DataBreaches.AnyAsync());
    }
}

public sealed class PostgresBreachClockTests(PostgresServerFixture postgres)
    : BreachClockTests(postgres), IClassFixture<PostgresServerFixture>;
