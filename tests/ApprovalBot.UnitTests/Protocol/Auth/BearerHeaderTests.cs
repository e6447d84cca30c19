using ApprovalBot.Protocol.Auth;

namespace ApprovalBot.UnitTests.Protocol.Auth;

public class BearerHeaderTests
{
    [Fact]
    public void TryGetToken_ReturnsToken_WhenHeaderIsBearerSpaceToken()
    {
        Assert.Equal(AuthFailureReason.None, BearerHeader.TryGetToken("Bearer abc.def.ghi", out var token));
        Assert.Equal("abc.def.ghi", token);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void TryGetToken_ReportsMissing_WhenHeaderIsAbsent(string? header)
    {
        Assert.Equal(AuthFailureReason.MissingAuthorizationHeader, BearerHeader.TryGetToken(header, out var token));
        Assert.Empty(token);
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("bearer abc")]
    [InlineData("BEARER abc")]
    [InlineData("Basic abc")]
    [InlineData("Bearer  abc")]
    [InlineData(" Bearer abc")]
    [InlineData("Bearer abc def")]
    [InlineData("Bearer abc ")]
    [InlineData("Bearer\tabc")]
    [InlineData("Bearer abc\n")]
    [InlineData("abc.def.ghi")]
    [InlineData("   ")]
    public void TryGetToken_ReportsMalformed_WhenHeaderIsNotExactlyBearerSpaceToken(string header)
    {
        Assert.Equal(AuthFailureReason.MalformedAuthorizationHeader, BearerHeader.TryGetToken(header, out var token));
        Assert.Empty(token);
    }
}
