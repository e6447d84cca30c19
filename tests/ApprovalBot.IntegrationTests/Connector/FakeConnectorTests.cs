using System.Net;
using System.Text;
using ApprovalBot.TestSupport.Connector;

namespace ApprovalBot.IntegrationTests.Connector;

/// <summary>The fake's own contract, so other teams can rely on it: waiting, scripting, deletes.</summary>
public sealed class FakeConnectorTests : IAsyncLifetime, IDisposable
{
    private readonly HttpClient _http = new();
    private FakeConnector _connector = null!;

    public async Task InitializeAsync() => _connector = await FakeConnector.StartAsync();

    public async Task DisposeAsync() => await _connector.DisposeAsync();

    public void Dispose() => _http.Dispose();

    private Task<HttpResponseMessage> PostAsync(string conversationId) =>
        _http.PostAsync(new Uri($"{_connector.ServiceUrl}v3/conversations/{Uri.EscapeDataString(conversationId)}/activities"),
            new StringContent("""{"type":"message","text":"hi"}""", Encoding.UTF8, "application/json"));

    [Fact]
    public async Task WaitForAsync_CompletesWhenAMatchingRequestArrivesLater_WhenNoneHasYet()
    {
        var waiting = _connector.WaitForAsync(r => r.Operation == FakeOperation.SendToConversation && r.ConversationId == "a:2");
        await PostAsync("a:1");
        Assert.False(waiting.IsCompleted);

        await PostAsync("a:2");
        var request = await waiting;

        Assert.Equal("a:2", request.ConversationId);
        Assert.Equal("hi", request.Activity!.Text);
    }

    [Fact]
    public async Task WaitForAsync_ThrowsTimeout_WhenNothingMatches()
    {
        await Assert.ThrowsAsync<TimeoutException>(() => _connector.WaitForAsync(_ => true, TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public async Task Enqueue_AppliesOnlyToTheNamedOperationAndCount_WhenScripted()
    {
        _connector.Enqueue(FakeResponse.Throttled(TimeSpan.FromSeconds(3)), times: 2, operation: FakeOperation.SendToConversation);

        var first = await PostAsync("a:1");
        var second = await PostAsync("a:1");
        var third = await PostAsync("a:1");

        Assert.Equal((HttpStatusCode)429, first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), first.Headers.RetryAfter!.Delta);
        Assert.Equal((HttpStatusCode)429, second.StatusCode);
        Assert.Equal(HttpStatusCode.Created, third.StatusCode);
        Assert.Single(_connector.GetMessages("a:1"));
        Assert.Equal([429, 429, 201], (await _connector.WaitForCountAsync(3, _ => true)).Select(r => r.ResponseStatus));
    }

    [Fact]
    public async Task GetTeamChannels_ListsTheTeamsChannelsAsTeamsDoes_WhenTheTeamIsKnown()
    {
        _connector.SetTeamChannels("19:team@thread.tacv2", [("19:team@thread.tacv2", null), ("19:fin@thread.tacv2", "Finance")]);
        _connector.Enqueue(FakeResponse.Throttled(TimeSpan.FromSeconds(2)), operation: FakeOperation.GetTeamChannels);
        Uri Url(string team) => new($"{_connector.ServiceUrl}v3/teams/{Uri.EscapeDataString(team)}/conversations");

        var throttled = await _http.GetAsync(Url("19:team@thread.tacv2"));
        var listed = await _http.GetAsync(Url("19:team@thread.tacv2"));
        var unknown = await _http.GetAsync(Url("19:other@thread.tacv2"));

        Assert.Equal((HttpStatusCode)429, throttled.StatusCode);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        // The General channel has no name: the property is absent, as the service sends it.
        Assert.Equal("""{"conversations":[{"id":"19:team@thread.tacv2"},{"id":"19:fin@thread.tacv2","name":"Finance"}]}""", await listed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, unknown.StatusCode);
        Assert.Contains("BotNotInConversationRoster", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var requests = await _connector.WaitForCountAsync(3, r => r.Operation == FakeOperation.GetTeamChannels);
        Assert.Equal(["19:team@thread.tacv2", "19:team@thread.tacv2", "19:other@thread.tacv2"], requests.Select(r => r.ConversationId));
        Assert.Equal("/v3/teams/19%3Ateam%40thread.tacv2/conversations", requests[0].RawPath);
    }

    [Fact]
    public async Task Delete_MarksTheMessageDeleted_WhenItExists()
    {
        var posted = await PostAsync("a:1");
        var id = System.Text.Json.Nodes.JsonNode.Parse(await posted.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();

        var deleted = await _http.DeleteAsync(new Uri($"{_connector.ServiceUrl}v3/conversations/a%3A1/activities/{Uri.EscapeDataString(id)}"));

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.True(_connector.GetMessage("a:1", id)!.Deleted);
    }
}
