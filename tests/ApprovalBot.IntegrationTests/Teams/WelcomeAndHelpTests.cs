using System.Net;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.TestSupport.Connector;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.IntegrationTests.Teams;

/// <summary>The foundation's conversations, through the real endpoint with signed tokens and the fake connector.</summary>
public sealed class WelcomeAndHelpTests : IAsyncLifetime
{
    private BotTestHost _bot = null!;
    private readonly TestUser _dana = TestUser.Create("Dana Reviewer");

    public async Task InitializeAsync() => _bot = await BotTestHost.StartAsync();

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Install_PostsOneWelcomeCard_WhenTeamsSendsBothInstallActivities()
    {
        var chat = _bot.PersonalChat(_dana);
        var (installation, update) = await chat.InstallAsync();

        Assert.Equal(HttpStatusCode.OK, installation.Status);
        Assert.Equal(HttpStatusCode.OK, update.Status);
        var (message, card) = await chat.ExpectCardAsync();
        Assert.Contains("Dana Reviewer", TestConversation.Texts(card), StringComparison.Ordinal);
        Assert.Null(message.Current.Text);
        await chat.ExpectNoMoreMessagesAsync();
    }

    [Fact]
    public async Task Install_AnswersBothActivitiesAndWelcomesOnce_WhenTheyArriveAtTheSameMoment()
    {
        // Teams and the Agents Playground send installationUpdate and conversationUpdate concurrently.
        for (var i = 0; i < 5; i++)
        {
            var chat = _bot.PersonalChat(_dana, conversationId: $"a:concurrent-install-{i}");
            var installation = chat.NewActivity(ActivityTypes.InstallationUpdate);
            installation.Action = "add";
            var update = chat.NewActivity(ActivityTypes.ConversationUpdate);
            update.MembersAdded = [new ChannelAccount { Id = _bot.BotId }];

            var results = await Task.WhenAll(chat.PostAsync(installation), chat.PostAsync(update));

            Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.Status));
            await chat.ExpectCardAsync();
            await chat.ExpectNoMoreMessagesAsync();
            await using var db = _bot.CreateDbContext();
            Assert.Equal(1, await db.ConversationReferences.CountAsync(r => r.ConversationId == chat.Id));
        }
    }

    [Fact]
    public async Task Install_StoresAReachableConversationReference_WhenTheAppIsAdded()
    {
        var chat = _bot.PersonalChat(_dana);
        await chat.InstallAsync();

        await using var db = _bot.CreateDbContext();
        var reference = await db.ConversationReferences.SingleAsync(r => r.ConversationId == chat.Id);
        Assert.Equal(_bot.ServiceUrl, reference.ServiceUrl);
        Assert.Equal(_dana.Id, reference.UserId);
        Assert.Equal(_dana.AadObjectId, reference.UserAadObjectId);
        Assert.Equal(chat.TenantId, reference.TenantId);
        Assert.True(reference.IsReachable);
    }

    [Fact]
    public async Task Uninstall_MarksTheConversationUnreachable_WhenTheAppIsRemoved()
    {
        var chat = _bot.PersonalChat(_dana);
        await chat.InstallAsync();
        var removal = chat.NewActivity(ActivityTypes.InstallationUpdate);
        removal.Action = "remove";
        Assert.Equal(HttpStatusCode.OK, (await chat.PostAsync(removal)).Status);

        await using var db = _bot.CreateDbContext();
        Assert.False((await db.ConversationReferences.SingleAsync(r => r.ConversationId == chat.Id)).IsReachable);
    }

    [Fact]
    public async Task Help_RepliesWithTheHelpCardListingHelp_WhenSentInAPersonalChat()
    {
        var chat = _bot.PersonalChat(_dana);
        var turn = await chat.SendAsync("help");

        Assert.Equal(HttpStatusCode.OK, turn.Status);
        var (_, card) = await chat.ExpectCardAsync();
        Assert.Contains("help [command]", TestConversation.Texts(card), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_IsCaseInsensitive_WhenTypedInCapitals()
    {
        var chat = _bot.PersonalChat(_dana);
        await chat.SendAsync("HeLp");
        var (_, card) = await chat.ExpectCardAsync();
        Assert.Contains("help [command]", TestConversation.Texts(card), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_AnswersInTheChannelThread_WhenTheBotIsMentioned()
    {
        var channel = _bot.Channel(_dana, rootMessageId: "1712345679999");
        await channel.SendAsync("help");

        var (message, card) = await channel.ExpectCardAsync();
        Assert.Equal(channel.Id, message.ConversationId);
        Assert.Contains("help [command]", TestConversation.Texts(card), StringComparison.Ordinal);

        // The reference is kept per channel (where proactive posts go), not per thread.
        await using var db = _bot.CreateDbContext();
        var reference = await db.ConversationReferences.SingleAsync(r => r.ConversationType == ConversationTypes.Channel);
        Assert.Equal("19:general@thread.tacv2", reference.ConversationId);
        Assert.Equal("19:general@thread.tacv2", reference.TeamsChannelId);
        Assert.Null(reference.UserId);
    }

    [Fact]
    public async Task HelpForOneCommand_ShowsItsUsage_WhenTheCommandExists()
    {
        var chat = _bot.PersonalChat(_dana);
        await chat.SendAsync("help help");
        var (_, card) = await chat.ExpectCardAsync();
        var texts = TestConversation.Texts(card);
        Assert.Contains("Usage", texts, StringComparison.Ordinal);
        Assert.Contains("help [command]", texts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpForAnUnknownCommand_SaysSoAndSuggests_WhenTheNameIsClose()
    {
        var chat = _bot.PersonalChat(_dana);
        await chat.SendAsync("help hepl");
        var (_, card) = await chat.ExpectCardAsync();
        var texts = TestConversation.Texts(card);
        Assert.Contains("There is no command 'hepl'", texts, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'help'?", texts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommand_SaysWhatWasWrongAndShowsUsage_WhenMistyped()
    {
        var chat = _bot.PersonalChat(_dana);
        await chat.SendAsync("hlep me");
        var (_, card) = await chat.ExpectCardAsync();
        var texts = TestConversation.Texts(card);
        Assert.Contains("I don't know the command 'hlep'", texts, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'help'?", texts, StringComparison.Ordinal);
        Assert.Contains("help [command]", texts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommand_ShowsUserTextLiterally_WhenItLooksLikeTemplateSyntax()
    {
        var chat = _bot.PersonalChat(_dana);
        await chat.SendAsync("${secret}");
        var (_, card) = await chat.ExpectCardAsync();
        Assert.Contains("I don't know the command '${secret}'", TestConversation.Texts(card), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShowCommandsButton_ReplacesTheWelcomeCardWithHelp_WhenClicked()
    {
        var chat = _bot.PersonalChat(_dana);
        await chat.InstallAsync();
        var (welcome, _) = await chat.ExpectCardAsync();

        var click = await chat.ClickAsync(welcome.ActivityId, "showHelp");

        Assert.Equal(HttpStatusCode.OK, click.Status);
        Assert.Equal(200, click.Json!["statusCode"]!.GetValue<int>());
        Assert.Contains("help [command]", TestConversation.Texts(click.Card), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CardAction_AnswersWithAClearError_WhenTheVerbIsUnknown()
    {
        var chat = _bot.PersonalChat(_dana);
        var click = await chat.ClickAsync("1:abc", "launchMissiles");

        Assert.Equal(HttpStatusCode.OK, click.Status);
        Assert.Equal(400, click.Json!["statusCode"]!.GetValue<int>());
        Assert.Equal(ContentTypes.Error, click.Json["type"]!.GetValue<string>());
        Assert.Contains("not supported", click.Json["value"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RedeliveredMessage_IsAnsweredOnce_WhenTeamsSendsTheSameActivityTwice()
    {
        var chat = _bot.PersonalChat(_dana);
        var activity = chat.NewActivity(ActivityTypes.Message);
        activity.Text = "help";

        var first = await chat.PostAsync(activity);
        var second = await chat.PostAsync(activity);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        await chat.ExpectCardAsync();
        await chat.ExpectNoMoreMessagesAsync();
        await using var db = _bot.CreateDbContext();
        Assert.Equal(1, await db.ProcessedActivities.CountAsync(p => p.ActivityId == activity.Id));
    }

    [Fact]
    public async Task ConcurrentRedeliveries_AreProcessedOnce_WhenTheyArriveAtTheSameMoment()
    {
        var chat = _bot.PersonalChat(_dana);
        var activity = chat.NewActivity(ActivityTypes.Message);
        activity.Text = "help";

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => chat.PostAsync(activity)));

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        await chat.ExpectCardAsync();
        await chat.ExpectNoMoreMessagesAsync();
    }

    [Fact]
    public async Task Outbox_RetriesUntilDelivered_WhenTheConnectorIsThrottlingAndUnavailable()
    {
        var chat = _bot.PersonalChat(_dana);
        _bot.Connector.Enqueue(FakeResponse.Throttled(TimeSpan.FromMilliseconds(100)), times: 2, conversationId: chat.Id);
        _bot.Connector.Enqueue(FakeResponse.ServiceUnavailable(), times: 4, conversationId: chat.Id);

        await chat.SendAsync("help");

        var (_, card) = await chat.ExpectCardAsync(TimeSpan.FromSeconds(20));
        Assert.Contains("help [command]", TestConversation.Texts(card), StringComparison.Ordinal);
        await chat.ExpectNoMoreMessagesAsync();
        await using var db = _bot.CreateDbContext();
        var sent = await db.OutboxMessages.SingleAsync(m => m.ConversationId == chat.Id);
        Assert.Equal(ApprovalBot.Teams.Outbox.OutboxStatus.Sent, sent.Status);
    }

    [Fact]
    public async Task Outbox_GivesUpAndMarksTheChatUnreachable_WhenTheUserBlockedTheBot()
    {
        var chat = _bot.PersonalChat(_dana);
        _bot.Connector.Enqueue(FakeResponse.BlockedByUser(), conversationId: chat.Id);

        await chat.SendAsync("help");

        await _bot.WaitForOutboxToSettleAsync();
        await using var db = _bot.CreateDbContext();
        var message = await db.OutboxMessages.SingleAsync(m => m.ConversationId == chat.Id);
        var reference = await db.ConversationReferences.SingleAsync(r => r.ConversationId == chat.Id);
        Assert.Equal(ApprovalBot.Teams.Outbox.OutboxStatus.GivenUp, message.Status);
        Assert.False(reference.IsReachable);
    }
}
