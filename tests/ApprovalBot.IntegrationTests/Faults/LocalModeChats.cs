using System.Net.Http.Headers;
using System.Text;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.TestSupport.Connector;

namespace ApprovalBot.IntegrationTests.Faults;

/// <summary>
/// Activities for a bot child process in local development mode (no app id, so no tokens), talking to a shared
/// <see cref="FakeConnector"/>: each person's 1:1 chat is <c>a:personal-{user id}</c>, and any of several processes may
/// be sent any activity, as behind a load balancer.
/// </summary>
internal static class LocalModeChats
{
    public const string LocalBotId = "28:approvalbot-local";
    private const string Tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    public static string ChatOf(TestUser user) => $"a:personal-{user.Id}";

    /// <summary>The app is added to <paramref name="user"/>'s 1:1 chat, as Teams sends it; waits for the welcome card.</summary>
    public static async Task InstallAsync(HttpClient http, FakeConnector connector, TestUser user)
    {
        ArgumentNullException.ThrowIfNull(connector);
        var installation = NewActivity(connector, user, ActivityTypes.InstallationUpdate);
        installation.Action = "add";
        await PostAsync(http, installation);
        var update = NewActivity(connector, user, ActivityTypes.ConversationUpdate);
        update.MembersAdded = [new ChannelAccount { Id = LocalBotId }];
        await PostAsync(http, update);
        await connector.WaitForAsync(r => r.ConversationId == ChatOf(user) && r.Operation == FakeOperation.SendToConversation, TimeSpan.FromSeconds(20));
    }

    public static Activity Message(FakeConnector connector, TestUser user, string text)
    {
        var message = NewActivity(connector, user, ActivityTypes.Message);
        message.Text = text;
        message.TextFormat = "plain";
        return message;
    }

    public static Activity NewActivity(FakeConnector connector, TestUser user, string type)
    {
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentNullException.ThrowIfNull(user);
        return new Activity
        {
            Type = type,
            Id = $"{type}-{Guid.NewGuid():N}",
            ChannelId = "msteams",
            ServiceUrl = connector.ServiceUrl,
            From = new ChannelAccount { Id = user.Id, Name = user.Name, AadObjectId = user.AadObjectId },
            Recipient = new ChannelAccount { Id = LocalBotId, Name = "ApprovalBot" },
            Conversation = new ConversationAccount { Id = ChatOf(user), ConversationType = ConversationTypes.Personal, TenantId = Tenant },
            ChannelData = new TeamsChannelData { Tenant = new TenantInfo { Id = Tenant } },
            Locale = "en-US",
        };
    }

    /// <summary>Posts to <c>/api/messages</c> and fails the test unless the answer is a success.</summary>
    public static async Task PostAsync(HttpClient http, Activity activity)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(activity);
        using var content = new StringContent(ProtocolJson.Serialize(activity), Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        using var response = await http.PostAsync(new Uri("api/messages", UriKind.Relative), content);
        Assert.True(response.IsSuccessStatusCode, $"{activity.Type}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
