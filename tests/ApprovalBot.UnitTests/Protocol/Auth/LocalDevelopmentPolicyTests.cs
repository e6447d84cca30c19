using System.Net;
using ApprovalBot.Protocol.Auth;

namespace ApprovalBot.UnitTests.Protocol.Auth;

public class LocalDevelopmentPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("127.255.255.254")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:127.1.2.3")]
    public void Check_Accepts_WhenAddressIsLoopback(string address)
    {
        Assert.True(LoopbackAddress.IsLoopback(IPAddress.Parse(address)));
        Assert.Equal(AuthFailureReason.None, LocalDevelopmentPolicy.Check(IPAddress.Parse(address), isForwarded: false));
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("192.168.1.10")]
    [InlineData("203.0.113.7")]
    [InlineData("0.0.0.0")]
    [InlineData("128.0.0.1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("2001:db8::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::127.0.0.1")]
    public void Check_RejectsAsNonLoopback_WhenAddressIsNotLoopback(string address)
    {
        Assert.False(LoopbackAddress.IsLoopback(IPAddress.Parse(address)));
        Assert.Equal(AuthFailureReason.LocalDevelopmentNonLoopback, LocalDevelopmentPolicy.Check(IPAddress.Parse(address), isForwarded: false));
    }

    [Fact]
    public void Check_Rejects_WhenRemoteAddressIsUnknown()
    {
        Assert.False(LoopbackAddress.IsLoopback(null));
        Assert.Equal(AuthFailureReason.LocalDevelopmentUnknownRemoteAddress, LocalDevelopmentPolicy.Check(null, isForwarded: false));
    }

    [Fact]
    public void Check_Rejects_WhenLoopbackRequestWasForwardedByAProxy() =>
        Assert.Equal(AuthFailureReason.LocalDevelopmentForwardedRequest, LocalDevelopmentPolicy.Check(IPAddress.Loopback, isForwarded: true));
}
