using System.Text.Json.Nodes;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Teams;

namespace ApprovalBot.UnitTests.Teams;

/// <summary>Teams' team events as they arrive (conversationUpdate / installationUpdate in a team's General conversation), read without I/O.</summary>
public sealed class TeamEventsTests
{
    private const string Team = "19:team@thread.tacv2";
    private const string Bot = "28:bot-app-id";

    private static Activity Parse(string type, string extra) => ProtocolJson.Deserialize<Activity>($$"""
        {
          "type": "{{type}}",
          "id": "f:1",
          "channelId": "msteams",
          "serviceUrl": "https://smba.trafficmanager.net/emea/",
          "from": { "id": "29:installer", "aadObjectId": "oid-installer" },
          "recipient": { "id": "{{Bot}}", "name": "ApprovalBot" },
          "conversation": { "id": "{{Team}}", "conversationType": "channel", "isGroup": true, "tenantId": "tenant-1" },
          {{extra}}
        }
        """)!;

    private static string ChannelData(string? eventType = null, string? channelId = null, string? channelName = null)
    {
        var data = new JsonObject
        {
            ["tenant"] = new JsonObject { ["id"] = "tenant-1" },
            ["team"] = new JsonObject { ["id"] = Team, ["name"] = "Contoso", ["aadGroupId"] = "group-1" },
        };
        if (eventType is not null) data["eventType"] = eventType;
        if (channelId is not null)
        {
            var channel = new JsonObject { ["id"] = channelId };
            if (channelName is not null) channel["name"] = channelName;
            data["channel"] = channel;
        }
        return "\"channelData\": " + data.ToJsonString();
    }

    [Fact]
    public void Of_ReadsAnInstall_WhenTheBotIsAddedToATeam()
    {
        var update = Parse(ActivityTypes.ConversationUpdate, $$"""
            "membersAdded": [ { "id": "{{Bot}}" } ],
            {{ChannelData()}}
            """);
        var installation = Parse(ActivityTypes.InstallationUpdate, $"\"action\": \"add\", {ChannelData()}");

        Assert.Equal(new TeamChange(TeamChangeKind.BotInstalled, Team, "Contoso"), TeamEvents.Of(update));
        Assert.Equal(new TeamChange(TeamChangeKind.BotInstalled, Team, "Contoso"), TeamEvents.Of(installation));
    }

    [Fact]
    public void Of_ReadsARemoval_WhenTheBotIsRemovedOrTheTeamDeleted()
    {
        var update = Parse(ActivityTypes.ConversationUpdate, $$"""
            "membersRemoved": [ { "id": "{{Bot}}" } ],
            {{ChannelData()}}
            """);
        var uninstall = Parse(ActivityTypes.InstallationUpdate, $"\"action\": \"remove\", {ChannelData()}");
        var deleted = Parse(ActivityTypes.ConversationUpdate, ChannelData(TeamEvents.TeamDeleted));

        Assert.All(new[] { update, uninstall, deleted }, a => Assert.Equal(TeamChangeKind.BotRemoved, TeamEvents.Of(a)!.Kind));
    }

    [Theory]
    [InlineData("channelCreated", nameof(TeamChangeKind.ChannelAvailable))]
    [InlineData("channelRenamed", nameof(TeamChangeKind.ChannelAvailable))]
    [InlineData("channelRestored", nameof(TeamChangeKind.ChannelAvailable))]
    [InlineData("channelDeleted", nameof(TeamChangeKind.ChannelDeleted))]
    public void Of_ReadsTheChannelTheEventIsAbout_WhenAChannelEventArrivesInTheGeneralConversation(string eventType, string expected)
    {
        var kind = Enum.Parse<TeamChangeKind>(expected);
        var activity = Parse(ActivityTypes.ConversationUpdate, ChannelData(eventType, "19:fin@thread.tacv2", "Finance"));

        Assert.True(TeamEvents.IsChannelEvent(activity));
        Assert.Equal(new TeamChange(kind, Team, "Contoso", "19:fin@thread.tacv2", "Finance"), TeamEvents.Of(activity));
    }

    [Fact]
    public void Of_IsNull_WhenTheActivityIsNotAboutTheTeam()
    {
        var member = Parse(ActivityTypes.ConversationUpdate, $$"""
            "membersAdded": [ { "id": "29:someone-else" } ],
            {{ChannelData()}}
            """);
        var message = Parse(ActivityTypes.Message, $"\"text\": \"help\", {ChannelData(channelId: Team)}");
        var personal = Parse(ActivityTypes.InstallationUpdate, "\"action\": \"add\", \"channelData\": { \"tenant\": { \"id\": \"tenant-1\" } }");
        var unknownEvent = Parse(ActivityTypes.ConversationUpdate, ChannelData("channelShared", "19:fin@thread.tacv2"));

        Assert.All(new[] { member, message, personal, unknownEvent }, a => Assert.Null(TeamEvents.Of(a)));
        Assert.False(TeamEvents.IsChannelEvent(message));
    }

    [Fact]
    public void Snapshot_KeepsTheGeneralConversationsOwnChannel_WhenAChannelEventNamesAnotherChannel()
    {
        var created = Parse(ActivityTypes.ConversationUpdate, ChannelData(TeamEvents.ChannelCreated, "19:fin@thread.tacv2", "Finance"));
        var message = Parse(ActivityTypes.Message, $"\"text\": \"help\", {ChannelData(channelId: Team, channelName: "General")}");

        var fromEvent = ConversationCapture.Snapshot(created)!;
        var fromMessage = ConversationCapture.Snapshot(message)!;

        Assert.Equal((Team, Team, (string?)null), (fromEvent.ConversationId, fromEvent.TeamsChannelId, fromEvent.TeamsChannelName));
        Assert.Equal((Team, Team, "General"), (fromMessage.ConversationId, fromMessage.TeamsChannelId, fromMessage.TeamsChannelName));
    }
}
