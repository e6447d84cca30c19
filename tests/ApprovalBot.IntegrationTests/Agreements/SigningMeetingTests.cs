using System.Net;
using System.Text.Json.Nodes;
using ApprovalBot.Agreements.Signing;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Calendars;
using ApprovalBot.Domain.Common;
using ApprovalBot.IntegrationTests.Api;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.IntegrationTests.Storage;
using ApprovalBot.Scheduling;
using ApprovalBot.Storage;
using ApprovalBot.TestSupport;
using ApprovalBot.TestSupport.Connector;
using ApprovalBot.TestSupport.Graph;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalBot.IntegrationTests.Agreements;

/// <summary>
/// "Contoso help desk", approved and awaiting the signatures of Patti (Management) and Megan (the provider's signatory),
/// overseen by Alex; stored directly (the approval flow has its own tests). Its signing hash is its terms' (no final
/// contract).
/// </summary>
internal static class SigningMeetingAgreements
{
    public static async Task<long> AwaitingAsync(ITestDatabase database, DateTimeOffset now)
    {
        var terms = SampleTerms.Complete() with { OversightOwners = [new PersonId(Cast.Alex.AadObjectId)] };
        var agreement = Agreement.CreateDraft("Contoso help desk", terms, People.Alice, now.AddDays(-3));
        var directory = TestDirectory.Standard();
        var calendar = BusinessCalendar.TwentyFourSeven("UTC");
        var request = await AgreementApproval.SubmitAsync(agreement, BuiltInFlows.Agreement(), People.Alice, null, directory, calendar, now.AddDays(-2));
        var (hash, source, document) = AgreementSigning.HashOf(agreement.CurrentRevision);
        var signing = new SigningRequirement([new PersonId(Cast.Patti.AadObjectId), new PersonId(Cast.Megan.AadObjectId)], hash, source, document);
        foreach (var approver in new[] { People.Bob, People.Lena, People.Mia })
        {
            (await request.ApproveAsync(approver, request.CurrentCard, null, directory, calendar, now.AddDays(-1))).ThrowIfRefused();
            agreement.ApplyApprovalOutcome(request, signing, now.AddDays(-1));
        }
        Assert.Equal(AgreementStatus.AwaitingSignatures, agreement.Status);
        await using var db = database.CreateContext();
        db.Agreements.Add(agreement);
        await db.SaveChangesAsync();
        return agreement.Id;
    }

    public static string Texts(JsonObject card) => TestConversation.Texts(card);

    public static bool IsSigningCard(JsonObject card) => Cards.Verbs(card).Contains(SigningVerbs.Sign);

    /// <summary>Sends the signing cards as the final approval would (the seeded agreement skipped it).</summary>
    public static async Task StageSigningCardsAsync(BotTestHost bot, long id)
    {
        await using var scope = bot.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var agreement = await db.Agreements.SingleAsync(a => a.Id == id);
        await scope.ServiceProvider.GetRequiredService<SigningMessages>().StageSigningCardsAsync(agreement, CancellationToken.None);
        await db.SaveChangesAsync();
    }

    public static async Task<SigningMeeting> MeetingAsync(BotTestHost bot, long agreementId)
    {
        await using var db = bot.CreateDbContext();
        return await db.SigningMeetings.AsNoTracking().Where(m => m.AgreementId == agreementId).OrderByDescending(m => m.Id).FirstAsync();
    }

    public static Task<ArmedTimer?> ArmedAsync(BotTestHost bot, string kind, long meetingId) =>
        bot.Services.GetRequiredService<DurableTimers>().GetArmedAsync(kind, $"{meetingId}", CancellationToken.None);
}

/// <summary>
/// The signing meeting in file-directory mode through the real endpoint, the real scheduler and a manual clock, in the
/// bot's zone Europe/Berlin: the meeting on Sunday 2026-03-29 at 10:00 (the morning summer time starts; 08:00 UTC), so the
/// reminder "1 day" before is Saturday 10:00 CET (09:00 UTC, 23 hours earlier) and the one "1 hour" before 07:00 UTC.
/// </summary>
public abstract class SigningMeetingTests(ITestDatabaseFactory databases) : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2026, 3, 20, 9, 0, 0, TimeSpan.Zero);
    protected static readonly DateTimeOffset MeetingAt = new(2026, 3, 29, 8, 0, 0, TimeSpan.Zero);
    protected static readonly DateTimeOffset DayBefore = new(2026, 3, 28, 9, 0, 0, TimeSpan.Zero);
    protected static readonly DateTimeOffset HourBefore = new(2026, 3, 29, 7, 0, 0, TimeSpan.Zero);
    protected const string Schedule = "signing meeting Contoso help desk 2026-03-29 10:00 1h Board room 2";

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

    protected Task<BotTestHost> StartBotAsync()
    {
        var settings = ApiTestKeys.Settings();
        settings["Approvals:TimeZone"] = "Europe/Berlin";
        return BotTestHost.StartAsync(new BotTestHostOptions { Database = Database, Time = Clock, Settings = settings });
    }

    protected Task<SigningMeeting> MeetingAsync(long agreementId) => SigningMeetingAgreements.MeetingAsync(Bot, agreementId);

    protected Task<ArmedTimer?> ReminderArmedAsync(long meetingId) => SigningMeetingAgreements.ArmedAsync(Bot, SigningMeetingTimers.ReminderKind, meetingId);

    protected static string Texts(JsonObject card) => TestConversation.Texts(card);

    protected static string Hash(Agreement agreement) => agreement.SigningHash!;

    protected async Task<Agreement> LoadAsync(long id)
    {
        await using var db = Bot.CreateDbContext();
        return await db.Agreements.AsNoTracking().SingleAsync(a => a.Id == id);
    }

    [Fact]
    public async Task Command_SchedulesTheMeeting_TellsEachSignatory_AndTheRemindersComeAtTheLeadTimes_AcrossARestart()
    {
        var id = await SigningMeetingAgreements.AwaitingAsync(Database, Start);
        var hash = Hash(await LoadAsync(id));
        var alex = await Bot.WelcomedChatAsync(Cast.Alex);
        var patti = await Bot.WelcomedChatAsync(Cast.Patti);
        var megan = await Bot.WelcomedChatAsync(Cast.Megan);

        Assert.Equal(HttpStatusCode.OK, (await alex.SendAsync(Schedule)).Status);
        var (_, reply) = await alex.ExpectCardWhileTickingAsync(Clock);
        Assert.Contains("Scheduled the signing meeting of Contoso help desk for 2026-03-29 10:00 (Europe/Berlin)", Texts(reply), StringComparison.Ordinal);
        foreach (var chat in new[] { patti, megan })
        {
            var (_, notice) = await chat.ExpectCardWhileTickingAsync(Clock, c => Texts(c).Contains("Signing meeting: Contoso help desk", StringComparison.Ordinal));
            var texts = Texts(notice);
            Assert.Contains("Alex Wilber scheduled the signing meeting of Contoso help desk for 2026-03-29 10:00 (Europe/Berlin)", texts, StringComparison.Ordinal);
            Assert.Contains("Board room 2", texts, StringComparison.Ordinal);
            Assert.Contains(hash, texts, StringComparison.Ordinal);
        }
        var meeting = await MeetingAsync(id);
        Assert.Equal([Cast.Patti.AadObjectId, Cast.Megan.AadObjectId], meeting.Attendees.Select(a => a.Value));
        Assert.Equal((MeetingAt, TimeSpan.FromHours(1), "Board room 2", (string?)null), (meeting.StartsAt, meeting.Duration, meeting.Notes, meeting.Organizer));
        await Bot.WaitForOutboxToSettleAsync();
        Assert.Equal(DayBefore, (await ReminderArmedAsync(meeting.Id))!.DueAt);

        // The bot is down while the first reminder falls due; it sends it once at start-up. (The new host has its own
        // fake connector: what it stages is read from the outbox, where each reminder's dedupe key names the meeting,
        // the reminder's instant and the person.)
        await Bot.DisposeAsync();
        Clock.SetUtcNow(DayBefore.AddHours(3));
        Bot = await StartBotAsync();
        await Clock.TickUntilAsync(async () => (await ReminderArmedAsync(meeting.Id))?.DueAt == HourBefore, () => "the 1 h reminder is not armed");
        await Bot.Services.GetRequiredService<SigningMeetingAuditor>().AuditAsync(CancellationToken.None);
        await Clock.TickUntilAsync(async () => (await ReminderArmedAsync(meeting.Id))?.DueAt == HourBefore, () => "the 1 h reminder is not armed");
        await using (var db = Bot.CreateDbContext())
        {
            var prefix = $"signing-meeting:{meeting.Id}:reminder:";
            var keys = await db.OutboxMessages.AsNoTracking().Where(m => m.DedupeKey.StartsWith(prefix)).Select(m => m.DedupeKey).ToListAsync();
            string[] expected = [.. new[] { Cast.Patti, Cast.Megan }.Select(u => $"{prefix}{DayBefore.ToUnixTimeSeconds()}:to:{u.AadObjectId}")];
            Assert.Equal(expected.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
        }

        // The 1 h reminder reaches the attendees in chat (they talk to the new host, in new chats: the old ones still hold
        // the messages staged for the old host's connector), and then nothing is armed.
        patti = Bot.PersonalChat(Cast.Patti, "a:personal-29:patti-after-restart");
        megan = Bot.PersonalChat(Cast.Megan, "a:personal-29:megan-after-restart");
        foreach (var chat in new[] { patti, megan })
        {
            await chat.InstallAsync();
            await chat.ExpectCardWhileTickingAsync(Clock);
        }
        Clock.SetUtcNow(HourBefore);
        foreach (var chat in new[] { patti, megan })
        {
            var (_, reminder) = await chat.ExpectCardWhileTickingAsync(Clock, c => Texts(c).Contains("Signing meeting in 1 h", StringComparison.Ordinal));
            Assert.Contains("the signing meeting of Contoso help desk starts in 1 h, at 2026-03-29 10:00 (Europe/Berlin)", Texts(reminder), StringComparison.Ordinal);
            Assert.Contains(hash, Texts(reminder), StringComparison.Ordinal);
        }
        await Clock.TickUntilAsync(async () => await ReminderArmedAsync(meeting.Id) is null, () => "a reminder is still armed");
        Assert.Equal(HourBefore, (await MeetingAsync(id)).RemindedThrough);
    }

    [Fact]
    public async Task BadInputAndOutsiders_AreRefusedWithTheUsage_ChangingNothing_ThenTheApiMovesIt_AndCancelStopsTheReminders()
    {
        var id = await SigningMeetingAgreements.AwaitingAsync(Database, Start);
        var alex = await Bot.WelcomedChatAsync(Cast.Alex);
        var isaiah = await Bot.WelcomedChatAsync(Cast.Isaiah);
        var patti = await Bot.WelcomedChatAsync(Cast.Patti);
        var megan = await Bot.WelcomedChatAsync(Cast.Megan);

        await isaiah.SendAsync(Schedule);   // Legal: neither the requester, an oversight owner nor Management
        var (_, outsider) = await isaiah.ExpectCardAsync();
        Assert.Contains("Only the requester of 'Contoso help desk', its oversight owners and Management can schedule", Texts(outsider), StringComparison.Ordinal);
        Assert.Contains("signing meeting <agreement> <yyyy-MM-dd HH:mm> [duration] [notes]", Texts(outsider), StringComparison.Ordinal);
        foreach (var (text, error) in new[]
                 {
                     ("signing meeting Contoso help desk 2026-03-19 10:00", "is in the past"),
                     ("signing meeting Contoso help desk 2026-03-29 02:30", "2026-03-29 02:30 does not exist in Europe/Berlin"),
                     ("signing meeting Contoso help desk 2026-03-29 10:00 13h", "The duration must be whole minutes from 5 min to 12 h"),
                     ("signing meeting Fabrikam 2026-03-29 10:00", "No agreement awaiting signatures is called 'Fabrikam'"),
                     ("signing meeting Contoso help desk tomorrow", "Give the date and time of the meeting"),
                     ("signing meeting Contoso help desk cancel", "has no signing meeting scheduled"),
                 })
        {
            await alex.SendAsync(text);
            var (_, answer) = await alex.ExpectCardAsync();
            Assert.Contains(error, Texts(answer), StringComparison.Ordinal);
            Assert.Contains("signing meeting <agreement> cancel", Texts(answer), StringComparison.Ordinal);
        }
        await using (var db = Bot.CreateDbContext())
        {
            Assert.False(await db.SigningMeetings.AnyAsync());
            var refused = await db.AgreementEvents.AsNoTracking().Where(e => e.AgreementId == id && e.Kind == AgreementEventKind.Refused).ToListAsync();
            Assert.Contains(refused, e => e.Actor!.Value.Value == Cast.Isaiah.AadObjectId && e.Action == ScheduleSigningMeeting.AuditAction && e.Code == "signing_meeting.forbidden");
        }

        await alex.SendAsync(Schedule);
        await alex.ExpectCardWhileTickingAsync(Clock);
        await patti.ExpectCardWhileTickingAsync(Clock, c => Texts(c).Contains("Signing meeting: Contoso help desk", StringComparison.Ordinal));
        await megan.ExpectCardWhileTickingAsync(Clock, c => Texts(c).Contains("Signing meeting: Contoso help desk", StringComparison.Ordinal));
        var meetingId = (await MeetingAsync(id)).Id;

        // The operations page names the reminder timer.
        var (status, ops) = await new Operations.OpsClient(Bot, apiKey: ApiTestKeys.Admin).GetJsonAsync();
        Assert.Equal(HttpStatusCode.OK, status);
        var due = ops!["timers"]!["nextDue"]!.AsArray().Single(d => d!["kind"]!.GetValue<string>() == SigningMeetingTimers.ReminderKind)!;
        Assert.Equal(($"{meetingId}", "Signing meeting reminder · Contoso help desk", DayBefore),
            (due["subjectId"]!.GetValue<string>(), due["label"]!.GetValue<string>(), due["dueAt"]!.GetValue<DateTimeOffset>()));

        // The API: bad input 400, an outsider 409, no such agreement 404; Patti (Management) moves it.
        using (var bad = await ApiCalls.PostAsync(Bot, $"/api/v1/agreements/{id}/signing-meeting", new JsonObject { ["by"] = ApiCalls.Patti, ["start"] = "tomorrow" }))
            Assert.Contains("start", (await ApiCalls.JsonAsync(bad, HttpStatusCode.BadRequest))["errors"]!.AsObject().Select(e => e.Key));
        using (var forbidden = await ApiCalls.PostAsync(Bot, $"/api/v1/agreements/{id}/signing-meeting", new JsonObject { ["by"] = ApiCalls.Isaiah, ["start"] = "2026-03-30 15:00" }))
            Assert.Equal("signing_meeting.forbidden", (await ApiCalls.JsonAsync(forbidden, HttpStatusCode.Conflict))["code"]!.GetValue<string>());
        using (var missing = await ApiCalls.PostAsync(Bot, "/api/v1/agreements/999/signing-meeting", new JsonObject { ["by"] = ApiCalls.Patti, ["start"] = "2026-03-30 15:00" }))
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var moved = await ApiCalls.PostAsync(Bot, $"/api/v1/agreements/{id}/signing-meeting",
            new JsonObject { ["by"] = ApiCalls.Patti, ["start"] = "2026-03-30 15:00", ["durationMinutes"] = 45 });
        var dto = await ApiCalls.JsonAsync(moved);
        Assert.Equal((meetingId, "Scheduled", "2026-03-30 15:00", "Europe/Berlin", 45, "Board room 2", "none"),
            (dto["id"]!.GetValue<long>(), dto["state"]!.GetValue<string>(), dto["localStart"]!.GetValue<string>(), dto["timeZone"]!.GetValue<string>(),
             dto["durationMinutes"]!.GetValue<int>(), dto["notes"]!.GetValue<string>(), dto["calendar"]!.GetValue<string>()));
        // 15:00 CEST is 13:00 UTC; a day before, also in summer time, 13:00 UTC; an hour before 12:00 UTC.
        Assert.Equal([new DateTimeOffset(2026, 3, 29, 13, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 30, 12, 0, 0, TimeSpan.Zero)],
            dto["reminders"]!.AsArray().Select(r => r!.GetValue<DateTimeOffset>()));
        var (_, movedNotice) = await megan.ExpectCardWhileTickingAsync(Clock, c => Texts(c).Contains("Signing meeting moved: Contoso help desk", StringComparison.Ordinal));
        Assert.Contains("Patti Fernandez moved the signing meeting of Contoso help desk to 2026-03-30 15:00 (Europe/Berlin)", Texts(movedNotice), StringComparison.Ordinal);
        await Bot.WaitForOutboxToSettleAsync();
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 13, 0, 0, TimeSpan.Zero), (await ReminderArmedAsync(meetingId))!.DueAt);

        await alex.SendAsync("signing meeting contoso cancel");
        var (_, cancelled) = await alex.ExpectCardWhileTickingAsync(Clock);
        Assert.Contains("Cancelled the signing meeting of Contoso help desk (2026-03-30 15:00 (Europe/Berlin))", Texts(cancelled), StringComparison.Ordinal);
        await patti.ExpectCardWhileTickingAsync(Clock, c => Texts(c).Contains("Signing meeting cancelled: Contoso help desk", StringComparison.Ordinal));
        Assert.Equal(SigningMeetingState.Cancelled, (await MeetingAsync(id)).State);
        Assert.Null(await ReminderArmedAsync(meetingId));
    }

    [Fact]
    public async Task TheSigningCards_ShowTheMeeting_AndTheLastSignature_ClosesItAndItsReminders()
    {
        var id = await SigningMeetingAgreements.AwaitingAsync(Database, Start);
        var alex = await Bot.WelcomedChatAsync(Cast.Alex);
        var patti = await Bot.WelcomedChatAsync(Cast.Patti);
        var megan = await Bot.WelcomedChatAsync(Cast.Megan);
        await SigningMeetingAgreements.StageSigningCardsAsync(Bot, id);
        var (pattiCopy, pattiCard) = await patti.ExpectCardAsync(SigningMeetingAgreements.IsSigningCard);
        var (meganCopy, meganCard) = await megan.ExpectCardAsync(SigningMeetingAgreements.IsSigningCard);
        Assert.DoesNotContain("Signing meeting", Texts(pattiCard), StringComparison.Ordinal);

        await alex.SendAsync(Schedule);
        await alex.ExpectCardWhileTickingAsync(Clock);
        foreach (var (chat, copy) in new[] { (patti, pattiCopy), (megan, meganCopy) })
        {
            // Each copy is updated through the outbox; wait for the update rather than reading it once.
            await Clock.TickUntilAsync(() => Task.FromResult(Texts(TestConversation.CardOf(Bot.Connector.GetMessage(chat.Id, copy.ActivityId)!.Current)!)
                .Contains("Signing meeting", StringComparison.Ordinal)), () => $"the signing card in {chat.Id} does not show the meeting");
            var card = TestConversation.CardOf(Bot.Connector.GetMessage(chat.Id, copy.ActivityId)!.Current)!;
            Assert.Contains("2026-03-29 10:00 (Europe/Berlin), 1 h", Texts(card), StringComparison.Ordinal);
            Assert.Contains("Board room 2", Texts(card), StringComparison.Ordinal);
            Assert.Contains(SigningVerbs.Sign, Cards.Verbs(card));
        }
        var meetingId = (await MeetingAsync(id)).Id;

        var data = Cards.Click(pattiCard, SigningVerbs.Sign);
        data[SigningVerbs.TypedNameInput] = "Patti Fernandez";
        Assert.Equal(HttpStatusCode.OK, (await patti.ClickAsync(pattiCopy.ActivityId, SigningVerbs.Sign, data)).Status);
        data = Cards.Click(meganCard, SigningVerbs.Sign);
        data[SigningVerbs.TypedNameInput] = "Megan Bowen";
        Assert.Equal(HttpStatusCode.OK, (await megan.ClickAsync(meganCopy.ActivityId, SigningVerbs.Sign, data)).Status);
        Assert.Equal(AgreementStatus.Active, (await LoadAsync(id)).Status);

        // The activation nudges the auditor: the meeting closes and no reminder is left.
        SigningMeeting meeting = null!;
        await Clock.TickUntilAsync(async () => (meeting = await MeetingAsync(id)).State == SigningMeetingState.Closed, () => $"the meeting is {meeting.State}");
        Assert.Contains("is Active", meeting.EndReason, StringComparison.Ordinal);
        await Clock.TickUntilAsync(async () => await ReminderArmedAsync(meetingId) is null, () => "a reminder is still armed");
    }
}

public sealed class SqliteSigningMeetingTests() : SigningMeetingTests(new SqliteTestDatabases());

public sealed class PostgresSigningMeetingTests(PostgresServerFixture postgres)
    : SigningMeetingTests(postgres), IClassFixture<PostgresServerFixture>;

/// <summary>
/// The signing meeting with Microsoft Graph as the directory (the fake Graph over real HTTPS) and an organizer: the bot
/// creates the event in the organizer's calendar through a durable timer, moves it, cancels it, and survives Graph being
/// unavailable without losing the meeting or making a second event.
/// </summary>
public sealed class GraphSigningMeetingTests : IAsyncLifetime
{
    private const string OrganizerId = "6e1c0a52-0000-4000-8000-0000000000aa";
    private const string Organizer = "signing@contoso.test";
    private static readonly DateTimeOffset Start = new(2026, 3, 20, 9, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _clock = new(Start);
    private FakeEntraTokenEndpoint _graphEntra = null!;
    private FakeGraphServer _graph = null!;
    private ITestDatabase _database = null!;
    private BotTestHost _bot = null!;

    public async Task InitializeAsync()
    {
        _graphEntra = await FakeEntraTokenEndpoint.StartAsync(clientId: ApprovalBot.TestSupport.Auth.TestTokenIssuer.DefaultAppId);
        _graph = await FakeGraphServer.StartAsync(_graphEntra);
        _graph.AddUser(new FakeGraphUser(Cast.Alex.AadObjectId, "Alex Wilber", "alexw@contoso.test"));
        _graph.AddUser(new FakeGraphUser(Cast.Megan.AadObjectId, "Megan Bowen", "meganb@contoso.test"));
        _graph.AddUser(new FakeGraphUser(Cast.Patti.AadObjectId, "Patti Fernandez", "pattif@contoso.test"));
        _graph.AddUser(new FakeGraphUser(OrganizerId, "Signing Room", Organizer, Organizer) { TimeZone = "W. Europe Standard Time" });
        _graph.AddGroup(BuiltInFlows.ManagementGroup, Cast.Patti.AadObjectId);
        _database = await new SqliteTestDatabases().CreateDatabaseAsync();
        var settings = _graph.BotConfiguration();
        foreach (var (key, value) in ApiTestKeys.Settings()) settings[key] = value;
        settings["Approvals:TimeZone"] = "Europe/Berlin";
        settings["Directory:Graph:RetryDelay"] = "00:00:00";
        settings["Agreements:Signing:Meeting:Organizer"] = Organizer;
        _bot = await BotTestHost.StartAsync(new BotTestHostOptions { Database = _database, Time = _clock, Settings = settings, Services = _graph.Trust });
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _database.DisposeAsync();
        await _graph.DisposeAsync();
        await _graphEntra.DisposeAsync();
    }

    private Task<SigningMeeting> MeetingAsync(long agreementId) => SigningMeetingAgreements.MeetingAsync(_bot, agreementId);

    private List<FakeGraphRequest> EventPosts() =>
        [.. _graph.Requests.Where(r => r.Method == "POST" && r.Path.EndsWith("/events", StringComparison.Ordinal))];

    [Fact]
    public async Task TheEvent_IsCreatedOnce_ThroughA503_WithTheAttendeesTheTeamsMeetingAndTheOrganizersTimes_ThenMovedAndCancelled()
    {
        var id = await SigningMeetingAgreements.AwaitingAsync(_database, Start);
        var alex = await _bot.WelcomedChatAsync(Cast.Alex);
        var patti = await _bot.WelcomedChatAsync(Cast.Patti);
        await _bot.WelcomedChatAsync(Cast.Megan);
        await SigningMeetingAgreements.StageSigningCardsAsync(_bot, id);
        var (pattiCopy, _) = await patti.ExpectCardAsync(SigningMeetingAgreements.IsSigningCard);
        _graph.Fail(503, times: 1, pathContains: "/events");

        await alex.SendAsync("signing meeting Contoso help desk 2026-03-29 10:00 1h Board room 2");
        var (_, reply) = await alex.ExpectCardAsync();
        Assert.Contains($"the Teams meeting is being created in {Organizer}'s calendar", SigningMeetingAgreements.Texts(reply), StringComparison.Ordinal);

        SigningMeeting meeting = null!;
        await _clock.TickUntilAsync(async () => (meeting = await MeetingAsync(id)).CalendarEventId is not null, () => $"no event yet ({meeting.CalendarError})");
        var created = Assert.Single(_graph.Events);
        Assert.Equal(OrganizerId, created.UserId);
        Assert.Equal(created.Id, meeting.CalendarEventId);
        Assert.Equal(new Uri(created.JoinUrl!).AbsoluteUri, meeting.JoinUrl);
        var json = created.Json;
        Assert.Equal("Signing: Contoso help desk", json["subject"]!.GetValue<string>());
        Assert.True(json["isOnlineMeeting"]!.GetValue<bool>());
        Assert.Equal("teamsForBusiness", json["onlineMeetingProvider"]!.GetValue<string>());
        Assert.Equal(("2026-03-29T10:00:00", "W. Europe Standard Time"), (json["start"]!["dateTime"]!.GetValue<string>(), json["start"]!["timeZone"]!.GetValue<string>()));
        Assert.Equal(("2026-03-29T11:00:00", "W. Europe Standard Time"), (json["end"]!["dateTime"]!.GetValue<string>(), json["end"]!["timeZone"]!.GetValue<string>()));
        Assert.Equal([("pattif@contoso.test", "required"), ("meganb@contoso.test", "required")],
            json["attendees"]!.AsArray().Select(a => (a!["emailAddress"]!["address"]!.GetValue<string>(), a["type"]!.GetValue<string>())));
        Assert.Contains(meeting.Sha256, json["body"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        // The 503 was retried (by Graph's client or the timer) with the same transactionId: one event.
        var posts = EventPosts();
        Assert.True(posts.Count >= 2, $"{posts.Count} POST(s) to /events");
        Assert.All(posts, p => Assert.Equal($"approvalbot-signing-meeting-{meeting.Id}", JsonNode.Parse(p.Body!)!["transactionId"]!.GetValue<string>()));
        Assert.All(posts, p => Assert.Contains("signing", p.Path, StringComparison.Ordinal));   // the organizer's mailbox only

        // The signing card now offers the Teams meeting.
        await _clock.TickUntilAsync(() => Task.FromResult(
                (TestConversation.CardOf(_bot.Connector.GetMessage(patti.Id, pattiCopy.ActivityId)!.Current)?.ToJsonString() ?? "").Contains(meeting.JoinUrl!, StringComparison.Ordinal)),
            () => "the signing card has no join link");
        var pattiCard = TestConversation.CardOf(_bot.Connector.GetMessage(patti.Id, pattiCopy.ActivityId)!.Current)!;
        Assert.Contains("Join the signing meeting in Teams", SigningMeetingAgreements.Texts(pattiCard), StringComparison.Ordinal);

        // Moved through the API: the event is patched to the new time.
        using var moved = await ApiCalls.PostAsync(_bot, $"/api/v1/agreements/{id}/signing-meeting",
            new JsonObject { ["by"] = Cast.Alex.AadObjectId, ["start"] = "2026-03-30 15:00" });
        Assert.Equal("2026-03-30 15:00", (await ApiCalls.JsonAsync(moved))["localStart"]!.GetValue<string>());
        await _clock.TickUntilAsync(async () => (meeting = await MeetingAsync(id)).CalendarSequence == meeting.Sequence, () => "the move is not in the calendar");
        var patched = Assert.Single(_graph.Events);
        Assert.Equal(1, patched.Patches);
        Assert.Equal("2026-03-30T15:00:00", patched.Json["start"]!["dateTime"]!.GetValue<string>());

        // Cancelled by command: the event is cancelled.
        await alex.SendAsync("signing meeting Contoso help desk cancel");
        await alex.ExpectCardAsync();
        await _clock.TickUntilAsync(() => Task.FromResult(_graph.Events.Single().Cancelled), () => "the event is not cancelled");
        await _clock.TickUntilAsync(async () => (meeting = await MeetingAsync(id)).PendingCalendarWork == CalendarWork.None, () => "calendar work left");
        Assert.Null(await SigningMeetingAgreements.ArmedAsync(_bot, SigningMeetingTimers.CalendarKind, meeting.Id));
        Assert.All(_graph.Requests, r => Assert.True(r.Authorized, $"{r.Line} had no valid Graph token"));
    }

    [Fact]
    public async Task GraphDown_KeepsTheMeetingAndTheReminders_TellsTheSchedulerOnce_AndCreatesTheEventOnceGraphIsBack()
    {
        var id = await SigningMeetingAgreements.AwaitingAsync(_database, Start);
        var alex = await _bot.WelcomedChatAsync(Cast.Alex);
        var megan = await _bot.WelcomedChatAsync(Cast.Megan);
        _graph.Fail(503, times: 1000, pathContains: "/events");

        await alex.SendAsync("signing meeting Contoso help desk 2026-03-29 10:00");
        await megan.ExpectCardAsync(c => SigningMeetingAgreements.Texts(c).Contains("Signing meeting: Contoso help desk", StringComparison.Ordinal));
        // Alex gets the answer and, in whatever order, the report of the failed calendar call.
        await _clock.TickUntilAsync(() => Task.FromResult(CalendarProblems(alex).Count > 0), () => "no calendar problem was reported");
        var problem = SigningMeetingAgreements.Texts(CalendarProblems(alex)[0]);
        Assert.Contains("Graph was unavailable (HTTP 503)", problem, StringComparison.Ordinal);
        Assert.Contains("The meeting is recorded", problem, StringComparison.Ordinal);
        // The command's answer may come after the report (it can wait for the outbox's next poll, hence the ticks).
        await _clock.TickUntilAsync(() => Task.FromResult(_bot.Connector.GetMessages(alex.Id).Any(m => Contains(m, "Scheduled the signing meeting of Contoso help desk"))),
            () => "Alex has no answer to his command");

        var meeting = await MeetingAsync(id);
        Assert.Equal((SigningMeetingState.Scheduled, (string?)null), (meeting.State, meeting.CalendarEventId));
        Assert.True(meeting.CalendarAttempts >= 1);
        Assert.Empty(_graph.Events);
        Assert.NotNull(await SigningMeetingAgreements.ArmedAsync(_bot, SigningMeetingTimers.ReminderKind, meeting.Id));
        Assert.NotNull(await SigningMeetingAgreements.ArmedAsync(_bot, SigningMeetingTimers.CalendarKind, meeting.Id));

        _graph.Heal();
        _clock.Advance(TimeSpan.FromMinutes(5));
        await _clock.TickUntilAsync(async () => (meeting = await MeetingAsync(id)).CalendarEventId is not null, () => $"no event yet ({meeting.CalendarError})");
        Assert.Single(_graph.Events);
        Assert.Null(meeting.CalendarError);
        await _bot.WaitForOutboxToSettleAsync();
        Assert.Single(CalendarProblems(alex));   // told once, however many attempts failed
    }

    private static bool Contains(FakeMessage message, string text) =>
        SigningMeetingAgreements.Texts(TestConversation.CardOf(message.Current) ?? new JsonObject()).Contains(text, StringComparison.Ordinal);

    private List<JsonObject> CalendarProblems(TestConversation chat) =>
        [.. _bot.Connector.GetMessages(chat.Id).Where(m => Contains(m, "Calendar problem: Contoso help desk")).Select(m => TestConversation.CardOf(m.Current)!)];
}
