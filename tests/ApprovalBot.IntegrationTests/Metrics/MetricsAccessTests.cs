using System.Net;
using ApprovalBot.IntegrationTests.Infrastructure;
using static ApprovalBot.IntegrationTests.Metrics.MetricsScrape;

namespace ApprovalBot.IntegrationTests.Metrics;

/// <summary>
/// Who may scrape: with an app id configured, only an API key (what Prometheus sends for
/// <c>authorization: { type: ApiKey }</c>, or <c>X-Api-Key</c>) — a wrong key, a Bot Framework or Teams token, or
/// nothing is refused; <c>Metrics:AllowAnonymous</c> opens it; local development mode opens it to loopback.
/// </summary>
public sealed class MetricsAccessTests
{
    [Fact]
    public async Task Scrape_NeedsAValidApiKey_WhenAnAppIdIsConfigured()
    {
        await using var bot = await BotTestHost.StartAsync(new BotTestHostOptions { Settings = KeySettings() });

        var refused = await GetAsync(bot, authorization: null);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Contains("ApiKey", refused.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("approvalbot_", refused.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(bot, "ApiKey wrong-key-but-long-enough-1234")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(bot, bot.Tokens.MintHeader(new() { ServiceUrl = bot.ServiceUrl }))).Status);

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(bot)).Status);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Add("X-Api-Key", Key);
        using var response = await bot.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Scrape_IsOpen_WhenMetricsAllowAnonymous()
    {
        await using var bot = await BotTestHost.StartAsync(new BotTestHostOptions
        {
            Settings = new Dictionary<string, string?> { ["Metrics:AllowAnonymous"] = "true" },
        });

        var (status, body, _) = await GetAsync(bot, authorization: null);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("# TYPE approvalbot_outbox_pending gauge", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrape_IsOpenToLoopback_InLocalDevelopmentMode_ButAWrongKeyIsStillRefused()
    {
        await using var bot = await BotTestHost.StartAsync(new BotTestHostOptions { Mode = BotTestMode.LocalDevelopment, Settings = KeySettings() });

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(bot, authorization: null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(bot, "ApiKey wrong-key-but-long-enough-1234")).Status);
    }
}
