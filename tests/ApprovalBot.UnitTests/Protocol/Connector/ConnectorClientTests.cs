using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ApprovalBot.Protocol.Connector;
using ApprovalBot.Protocol.Schema;

namespace ApprovalBot.UnitTests.Protocol.Connector;

public sealed class ConnectorClientTests
{
    private const string Conversation = "a:1xyz";

    private static Activity Message(string text = "hello") => new() { Type = ActivityTypes.Message, Text = text };

    [Fact]
    public async Task SendToConversationAsync_ReturnsSentWithActivityId_WhenConnectorAnswers201()
    {
        using var h = new ClientHarness();
        h.Handler.Enqueue(HttpStatusCode.Created, """{"id":"1:777"}""");

        var result = await h.Client.SendToConversationAsync(ClientHarness.AllowedServiceUrl, Conversation, Message());

        Assert.Equal(ConnectorResultKind.Succeeded, result.Kind);
        Assert.True(result.IsSent);
        Assert.Equal("1:777", result.ActivityId);
        Assert.Equal(201, result.StatusCode);
        Assert.Equal(1, result.Attempts);
        Assert.Equal("corr-1", result.CorrelationId);
        var request = Assert.Single(h.Handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("hello", JsonNode.Parse(request.Body!)!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task SendToConversationAsync_ReturnsSentWithoutId_WhenConnectorAnswers202WithNoBody()
    {
        using var h = new ClientHarness();
        h.Handler.Enqueue(HttpStatusCode.Accepted);

        var result = await h.Client.SendToConversationAsync(ClientHarness.AllowedServiceUrl, Conversation, Message());

        Assert.True(result.IsSent);
        Assert.Null(result.ActivityId);
    }

    [Fact]
    public async Task SendToConversationAsync_EscapesIdsIntoOnePathSegment_WhenIdsContainColonAtAndSemicolon()
    {
        using var h = new ClientHarness();
        const string channelThread = "19:abc@thread.tacv2;messageid=1716";

        await h.Client.ReplyToActivityAsync(ClientHarness.AllowedServiceUrl, channelThread, "1:a b/c", Message());

        var uri = Assert.Single(h.Handler.Requests).Uri;
        Assert.Equal("/teams/v3/conversations/19%3Aabc%40thread.tacv2%3Bmessageid%3D1716/activities/1%3Aa%20b%2Fc", uri.AbsolutePath);
    }

    [Fact]
    public async Task SendToConversationAsync_AddsTrailingSlashToServiceUrl_WhenMissing()
    {
        using var h = new ClientHarness();

        await h.Client.SendToConversationAsync("https://smba.trafficmanager.net/emea", Conversation, Message());

        Assert.Equal("https://smba.trafficmanager.net/emea/v3/conversations/a%3A1xyz/activities", Assert.Single(h.Handler.Requests).Uri.AbsoluteUri);
    }

    [Fact]
    public async Task SendToConversationAsync_AttachesBearerToken_WhenCredentialsConfigured()
    {
        using var h = new ClientHarness(credentials: true);

        await h.Client.SendToConversationAsync(ClientHarness.AllowedServiceUrl, Conversation, Message());

        Assert.Equal("Bearer token-1", Assert.Single(h.Handler.Requests).Authorization);
    }

    [Fact]
    public async Task SendToConversationAsync_SendsNoAuthorization_WhenLocalDevelopment()
    {
        using var h = new ClientHarness(credentials: false);

        var result = await h.Client.SendToConversationAsync(ClientHarness.LoopbackServiceUrl, Conversation, Message());

        Assert.True(result.IsSent);
        Assert.Null(Assert.Single(h.Handler.Requests).Authorization);
    }

    [Theory]
    [InlineData(true, "https://evil.example.com/")]
    [InlineData(true, "https://smba.trafficmanager.net.evil.com/")]
    [InlineData(true, "http://smba.trafficmanager.net/teams/")]
    [InlineData(false, "https://smba.trafficmanager.net/teams/")]
    public async Task SendToConversationAsync_ReturnsFailedWithoutSending_WhenServiceUrlIsRefused(bool credentials, string serviceUrl)
    {
        using var h = new ClientHarness(credentials);

        var result = await h.Client.SendToConversationAsync(serviceUrl, Conversation, Message());

        Assert.Equal(ConnectorResultKind.Failed, result.Kind);
        Assert.False(result.Retryable);
        Assert.Equal(0, result.Attempts);
        Assert.StartsWith("not sent:", result.Reason, StringComparison.Ordinal);
        Assert.Empty(h.Handler.Requests);
        Assert.Empty(h.Tokens.Calls);
    }

    [Fact]
    public async Task UpdateActivityAsync_PutsBodyWithActivityId_AndLeavesCallerActivityUntouched()
    {
        using var h = new ClientHarness();
        var activity = Message("updated");

        var result = await h.Client.UpdateActivityAsync(ClientHarness.AllowedServiceUrl, Conversation, "1:42", activity);

        Assert.True(result.IsSent);
        var request = Assert.Single(h.Handler.Requests);
        Assert.Equal(HttpMethod.Put, request.Method);
        Assert.EndsWith("/v3/conversations/a%3A1xyz/activities/1%3A42", request.Uri.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("1:42", JsonNode.Parse(request.Body!)!["id"]!.GetValue<string>());
        Assert.Null(activity.Id);
    }

    [Fact]
    public async Task ReplyToActivityAsync_SetsReplyToId_WhenActivityHasNone()
    {
        using var h = new ClientHarness();

        await h.Client.ReplyToActivityAsync(ClientHarness.AllowedServiceUrl, Conversation, "1:9", Message());

        Assert.Equal("1:9", JsonNode.Parse(Assert.Single(h.Handler.Requests).Body!)!["replyToId"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateConversationAsync_ReturnsConversationId_WhenConnectorCreatesIt()
    {
        using var h = new ClientHarness();
        h.Handler.Enqueue(HttpStatusCode.Created, """{"id":"a:1new","activityId":"1:5"}""");
        var parameters = new ConversationParameters
        {
            IsGroup = false,
            Bot = new ChannelAccount { Id = "28:bot" },
            Members = [new ChannelAccount { Id = "29:user" }],
            TenantId = "tenant",
        };

        var result = await h.Client.CreateConversationAsync(ClientHarness.AllowedServiceUrl, parameters);

        Assert.True(result.Succeeded);
        Assert.Equal("a:1new", result.ConversationId);
        Assert.Equal("1:5", result.ActivityId);
        Assert.EndsWith("/teams/v3/conversations", Assert.Single(h.Handler.Requests).Uri.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateConversationAsync_ReturnsFailed_WhenSuccessAnswerHasNoId()
    {
        using var h = new ClientHarness();
        h.Handler.Enqueue(HttpStatusCode.OK, "{}");

        var result = await h.Client.CreateConversationAsync(ClientHarness.AllowedServiceUrl, new ConversationParameters { Members = [new ChannelAccount { Id = "29:u" }] });

        Assert.Equal(ConnectorResultKind.Failed, result.Kind);
        Assert.Null(result.ConversationId);
    }

    [Theory]
    [InlineData(10, "50")]
    [InlineData(100, "100")]
    [InlineData(1000, "500")]
    public async Task GetPagedMembersAsync_ClampsPageSizeAndEscapesContinuation_WhenPaging(int pageSize, string expected)
    {
        using var h = new ClientHarness();
        h.Handler.Enqueue(HttpStatusCode.OK, """{"continuationToken":"next","members":[{"id":"29:a","objectId":"oid-a"}]}""");

        var result = await h.Client.GetPagedMembersAsync(ClientHarness.AllowedServiceUrl, Conversation, pageSize, "tok+en/=");

        Assert.True(result.Succeeded);
        Assert.Equal("next", result.Value!.ContinuationToken);
        Assert.Equal("oid-a", Assert.Single(result.Value.Members!).EntraObjectId);
        Assert.Equal($"?pageSize={expected}&continuationToken=tok%2Ben%2F%3D", Assert.Single(h.Handler.Requests).Uri.Query);
    }

    [Fact]
    public async Task GetMemberAsync_ReturnsMember_WhenFound()
    {
        using var h = new ClientHarness();
        h.Handler.Enqueue(HttpStatusCode.OK, """{"id":"29:a","name":"Ada","userPrincipalName":"ada@contoso.com"}""");

        var result = await h.Client.GetMemberAsync(ClientHarness.AllowedServiceUrl, Conversation, "ada@contoso.com");

        Assert.Equal("Ada", result.Value!.Name);
        Assert.EndsWith("/members/ada%40contoso.com", Assert.Single(h.Handler.Requests).Uri.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetMemberAsync_ReturnsFailedNotRetryable_WhenSuccessBodyIsUnreadable()
    {
        using var h = new ClientHarness();
        h.Handler.Enqueue(HttpStatusCode.OK, "<html>");

        var result = await h.Client.GetMemberAsync(ClientHarness.AllowedServiceUrl, Conversation, "29:a");

        Assert.Equal(ConnectorResultKind.Failed, result.Kind);
        Assert.False(result.Retryable);
        Assert.Null(result.Value);
    }

    [Fact]
    public async Task GetTeamChannelsAsync_EscapesTheTeamIdAndReadsTheChannels_WhenTheGeneralChannelHasNoName()
    {
        using var h = new ClientHarness();
        h.Handler.Enqueue(HttpStatusCode.OK, """{"conversations":[{"id":"19:team@thread.tacv2","name":null},{"id":"19:fin@thread.tacv2","name":"Finance"}]}""");

        var result = await h.Client.GetTeamChannelsAsync(ClientHarness.AllowedServiceUrl, "19:team@thread.tacv2");

        Assert.True(result.Succeeded, result.Reason);
        Assert.Collection(result.Value!.Conversations!,
            general => { Assert.Equal("19:team@thread.tacv2", general.Id); Assert.Null(general.Name); },
            finance => { Assert.Equal("19:fin@thread.tacv2", finance.Id); Assert.Equal("Finance", finance.Name); });
        var request = Assert.Single(h.Handler.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.EndsWith("/v3/teams/19%3Ateam%40thread.tacv2/conversations", request.Uri.AbsoluteUri, StringComparison.Ordinal);
    }

    // ── retries ────────────────────────────────────────────────────────────────────────────────────────────────

    [Fact]
    public async Task SendToConversationAsync_WaitsRetryAfterSecondsThenResends_When429()
    {
        using var h = new ClientHarness();
        h.Handler.EnqueueError(429, "Throttled", r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(5)));

        var task = h.Client.SendToConversationAsync(ClientHarness.AllowedServiceUrl, Conversation, Message());
        var delay = await h.Clock.WaitForTimerAsync(ClientHarness.Within);
        h.Clock.Advance(delay);
        var result = await task;

        Assert.Equal(TimeSpan.FromSeconds(5), delay);
        Assert.True(result.IsSent);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(2, h.Handler.Requests.Count);
    }

    [Fact]
    public async Task SendToConversationAsync_WaitsUntilRetryAfterDate_When503CarriesHttpDate()
    {
        using var h = new ClientHarness();
        var until = h.Clock.GetUtcNow().AddSeconds(7);
        h.Handler.EnqueueError(503, null, r => r.Headers.RetryAfter = new RetryConditionHeaderValue(until));

        var task = h.Client.SendToConversationAsync(ClientHarness.AllowedServiceUrl, Conversation, Message());
        var delay = await h.Clock.WaitForTimerAsync(ClientHarness.Within);
        h.Clock.Advance(delay);
        var result = await task;

        Assert.Equal(TimeSpan.FromSeconds(7), delay);
        Assert.True(result.IsSent);
    }

    [Fact]
    public async Task SendToConversationAsync_ReturnsThrottledWithoutWaiting_WhenRetryAfterExceedsInlineCap()
    {
        using var h = new ClientHarness();
        h.Handler.EnqueueError(429, "Throttled", r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(60)));

        var result = await h.Client.SendToConversationAsync(ClientHarness.AllowedServiceUrl, Conversation, Message());

        Assert.Equal(ConnectorResultKind.Throttled, result.Kind);
        Assert.Equal(TimeSpan.FromSeconds(60), result.RetryAfter);
        Assert.True(result.Retryable);
        Assert.Equal(429, result.StatusCode);
        Assert.Equal(1, result.Attempts);
        Assert.DoesNotContain(h.Clock.PendingDelays, d => d <= ClientHarness.Within);
    }

    [Fact]
    public async Task SendToConversationAsync_ReturnsThrottledWithoutSending_WhenConversationIsHeldLongerThanGateMaxWait()
    {
        using var h = new ClientHarness();
        h.Handler.EnqueueError(429, "Throttled", r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(60)));
        await h.Client.SendToConversationAsync(ClientHarness.AllowedServiceUrl, Conversation, Message());

        var held = await h.Client.SendToConversationAsync(ClientHarness.AllowedServiceUrl, Conversation, Message());
        var other = await h.Client.SendToConversationAsync(ClientHarness.AllowedServiceUrl, "a:1other", Message());

        Assert.Equal(ConnectorResultKind.Throttled, held.Kind);
        Assert.Equal(TimeSpan.FromSeconds(60), held.RetryAfter);
        Assert.Null(held.StatusCode);
        Assert.Equal(0, held.Attempts);
        Assert.True(other.IsSent);
        Assert.Equal(2, h.Handler.Requests.Count);
    }

    [Fact]
    public async Task SendToConversationAsync_BacksOffExponentially_WhenTransientAnswersCarryNoRetryAfter()
    {
        using var h = new ClientHarness();
        h.Handler.EnqueueError(503, null);
        h.Handler.EnqueueError(502, "ServiceError");

        var task = h.Client.SendToConversationAsync(ClientHarness.AllowedServiceUrl, Conversation, Message());
        var first = await h.Clock.WaitForTimerAsync(ClientHarness.Within);
        h.Clock.Advance(first);
        var second = await h.Clock.WaitForTimerAsync(ClientHarness.Within);
        h.Clock.Advance(second);
        var result = await task;

        Assert.Equal(TimeSpan.FromSeconds(2), first);
        Assert.Equal(TimeSpan.FromSeconds(4), second);
        Assert.True(result.IsSent);
        Assert.Equal(3, result.Attempts);
    }

    [Fact]
    public async Task SendToConversationAsync_KeepsBackOffWithinBounds_WhenJitterIsOn()
    {
        using var h = new ClientHarness(settings: new Dictionary<string, string?> { ["Connector:UseJitter"] = "true" });
        h.Handler.EnqueueError(503, null);

        var task = h.Client.SendToConversationAsync(ClientHarness.AllowedServiceUrl, Conversation, Message());
        var delay = await h.Clock.WaitForTimerAsync(ClientHarness.Within);
        h.Clock.Advance(delay);
        await task;

        Assert.InRange(delay, TimeSpan.Zero, TimeSpan.FromSeconds(20));
    }

    [Theory]
    [InlineData(412, "PreconditionFailed")]
    [InlineData(502, "ServiceError")]
    [InlineData(503, null)]
    [InlineData(504, null)]
    public async Task SendToConversationAsync_ReturnsRetryableFailure_WhenTransientStatusOutlastsMaxAttempts(int status, string? code)
    {
        using var h = new ClientHarness();
        for (var i = 0; i < 3; i++) h.Handler.EnqueueError(status, code);

        var result = await h.RunAsync(c => c.SendToConversationAsync(ClientHarness.AllowedServiceUrl, Conversation, Message()));

        Assert.Equal(ConnectorResultKind.Failed, result.Kind);
        Assert.True(result.Retryable);
        Assert.Equal(status, result.StatusCode);
        Assert.Equal(3, result.Attempts);
        Assert.Equal(3, h.Handler.Requests.Count);
    }

    [Fact]
    public async Task SendToConversationAsync_MakesOneAttemptOnly_WhenMaxAttemptsIsOne()
    {
        using var h = new ClientHarness(settings: new Dictionary<string, string?> { ["Connector:MaxAttempts"] = "1" });
        h.Handler.EnqueueError(503, null);

        var result = await h.Client.SendToConversationAsync(ClientHarness.AllowedServiceUrl, Conversation, Message());

        Assert.Equal(ConnectorResultKind.Failed, result.Kind);
        Assert.True(result.Retryable);
        Assert.Equal(1, result.Attempts);
    }

    [Fact]
    public async Task SendToConversationAsync_ReturnsThrottledWithBackOffAsRetryAfter_When429sWithoutRetryAfterOutlastAttempts()
    {
        using var h = new ClientHarness();
        for (var i = 0; i < 3; i++) h.Handler.EnqueueError(429, "Throttled");

        var result = await h.RunAsync(c => c.SendToConversationAsync(ClientHarness.AllowedServiceUrl, Conversation, Message()));

        Assert.Equal(ConnectorResultKind.Throttled, result.Kind);
        Assert.Equal(TimeSpan.FromSeconds(20), result.RetryAfter);
        Assert.Equal(3, result.Attempts);
    }

    [Theory]
    [InlineData(400, "BadArgument")]
    [InlineData(403, "NotEnoughPermissions")]
    [InlineData(404, null)]
    [InlineData(413, "MessageSizeTooBig")]
    [InlineData(500, "ServiceError")]
    public async Task SendToConversationAsync_ReturnsFailedAfterOneAttempt_WhenStatusIsPermanent(int status, string? code)
    {
        using var h = new ClientHarness();
        h.Handler.EnqueueError(status, code);

        var result = await h.Client.SendToConversationAsync(ClientHarness.AllowedServiceUrl, Conversation, Message());

        Assert.Equal(ConnectorResultKind.Failed, result.Kind);
        Assert.False(result.Retryable);
        Assert.Equal(status, result.StatusCode);
        Assert.Equal(code, result.ErrorCode);
        Assert.Equal(1, result.Attempts);
    }

    [Theory]
    [InlineData(403, "ConversationBlockedByUser", ConnectorResultKind.RecipientGone)]
    [InlineData(403, "BotNotInConversationRoster", ConnectorResultKind.RecipientGone)]
    [InlineData(404, "ConversationNotFound", ConnectorResultKind.RecipientGone)]
    [InlineData(404, "ActivityNotFoundInConversation", ConnectorResultKind.ActivityNotFound)]
    public async Task UpdateActivityAsync_ReturnsClassifiedKindWithCode_WhenRecipientOrActivityIsGone(int status, string code, ConnectorResultKind kind)
    {
        using var h = new ClientHarness();
        h.Handler.EnqueueError(status, code);

        var result = await h.Client.UpdateActivityAsync(ClientHarness.AllowedServiceUrl, Conversation, "1:1", Message());

        Assert.Equal(kind, result.Kind);
        Assert.Equal(code, result.ErrorCode);
        Assert.False(result.Retryable);
        Assert.Equal(1, result.Attempts);
    }

    [Fact]
    public async Task SendToConversationAsync_RefreshesTokenOnceAndResends_When401()
    {
        using var h = new ClientHarness();
        h.Handler.EnqueueError(401, "BotNotRegistered");

        var result = await h.Client.SendToConversationAsync(ClientHarness.AllowedServiceUrl, Conversation, Message());

        Assert.True(result.IsSent);
        Assert.Equal([false, true], h.Tokens.Calls);
        Assert.Equal(["Bearer token-1", "Bearer token-2"], h.Handler.Requests.Select(r => r.Authorization));
    }

    [Fact]
    public async Task SendToConversationAsync_ReturnsFailed401_WhenRefreshedTokenIsAlsoRejected()
    {
        using var h = new ClientHarness();
        h.Handler.EnqueueError(401, "BotNotRegistered");
        h.Handler.EnqueueError(401, "BotNotRegistered");

        var result = await h.Client.SendToConversationAsync(ClientHarness.AllowedServiceUrl, Conversation, Message());

        Assert.Equal(ConnectorResultKind.Failed, result.Kind);
        Assert.Equal(401, result.StatusCode);
        Assert.False(result.Retryable);
        Assert.Equal(2, h.Handler.Requests.Count);
    }

    [Fact]
    public async Task SendToConversationAsync_DoesNotRefresh_WhenLocalDevelopmentGets401()
    {
        using var h = new ClientHarness(credentials: false);
        h.Handler.EnqueueError(401, null);

        var result = await h.Client.SendToConversationAsync(ClientHarness.LoopbackServiceUrl, Conversation, Message());

        Assert.Equal(401, result.StatusCode);
        Assert.Single(h.Handler.Requests);
    }

    [Fact]
    public async Task SendToConversationAsync_RetriesThenSucceeds_WhenFirstAttemptTimesOut()
    {
        using var h = new ClientHarness(settings: new Dictionary<string, string?> { ["Connector:AttemptTimeout"] = "00:00:05" });
        h.Handler.Enqueue(async (_, ct) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            throw new InvalidOperationException("unreachable");
        });

        var task = h.Client.SendToConversationAsync(ClientHarness.AllowedServiceUrl, Conversation, Message());
        var elapsed = await h.Clock.RunUntilCompletedAsync(task, ClientHarness.Within);
        var result = await task;

        Assert.True(result.IsSent);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(TimeSpan.FromSeconds(5 + 2), elapsed);
    }

    [Fact]
    public async Task SendToConversationAsync_ReturnsRetryableFailure_WhenEveryAttemptTimesOut()
    {
        using var h = new ClientHarness(settings: new Dictionary<string, string?> { ["Connector:AttemptTimeout"] = "00:00:05" });
        for (var i = 0; i < 3; i++)
            h.Handler.Enqueue(async (_, ct) =>
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                throw new InvalidOperationException("unreachable");
            });

        var result = await h.RunAsync(c => c.SendToConversationAsync(ClientHarness.AllowedServiceUrl, Conversation, Message()));

        Assert.Equal(ConnectorResultKind.Failed, result.Kind);
        Assert.True(result.Retryable);
        Assert.Null(result.StatusCode);
        Assert.Equal(3, result.Attempts);
        Assert.Contains("no answer within", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendToConversationAsync_RetriesThenSucceeds_WhenConnectionIsRefused()
    {
        using var h = new ClientHarness();
        h.Handler.Enqueue((_, _) => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"));

        var result = await h.RunAsync(c => c.SendToConversationAsync(ClientHarness.AllowedServiceUrl, Conversation, Message()));

        Assert.True(result.IsSent);
        Assert.Equal(2, result.Attempts);
    }

    [Fact]
    public async Task SendToConversationAsync_ThrowsOperationCanceled_WhenCallerCancelsDuringBackOff()
    {
        using var h = new ClientHarness();
        using var cts = new CancellationTokenSource();
        h.Handler.EnqueueError(503, null);

        var task = h.Client.SendToConversationAsync(ClientHarness.AllowedServiceUrl, Conversation, Message(), cts.Token);
        await h.Clock.WaitForTimerAsync(ClientHarness.Within);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.Single(h.Handler.Requests);
    }

    [Fact]
    public async Task SendToConversationAsync_ThrowsOperationCanceled_WhenCallerCancelsDuringRequest()
    {
        using var h = new ClientHarness();
        using var cts = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        h.Handler.Enqueue(async (_, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            throw new InvalidOperationException("unreachable");
        });

        var task = h.Client.SendToConversationAsync(ClientHarness.AllowedServiceUrl, Conversation, Message(), cts.Token);
        await started.Task;
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
    }

    [Theory]
    [InlineData(true, true, 3)]
    [InlineData(false, false, 1)]
    public async Task SendToConversationAsync_ReturnsFailedWithTokenReason_WhenTokenCannotBeAcquired(bool retryable, bool expectRetryable, int attempts)
    {
        using var h = new ClientHarness();
        h.Tokens.Failure = new ConnectorTokenException("token request failed: invalid_client (HTTP 401)", retryable);

        var result = await h.RunAsync(c => c.SendToConversationAsync(ClientHarness.AllowedServiceUrl, Conversation, Message()));

        Assert.Equal(ConnectorResultKind.Failed, result.Kind);
        Assert.Equal(expectRetryable, result.Retryable);
        Assert.Contains("invalid_client", result.Reason, StringComparison.Ordinal);
        Assert.Equal(attempts, h.Tokens.Calls.Count);
        Assert.Empty(h.Handler.Requests);
    }

    [Theory]
    [InlineData("19:c@thread.tacv2;messageid=1", "19:c@thread.tacv2")]
    [InlineData("19:c@thread.tacv2;MessageId=2", "19:c@thread.tacv2")]
    [InlineData("a:1xyz", "a:1xyz")]
    public void ThreadKey_GroupsChannelReplyChainsUnderTheChannel_ForThePerThreadLimits(string conversationId, string expected) =>
        Assert.Equal(expected, ConnectorClient.ThreadKey(conversationId));

    [Fact]
    public async Task SendToConversationAsync_SharesTheChannelBudget_WhenSendingIntoDifferentReplyChainsOfOneChannel()
    {
        using var h = new ClientHarness();
        for (var i = 0; i < 7; i++)
            await h.Client.SendToConversationAsync(ClientHarness.AllowedServiceUrl, $"19:c@thread.tacv2;messageid={i}", Message());

        var result = await h.RunAsync(c => c.SendToConversationAsync(ClientHarness.AllowedServiceUrl, "19:c@thread.tacv2;messageid=99", Message()));

        Assert.Equal(TimeSpan.FromSeconds(1), result.ThrottleWait);
    }

    [Fact]
    public async Task SendToConversationAsync_ReportsThrottleWait_WhenGateMadeItWait()
    {
        using var h = new ClientHarness();
        for (var i = 0; i < 7; i++)
            Assert.True((await h.Client.SendToConversationAsync(ClientHarness.AllowedServiceUrl, Conversation, Message())).IsSent);

        var result = await h.RunAsync(c => c.SendToConversationAsync(ClientHarness.AllowedServiceUrl, Conversation, Message()));

        Assert.True(result.IsSent);
        Assert.Equal(TimeSpan.FromSeconds(1), result.ThrottleWait);
        Assert.Equal(TimeSpan.FromSeconds(1), h.Gate.TotalWaitTime);
        Assert.Equal(8, h.Handler.Requests.Count);
    }
}
