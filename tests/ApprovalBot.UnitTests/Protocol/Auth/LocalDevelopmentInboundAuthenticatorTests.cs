using System.Net;
using ApprovalBot.Protocol.Auth;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ApprovalBot.UnitTests.Protocol.Auth;

public class LocalDevelopmentInboundAuthenticatorTests
{
    private static readonly LocalDevelopmentInboundAuthenticator Authenticator =
        new(Options.Create(new MicrosoftAppOptions()), NullLogger<LocalDevelopmentInboundAuthenticator>.Instance);

    private static InboundAuthRequest Request(string? header, IPAddress? remote) =>
        new(header, remote, "msteams", "http://localhost:56150/_connector", "00000000-0000-0000-0000-0000000000001");

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public async Task AuthenticateAsync_AcceptsWithAnonymousIdentity_WhenLoopbackRequestHasNoToken(string address)
    {
        var result = await Authenticator.AuthenticateAsync(Request(null, IPAddress.Parse(address)), CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal(200, result.StatusCode);
        Assert.Equal(AuthMode.LocalDevelopment, result.Mode);
        Assert.False(result.Identity.IsAuthenticated);
        Assert.Empty(result.Identity.Claims);
    }

    [Theory]
    [InlineData("Bearer not-a-jwt")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("garbage")]
    public async Task AuthenticateAsync_IgnoresAuthorizationHeader_WhenOneIsPresent(string header)
    {
        var result = await Authenticator.AuthenticateAsync(Request(header, IPAddress.Loopback), CancellationToken.None);
        Assert.True(result.Succeeded);
        Assert.False(result.Identity.IsAuthenticated);
    }

    [Theory]
    [InlineData("203.0.113.7")]
    [InlineData("10.0.0.5")]
    [InlineData("::ffff:192.168.0.2")]
    [InlineData("fe80::1")]
    public async Task AuthenticateAsync_RejectsAsForbidden_WhenRemoteAddressIsNotLoopback(string address)
    {
        var result = await Authenticator.AuthenticateAsync(Request("Bearer not-a-jwt", IPAddress.Parse(address)), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal(AuthFailureReason.LocalDevelopmentNonLoopback, result.Reason);
        Assert.Equal(403, result.StatusCode);
        Assert.Null(result.Identity);
    }

    [Fact]
    public async Task AuthenticateAsync_RejectsAsForbidden_WhenRemoteAddressIsUnknown()
    {
        var result = await Authenticator.AuthenticateAsync(Request(null, null), CancellationToken.None);
        Assert.Equal(AuthFailureReason.LocalDevelopmentUnknownRemoteAddress, result.Reason);
        Assert.Equal(403, result.StatusCode);
    }

    [Fact]
    public async Task AuthenticateAsync_RejectsAsForbidden_WhenRequestCameThroughAProxy()
    {
        var result = await Authenticator.AuthenticateAsync(Request(null, IPAddress.Loopback) with { IsForwarded = true }, CancellationToken.None);
        Assert.Equal(AuthFailureReason.LocalDevelopmentForwardedRequest, result.Reason);
        Assert.Equal(403, result.StatusCode);
    }

    [Fact]
    public void Constructor_Throws_WhenAppIdIsConfigured() =>
        Assert.Throws<InvalidOperationException>(() => new LocalDevelopmentInboundAuthenticator(
            Options.Create(new MicrosoftAppOptions { MicrosoftAppId = "7e5f4d3c-2b1a-4c9d-8e7f-6a5b4c3d2e1f" }),
            NullLogger<LocalDevelopmentInboundAuthenticator>.Instance));

    [Fact]
    public void Mode_IsLocalDevelopment_WhenNoAppIdIsConfigured() => Assert.Equal(AuthMode.LocalDevelopment, Authenticator.Mode);
}
