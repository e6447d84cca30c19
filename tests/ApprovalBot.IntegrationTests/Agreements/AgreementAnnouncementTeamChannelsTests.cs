using System.Net;
using System.Text.Json.Nodes;
using ApprovalBot.Agreements.Announcement;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.IntegrationTests.Api;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Scheduling;
using ApprovalBot.Teams;
using ApprovalBot.TestSupport.Connector;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ApprovalBot.IntegrationTests.Agreements;

/// <summary>
/// The announcement reaches every department channel of a team the bot was added to, not only the General channel Teams
/// sends it activities from: the install lists the team's channels through the connector (retried until it lands), the
/// channel events keep them current, and the bot's removal from the team retires them all.
/// </summary>
public abstract partial class AgreementAnnouncementTests
{
    /// <summary>A team (its id is its General channel's) whose IT and Finance channels the bot never hears from.</summary>
    protected const string Team = "19:contoso-team@thread.tacv2";

    protected const string OtherTeam = "19:other-team@thread.tacv2";

    [Fact]
    public async Task AnAgreement_IsAnnouncedInDepartmentChannelsTheBotNeverHeardFrom_WhenTheBotWasAddedToTheirTeam()
    {
        Bot.Connector.SetTeamChannels(Team, [(Team, null), (Finance, "Finance"), (It, "IT")]);
        await InstalledChannelAsync(Team, Cast.Isaiah);
        await ChannelsListedAsync(Team, Finance, It);

        var listing = await Bot.Connector.WaitForAsync(r => r.Operation == FakeOperation.GetTeamChannels);
        Assert.Equal($"/v3/teams/{Uri.EscapeDataString(Team)}/conversations", listing.RawPath);
        Assert.NotNull(listing.BearerToken);
        var general = await ReferenceAsync(Team);
        var finance = await ReferenceAsync(Finance);
        Assert.Equal((ConversationTypes.Channel, general!.ServiceUrl, general.TenantId, general.BotId, Team, Finance, "Finance"),
            (finance!.ConversationType, finance.ServiceUrl, finance.TenantId, finance.BotId, finance.TeamId, finance.TeamsChannelId, finance.TeamsChannelName));

        var id = await ActivatedAsync();

        var financeChannel = Bot.Channel(Cast.Isaiah, Finance);
        var (post, card) = await financeChannel.ExpectCardWhileTickingAsync(Clock, IsAnnouncement);
        Assert.Equal(Finance, post.ConversationId);
        await Bot.Channel(Cast.Isaiah, It).ExpectCardWhileTickingAsync(Clock, IsAnnouncement);
        await SettleAsync();
        Assert.DoesNotContain(Bot.Connector.GetMessages(Team), m => IsAnnouncement(TestConversation.CardOf(m.Current) ?? new JsonObject()));

        // IT and Finance reached; HR and Operations are in no team the bot was added to.
        var channels = await AnnouncedChannelsAsync(id);
        Assert.Equal([true, true, false, false], channels.Select(c => c["reached"]!.GetValue<bool>()));
        Assert.Contains("the bot is not installed in that channel's team", channels[2]["notReachedReason"]!.GetValue<string>(), StringComparison.Ordinal);

        // A click in the listed channel is an acknowledgement from that department.
        var ack = await financeChannel.ClickAsync(post.ActivityId, AnnouncementVerbs.Acknowledge, Cards.Click(card, AnnouncementVerbs.Acknowledge), Cast.Megan);
        Assert.Contains("Megan Bowen (Finance)", TestConversation.Texts(ack.Card), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChannelEvents_CreateRenameRetireAndRestoreTheChannelsReference_AndLeaveTheGeneralConversationItsOwn()
    {
        Bot.Connector.SetTeamChannels(Team, [(Team, null), (Finance, "Finance")]);
        var general = await InstalledChannelAsync(Team, Cast.Isaiah);
        await ChannelsListedAsync(Team, Finance);

        // Teams sends channel events in the General conversation, naming the channel in channelData.channel.
        Bot.Connector.SetTeamChannels(Team, [(Team, null), (Finance, "Finance"), (It, "IT")]);
        await ChannelEventAsync(general, TeamEvents.ChannelCreated, It, "IT");
        var it = await ReferenceAsync(It);
        Assert.Equal((true, ConversationTypes.Channel, Team, It, "IT"), (it!.IsReachable, it.ConversationType, it.TeamId, it.TeamsChannelId, it.TeamsChannelName));
        await ChannelEventAsync(general, TeamEvents.ChannelRenamed, It, "IT support");
        Assert.Equal("IT support", (await ReferenceAsync(It))!.TeamsChannelName);

        Bot.Connector.SetTeamChannels(Team, [(Team, null), (It, "IT support")]);
        await ChannelEventAsync(general, TeamEvents.ChannelDeleted, Finance, "Finance");
        var deleted = await ReferenceAsync(Finance);
        Assert.Equal((false, "The channel was deleted."), (deleted!.IsReachable, deleted.UnreachableReason));
        await ChannelEventAsync(general, TeamEvents.ChannelRestored, Finance, "Finance");
        Assert.True((await ReferenceAsync(Finance))!.IsReachable);
        await ChannelEventAsync(general, TeamEvents.ChannelDeleted, Finance, "Finance");

        // The General conversation keeps its own channel: an event's channel once overwrote it, so that an announcement for
        // the new channel would have gone to General.
        var team = await ReferenceAsync(Team);
        Assert.Equal((Team, true), (team!.TeamsChannelId, team.IsReachable));
        await using (var db = Bot.CreateDbContext())
            Assert.Equal([Team], await db.ConversationReferences.AsNoTracking().Where(r => r.TeamsChannelId == Team).Select(r => r.ConversationId).ToListAsync());

        var id = await ActivatedAsync();
        await Bot.Channel(Cast.Isaiah, It).ExpectCardWhileTickingAsync(Clock, IsAnnouncement);
        await SettleAsync();
        Assert.DoesNotContain(Bot.Connector.GetMessages(Finance), m => IsAnnouncement(TestConversation.CardOf(m.Current) ?? new JsonObject()));
        Assert.DoesNotContain(Bot.Connector.GetMessages(Team), m => IsAnnouncement(TestConversation.CardOf(m.Current) ?? new JsonObject()));
        var channels = await AnnouncedChannelsAsync(id);
        Assert.Equal([true, false, false, false], channels.Select(c => c["reached"]!.GetValue<bool>()));
        Assert.Contains("The channel was deleted.", channels[1]["notReachedReason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheBotRemovedFromATeam_MakesEveryChannelOfThatTeamUnreachable_AndNoOtherTeams()
    {
        Bot.Connector.SetTeamChannels(Team, [(Team, null), (Finance, "Finance"), (It, "IT")]);
        Bot.Connector.SetTeamChannels(OtherTeam, [(OtherTeam, null), (Hr, "HR")]);
        var general = await InstalledChannelAsync(Team, Cast.Isaiah);
        await InstalledChannelAsync(OtherTeam, Cast.Isaiah);
        await ChannelsListedAsync(Team, Finance, It);
        await ChannelsListedAsync(OtherTeam, Hr);

        var removal = general.NewActivity(ActivityTypes.ConversationUpdate);
        removal.MembersRemoved = [new ChannelAccount { Id = Bot.BotId }];
        Assert.Equal(HttpStatusCode.OK, (await general.PostAsync(removal)).Status);

        foreach (var channel in new[] { Team, Finance, It })
            Assert.False((await ReferenceAsync(channel))!.IsReachable, $"{channel} is still reachable.");
        Assert.Equal("The app was removed from this team.", (await ReferenceAsync(Finance))!.UnreachableReason);
        foreach (var channel in new[] { OtherTeam, Hr })
            Assert.True((await ReferenceAsync(channel))!.IsReachable, $"{channel} of the other team was retired.");
    }

    [Fact]
    public async Task AFailedChannelListing_IsTriedAgainUntilItLands()
    {
        Bot.Connector.SetTeamChannels(Team, [(Team, null), (Finance, "Finance")]);
        // Throttled for longer than the connector waits inline, a 500, then unavailable for all of one call's attempts:
        // each fails the listing, which the scheduler fires again.
        Bot.Connector.Enqueue(FakeResponse.Throttled(TimeSpan.FromSeconds(15)), operation: FakeOperation.GetTeamChannels);
        Bot.Connector.Enqueue(FakeResponse.Error(500, "ServiceError", "Internal error"), operation: FakeOperation.GetTeamChannels);
        Bot.Connector.Enqueue(FakeResponse.ServiceUnavailable(), times: 3, operation: FakeOperation.GetTeamChannels);

        await Bot.Channel(Cast.Isaiah, Team).InstallAsync();
        await ChannelsListedAsync(Team, Finance);

        var statuses = Bot.Connector.Requests.Where(r => r.Operation == FakeOperation.GetTeamChannels).Select(r => r.ResponseStatus).ToList();
        Assert.Equal([429, 500, 503, 503, 503, 200], statuses.Take(6));
        Assert.True((await ReferenceAsync(Finance))!.IsReachable);
    }

    [Fact]
    public async Task AChannelCreatedWithoutAnEventTheBotHeard_IsLearntByTheListingAtStartUp()
    {
        Bot.Connector.SetTeamChannels(Team, [(Team, null), (Finance, "Finance")]);
        Bot.Connector.SetTeamChannels(OtherTeam, [(OtherTeam, null), (Hr, "HR")]);
        await InstalledChannelAsync(Team, Cast.Isaiah);
        var other = await InstalledChannelAsync(OtherTeam, Cast.Isaiah);
        await ChannelsListedAsync(Team, Finance);
        await ChannelsListedAsync(OtherTeam, Hr);
        var removal = other.NewActivity(ActivityTypes.ConversationUpdate);
        removal.MembersRemoved = [new ChannelAccount { Id = Bot.BotId }];
        Assert.Equal(HttpStatusCode.OK, (await other.PostAsync(removal)).Status);
        var listings = Bot.Connector.Requests.Count(r => r.Operation == FakeOperation.GetTeamChannels);

        // IT is created (and Finance renamed) while the bot hears nothing of it, e.g. while it is not running; the
        // start-up's listing (the same round a start runs) learns both, and leaves the team the bot was removed from alone.
        Bot.Connector.SetTeamChannels(Team, [(Team, null), (Finance, "Finance and controlling"), (It, "IT")]);
        Assert.Equal(1, await Bot.Services.GetServices<IHostedService>().OfType<TeamChannelRefresh>().Single().ListAllAsync(CancellationToken.None));
        await ChannelsListedAsync(Team, Finance, It);

        Assert.Equal(listings + 1, Bot.Connector.Requests.Count(r => r.Operation == FakeOperation.GetTeamChannels));
        Assert.Equal("IT", (await ReferenceAsync(It))!.TeamsChannelName);
        Assert.Equal("Finance and controlling", (await ReferenceAsync(Finance))!.TeamsChannelName);
        Assert.False((await ReferenceAsync(Hr))!.IsReachable);
    }

    /// <summary>Ticks until the team's channels are stored, reachable, and no listing of the team is pending any more.</summary>
    private Task ChannelsListedAsync(string teamId, params string[] channelIds) => Clock.TickUntilAsync(
        async () =>
        {
            await using var db = Bot.CreateDbContext();
            var stored = await db.ConversationReferences.CountAsync(r => channelIds.Contains(r.ConversationId) && r.TeamId == teamId && r.IsReachable);
            return stored == channelIds.Length
                && await Bot.Services.GetRequiredService<DurableTimers>().GetArmedAsync(TeamChannelListing.Kind, teamId, CancellationToken.None) is null;
        },
        () => $"the channels of {teamId} were not listed ({string.Join("; ", Bot.Connector.Requests.Where(r => r.Operation == FakeOperation.GetTeamChannels).Select(r => r.ResponseStatus))})",
        maxTicks: 300);

    private static async Task ChannelEventAsync(TestConversation general, string eventType, string channelId, string name)
    {
        var activity = general.NewActivity(ActivityTypes.ConversationUpdate);
        activity.ChannelData!.EventType = eventType;
        activity.ChannelData.Channel = new ChannelInfo { Id = channelId, Name = name };
        activity.ChannelData.Team = new TeamInfo { Id = Team, Name = "Contoso" };
        Assert.Equal(HttpStatusCode.OK, (await general.PostAsync(activity)).Status);
    }

    private async Task<ConversationReference?> ReferenceAsync(string conversationId)
    {
        await using var db = Bot.CreateDbContext();
        return await db.ConversationReferences.AsNoTracking().SingleOrDefaultAsync(r => r.ConversationId == conversationId);
    }

    /// <summary>A draft Alex submits, approved by its three stages (Megan, Adele, Patti): Active, so announced.</summary>
    private async Task<long> ActivatedAsync()
    {
        var alex = await Bot.WelcomedChatAsync(Cast.Alex);
        var megan = await Bot.WelcomedChatAsync(Cast.Megan);
        var adele = await Bot.WelcomedChatAsync(Cast.Adele);
        var patti = await Bot.WelcomedChatAsync(Cast.Patti);
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
        return id;
    }

    private async Task<IReadOnlyList<JsonNode>> AnnouncedChannelsAsync(long id) =>
        [.. (await ApiCalls.JsonAsync(await ApiCalls.GetAsync(Bot, $"/api/v1/agreements/{id}/announcement")))["announcements"]!.AsArray().Single()!["channels"]!.AsArray().Select(c => c!)];
}
