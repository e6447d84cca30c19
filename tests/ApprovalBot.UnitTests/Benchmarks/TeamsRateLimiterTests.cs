using ApprovalBot.TestSupport;
using ApprovalBot.TestSupport.Connector;

namespace ApprovalBot.UnitTests.Benchmarks;

/// <summary>
/// The fan-out figure's rate-limiting fake connector: Teams' published limits (bot-protocol.md §4.1) as sliding windows
/// on a manual clock — 50 requests per second per app, 7/1 s, 8/2 s, 60/30 s per bot and thread, 14/1 s per thread for
/// all bots — answered with 429, the Throttled body and a Retry-After in whole seconds.
/// </summary>
public sealed class TeamsRateLimiterTests
{
    private const string App = "app-1";
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));

    private static string Chat(int i) => $"a:chat-{i}";

    [Fact]
    public void TryAdmit_Admits50RequestsInASecond_ToDifferentChats_AndRefusesThe51stUntilTheFirstLeavesTheSecond()
    {
        var limiter = new TeamsRateLimiter(_clock);
        for (var i = 0; i < 50; i++)
        {
            Assert.True(limiter.TryAdmit(App, TeamsLimitCategory.Send, Chat(i)).Admitted, $"request {i}");
            _clock.Advance(TimeSpan.FromMilliseconds(10));
        }

        // Now t = 500 ms: the first request (t = 0) leaves the one-second window at t = 1 s.
        var refused = limiter.TryAdmit(App, TeamsLimitCategory.Send, Chat(50));
        Assert.False(refused.Admitted);
        Assert.Equal(TimeSpan.FromMilliseconds(500), refused.RetryAfter);
        Assert.Equal("app 50/1 s", refused.Limit);
        Assert.Equal("1", refused.RetryAfterHeader);

        _clock.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(limiter.TryAdmit(App, TeamsLimitCategory.Send, Chat(50)).Admitted);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(limiter.TryAdmit(App, TeamsLimitCategory.Send, Chat(50)).Admitted);
        // The second request (t = 10 ms) is still in the window: the next one waits for it.
        Assert.Equal(TimeSpan.FromMilliseconds(10), limiter.TryAdmit(App, TeamsLimitCategory.Send, Chat(51)).RetryAfter);
        Assert.Equal((51, 3), (limiter.Admitted, limiter.Refused));
    }

    [Fact]
    public void TryAdmit_KeepsEachApp_ToItsOwnBudget()
    {
        var limiter = new TeamsRateLimiter(_clock, appRequestsPerSecond: 30);
        for (var i = 0; i < 30; i++) Assert.True(limiter.TryAdmit(App, TeamsLimitCategory.Send, Chat(i)).Admitted);

        Assert.False(limiter.TryAdmit(App, TeamsLimitCategory.Read, Chat(99)).Admitted); // every operation counts
        Assert.True(limiter.TryAdmit("app-2", TeamsLimitCategory.Send, Chat(100)).Admitted);
    }

    [Fact]
    public void TryAdmit_HoldsOneChat_To7ASecondAnd8InTwoSeconds()
    {
        var limiter = new TeamsRateLimiter(_clock);
        for (var i = 0; i < 7; i++) Assert.True(limiter.TryAdmit(App, TeamsLimitCategory.Send, Chat(1)).Admitted);

        var eighth = limiter.TryAdmit(App, TeamsLimitCategory.Send, Chat(1));
        Assert.Equal((false, TimeSpan.FromSeconds(1), "thread 7/1 s"), (eighth.Admitted, eighth.RetryAfter, eighth.Limit));
        Assert.True(limiter.TryAdmit(App, TeamsLimitCategory.Send, Chat(2)).Admitted); // another chat is not held

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limiter.TryAdmit(App, TeamsLimitCategory.Send, Chat(1)).Admitted); // the 8th within two seconds
        var ninth = limiter.TryAdmit(App, TeamsLimitCategory.Send, Chat(1));
        Assert.Equal((false, TimeSpan.FromSeconds(1), "thread 8/2 s"), (ninth.Admitted, ninth.RetryAfter, ninth.Limit));
    }

    [Fact]
    public void TryAdmit_HoldsOneChat_To60InThirtySeconds()
    {
        var limiter = new TeamsRateLimiter(_clock);
        for (var i = 0; i < 60; i++)
        {
            Assert.True(limiter.TryAdmit(App, TeamsLimitCategory.Send, Chat(1)).Admitted, $"send {i}"); // 2 a second: under 7/1 s and 8/2 s
            _clock.Advance(TimeSpan.FromMilliseconds(500));
        }

        // t = 30 s: the first send (t = 0) has just left the window, so a 61st fits; then the window is full again
        // until the second send (t = 0.5 s) leaves it.
        Assert.True(limiter.TryAdmit(App, TeamsLimitCategory.Send, Chat(1)).Admitted);
        _clock.Advance(TimeSpan.FromMilliseconds(250));
        var next = limiter.TryAdmit(App, TeamsLimitCategory.Send, Chat(1));
        Assert.Equal((false, TimeSpan.FromMilliseconds(250), "thread 60/30 s"), (next.Admitted, next.RetryAfter, next.Limit));
    }

    [Fact]
    public void TryAdmit_CountsAChannelsReplyChains_AsTheChannel()
    {
        var limiter = new TeamsRateLimiter(_clock);
        for (var i = 0; i < 7; i++) Assert.True(limiter.TryAdmit(App, TeamsLimitCategory.Send, $"19:general@thread.tacv2;messageid={i}").Admitted);

        Assert.False(limiter.TryAdmit(App, TeamsLimitCategory.Send, "19:general@thread.tacv2").Admitted);
    }

    [Fact]
    public void TryAdmit_GivesMemberReadsTheirOwnLargerBudget()
    {
        var limiter = new TeamsRateLimiter(_clock);
        for (var i = 0; i < 7; i++) Assert.True(limiter.TryAdmit(App, TeamsLimitCategory.Send, Chat(1)).Admitted);
        for (var i = 0; i < 14; i++) Assert.True(limiter.TryAdmit(App, TeamsLimitCategory.Read, Chat(1)).Admitted, $"read {i}");

        Assert.Equal("thread 14/1 s", limiter.TryAdmit(App, TeamsLimitCategory.Read, Chat(1)).Limit);
    }

    [Fact]
    public void TryAdmit_HoldsAThread_To14SendsASecond_ForAllBotsTogether()
    {
        var limiter = new TeamsRateLimiter(_clock);
        for (var i = 0; i < 7; i++)
        {
            Assert.True(limiter.TryAdmit("app-a", TeamsLimitCategory.Send, Chat(1)).Admitted);
            Assert.True(limiter.TryAdmit("app-b", TeamsLimitCategory.Send, Chat(1)).Admitted);
        }

        var third = limiter.TryAdmit("app-c", TeamsLimitCategory.Send, Chat(1));
        Assert.Equal((false, "thread, all bots 14/1 s"), (third.Admitted, third.Limit));
    }

    [Fact]
    public void TryAdmit_DoesNotCountARefusedRequest()
    {
        var limiter = new TeamsRateLimiter(_clock, appRequestsPerSecond: 1);
        Assert.True(limiter.TryAdmit(App, TeamsLimitCategory.Send, Chat(1)).Admitted);
        _clock.Advance(TimeSpan.FromMilliseconds(600));
        Assert.False(limiter.TryAdmit(App, TeamsLimitCategory.Send, Chat(2)).Admitted);
        _clock.Advance(TimeSpan.FromMilliseconds(400));

        Assert.True(limiter.TryAdmit(App, TeamsLimitCategory.Send, Chat(2)).Admitted);
    }

    [Fact]
    public void Admission_Answers429_WithTheThrottledBodyAndRetryAfterInWholeSeconds_AndReportsIt()
    {
        var limiter = new TeamsRateLimiter(_clock, appRequestsPerSecond: 1);
        var throttled = new List<(RecordedRequest, TeamsLimitDecision)>();
        var admission = limiter.Admission(_ => App, (r, d) => throttled.Add((r, d)));

        Assert.Null(admission(Send(1, Chat(1))));
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        var second = Send(2, Chat(2));
        var answer = admission(second);

        Assert.NotNull(answer);
        Assert.Equal((429, "Throttled", "1"), (answer.StatusCode, answer.ErrorCode, answer.RetryAfter));
        var (request, decision) = Assert.Single(throttled);
        Assert.Same(second, request);
        Assert.Equal(TimeSpan.FromMilliseconds(900), decision.RetryAfter);
    }

    [Theory]
    [InlineData(1, "1")]
    [InlineData(1000, "1")]
    [InlineData(1001, "2")]
    [InlineData(29_500, "30")]
    public void RetryAfterHeader_RoundsUpToWholeSeconds_AndIsAtLeastOne(int milliseconds, string expected) =>
        Assert.Equal(expected, new TeamsLimitDecision(false, TimeSpan.FromMilliseconds(milliseconds), "app").RetryAfterHeader);

    private RecordedRequest Send(int sequence, string conversationId) => new()
    {
        Sequence = sequence,
        Method = "POST",
        RawTarget = $"/v3/conversations/{conversationId}/activities",
        RawPath = $"/v3/conversations/{conversationId}/activities",
        RawQuery = string.Empty,
        Operation = FakeOperation.SendToConversation,
        ConversationId = conversationId,
        Body = "{}",
        ReceivedAt = _clock.GetUtcNow(),
    };
}
