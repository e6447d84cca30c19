using ApprovalBot.Protocol.Connector;

namespace ApprovalBot.UnitTests.Protocol.Connector;

public sealed class ServiceUrlPolicyTests
{
    [Theory]
    [InlineData("https://smba.trafficmanager.net/teams/", "https://smba.trafficmanager.net/teams/")]
    [InlineData("https://smba.trafficmanager.net/amer", "https://smba.trafficmanager.net/amer/")]
    [InlineData("https://SMBA.TrafficManager.NET/emea/", "https://smba.trafficmanager.net/emea/")]
    [InlineData("https://europe.botframework.com/", "https://europe.botframework.com/")]
    [InlineData("https://botframework.com/", "https://botframework.com/")]
    [InlineData("https://smba.infra.gcc.teams.microsoft.com/teams", "https://smba.infra.gcc.teams.microsoft.com/teams/")]
    [InlineData("https://smba.infra.gov.teams.microsoft.us/teams", "https://smba.infra.gov.teams.microsoft.us/teams/")]
    [InlineData("https://smba.trafficmanager.net./teams/", "https://smba.trafficmanager.net./teams/")]
    public void TryGetBaseUri_AllowsAllowListedHttpsHosts_WhenCredentialsAreSent(string serviceUrl, string expectedBase)
    {
        var policy = new ServiceUrlPolicy(sendsTokens: true, []);

        Assert.True(policy.TryGetBaseUri(serviceUrl, out var baseUri, out var refusal), refusal);
        Assert.Equal(expectedBase, baseUri.AbsoluteUri);
    }

    [Theory]
    [InlineData("https://evil.trafficmanager.net/")]
    [InlineData("https://smba.trafficmanager.net.evil.com/")]
    [InlineData("https://evilbotframework.com/")]
    [InlineData("https://botframework.com.evil.com/")]
    [InlineData("https://teams.microsoft.com.evil.com/")]
    [InlineData("http://smba.trafficmanager.net/teams/")]
    [InlineData("https://user:pw@smba.trafficmanager.net/teams/")]
    [InlineData("https://smba.trafficmanager.net/teams/?x=1")]
    [InlineData("https://smba.trafficmanager.net/teams/#f")]
    [InlineData("http://127.0.0.1:3978/")]
    [InlineData("http://localhost:56150/_connector")]
    [InlineData("ftp://smba.trafficmanager.net/")]
    [InlineData("/v3/relative")]
    [InlineData("")]
    [InlineData(null)]
    public void TryGetBaseUri_Refuses_WhenCredentialsWouldGoToAnUnlistedOrInsecureUrl(string? serviceUrl)
    {
        var policy = new ServiceUrlPolicy(sendsTokens: true, []);

        Assert.False(policy.TryGetBaseUri(serviceUrl, out _, out var refusal));
        Assert.False(string.IsNullOrWhiteSpace(refusal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/", true)]
    [InlineData("https://connector.contoso.net/", true)]
    [InlineData("https://a.b.contoso.org/", true)]
    [InlineData("https://contoso.org/", false)]
    [InlineData("http://connector.contoso.net/", false)]
    [InlineData("http://127.0.0.2:5000/", false)]
    public void TryGetBaseUri_HonoursConfiguredHosts_AllowingHttpOnlyForListedLoopback(string serviceUrl, bool allowed)
    {
        var policy = new ServiceUrlPolicy(sendsTokens: true, ["127.0.0.1", "connector.contoso.net", "*.contoso.org"]);

        Assert.Equal(allowed, policy.TryGetBaseUri(serviceUrl, out _, out _));
    }

    [Theory]
    [InlineData("http://127.0.0.1:3978/", true)]
    [InlineData("http://localhost:56150/_connector", true)]
    [InlineData("http://[::1]:56150/", true)]
    [InlineData("https://127.0.0.1:5001/", true)]
    [InlineData("https://smba.trafficmanager.net/teams/", false)]
    [InlineData("http://10.0.0.5/", false)]
    public void TryGetBaseUri_AllowsOnlyLoopback_WhenLocalDevelopment(string serviceUrl, bool allowed)
    {
        var policy = new ServiceUrlPolicy(sendsTokens: false, []);

        Assert.Equal(allowed, policy.TryGetBaseUri(serviceUrl, out _, out _));
    }

    [Theory]
    [InlineData("connector.contoso.net", true)]
    [InlineData("*.contoso.net", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("[::1]", true)]
    [InlineData("*", false)]
    [InlineData("*.net", false)]
    [InlineData("https://contoso.net", false)]
    [InlineData("contoso.net:443", false)]
    [InlineData("contoso.net/path", false)]
    [InlineData("", false)]
    public void IsValidHostPattern_AcceptsHostsAndTwoLabelWildcards_Only(string pattern, bool valid) =>
        Assert.Equal(valid, ServiceUrlPolicy.IsValidHostPattern(pattern));
}
