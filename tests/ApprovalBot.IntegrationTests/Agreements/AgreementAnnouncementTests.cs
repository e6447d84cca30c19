using System.Net;
using System.Text.Json.Nodes;
using ApprovalBot.Agreements.Announcement;
using ApprovalBot.Agreements.Term;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.IntegrationTests.Api;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Escalations;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.TestSupport;
using ApprovalBot.TestSupport.Connector;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalBot.IntegrationTests.Agreements;

/// <summary>
/// The announcement of an agreement coming into force, through the real endpoint with signed tokens, the real database
/// and the fake connector: the agreement approved by its three stages (manager → Legal → Management), the card in the
/// configured departments' channels (installed as Teams installs the bot in a team), a channel without the bot recorded
/// as not reached, acknowledgements shown on every copy, updated in place.
/// </summary>
public abstract partial class AgreementAnnouncementTests(ITestDatabaseFactory databases) : IAsyncLifetime
{
    protected const string It = "19:it@thread.tacv2";
    protected const string Finance = "19:finance@thread.tacv2";
    protected const string Hr = "19:hr@thread.tacv2";
    protected const string Operations = "19:operations@thread.tacv2";

    protected static readonly DateTimeOffset Start = new(2026, 9, 25, 10, 0, 0, TimeSpan.Zero);
    protected static readonly DateTimeOffset EndOfTerm = new(2027, 1, 31, 23, 0, 0, TimeSpan.Zero);
    protected static readonly DateTimeOffset FirstReminder = new(2026, 10, 1, 7, 0, 0, TimeSpan.Zero);

    protected ManualTimeProvider Clock { get; } = new(Start);

    protected ITestDatabase Database { get; private set; } = null!;

    protected BotTestHost Bot { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await databases.CreateDatabaseAsync();
        var settings = ApiTestKeys.Settings();
        foreach (var (department, channel, i) in new[] { ("IT", It, 0), ("Finance", Finance, 1), ("HR", Hr, 2), ("Operations", Operations, 3) })
        {
            settings[$"Agreements:Announcement:Channels:{i}:Department"] = department;
            settings[$"Agreements:Announcement:Channels:{i}:ChannelId"] = channel;
        }
        Bot = await BotTestHost.StartAsync(new BotTestHostOptions { Database = Database, Time = Clock, Settings = settings });
    }

    public async Task DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>The bot installed in a team's channel (the conversation reference Teams gives it), its welcome read.</summary>
    protected async Task<TestConversation> InstalledChannelAsync(string channelId, TestUser installer)
    {
        var channel = Bot.Channel(installer, channelId);
        await channel.InstallAsync();
        await channel.ExpectMessageAsync();
        return channel;
    }

    protected static bool IsAnnouncement(JsonObject card) => TestConversation.Texts(card).Contains("How to escalate", StringComparison.Ordinal);

    protected static bool IsTermCard(JsonObject card) => TestConversation.Texts(card).Contains("End of term", StringComparison.Ordinal);

    protected JsonObject CurrentCard(TestConversation chat, string activityId) => Cards.CardOf(Bot.Connector.GetMessage(chat.Id, activityId)!.Current)!;

    /// <summary>
    /// Waits until the outbox has sent everything, ticking the manual clock (the per-conversation pacing of sends waits
    /// on it, and a decision posts several messages into one chat at once).
    /// </summary>
    protected Task SettleAsync() => Clock.TickUntilAsync(
        async () =>
        {
            await using var db = Bot.CreateDbContext();
            return !await db.OutboxMessages.AnyAsync(m => m.Status == ApprovalBot.Teams.Outbox.OutboxStatus.Pending);
        },
        () => "the outbox still has pending messages");

    /// <summary>The approver's card about <paramref name="title"/>, approved by a click.</summary>
    protected async Task ApproveAsync(TestConversation approver, string title)
    {
        Func<JsonObject, bool> match = c => Cards.Verbs(c).Contains(ApprovalVerbs.Approve) && TestConversation.Texts(c).Contains(title, StringComparison.Ordinal);
        var (message, card) = await approver.ExpectCardWhileTickingAsync(Clock, match);
        var answer = await approver.ClickAsync(message.ActivityId, ApprovalVerbs.Approve, Cards.Click(card, ApprovalVerbs.Approve, "Fine."));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.DoesNotContain(ApprovalVerbs.Approve, Cards.Verbs(answer.Card));
    }

    protected async Task<Agreement> LoadAsync(long id)
    {
        await using var db = Bot.CreateDbContext();
        return await db.Agreements.AsNoTracking().SingleAsync(a => a.Id == id);
    }

    [Fact]
    public async Task AnAgreementApprovedByItsThreeStages_IsAnnouncedInTheDepartmentsChannels_AndAcknowledgementsShowOnEveryCopy()
    {
        var alex = await Bot.WelcomedChatAsync(Cast.Alex);
        var megan = await Bot.WelcomedChatAsync(Cast.Megan);
        var adele = await Bot.WelcomedChatAsync(Cast.Adele);
        var patti = await Bot.WelcomedChatAsync(Cast.Patti);
        var it = await InstalledChannelAsync(It, Cast.Isaiah);
        var finance = await InstalledChannelAsync(Finance, Cast.Isaiah);
        var hr = await InstalledChannelAsync(Hr, Cast.Isaiah);   // Operations: the bot is not in that team

        long id;
        await using (var db = Bot.CreateDbContext())
        {
            var terms = SampleTerms.Complete() with { OversightOwners = [new(Cast.Alex.AadObjectId)] };
            var draft = Agreement.CreateDraft("Contoso help desk", terms, new(Cast.Alex.AadObjectId), Start);
            db.Agreements.Add(draft);
            await db.SaveChangesAsync();
            id = draft.Id;
        }
        Assert.Equal(HttpStatusCode.OK, (await alex.SendAsync($"agreement submit {id}")).Status);
        await ApproveAsync(megan, "Contoso help desk");
        await ApproveAsync(adele, "Contoso help desk");
        await ApproveAsync(patti, "Contoso help desk");
        Assert.Equal(AgreementStatus.Active, (await LoadAsync(id)).Status);

        // One card per reached channel, with the key terms and how to escalate.
        var posts = new List<(TestConversation Channel, FakeMessage Message)>();
        foreach (var channel in new[] { it, finance, hr })
        {
            var (message, card) = await channel.ExpectCardWhileTickingAsync(Clock, IsAnnouncement);
            var texts = TestConversation.Texts(card);
            Assert.Contains("New agreement in force", texts, StringComparison.Ordinal);
            Assert.Contains("Contoso help desk is in force from 2026-02-01 to 2027-01-31", texts, StringComparison.Ordinal);
            Assert.Contains("escalate Contoso help desk P1 <title>", texts, StringComparison.Ordinal);
            Assert.Contains("Response and resolution targets", texts, StringComparison.Ordinal);
            Assert.Contains("Escalation contacts", texts, StringComparison.Ordinal);
            Assert.Contains("Not acknowledged yet.", texts, StringComparison.Ordinal);
            Assert.Equal([AnnouncementVerbs.Acknowledge], Cards.Verbs(card));
            posts.Add((channel, message));
        }

        // Operations is recorded as not reached, and the requester (the oversight owner too) is told once.
        var (_, told) = await alex.ExpectCardWhileTickingAsync(Clock, c => TestConversation.Texts(c).Contains("Announcement not delivered everywhere", StringComparison.Ordinal));
        Assert.Contains("Operations (19:operations@thread.tacv2): the bot is not installed in that channel's team", TestConversation.Texts(told), StringComparison.Ordinal);

        // Two people acknowledge, in two departments' channels; a repeated click records nothing new.
        await SettleAsync();
        Clock.Advance(TimeSpan.FromMinutes(10));
        var firstAt = Clock.GetUtcNow();
        var first = await it.ClickAsync(posts[0].Message.ActivityId, AnnouncementVerbs.Acknowledge, Cards.Click(CurrentCard(it, posts[0].Message.ActivityId), AnnouncementVerbs.Acknowledge), Cast.Adele);
        Assert.Contains("Adele Vance (IT)", TestConversation.Texts(first.Card), StringComparison.Ordinal);
        await SettleAsync();   // ten minutes apart: the first update went out long before (the paced sends wait on the manual clock)
        Clock.Advance(TimeSpan.FromMinutes(10));
        var second = await finance.ClickAsync(posts[1].Message.ActivityId, AnnouncementVerbs.Acknowledge, Cards.Click(CurrentCard(finance, posts[1].Message.ActivityId), AnnouncementVerbs.Acknowledge), Cast.Megan);
        Assert.Contains("Megan Bowen (Finance)", TestConversation.Texts(second.Card), StringComparison.Ordinal);
        var again = await hr.ClickAsync(posts[2].Message.ActivityId, AnnouncementVerbs.Acknowledge, Cards.Click(CurrentCard(hr, posts[2].Message.ActivityId), AnnouncementVerbs.Acknowledge), Cast.Adele);
        Assert.Null(again.Card);
        Assert.Contains("You acknowledged this announcement already", again.Body, StringComparison.Ordinal);
        Assert.Contains("in the IT channel. Nothing new was recorded.", again.Body, StringComparison.Ordinal);
        await SettleAsync();

        // Every copy, updated in place (no new post), shows both.
        foreach (var (channel, message) in posts)
        {
            var current = Bot.Connector.GetMessage(channel.Id, message.ActivityId)!;
            Assert.True(current.Versions.Count > 1, $"The {channel.Id} copy was never updated.");
            var texts = TestConversation.Texts(Cards.CardOf(current.Current));
            Assert.Contains("Adele Vance (IT)", texts, StringComparison.Ordinal);
            Assert.Contains("Megan Bowen (Finance)", texts, StringComparison.Ordinal);
            Assert.Contains(AnnouncementVerbs.Acknowledge, Cards.Verbs(Cards.CardOf(current.Current)));
            Assert.Equal(1, Bot.Connector.GetMessages(channel.Id).Count(m => IsAnnouncement(Cards.CardOf(m.Current) ?? new JsonObject())));
        }

        // The API: where it went, and who acknowledged it.
        var announcement = (await ApiCalls.JsonAsync(await ApiCalls.GetAsync(Bot, $"/api/v1/agreements/{id}/announcement")))["announcements"]!.AsArray().Single()!;
        Assert.Equal((1, false, true), (announcement["revision"]!.GetValue<int>(), announcement["renewal"]!.GetValue<bool>(), announcement["current"]!.GetValue<bool>()));
        var channels = announcement["channels"]!.AsArray();
        Assert.Equal(["IT", "Finance", "HR", "Operations"], channels.Select(c => c!["department"]!.GetValue<string>()));
        Assert.Equal([true, true, true, false], channels.Select(c => c!["reached"]!.GetValue<bool>()));
        Assert.Contains("not installed", channels[3]!["notReachedReason"]!.GetValue<string>(), StringComparison.Ordinal);
        var acks = announcement["acknowledgements"]!.AsArray();
        Assert.Equal([(Cast.Adele.AadObjectId, "IT", It), (Cast.Megan.AadObjectId, "Finance", Finance)],
            acks.Select(a => (a!["by"]!["id"]!.GetValue<string>(), a["department"]!.GetValue<string>(), a["channelId"]!.GetValue<string>())));
        Assert.Equal(firstAt, acks[0]!["at"]!.GetValue<DateTimeOffset>());
    }
}

public sealed class SqliteAgreementAnnouncementTests() : AgreementAnnouncementTests(new SqliteTestDatabases())
{
    /// <summary>The Active agreement (Megan oversees it), its term timer armed, Megan's first end-of-term reminder delivered and Renew clicked.</summary>
    private async Task<(long Id, TestConversation Megan, FakeMessage Reminder)> RenewalInApprovalAsync()
    {
        var id = await EscalationAgreements.ActiveAsync(Database, Clock.GetUtcNow(), [Cast.Megan]);
        await Bot.Services.GetRequiredService<TermTimerAuditor>().AuditAsync(CancellationToken.None);
        var megan = await Bot.WelcomedChatAsync(Cast.Megan);
        await SettleAsync();
        Clock.SetUtcNow(FirstReminder);
        var (reminder, card) = await megan.ExpectCardWhileTickingAsync(Clock, IsTermCard);
        var renew = await megan.ClickAsync(reminder.ActivityId, TermVerbs.Renew, Cards.Click(card, TermVerbs.Renew));
        Assert.Contains("Renewal started", TestConversation.Texts(renew.Card), StringComparison.Ordinal);
        return (id, megan, reminder);
    }

    [Fact]
    public async Task AnApprovedRenewal_UpdatesTheEndOfTermCardsInPlace_AndIsAnnouncedAsARenewal()
    {
        var it = await InstalledChannelAsync(It, Cast.Isaiah);
        var lynne = await Bot.WelcomedChatAsync(Cast.Lynne);
        var adele = await Bot.WelcomedChatAsync(Cast.Adele);
        var patti = await Bot.WelcomedChatAsync(Cast.Patti);
        var (id, megan, reminder) = await RenewalInApprovalAsync();

        await ApproveAsync(lynne, "Renewal of IT support agreement");
        await ApproveAsync(adele, "Renewal of IT support agreement");
        await ApproveAsync(patti, "Renewal of IT support agreement");
        await SettleAsync();

        var agreement = await LoadAsync(id);
        Assert.Equal((AgreementStatus.Active, 2), (agreement.Status, agreement.ActiveRevisionNumber!.Value));
        var copy = CurrentCard(megan, reminder.ActivityId);
        Assert.Contains("Renewed: revision 2 (the next term) was approved by Patti Fernandez on 2026-10-01. Contoso help desk now runs until 2028-01-31",
            TestConversation.Texts(copy), StringComparison.Ordinal);
        Assert.Empty(Cards.Verbs(copy));

        var (_, announced) = await it.ExpectCardWhileTickingAsync(Clock, IsAnnouncement);
        Assert.Contains("Agreement renewed", TestConversation.Texts(announced), StringComparison.Ordinal);
        Assert.Contains("its next term, 2027-02-01 to 2028-01-31, is in force (revision 2)", TestConversation.Texts(announced), StringComparison.Ordinal);
        var events = await EventsAsync(id);
        Assert.Equal(["Renew", "RenewalApproved"], events.Select(e => e["kind"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ARejectedRenewal_UpdatesTheEndOfTermCardsInPlace_WithTheChoicesStillOpen()
    {
        var lynne = await Bot.WelcomedChatAsync(Cast.Lynne);
        var (id, megan, reminder) = await RenewalInApprovalAsync();

        var (message, card) = await lynne.ExpectCardWhileTickingAsync(Clock, c => Cards.Verbs(c).Contains(ApprovalVerbs.Reject));
        var rejected = await lynne.ClickAsync(message.ActivityId, ApprovalVerbs.Reject, Cards.Click(card, ApprovalVerbs.Reject, "Too expensive."));
        Assert.Equal(HttpStatusCode.OK, rejected.Status);
        await SettleAsync();

        var copy = CurrentCard(megan, reminder.ActivityId);
        var texts = TestConversation.Texts(copy);
        Assert.Contains("Renewal rejected: revision 2 was rejected by Lynne Robbins on 2026-10-01. Contoso help desk expires after its last day, 2027-01-31, unless it is renewed.", texts, StringComparison.Ordinal);
        Assert.Contains("Renew it again", texts, StringComparison.Ordinal);
        Assert.Equal([TermVerbs.Renew, TermVerbs.LetExpire, TermVerbs.Terminate], Cards.Verbs(copy));
        var agreement = await LoadAsync(id);
        Assert.Equal((AgreementStatus.Active, 1, (TermChoice?)null), (agreement.Status, agreement.ActiveRevisionNumber!.Value, agreement.TermChoice));

        // The choices on the updated card work: renew again.
        var again = await megan.ClickAsync(reminder.ActivityId, TermVerbs.Renew, Cards.Click(copy, TermVerbs.Renew));
        Assert.Contains("Renewal started: revision 3", TestConversation.Texts(again.Card), StringComparison.Ordinal);
        Assert.Equal(["Renew", "RenewalRejected", "Renew"], (await EventsAsync(id)).Select(e => e["kind"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ARenewalApprovedAfterTheAgreementExpired_ReinstatesItOnTheNextTerm()
    {
        var lynne = await Bot.WelcomedChatAsync(Cast.Lynne);
        var adele = await Bot.WelcomedChatAsync(Cast.Adele);
        var patti = await Bot.WelcomedChatAsync(Cast.Patti);
        var (id, megan, reminder) = await RenewalInApprovalAsync();
        await ApproveAsync(lynne, "Renewal of IT support agreement");
        await ApproveAsync(adele, "Renewal of IT support agreement");
        var (pattiPost, _) = await patti.ExpectCardWhileTickingAsync(Clock, c => Cards.Verbs(c).Contains(ApprovalVerbs.Approve));

        // The old term runs out while Management has not signed the renewal off.
        await SettleAsync();
        Clock.SetUtcNow(EndOfTerm);
        await Clock.TickUntilAsync(async () => (await LoadAsync(id)).Status == AgreementStatus.Expired, () => "the agreement did not expire");
        var (_, expired) = await megan.ExpectCardWhileTickingAsync(Clock, c => TestConversation.Texts(c).Contains("Expired: Contoso help desk", StringComparison.Ordinal));
        Assert.Contains("Its renewal (revision 2) is still in approval: if it is approved, Contoso help desk is Active again", TestConversation.Texts(expired), StringComparison.Ordinal);

        await SettleAsync();
        var card = CurrentCard(patti, pattiPost.ActivityId);
        var signed = await patti.ClickAsync(pattiPost.ActivityId, ApprovalVerbs.Approve, Cards.Click(card, ApprovalVerbs.Approve));
        Assert.Equal(HttpStatusCode.OK, signed.Status);

        var agreement = await LoadAsync(id);
        Assert.Equal((AgreementStatus.Active, 2, (DateTimeOffset?)null), (agreement.Status, agreement.ActiveRevisionNumber!.Value, agreement.ExpiredAt));
        Assert.Equal((new DateOnly(2027, 2, 1), new DateOnly(2028, 1, 31)), (agreement.TermsInForce!.StartDate!.Value, agreement.TermsInForce.EndDate!.Value));
        await SettleAsync();
        Assert.Contains("now runs until 2028-01-31", TestConversation.Texts(CurrentCard(megan, reminder.ActivityId)), StringComparison.Ordinal);
        // Its term timer is armed again: the next term's first reminder (30 days before its notice date, 2027-10-31).
        await Clock.TickUntilAsync(async () => (await Bot.Services.GetRequiredService<ApprovalBot.Scheduling.DurableTimers>()
            .GetArmedAsync(TermTimers.Kind, $"{id}", CancellationToken.None))?.DueAt == new DateTimeOffset(2027, 10, 1, 7, 0, 0, TimeSpan.Zero), () => "no timer for the next term");
        Assert.Equal(["Renew", "Expired", "RenewalApproved", "Reinstated"], (await EventsAsync(id)).Select(e => e["kind"]!.GetValue<string>()));
    }

    [Fact]
    public async Task RefusedChoices_AndTheChoicesMade_AreInTheAgreementsAuditTrail()
    {
        var id = await EscalationAgreements.ActiveAsync(Database, Clock.GetUtcNow(), [Cast.Megan]);
        var alex = await Bot.WelcomedChatAsync(Cast.Alex);
        var megan = await Bot.WelcomedChatAsync(Cast.Megan);

        await alex.SendAsync("terminate Contoso help desk Provider insolvency");        // not an owner
        await alex.ExpectCardAsync();
        await megan.SendAsync("terminate Contoso help desk We felt like it");           // not an accepted reason
        await megan.ExpectCardAsync();
        await megan.SendAsync("terminate Contoso help desk Provider insolvency");
        var (post, _) = await megan.ExpectCardAsync();
        var stale = await megan.ClickAsync(post.ActivityId, TermVerbs.LetExpire, new JsonObject { ["agreementId"] = id, ["version"] = 1 });   // a stale card
        Assert.Contains("already terminated", TestConversation.Texts(stale.Card), StringComparison.Ordinal);

        var events = await EventsAsync(id);
        Assert.Equal(["Refused", "Refused", "Terminate", "Refused"], events.Select(e => e["kind"]!.GetValue<string>()));
        Assert.Equal((Cast.Alex.AadObjectId, "Terminate", "agreement.forbidden"),
            (events[0]["actor"]!["id"]!.GetValue<string>(), events[0]["action"]!.GetValue<string>(), events[0]["code"]!.GetValue<string>()));
        Assert.Equal("agreement.termination_reason", events[1]["code"]!.GetValue<string>());
        Assert.Contains("'We felt like it' is not one of the termination reasons", events[1]["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal((Cast.Megan.AadObjectId, Start), (events[2]["actor"]!["id"]!.GetValue<string>(), events[2]["at"]!.GetValue<DateTimeOffset>()));
        Assert.Equal(("LetExpire", "agreement.term_choice"), (events[3]["action"]!.GetValue<string>(), events[3]["code"]!.GetValue<string>()));

        using var missing = await ApiCalls.GetAsync(Bot, "/api/v1/agreements/999999/events");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task AStaleAnnouncement_AndAClickOutsideItsChannels_RecordNothing()
    {
        var it = await InstalledChannelAsync(It, Cast.Isaiah);
        var lynne = await Bot.WelcomedChatAsync(Cast.Lynne);
        var adele = await Bot.WelcomedChatAsync(Cast.Adele);
        var patti = await Bot.WelcomedChatAsync(Cast.Patti);
        var (id, _, _) = await RenewalInApprovalAsync();
        await ApproveAsync(lynne, "Renewal of IT support agreement");
        await ApproveAsync(adele, "Renewal of IT support agreement");
        await ApproveAsync(patti, "Renewal of IT support agreement");
        var (post, card) = await it.ExpectCardWhileTickingAsync(Clock, IsAnnouncement);

        // From a 1:1 chat (a forwarded card): not one of its channels.
        var outside = await patti.ClickAsync(post.ActivityId, AnnouncementVerbs.Acknowledge, Cards.Click(card, AnnouncementVerbs.Acknowledge));
        Assert.Contains("Acknowledge this announcement in one of the departments' channels it was posted to (IT)", outside.Body, StringComparison.Ordinal);
        // An announcement of a term no longer in force (revision 1 was never announced here: unknown).
        var old = await it.ClickAsync(post.ActivityId, AnnouncementVerbs.Acknowledge, new JsonObject { ["agreementId"] = id, ["revision"] = 1 }, Cast.Adele);
        Assert.Contains("This announcement is not known", old.Body, StringComparison.Ordinal);

        // The agreement ends: the copies lose the button and say so; a click on one records nothing.
        await using (var db = Bot.CreateDbContext())
            Assert.Empty((await db.AgreementAnnouncements.AsNoTracking().SingleAsync(a => a.AgreementId == id)).Acknowledgements);
        await SettleAsync();
        Clock.SetUtcNow(new DateTimeOffset(2028, 1, 31, 23, 0, 0, TimeSpan.Zero));
        await Clock.TickUntilAsync(async () => (await LoadAsync(id)).Status == AgreementStatus.Expired, () => "the renewed term did not expire");
        await SettleAsync();
        var ended = CurrentCard(it, post.ActivityId);
        Assert.Empty(Cards.Verbs(ended));
        Assert.Contains("this announcement is kept for the record only", TestConversation.Texts(ended), StringComparison.Ordinal);
        var late = await it.ClickAsync(post.ActivityId, AnnouncementVerbs.Acknowledge, Cards.Click(card, AnnouncementVerbs.Acknowledge), Cast.Adele);
        Assert.Contains("Contoso help desk expired on 2028-02-01", late.Body, StringComparison.Ordinal);
        Assert.Contains("Nothing was recorded.", late.Body, StringComparison.Ordinal);
    }

    private async Task<IReadOnlyList<JsonNode>> EventsAsync(long id) =>
        [.. (await ApiCalls.JsonAsync(await ApiCalls.GetAsync(Bot, $"/api/v1/agreements/{id}/events")))["events"]!.AsArray().Select(e => e!)];
}

public sealed class PostgresAgreementAnnouncementTests(PostgresServerFixture postgres)
    : AgreementAnnouncementTests(postgres), IClassFixture<PostgresServerFixture>;
