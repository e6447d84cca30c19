using System.Net;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.TestSupport;

namespace ApprovalBot.IntegrationTests.Api;

/// <summary>
/// The per-key rate limit through the real host, on a manual clock: a key over its bucket is answered 429 with
/// Retry-After and a problem body, other keys are not affected, and the key is served again once a token has refilled.
/// </summary>
public sealed class ApiRateLimitTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
    private BotTestHost _bot = null!;

    public async Task InitializeAsync()
    {
        var settings = ApiTestKeys.Settings();
        settings["Api:RequestsPerMinute"] = "6"; // one token every 10 s
        settings["Api:Burst"] = "2";
        _bot = await BotTestHost.StartAsync(new BotTestHostOptions { Settings = settings, Time = _clock });
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    private async Task<HttpResponseMessage> MeAsync(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.TryAddWithoutValidation("X-Api-Key", key);
        return await _bot.Http.SendAsync(request);
    }

    [Fact]
    public async Task AKeyOverItsLimit_Gets429WithRetryAfterAndAProblem_OtherKeysDoNot_AndItIsServedAgainOnceRefilled()
    {
        for (var i = 0; i < 2; i++)
        {
            using var admitted = await MeAsync(ApiTestKeys.Reader);
            Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        }

        using (var refused = await MeAsync(ApiTestKeys.Reader))
        {
            var problem = await ApiAuthenticationTests.ProblemAsync(refused, HttpStatusCode.TooManyRequests);
            Assert.Equal(TimeSpan.FromSeconds(10), refused.Headers.RetryAfter?.Delta);
            Assert.Contains("10 s", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.DoesNotContain(ApiTestKeys.Reader, problem.ToJsonString(), StringComparison.Ordinal);
        }
        using (var other = await MeAsync(ApiTestKeys.Admin))
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);

        _clock.Advance(TimeSpan.FromSeconds(4));
        using (var stillRefused = await MeAsync(ApiTestKeys.Reader))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, stillRefused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(6), stillRefused.Headers.RetryAfter?.Delta);
        }
        _clock.Advance(TimeSpan.FromSeconds(6));
        using (var again = await MeAsync(ApiTestKeys.Reader))
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task AWrongKey_IsRefused401_NotCountedAgainstAnyKeysLimit()
    {
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await MeAsync("not-a-configured-key-123456");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        using var reader = await MeAsync(ApiTestKeys.Reader);
        Assert.Equal(HttpStatusCode.OK, reader.StatusCode);
    }
}
