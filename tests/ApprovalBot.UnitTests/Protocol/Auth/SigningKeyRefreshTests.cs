using ApprovalBot.Protocol.Auth;
using ApprovalBot.TestSupport.Auth;

namespace ApprovalBot.UnitTests.Protocol.Auth;

/// <summary>When signing metadata is fetched, refreshed and given up on — all timed by the manual clock.</summary>
public class SigningKeyRefreshTests
{
    private static readonly ChannelTokenSpec UnknownKid = new() { SigningKey = TestSigningKeys.Unpublished };
    private static readonly ChannelTokenSpec RotatedKey = new() { SigningKey = TestSigningKeys.Rotated };

    [Fact]
    public async Task AuthenticateAsync_FetchesMetadataOnce_WhenManyRequestsArrive()
    {
        using var harness = new AuthTestHarness();

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => harness.AuthenticateAsync().AsTask()));

        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.Equal(1, harness.Login.MetadataFetches);
        Assert.Equal(1, harness.Login.KeyFetches);
    }

    [Fact]
    public async Task AuthenticateAsync_RefreshesOnceAndAccepts_WhenTokenUsesANewlyRotatedKey()
    {
        using var harness = new AuthTestHarness();
        Assert.True((await harness.AuthenticateAsync()).Succeeded);

        harness.Login.Publish(TestSigningKeys.Teams, TestSigningKeys.Rotated);
        var result = await harness.AuthenticateAsync(RotatedKey);

        Assert.True(result.Succeeded);
        Assert.Equal(2, harness.Login.MetadataFetches);
        Assert.Equal(2, harness.Login.KeyFetches);
    }

    [Fact]
    public async Task AuthenticateAsync_RefreshesAtMostOnce_WhenUnknownKidTokensArriveInARow()
    {
        using var harness = new AuthTestHarness();
        Assert.True((await harness.AuthenticateAsync()).Succeeded);

        var first = await harness.AuthenticateAsync(UnknownKid);
        var second = await harness.AuthenticateAsync(UnknownKid);

        Assert.Equal(AuthFailureReason.UnknownSigningKey, first.Reason);
        Assert.Equal(AuthFailureReason.UnknownSigningKey, second.Reason);
        Assert.Equal(401, second.StatusCode);
        Assert.Equal(2, harness.Login.MetadataFetches); // the initial fetch + exactly one forced refresh
    }

    [Fact]
    public async Task AuthenticateAsync_RefreshesAtMostOnce_WhenUnknownKidTokensFloodConcurrently()
    {
        using var harness = new AuthTestHarness();
        Assert.True((await harness.AuthenticateAsync()).Succeeded);

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => harness.AuthenticateAsync(UnknownKid).AsTask()));

        Assert.All(results, r => Assert.Equal(AuthFailureReason.UnknownSigningKey, r.Reason));
        Assert.Equal(2, harness.Login.MetadataFetches);
    }

    [Fact]
    public async Task AuthenticateAsync_AllowsTheNextForcedRefresh_WhenMinimumRefreshIntervalHasPassed()
    {
        using var harness = new AuthTestHarness();
        Assert.Equal(AuthFailureReason.UnknownSigningKey, (await harness.AuthenticateAsync(UnknownKid)).Reason);
        Assert.Equal(2, harness.Login.MetadataFetches);

        // The key appears just after a forced refresh: refused until the throttle allows the next refresh.
        harness.Login.Publish(TestSigningKeys.Teams, TestSigningKeys.Rotated);
        harness.Clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(AuthFailureReason.UnknownSigningKey, (await harness.AuthenticateAsync(RotatedKey)).Reason);
        Assert.Equal(2, harness.Login.MetadataFetches);

        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await harness.AuthenticateAsync(RotatedKey)).Succeeded);
        Assert.Equal(3, harness.Login.MetadataFetches);
    }

    [Fact]
    public async Task AuthenticateAsync_RefetchesKeys_WhenRefreshIntervalHasPassed()
    {
        using var harness = new AuthTestHarness();
        Assert.True((await harness.AuthenticateAsync()).Succeeded);
        harness.Login.Publish(TestSigningKeys.Teams, TestSigningKeys.Rotated);

        harness.Clock.Advance(TimeSpan.FromHours(11));
        Assert.True((await harness.AuthenticateAsync()).Succeeded);
        Assert.Equal(1, harness.Login.MetadataFetches);

        harness.Clock.Advance(TimeSpan.FromHours(1));
        Assert.True((await harness.AuthenticateAsync(RotatedKey)).Succeeded);
        Assert.Equal(2, harness.Login.MetadataFetches); // the scheduled refresh found the key; no forced refresh needed
    }

    [Fact]
    public async Task AuthenticateAsync_KeepsUsingCachedKeys_WhenScheduledRefreshFails()
    {
        using var harness = new AuthTestHarness();
        Assert.True((await harness.AuthenticateAsync()).Succeeded);

        harness.Login.Unreachable = true;
        harness.Clock.Advance(TimeSpan.FromHours(13));

        Assert.True((await harness.AuthenticateAsync()).Succeeded);
        Assert.True((await harness.AuthenticateAsync()).Succeeded);
        Assert.Equal(2, harness.Login.MetadataFetches); // one failed attempt, then the retry back-off
    }

    [Fact]
    public async Task AuthenticateAsync_ReturnsServiceUnavailableWithoutThrowing_WhenLoginIsUnreachableAndNoKeysAreCached()
    {
        using var harness = new AuthTestHarness();
        harness.Login.Unreachable = true;

        var result = await harness.AuthenticateAsync();

        Assert.False(result.Succeeded);
        Assert.Equal(AuthFailureReason.MetadataUnavailable, result.Reason);
        Assert.Equal(503, result.StatusCode);
        Assert.Contains(harness.Logs.Records, r => r.EventId.Id == 1105);
    }

    [Fact]
    public async Task AuthenticateAsync_WaitsForRetryInterval_WhenFetchFailedRecently()
    {
        using var harness = new AuthTestHarness();
        harness.Login.Unreachable = true;
        Assert.Equal(503, (await harness.AuthenticateAsync()).StatusCode);
        Assert.Equal(503, (await harness.AuthenticateAsync()).StatusCode);
        Assert.Equal(1, harness.Login.MetadataFetches);

        harness.Login.Unreachable = false;
        harness.Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(503, (await harness.AuthenticateAsync()).StatusCode);
        Assert.Equal(1, harness.Login.MetadataFetches);

        harness.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await harness.AuthenticateAsync()).Succeeded);
        Assert.Equal(2, harness.Login.MetadataFetches);
    }

    [Fact]
    public async Task AuthenticateAsync_ReturnsServiceUnavailable_WhenRefreshForUnknownKidFails()
    {
        using var harness = new AuthTestHarness();
        Assert.True((await harness.AuthenticateAsync()).Succeeded);
        harness.Login.Unreachable = true;

        var result = await harness.AuthenticateAsync(UnknownKid);

        Assert.Equal(AuthFailureReason.MetadataUnavailable, result.Reason);
        Assert.Equal(503, result.StatusCode);
        Assert.True((await harness.AuthenticateAsync()).Succeeded); // known keys keep working
    }

    [Fact]
    public async Task AuthenticateAsync_ReturnsServiceUnavailable_WhenLoginPublishesNoKeys()
    {
        using var harness = new AuthTestHarness(login: new InMemoryBotFrameworkLogin([]));
        Assert.Equal(AuthFailureReason.MetadataUnavailable, (await harness.AuthenticateAsync()).Reason);
    }

    [Fact]
    public async Task AuthenticateAsync_ThrowsOperationCanceled_WhenCallerCancelsBeforeKeysAreFetched()
    {
        using var harness = new AuthTestHarness();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var request = AuthTestHarness.Request(harness.Tokens.MintHeader());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Authenticator.AuthenticateAsync(request, cancelled.Token).AsTask());
        Assert.True((await harness.AuthenticateAsync(request)).Succeeded);
    }
}
