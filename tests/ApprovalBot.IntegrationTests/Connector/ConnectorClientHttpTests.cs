using System.Text.Json.Nodes;
using ApprovalBot.Protocol.Connector;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.TestSupport.Connector;

namespace ApprovalBot.IntegrationTests.Connector;

/// <summary>Each operation end to end against the fake connector over real HTTP (local development mode).</summary>
public sealed class ConnectorClientHttpTests : IAsyncLifetime
{
    private FakeConnector _connector = null!;
    private ConnectorTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _connector = await FakeConnector.StartAsync();
        _host = ConnectorTestHost.LocalDevelopment();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _connector.DisposeAsync();
    }

    private static Activity Card(string title) => new()
    {
        Type = ActivityTypes.Message,
        Attachments =
        [
            new Attachment
            {
                ContentType = ContentTypes.AdaptiveCard,
                Content = new JsonObject { ["type"] = "AdaptiveCard", ["version"] = "1.5", ["body"] = new JsonArray(new JsonObject { ["type"] = "TextBlock", ["text"] = title }) },
            },
        ],
    };

    private static string CardTitle(Activity activity) =>
        activity.Attachments![0].Content!["body"]![0]!["text"]!.GetValue<string>();

    [Fact]
    public async Task SendToConversationAsync_PostsTheActivityWithoutToken_WhenLocalDevelopment()
    {
        var result = await _host.Client.SendToConversationAsync(_connector.ServiceUrl, "a:1dev", Card("PO-42"));

        Assert.True(result.IsSent);
        var request = Assert.Single(_connector.Requests);
        Assert.Null(request.Authorization);
        Assert.Equal("application/json; charset=utf-8", request.ContentType);
        Assert.Equal(result.CorrelationId, "fake-" + request.Sequence);
        var message = Assert.Single(_connector.GetMessages("a:1dev"));
        Assert.Equal(result.ActivityId, message.ActivityId);
        Assert.Equal("PO-42", CardTitle(message.Current));
    }

    [Fact]
    public async Task UpdateActivityAsync_ReplacesTheCardInPlace_WhenTheActivityExists()
    {
        var sent = await _host.Client.SendToConversationAsync(_connector.ServiceUrl, "a:1dev", Card("Pending"));

        var updated = await _host.Client.UpdateActivityAsync(_connector.ServiceUrl, "a:1dev", sent.ActivityId!, Card("Approved"));

        Assert.True(updated.IsSent);
        Assert.Equal(sent.ActivityId, updated.ActivityId);
        var message = Assert.Single(_connector.GetMessages("a:1dev"));
        Assert.Equal("Approved", CardTitle(message.Current));
        Assert.Equal(1, message.UpdateCount);
        Assert.Equal(sent.ActivityId, _connector.Requests[1].Activity!.Id);
    }

    [Fact]
    public async Task UpdateActivityAsync_ReturnsActivityNotFound_WhenTheActivityDoesNotExist()
    {
        await _host.Client.SendToConversationAsync(_connector.ServiceUrl, "a:1dev", Card("Pending"));

        var result = await _host.Client.UpdateActivityAsync(_connector.ServiceUrl, "a:1dev", "1:deleted", Card("Approved"));

        Assert.Equal(ConnectorResultKind.ActivityNotFound, result.Kind);
        Assert.Equal(ConnectorErrorCodes.ActivityNotFoundInConversation, result.ErrorCode);
        Assert.False(result.Retryable);
    }

    [Fact]
    public async Task ReplyToActivityAsync_PostsAReplyLinkedToItsParent_WhenParentExists()
    {
        var root = await _host.Client.SendToConversationAsync(_connector.ServiceUrl, "19:c@thread.tacv2", Card("Escalation"));

        var reply = await _host.Client.ReplyToActivityAsync(_connector.ServiceUrl, "19:c@thread.tacv2", root.ActivityId!, new Activity { Type = ActivityTypes.Message, Text = "follow-up" });

        Assert.True(reply.IsSent);
        var message = _connector.GetMessage("19:c@thread.tacv2", reply.ActivityId!)!;
        Assert.Equal(root.ActivityId, message.ReplyToId);
        Assert.Equal(root.ActivityId, message.Current.ReplyToId);
    }

    [Fact]
    public async Task CreateConversationAsync_ReturnsTheSamePersonalConversation_WhenCreatedTwiceForOneUser()
    {
        var parameters = new ConversationParameters
        {
            IsGroup = false,
            Bot = new ChannelAccount { Id = "28:bot" },
            Members = [new ChannelAccount { Id = "29:ada" }],
            TenantId = "tenant-1",
            ChannelData = new TeamsChannelData { Tenant = new TenantInfo { Id = "tenant-1" } },
        };

        var first = await _host.Client.CreateConversationAsync(_connector.ServiceUrl, parameters);
        var second = await _host.Client.CreateConversationAsync(_connector.ServiceUrl, parameters);
        var sent = await _host.Client.SendToConversationAsync(_connector.ServiceUrl, first.ConversationId!, Card("Welcome"));

        Assert.True(first.Succeeded);
        Assert.StartsWith("a:", first.ConversationId, StringComparison.Ordinal);
        Assert.Equal(first.ConversationId, second.ConversationId);
        Assert.True(sent.IsSent);
        Assert.Equal("29:ada", _connector.Requests[0].ConversationParameters!.Members![0].Id);
        Assert.Single(_connector.GetMessages(first.ConversationId!));
    }

    [Fact]
    public async Task CreateConversationAsync_StartsAChannelThread_WhenGroupParametersNameAChannel()
    {
        var result = await _host.Client.CreateConversationAsync(_connector.ServiceUrl, new ConversationParameters
        {
            IsGroup = true,
            Activity = Card("Escalation: PO-42 breached its SLA"),
            ChannelData = new TeamsChannelData { Channel = new ChannelInfo { Id = "19:general@thread.tacv2" }, Tenant = new TenantInfo { Id = "t" } },
            TenantId = "t",
        });

        Assert.True(result.Succeeded);
        Assert.Equal($"19:general@thread.tacv2;messageid={result.ActivityId}", result.ConversationId);
        Assert.Equal("Escalation: PO-42 breached its SLA", CardTitle(Assert.Single(_connector.GetMessages(result.ConversationId!)).Current));
    }

    [Fact]
    public async Task GetPagedMembersAsync_WalksTheWholeRoster_WhenFollowingContinuationTokens()
    {
        _connector.SetMembers("19:team", Enumerable.Range(0, 120).Select(i => new TeamsChannelAccount { Id = $"29:u{i}", ObjectId = $"oid-{i}" }));

        var seen = new List<TeamsChannelAccount>();
        string? continuation = null;
        do
        {
            var page = await _host.Client.GetPagedMembersAsync(_connector.ServiceUrl, "19:team", pageSize: 10, continuation);
            Assert.True(page.Succeeded, page.Reason);
            seen.AddRange(page.Value!.Members!);
            continuation = page.Value.ContinuationToken;
        }
        while (continuation is not null);

        Assert.Equal(120, seen.Select(m => m.EntraObjectId).Distinct().Count());
        Assert.All(_connector.Requests, r => Assert.Equal("50", r.Query("pageSize")));
        Assert.Equal(3, _connector.Requests.Count);
    }

    [Fact]
    public async Task GetTeamChannelsAsync_ListsTheChannels_AndIsRecipientGone_WhenTheBotIsNotInTheTeam()
    {
        _connector.SetTeamChannels("19:team@thread.tacv2", [("19:team@thread.tacv2", null), ("19:fin@thread.tacv2", "Finance")]);

        var listed = await _host.Client.GetTeamChannelsAsync(_connector.ServiceUrl, "19:team@thread.tacv2");
        var other = await _host.Client.GetTeamChannelsAsync(_connector.ServiceUrl, "19:other@thread.tacv2");

        Assert.True(listed.Succeeded, listed.Reason);
        Assert.Equal([("19:team@thread.tacv2", (string?)null), ("19:fin@thread.tacv2", "Finance")], listed.Value!.Conversations!.Select(c => (c.Id, c.Name)));
        Assert.Equal("/v3/teams/19%3Ateam%40thread.tacv2/conversations", _connector.Requests[0].RawPath);
        Assert.False(other.Succeeded);
        Assert.Equal((ConnectorResultKind.RecipientGone, 403, "BotNotInConversationRoster", false), (other.Kind, other.StatusCode, other.ErrorCode, other.Retryable));
    }

    [Fact]
    public async Task GetMemberAsync_ReturnsTheMember_WhenLookedUpByUpn()
    {
        _connector.SetMembers("a:1dev", [new TeamsChannelAccount { Id = "29:ada", Name = "Ada", UserPrincipalName = "ada@contoso.com", ObjectId = "oid-ada" }]);

        var found = await _host.Client.GetMemberAsync(_connector.ServiceUrl, "a:1dev", "ada@contoso.com");
        var missing = await _host.Client.GetMemberAsync(_connector.ServiceUrl, "a:1dev", "29:nobody");

        Assert.Equal("oid-ada", found.Value!.EntraObjectId);
        Assert.Equal("/v3/conversations/a%3A1dev/members/ada%40contoso.com", _connector.Requests[0].RawPath);
        Assert.Equal(ConnectorResultKind.Failed, missing.Kind);
        Assert.Equal(404, missing.StatusCode);
        Assert.Equal("MemberNotFoundInConversation", missing.ErrorCode);
    }

    [Fact]
    public async Task SendToConversationAsync_EscapesColonAtAndSemicolonInTheRawPath_WhenIdsContainThem()
    {
        const string thread = "19:abc@thread.tacv2;messageid=1716";

        var sent = await _host.Client.SendToConversationAsync(_connector.ServiceUrl, thread, Card("A"));
        await _host.Client.UpdateActivityAsync(_connector.ServiceUrl, thread, sent.ActivityId!, Card("B"));

        var post = _connector.Requests[0];
        var put = _connector.Requests[1];
        Assert.Equal("/v3/conversations/19%3Aabc%40thread.tacv2%3Bmessageid%3D1716/activities", post.RawPath);
        Assert.Equal(thread, post.ConversationId);
        Assert.Equal("/v3/conversations/19%3Aabc%40thread.tacv2%3Bmessageid%3D1716/activities/" + Uri.EscapeDataString(sent.ActivityId!), put.RawPath);
        Assert.Contains("%3A", put.RawPath[put.RawPath.LastIndexOf('/')..], StringComparison.Ordinal);
        Assert.Equal(sent.ActivityId, put.ActivityId);
        Assert.Equal("B", CardTitle(Assert.Single(_connector.GetMessages(thread)).Current));
    }

    [Fact]
    public async Task SendToConversationAsync_KeepsTheServiceUrlPath_WhenServiceUrlHasNoTrailingSlash()
    {
        await _host.Client.SendToConversationAsync(_connector.ServiceUrl + "teams", "a:1", Card("A"));

        Assert.Equal("/teams/v3/conversations/a%3A1/activities", Assert.Single(_connector.Requests).RawPath);
    }

    [Fact]
    public async Task SendToConversationAsync_RefusesWithoutSending_WhenLocalDevelopmentTargetsANonLoopbackHost()
    {
        var result = await _host.Client.SendToConversationAsync("https://smba.trafficmanager.net/teams/", "a:1", Card("A"));

        Assert.Equal(ConnectorResultKind.Failed, result.Kind);
        Assert.Contains("loopback", result.Reason, StringComparison.Ordinal);
        Assert.Equal(0, result.Attempts);
    }
}
