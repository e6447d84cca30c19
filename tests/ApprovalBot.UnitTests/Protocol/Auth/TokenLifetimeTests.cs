using ApprovalBot.Protocol.Auth;

namespace ApprovalBot.UnitTests.Protocol.Auth;

public class TokenLifetimeTests
{
    private static readonly DateTimeOffset Now = new(2031, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);

    private static AuthFailureReason Evaluate(double? nbfMinutes, double? expMinutes) => TokenLifetime.Evaluate(
        nbfMinutes is null ? null : Now.AddMinutes(nbfMinutes.Value).UtcDateTime,
        expMinutes is null ? null : Now.AddMinutes(expMinutes.Value).UtcDateTime,
        Now,
        Skew);

    [Theory]
    [InlineData(-1.0, 60.0)]
    [InlineData(null, 60.0)]
    [InlineData(-60.0, -4.0)] // 4 minutes past expiry: inside the 5 minute skew
    [InlineData(-60.0, -5.0)] // exactly at the edge
    [InlineData(4.0, 60.0)]   // nbf 4 minutes ahead: inside the skew
    [InlineData(5.0, 60.0)]
    public void Evaluate_Accepts_WhenNowIsWithinLifetimePlusSkew(double? nbf, double? exp) =>
        Assert.Equal(AuthFailureReason.None, Evaluate(nbf, exp));

    [Theory]
    [InlineData(-60.0, -6.0)]
    [InlineData(-60.0, -5.02)]
    [InlineData(null, -600.0)]
    public void Evaluate_ReportsExpired_WhenExpiryPlusSkewHasPassed(double? nbf, double? exp) =>
        Assert.Equal(AuthFailureReason.TokenExpired, Evaluate(nbf, exp));

    [Theory]
    [InlineData(6.0, 60.0)]
    [InlineData(5.02, 60.0)]
    public void Evaluate_ReportsNotYetValid_WhenNotBeforeMinusSkewIsAhead(double? nbf, double? exp) =>
        Assert.Equal(AuthFailureReason.TokenNotYetValid, Evaluate(nbf, exp));

    [Fact]
    public void Evaluate_ReportsInvalidLifetime_WhenExpiryIsMissing() =>
        Assert.Equal(AuthFailureReason.InvalidLifetime, Evaluate(-1.0, null));

    [Fact]
    public void Evaluate_ReportsInvalidLifetime_WhenNotBeforeIsAfterExpiry() =>
        Assert.Equal(AuthFailureReason.InvalidLifetime, Evaluate(30.0, 10.0));

    [Fact]
    public void Evaluate_DoesNotOverflow_WhenClaimsAreAtTheEdgesOfTime()
    {
        Assert.Equal(AuthFailureReason.None, TokenLifetime.Evaluate(DateTime.MinValue, DateTime.MaxValue, Now, Skew));
        Assert.Equal(AuthFailureReason.None, TokenLifetime.Evaluate(null, DateTime.MaxValue, DateTimeOffset.MaxValue, Skew));
        Assert.Equal(AuthFailureReason.TokenExpired, TokenLifetime.Evaluate(null, DateTime.MinValue, Now, Skew));
    }
}
