using System.Text.Json;
using System.Text.Json.Nodes;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Escalations;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Scheduling;
using ApprovalBot.TestSupport;
using ApprovalBot.TestSupport.Connector;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalBot.IntegrationTests.Escalations;

/// <summary>
/// The escalation commands typed in Teams (<c>ack</c>, <c>assign</c>, <c>hold</c>, <c>resume</c>, <c>resolve</c>,
/// <c>reopen</c>, <c>close</c>), through the real endpoint: each answers with the escalation's card (a copy that later
/// changes update), bad input with the command's usage and no change, a refusal with the reason and no change; the
/// assignee, the reporter and a reopened level are told in their 1:1 chats; a channel member acts from the level's
/// channel.
/// </summary>
public sealed class EscalationCommandTests : IAsyncLifetime
{
    private const string L1Channel = "19:l1-support@thread.tacv2";
    private static readonly DateTimeOffset Monday10 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _clock = new(Monday10);
    private BotTestHost _bot = null!;

    public async Task InitializeAsync() =>
        _bot = await BotTestHost.StartAsync(new BotTestHostOptions { Database = await new SqliteTestDatabases().CreateDatabaseAsync(), Time = _clock });

    public async Task DisposeAsync()
    {
        var database = _bot.Database;
        await _bot.DisposeAsync();
        await database.DisposeAsync();
    }

    private Task<long> ActiveAgreementAsync(string? l1Channel = null) => EscalationSetup.ActiveAgreementAsync(_bot, Monday10, l1ChannelId: l1Channel);

    private Task<TestConversation> ChatWithAsync(TestUser user) => EscalationSetup.ChatWithAsync(_bot, user);

    private Task<Escalation> OpenAsync(long agreementId, string title) => EscalationSetup.OpenAsync(_bot, agreementId, title);

    private Task<Escalation> LoadAsync(long id) => EscalationSetup.LoadAsync(_bot, id);

    private Task<ArmedTimer?> ArmedAsync(long id) =>
        _bot.Services.GetRequiredService<DurableTimers>().GetArmedAsync(EscalationTimers.Kind, $"{id}", CancellationToken.None);

    /// <summary>
    /// People type at human speed: before each message the bot has finished talking and a few seconds pass, so its
    /// posts stay within Teams' per-conversation limits (7 in 1 s, 8 in 2 s), which its throttle gate keeps on this
    /// manual clock.
    /// </summary>
    private async Task PaceAsync()
    {
        await _bot.WaitForOutboxToSettleAsync();
        _clock.Advance(TimeSpan.FromSeconds(5));
    }

    /// <summary>Sends <paramref name="text"/> (with the bot's @mention in a channel) and returns the card that answers it.</summary>
    private async Task<(FakeMessage Message, JsonObject Card)> AnswerAsync(TestConversation chat, string text)
    {
        await PaceAsync();
        await chat.SendAsync(text);
        return await chat.ExpectCardAsync();
    }

    private async Task<(FakeMessage Message, JsonObject Card)> AnswerAsync(TestConversation chat, Activity message)
    {
        await PaceAsync();
        await chat.PostAsync(message);
        return await chat.ExpectCardAsync();
    }

    /// <summary>The texts of the card that answers <paramref name="text"/>.</summary>
    private async Task<string> SayAsync(TestConversation chat, string text) => TestConversation.Texts((await AnswerAsync(chat, text)).Card);

    [Fact]
    public async Task Ack_TakesEveryFormOfTheId_AndAnswersWithACardCopyThatLaterChangesUpdate()
    {
        var agreementId = await ActiveAgreementAsync();
        var adele = await ChatWithAsync(Cast.Adele);
        var ids = new List<long>();
        foreach (var title in new[] { "Mail down", "VPN down", "Printers down", "Wi-Fi down" })
        {
            ids.Add((await OpenAsync(agreementId, title)).Id);
            await adele.ExpectCardAsync(); // L1's notification
        }

        FakeMessage? firstReply = null;
        foreach (var (id, form) in ids.Zip([$"E-{ids[0]}", $"e{ids[1]}", $"E{ids[2]}", $"{ids[3]}"]))
        {
            var (reply, card) = await AnswerAsync(adele, $"ack {form}");
            firstReply ??= reply;
            var texts = TestConversation.Texts(card);
            Assert.Contains("Acknowledged. The response clock has stopped.", texts, StringComparison.Ordinal);
            Assert.Contains($"E-{id}", texts, StringComparison.Ordinal);
            var escalation = await LoadAsync(id);
            Assert.Equal((EscalationState.Acknowledged, new PersonId(Cast.Adele.AadObjectId)), (escalation.State, escalation.AcknowledgedBy));
        }

        Assert.Contains("On hold: both clocks are paused.", await SayAsync(adele, $"hold E-{ids[0]} Waiting for the vendor's engineer"), StringComparison.Ordinal);
        await _bot.WaitForOutboxToSettleAsync();
        var updated = _bot.Connector.GetMessage(adele.Id, firstReply!.ActivityId)!;
        Assert.True(updated.UpdateCount > 0, "The reply to 'ack' was not updated in place when the escalation was put on hold.");
        Assert.Contains("Waiting for the vendor's engineer", TestConversation.Texts(TestConversation.CardOf(updated.Current)), StringComparison.Ordinal);
        await adele.ExpectNoMoreMessagesAsync();
    }

    /// <summary>(what is typed, what the answer says is wrong, the usage it shows); {id} stands for an open escalation.</summary>
    private static readonly (string Command, string Error, string Usage)[] Malformed =
    [
        ("ack", "Which escalation? Give its number", "ack <id>"),
        ("ack X-{id}", "'X-{id}' is not an escalation number", "ack <id>"),
        ("ack E-{id} right away", "ack takes only the escalation's number, nothing after it ('right away')", "ack <id>"),
        ("ack E-987654", "There is no escalation E-987654.", "ack <id>"),
        ("hold E-{id}", "Say why it is on hold.", "hold <id> <reason>"),
        ("resume", "Which escalation?", "resume <id>"),
        ("resume {id} now", "resume takes only the escalation's number", "resume <id>"),
        ("resolve e{id}", "Add a note saying what fixed it", "resolve <id> <note>"),
        ("reopen E{id}", "Say why it needs reopening.", "reopen <id> <reason>"),
        ("close E-", "'E-' is not an escalation number", "close <id>"),
        ("assign", "Which escalation?", "assign <id> <me | e-mail | @person>"),
        ("assign E-{id}", "Whom? Give me, an e-mail address or @mention them.", "assign <id> <me | e-mail | @person>"),
        ("assign E-{id} Megan", "'Megan' is not a person I can look up", "assign <id> <me | e-mail | @person>"),
        ("assign E-{id} nobody@example.com", "Nobody in the directory has the e-mail address or sign-in name 'nobody@example.com'.", "assign <id> <me | e-mail | @person>"),
        ("escalate E-{id}", "Say why it needs the next level.", "escalate <agreement> <P1-P4> <title>"),
    ];

    [Fact]
    public async Task MalformedCommands_AreAnsweredWithWhatIsWrongAndTheUsage_AndChangeNothing()
    {
        var agreementId = await ActiveAgreementAsync();
        var adele = await ChatWithAsync(Cast.Adele);
        var opened = await OpenAsync(agreementId, "Mail server down");
        await adele.ExpectCardAsync();

        foreach (var (command, error, usage) in Malformed)
        {
            var texts = await SayAsync(adele, command.Replace("{id}", $"{opened.Id}", StringComparison.Ordinal));
            Assert.True(texts.Contains(error.Replace("{id}", $"{opened.Id}", StringComparison.Ordinal), StringComparison.Ordinal)
                        && texts.Contains(usage, StringComparison.Ordinal),
                $"'{command}' was answered with:\n{texts}");
        }

        var after = await LoadAsync(opened.Id);
        Assert.Equal((opened.Version, opened.Timeline.Count, EscalationState.Open, (PersonId?)null), (after.Version, after.Timeline.Count, after.State, after.Assignee));
        Assert.Equal(Monday10.AddHours(1), (await ArmedAsync(opened.Id))!.DueAt);
        await adele.ExpectNoMoreMessagesAsync();
    }

    [Fact]
    public async Task Assign_ToAnAtMentionedPersonTheBotHasNeverMet_IsAnsweredWithTheUsage_AndChangesNothing()
    {
        var agreementId = await ActiveAgreementAsync();
        var adele = await ChatWithAsync(Cast.Adele);
        var opened = await OpenAsync(agreementId, "Mail server down");
        await adele.ExpectCardAsync();

        var (_, card) = await AnswerAsync(adele, Message(adele, $"assign E-{opened.Id} <at>Diego Siciliani</at>", Mention("29:diego", "Diego Siciliani")));

        var texts = TestConversation.Texts(card);
        Assert.Contains("I do not know Diego Siciliani yet", texts, StringComparison.Ordinal);
        Assert.Contains("assign <id> <me | e-mail | @person>", texts, StringComparison.Ordinal);
        Assert.Equal(opened.Version, (await LoadAsync(opened.Id)).Version);
    }

    [Fact]
    public async Task AnOutsider_IsRefusedWithTheReason_AndNothingChanges()
    {
        var agreementId = await ActiveAgreementAsync();
        var patti = await ChatWithAsync(Cast.Patti);
        var opened = await OpenAsync(agreementId, "Mail server down");

        foreach (var command in new[] { $"ack E-{opened.Id}", $"resolve E-{opened.Id} Rebooted it", $"assign E-{opened.Id} me", $"hold {opened.Id} Lunch" })
        {
            var texts = await SayAsync(patti, command);
            Assert.Contains("may not act on escalation 'Mail server down'", texts, StringComparison.Ordinal);
            Assert.Contains("Mail server down", texts, StringComparison.Ordinal);
        }

        var after = await LoadAsync(opened.Id);
        Assert.Equal((opened.Version, EscalationState.Open, (PersonId?)null), (after.Version, after.State, after.Assignee));
        Assert.Equal(Monday10.AddHours(1), (await ArmedAsync(opened.Id))!.DueAt);
    }

    [Fact]
    public async Task HoldThenResume_MoveTheArmedResponseDeadlineByTheHold()
    {
        var agreementId = await ActiveAgreementAsync();
        var adele = await ChatWithAsync(Cast.Adele);
        var opened = await OpenAsync(agreementId, "Mail server down");
        await adele.ExpectCardAsync();
        Assert.Equal(Monday10.AddHours(1), (await ArmedAsync(opened.Id))!.DueAt);

        Assert.Contains("On hold: both clocks are paused.", await SayAsync(adele, $"hold E-{opened.Id} Waiting for the customer to call back"), StringComparison.Ordinal);
        Assert.Null(await ArmedAsync(opened.Id));
        Assert.Equal(EscalationState.OnHold, (await LoadAsync(opened.Id)).State);

        await _bot.WaitForOutboxToSettleAsync(); // a send in flight must not outlive its claim when the clock jumps
        _clock.SetUtcNow(Monday10.AddMinutes(30)); // the hold began 5 s after 10:00 (pacing); so does the resume after 10:30
        Assert.Contains("Resumed: the clocks run again.", await SayAsync(adele, $"resume E-{opened.Id}"), StringComparison.Ordinal);

        var resumed = await LoadAsync(opened.Id);
        Assert.Equal(EscalationState.Open, resumed.State);
        var armed = await ArmedAsync(opened.Id);
        Assert.Equal((Monday10.AddHours(1).AddMinutes(30), resumed.Version), (armed!.DueAt, armed.FencingToken));
    }

    [Fact]
    public async Task Assign_ByEmailMeOrMention_NotifiesTheNewAssignee_WhoMayThenAct()
    {
        var agreementId = await ActiveAgreementAsync();
        var adele = await ChatWithAsync(Cast.Adele);
        var megan = await ChatWithAsync(Cast.Megan);
        var isaiah = await ChatWithAsync(Cast.Isaiah);
        var opened = await OpenAsync(agreementId, "Mail server down");
        await adele.ExpectCardAsync();

        // By e-mail, in any case: Megan takes no part in the agreement, and gets the card in her chat.
        Assert.Contains("Assigned to Megan Bowen; they have the card.", await SayAsync(adele, $"assign E-{opened.Id} MeganB@Example.com"), StringComparison.Ordinal);
        var (_, meganCard) = await megan.ExpectCardAsync();
        Assert.Contains("Assigned to you by Adele Vance.", TestConversation.Texts(meganCard), StringComparison.Ordinal);
        Assert.Equal(new PersonId(Cast.Megan.AadObjectId), (await LoadAsync(opened.Id)).Assignee);
        Assert.Contains("Acknowledged.", await SayAsync(megan, $"ack {opened.Id}"), StringComparison.Ordinal);

        // "me": the reply is the only message; assigning the assignee again is refused and changes nothing.
        Assert.Contains("Assigned to you.", await SayAsync(adele, $"assign E-{opened.Id} me"), StringComparison.Ordinal);
        var mine = await LoadAsync(opened.Id);
        Assert.Equal(new PersonId(Cast.Adele.AadObjectId), mine.Assignee);
        Assert.Contains("is already assigned to", await SayAsync(adele, $"assign E-{opened.Id} ME"), StringComparison.Ordinal);
        Assert.Equal(mine.Version, (await LoadAsync(opened.Id)).Version);
        await adele.ExpectNoMoreMessagesAsync();

        // An @mention of someone who has a chat with the bot.
        var (_, reply) = await AnswerAsync(adele, Message(adele, $"assign E-{opened.Id} <at>Isaiah Langer</at>", Mention(Cast.Isaiah.Id, "Isaiah Langer")));
        Assert.Contains("Assigned to Isaiah Langer", TestConversation.Texts(reply), StringComparison.Ordinal);
        var (_, isaiahCard) = await isaiah.ExpectCardAsync();
        Assert.Contains("Assigned to you by Adele Vance.", TestConversation.Texts(isaiahCard), StringComparison.Ordinal);
        Assert.Equal(new PersonId(Cast.Isaiah.AadObjectId), (await LoadAsync(opened.Id)).Assignee);
        await megan.ExpectNoMoreMessagesAsync(); // her copy was updated in place, not posted again
    }

    [Fact]
    public async Task ResolveCloseAndReopen_TellTheReporterAndThenTheLevel_AndTheReporterResolvingIsNotToldTwice()
    {
        var agreementId = await ActiveAgreementAsync();
        var adele = await ChatWithAsync(Cast.Adele);
        var alex = await ChatWithAsync(Cast.Alex);
        var opened = await OpenAsync(agreementId, "Mail server down");
        await adele.ExpectCardAsync();

        var resolved = await SayAsync(adele, $"resolve E-{opened.Id} Replaced the expired certificate.");
        Assert.Contains("The reporter has the card with your note.", resolved, StringComparison.Ordinal);
        var (_, alexCard) = await alex.ExpectCardAsync();
        Assert.Contains("Resolved by Adele Vance: Replaced the expired certificate.", TestConversation.Texts(alexCard), StringComparison.Ordinal);
        var (_, survey) = await alex.ExpectCardAsync(); // then the satisfaction survey (see EscalationSurveyTests)
        Assert.Contains(ApprovalBot.Escalations.Cards.EscalationVerbs.Survey, Cards.Verbs(survey));
        var resolvedNow = await LoadAsync(opened.Id);
        Assert.Equal(EscalationState.Resolved, resolvedNow.State);
        Assert.Equal(resolvedNow.ResolvedAt!.Value.AddDays(7), (await ArmedAsync(opened.Id))!.DueAt); // it closes itself after the reopen window

        Assert.Contains("Closed.", await SayAsync(adele, $"close E-{opened.Id}"), StringComparison.Ordinal);
        Assert.Equal(EscalationState.Closed, (await LoadAsync(opened.Id)).State);
        Assert.Null(await ArmedAsync(opened.Id));
        Assert.Contains("Cannot close it while it is Closed.", await SayAsync(adele, $"close E-{opened.Id}"), StringComparison.Ordinal);

        // A day later, within the 7-day window, the reporter reopens it: L1 has the card again and its clock runs.
        await _bot.WaitForOutboxToSettleAsync(); // a send in flight must not outlive its claim when the clock jumps
        _clock.SetUtcNow(Monday10.AddDays(1));
        Assert.Contains("Reopened as Open; the L1 contacts have the card again.", await SayAsync(alex, $"reopen {opened.Id} Nobody receives mail again"), StringComparison.Ordinal);
        var (_, l1Card) = await adele.ExpectCardAsync();
        Assert.Contains("Reopened by Alex Wilber, back with L1: Nobody receives mail again", TestConversation.Texts(l1Card), StringComparison.Ordinal);
        var reopened = await LoadAsync(opened.Id);
        Assert.Equal((EscalationState.Open, 1), (reopened.State, reopened.ReopenCount));
        Assert.NotNull(await ArmedAsync(opened.Id));

        // The reporter resolves it himself: his answer is the card; nobody else is posted to.
        Assert.Contains("Resolved: both clocks have stopped.", await SayAsync(alex, $"resolve E-{opened.Id} It was my mail client."), StringComparison.Ordinal);
        await alex.ExpectNoMoreMessagesAsync();
        await adele.ExpectNoMoreMessagesAsync();
    }

    [Fact]
    public async Task Reopen_AfterTheWindow_IsRefused_AndChangesNothing()
    {
        var agreementId = await ActiveAgreementAsync();
        var adele = await ChatWithAsync(Cast.Adele);
        var opened = await OpenAsync(agreementId, "Mail server down");
        await adele.ExpectCardAsync();
        await SayAsync(adele, $"resolve E-{opened.Id} Replaced the expired certificate.");
        Assert.Equal(EscalationState.Resolved, (await LoadAsync(opened.Id)).State);

        await _bot.WaitForOutboxToSettleAsync(); // a send in flight must not outlive its claim when the clock jumps
        _clock.SetUtcNow(Monday10.AddDays(8));
        Assert.Contains("Open a new escalation instead.", await SayAsync(adele, $"reopen E-{opened.Id} It broke again"), StringComparison.Ordinal);

        // By now the auto-close timer may have closed it (the window has passed); either way it was not reopened.
        var after = await LoadAsync(opened.Id);
        Assert.Contains(after.State, new[] { EscalationState.Resolved, EscalationState.Closed });
        Assert.Equal(0, after.ReopenCount);
        Assert.DoesNotContain(after.Timeline, e => e.Kind == EscalationEventKind.Reopened);
    }

    [Fact]
    public async Task InTheLevelsChannel_AMemberMayAct_AndTheReplyThereIsASharedCopy_ButNotFromAnotherChannel()
    {
        var agreementId = await ActiveAgreementAsync(L1Channel);
        var isaiah = await ChatWithAsync(Cast.Isaiah);
        var l1 = _bot.Channel(Cast.Patti, L1Channel);
        await l1.InstallAsync();
        await l1.ExpectCardAsync(); // the welcome
        var general = _bot.Channel(Cast.Patti);
        var opened = await OpenAsync(agreementId, "Mail server down");
        var (_, post) = await l1.ExpectCardAsync();
        Assert.Contains("Mail server down", TestConversation.Texts(post), StringComparison.Ordinal);

        // Patti is no contact: from another channel she is refused.
        var (_, refused) = await AnswerAsync(general, $"hold E-{opened.Id} Waiting for the vendor");
        Assert.Contains("may not act", TestConversation.Texts(refused), StringComparison.Ordinal);
        Assert.Empty(Cards.Verbs(refused));
        Assert.Equal(EscalationState.Open, (await LoadAsync(opened.Id)).State);

        // In L1's channel she is a member of the level's channel.
        var (reply, card) = await AnswerAsync(l1, $"ack E-{opened.Id}");
        Assert.Contains("Acknowledged. The response clock has stopped.", TestConversation.Texts(card), StringComparison.Ordinal);
        Assert.Contains("escalation.resolve", Cards.Verbs(card)); // as a member of the level's channel she may go on acting
        var acknowledged = await LoadAsync(opened.Id);
        Assert.Equal((EscalationState.Acknowledged, new PersonId(Cast.Patti.AadObjectId)), (acknowledged.State, acknowledged.AcknowledgedBy));

        // Assign by @mention, in the channel: the mention of the bot and of Isaiah both come as entities.
        var (_, assigned) = await AnswerAsync(l1, Message(l1, $"<at>ApprovalBot</at> assign E-{opened.Id} <at>Isaiah Langer</at>",
            Mention(_bot.BotId, "ApprovalBot"), Mention(Cast.Isaiah.Id, "Isaiah Langer")));
        Assert.Contains("Assigned to Isaiah Langer", TestConversation.Texts(assigned), StringComparison.Ordinal);
        var (_, isaiahCard) = await isaiah.ExpectCardAsync();
        Assert.Contains("Assigned to you by Patti Fernandez.", TestConversation.Texts(isaiahCard), StringComparison.Ordinal);

        await _bot.WaitForOutboxToSettleAsync();
        await using var db = _bot.CreateDbContext();
        var copy = await db.CardCopies.AsNoTracking().SingleAsync(c => c.ActivityId == reply.ActivityId);
        Assert.Equal((EscalationMessages.Subject(opened.Id), (string?)null), (copy.Subject, copy.Viewer));
        Assert.True(_bot.Connector.GetMessage(l1.Id, reply.ActivityId)!.UpdateCount > 0, "The reply in the channel was not updated after the assignment.");

        // Reopened from the level's channel: the answer there is the reply, not a second post.
        Assert.Contains("Resolved: both clocks have stopped.", await SayAsync(l1, $"resolve E-{opened.Id} Restarted the mail relay"), StringComparison.Ordinal);
        Assert.Contains("Reopened as Acknowledged", await SayAsync(l1, $"reopen E-{opened.Id} Mail is stuck again"), StringComparison.Ordinal);
        Assert.Equal(EscalationState.Acknowledged, (await LoadAsync(opened.Id)).State);
        await l1.ExpectNoMoreMessagesAsync();
    }

    /// <summary>A message as Teams sends it with @mentions: the markup in the text, one mention entity each.</summary>
    private static Activity Message(TestConversation chat, string text, params Entity[] mentions)
    {
        var activity = chat.NewActivity(ActivityTypes.Message);
        activity.Text = text;
        activity.TextFormat = "plain";
        activity.Entities = [.. mentions];
        return activity;
    }

    private static Entity Mention(string id, string name) =>
        JsonSerializer.Deserialize<Entity>(
            new JsonObject { ["type"] = "mention", ["text"] = $"<at>{name}</at>", ["mentioned"] = new JsonObject { ["id"] = id, ["name"] = name } }.ToJsonString(),
            ProtocolJson.Options)!;
}
