using System.Net;
using ApprovalBot.Protocol.Auth;
using ApprovalBot.TestSupport;
using ApprovalBot.TestSupport.Auth;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalBot.IntegrationTests.Auth;

/// <summary>
/// The production registration (HttpDocumentRetriever behind the https-or-loopback policy, IHttpClientFactory)
/// against a real login service on 127.0.0.1.
/// </summary>
public class BotFrameworkLoginOverHttpTests
{
    private static readonly IPAddress TeamsAddress = IPAddress.Parse("203.0.113.7");

    private static ServiceProvider BuildServices(string metadataUrl, ManualTimeProvider clock)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MicrosoftAppId"] = TestTokenIssuer.DefaultAppId,
            ["BotAuthentication:OpenIdMetadataUrl"] = metadataUrl,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(clock);
        services.AddBotInboundAuthentication(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static InboundAuthRequest Request(string header) =>
        new(header, TeamsAddress, TestTokenIssuer.DefaultChannelId, TestTokenIssuer.DefaultServiceUrl, "tenant-a");

    [Fact]
    public async Task AuthenticateAsync_AcceptsChannelToken_WhenKeysAreFetchedFromFakeLoginOverHttp()
    {
        await using var login = await FakeBotFrameworkLogin.StartAsync();
        var clock = new ManualTimeProvider();
        await using var services = BuildServices(login.MetadataUrl, clock);
        var authenticator = services.GetRequiredService<IInboundAuthenticator>();
        var tokens = new TestTokenIssuer(clock);

        var first = await authenticator.AuthenticateAsync(Request(tokens.MintHeader()), CancellationToken.None);
        var second = await authenticator.AuthenticateAsync(Request(tokens.MintHeader()), CancellationToken.None);
        var unendorsed = await authenticator.AuthenticateAsync(Request(tokens.MintHeader(new ChannelTokenSpec { SigningKey = TestSigningKeys.Unendorsed })), CancellationToken.None);

        Assert.True(first.Succeeded, first.Reason.ToString());
        Assert.True(second.Succeeded);
        Assert.Equal(AuthFailureReason.MissingEndorsements, unendorsed.Reason);
        Assert.Equal(1, login.MetadataRequests);
        Assert.Equal(1, login.KeyRequests);
    }

    [Fact]
    public async Task AuthenticateAsync_FollowsKeyRotation_WhenFakeLoginPublishesANewKey()
    {
        await using var login = await FakeBotFrameworkLogin.StartAsync([TestSigningKeys.Teams]);
        var clock = new ManualTimeProvider();
        await using var services = BuildServices(login.MetadataUrl, clock);
        var authenticator = services.GetRequiredService<IInboundAuthenticator>();
        var tokens = new TestTokenIssuer(clock);
        Assert.True((await authenticator.AuthenticateAsync(Request(tokens.MintHeader()), CancellationToken.None)).Succeeded);

        login.Publish(TestSigningKeys.Rotated);
        var rotated = await authenticator.AuthenticateAsync(Request(tokens.MintHeader(new ChannelTokenSpec { SigningKey = TestSigningKeys.Rotated })), CancellationToken.None);
        var retired = await authenticator.AuthenticateAsync(Request(tokens.MintHeader()), CancellationToken.None);

        Assert.True(rotated.Succeeded, rotated.Reason.ToString());
        Assert.Equal(AuthFailureReason.UnknownSigningKey, retired.Reason); // the throttle allows no second refresh yet
        Assert.Equal(2, login.MetadataRequests);
        Assert.Equal(2, login.KeyRequests);
    }

    [Fact]
    public async Task AuthenticateAsync_ReturnsServiceUnavailable_WhenFakeLoginAnswersWithServerError()
    {
        await using var login = await FakeBotFrameworkLogin.StartAsync();
        login.FailWith = HttpStatusCode.InternalServerError;
        var clock = new ManualTimeProvider();
        await using var services = BuildServices(login.MetadataUrl, clock);

        var result = await services.GetRequiredService<IInboundAuthenticator>()
            .AuthenticateAsync(Request(new TestTokenIssuer(clock).MintHeader()), CancellationToken.None);

        Assert.Equal(AuthFailureReason.MetadataUnavailable, result.Reason);
        Assert.Equal(503, result.StatusCode);
        Assert.True(login.MetadataRequests >= 1);
    }

    [Fact]
    public async Task AuthenticateAsync_ReturnsServiceUnavailable_WhenLoginIsNotListening()
    {
        string metadataUrl;
        await using (var login = await FakeBotFrameworkLogin.StartAsync())
        {
            metadataUrl = login.MetadataUrl;
        }
        var clock = new ManualTimeProvider();
        await using var services = BuildServices(metadataUrl, clock);

        var result = await services.GetRequiredService<IInboundAuthenticator>()
            .AuthenticateAsync(Request(new TestTokenIssuer(clock).MintHeader()), CancellationToken.None);

        Assert.Equal(AuthFailureReason.MetadataUnavailable, result.Reason);
        Assert.Equal(503, result.StatusCode);
    }
}
