using ApprovalBot.Protocol.Auth;

namespace ApprovalBot.UnitTests.Protocol.Auth;

public class MetadataAddressPolicyTests
{
    [Theory]
    [InlineData("https://login.botframework.com/v1/.well-known/openidconfiguration")]
    [InlineData("https://login.test.invalid/v1/.well-known/keys")]
    [InlineData("http://127.0.0.1:5000/v1/.well-known/openidconfiguration")]
    [InlineData("http://127.1.2.3/keys")]
    [InlineData("http://[::1]:5000/v1/.well-known/openidconfiguration")]
    public void IsAllowed_Accepts_WhenHttpsOrPlainHttpToLoopbackIp(string address)
    {
        Assert.True(MetadataAddressPolicy.IsAllowed(address, out var problem));
        Assert.Null(problem);
    }

    [Theory]
    [InlineData("http://login.botframework.com/v1/.well-known/openidconfiguration")]
    [InlineData("http://localhost:5000/v1/.well-known/openidconfiguration")]
    [InlineData("http://10.0.0.1/keys")]
    [InlineData("http://127.0.0.1.nip.io/keys")]
    [InlineData("ftp://127.0.0.1/keys")]
    [InlineData("file:///etc/keys.json")]
    [InlineData("https://user:secret@login.botframework.com/keys")]
    [InlineData("/v1/.well-known/openidconfiguration")]
    [InlineData("")]
    [InlineData(null)]
    public void IsAllowed_Refuses_WhenNotHttpsAndNotLoopbackIp(string? address)
    {
        Assert.False(MetadataAddressPolicy.IsAllowed(address, out var problem));
        Assert.False(string.IsNullOrEmpty(problem));
    }
}
