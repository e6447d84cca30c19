using ApprovalBot.Protocol.Connector;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.TestSupport.Connector;

namespace ApprovalBot.IntegrationTests.Connector;

/// <summary>Every classified outcome, produced by the fake connector over real HTTP.</summary>
public sealed class ConnectorOutcomeHttpTests : IAsyncLifetime
{
    private const string Conversation = "a:1user";
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

    private static Activity Message() => new() { Type = ActivityTypes.Message, Text = "Approval needed: PO-42" };

    private Task<SendResult> SendAsync(ConnectorTestHost? host = null) =>
        (host ?? _host).Client.SendToConversationAsync(_connector.ServiceUrl, Conversation, Message());

    public static TheoryData<string, ConnectorResultKind, string?, bool> PermanentOutcomes => new()
    {
        { "blocked", ConnectorResultKind.RecipientGone, "ConversationBlockedByUser", false },
        { "not-in-roster", ConnectorResultKind.RecipientGone, "BotNotInConversationRoster", false },
        { "disabled-by-admin", ConnectorResultKind.RecipientGone, "BotDisabledByAdmin", false },
        { "not-installed", ConnectorResultKind.RecipientGone, "ForbiddenOperationException", false },
        { "conversation-gone", ConnectorResultKind.RecipientGone, "ConversationNotFound", false },
        { "bad-argument", ConnectorResultKind.Failed, "BadArgument", false },
        { "too-big", ConnectorResultKind.Failed, "MessageSizeTooBig", false },
        { "service-error", ConnectorResultKind.Failed, "ServiceError", false },
        { "wrong-cloud", ConnectorResultKind.Failed, "InvalidBotApiHost", false },
    };

    private static FakeResponse Scenario(string name) => name switch
    {
        "blocked" => FakeResponse.BlockedByUser(),
        "not-in-roster" => FakeResponse.Forbidden("BotNotInConversationRoster"),
        "disabled-by-admin" => FakeResponse.Forbidden("BotDisabledByAdmin"),
        "not-installed" => FakeResponse.Forbidden("ForbiddenOperationException"),
        "conversation-gone" => FakeResponse.ConversationNotFound(),
        "bad-argument" => FakeResponse.Error(400, "BadArgument", "Bad payload"),
        "too-big" => FakeResponse.Error(413, "MessageSizeTooBig", "Too big"),
        "service-error" => FakeResponse.Error(500, "ServiceError", "Internal"),
        "wrong-cloud" => FakeResponse.Forbidden("InvalidBotApiHost"),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(PermanentOutcomes))]
    public async Task SendToConversationAsync_ReturnsClassifiedResultAfterOneAttempt_WhenConnectorRefusesPermanently(
        string scenario, ConnectorResultKind kind, string? code, bool retryable)
    {
        _connector.Enqueue(Scenario(scenario), conversationId: Conversation);

        var result = await SendAsync();

        Assert.Equal(kind, result.Kind);
        Assert.Equal(code, result.ErrorCode);
        Assert.Equal(retryable, result.Retryable);
        Assert.Equal(1, result.Attempts);
        Assert.Single(_connector.Requests);
        Assert.Empty(_connector.GetMessages(Conversation));
    }

    [Fact]
    public async Task SendToConversationAsync_ReturnsRetryableFailureAfterMaxAttempts_WhenConnectorStaysUnavailable()
    {
        _connector.Enqueue(FakeResponse.ServiceUnavailable(), times: 3);

        var result = await SendAsync();

        Assert.Equal(ConnectorResultKind.Failed, result.Kind);
        Assert.True(result.Retryable);
        Assert.Equal(503, result.StatusCode);
        Assert.Equal(3, result.Attempts);
        Assert.Equal(3, _connector.Requests.Count);
    }

    [Theory]
    [InlineData(412)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task SendToConversationAsync_RetriesAndSends_WhenOneTransientFailureComesFirst(int status)
    {
        _connector.Enqueue(status switch
        {
            412 => FakeResponse.PreconditionFailed(),
            502 => FakeResponse.BadGateway(),
            _ => FakeResponse.GatewayTimeout(),
        });

        var result = await SendAsync();

        Assert.True(result.IsSent);
        Assert.Equal(2, result.Attempts);
        Assert.Single(_connector.GetMessages(Conversation));
    }

    [Fact]
    public async Task SendToConversationAsync_WaitsForRetryAfterThenSends_When429CarriesAShortRetryAfter()
    {
        _connector.Enqueue(FakeResponse.Throttled(TimeSpan.FromSeconds(1)));

        var result = await SendAsync();

        Assert.True(result.IsSent);
        Assert.Equal(2, result.Attempts);
        var requests = _connector.Requests;
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromMilliseconds(950),
            $"resent after {requests[1].ReceivedAt - requests[0].ReceivedAt}");
    }

    [Fact]
    public async Task SendToConversationAsync_ReturnsThrottledAtOnce_When429RetryAfterExceedsTheInlineCap()
    {
        _connector.Enqueue(FakeResponse.Throttled(TimeSpan.FromSeconds(60)));

        var result = await SendAsync();
        var next = await SendAsync();

        Assert.Equal(ConnectorResultKind.Throttled, result.Kind);
        Assert.Equal(TimeSpan.FromSeconds(60), result.RetryAfter);
        Assert.True(result.Retryable);
        Assert.Equal(ConnectorResultKind.Throttled, next.Kind);
        Assert.Equal(0, next.Attempts);
        Assert.Single(_connector.Requests);
        Assert.NotNull(_host.Gate.HoldUntil(Conversation));
    }

    [Fact]
    public async Task SendToConversationAsync_TimesOutAndResendsOnce_WhenConnectorHangsLongerThanTheAttemptTimeout()
    {
        await using var host = ConnectorTestHost.LocalDevelopment(new Dictionary<string, string?> { ["Connector:AttemptTimeout"] = "00:00:00.300" });
        _connector.Enqueue(FakeResponse.Delayed(TimeSpan.FromSeconds(30)));

        var result = await SendAsync(host);

        Assert.True(result.IsSent);
        Assert.Equal(2, result.Attempts);
        Assert.Single(_connector.GetMessages(Conversation));
    }

    [Fact]
    public async Task SendToConversationAsync_ReturnsRetryableTimeout_WhenEveryAttemptHangs()
    {
        await using var host = ConnectorTestHost.LocalDevelopment(new Dictionary<string, string?>
        {
            ["Connector:AttemptTimeout"] = "00:00:00.200",
            ["Connector:MaxAttempts"] = "2",
        });
        _connector.Enqueue(FakeResponse.Delayed(TimeSpan.FromSeconds(30)), times: 2);

        var result = await SendAsync(host);

        Assert.Equal(ConnectorResultKind.Failed, result.Kind);
        Assert.True(result.Retryable);
        Assert.Null(result.StatusCode);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(2, _connector.Requests.Count);
        Assert.Empty(_connector.GetMessages(Conversation));
    }

    [Fact]
    public async Task SendToConversationAsync_ReturnsRetryableFailure_WhenNothingListensOnTheServiceUrl()
    {
        var closed = await FakeConnector.StartAsync();
        var serviceUrl = closed.ServiceUrl;
        await closed.DisposeAsync();

        var result = await _host.Client.SendToConversationAsync(serviceUrl, Conversation, Message());

        Assert.Equal(ConnectorResultKind.Failed, result.Kind);
        Assert.True(result.Retryable);
        Assert.Equal(3, result.Attempts);
        Assert.Contains("connection failed", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendToConversationAsync_AffectsOnlyTheScriptedConversation_WhenFailureIsScriptedPerConversation()
    {
        _connector.Enqueue(FakeResponse.ConversationNotFound(), conversationId: "a:1gone");

        var gone = await _host.Client.SendToConversationAsync(_connector.ServiceUrl, "a:1gone", Message());
        var fine = await SendAsync();

        Assert.Equal(ConnectorResultKind.RecipientGone, gone.Kind);
        Assert.Equal(ConnectorErrorCodes.ConversationNotFound, gone.ErrorCode);
        Assert.True(fine.IsSent);
    }
}
