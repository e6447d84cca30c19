using ApprovalBot.Protocol.Auth;

namespace ApprovalBot.UnitTests.Protocol.Auth;

public class ChannelTokenRulesTests
{
    private const string AppId = "7e5f4d3c-2b1a-4c9d-8e7f-6a5b4c3d2e1f";

    [Theory]
    [InlineData("RS256")]
    [InlineData("RS384")]
    [InlineData("RS512")]
    public void CheckHeader_Accepts_WhenAlgorithmIsRsaPkcs1AndKidIsPresent(string alg) =>
        Assert.Equal(AuthFailureReason.None, ChannelTokenRules.CheckHeader(alg, "kid-1"));

    [Theory]
    [InlineData("none")]
    [InlineData("HS256")]
    [InlineData("HS512")]
    [InlineData("ES256")]
    [InlineData("PS256")]
    [InlineData("rs256")]
    [InlineData("")]
    [InlineData(null)]
    public void CheckHeader_RejectsAlgorithm_WhenNotRs256Rs384OrRs512(string? alg) =>
        Assert.Equal(AuthFailureReason.UnsupportedAlgorithm, ChannelTokenRules.CheckHeader(alg, "kid-1"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void CheckHeader_RejectsMissingKeyId_WhenKidIsAbsent(string? kid) =>
        Assert.Equal(AuthFailureReason.MissingKeyId, ChannelTokenRules.CheckHeader("RS256", kid));

    [Fact]
    public void CheckIssuer_Accepts_WhenIssuerIsExactlyBotFramework() =>
        Assert.Equal(AuthFailureReason.None, ChannelTokenRules.CheckIssuer("https://api.botframework.com"));

    [Theory]
    [InlineData("https://api.botframework.com/")]
    [InlineData("https://API.botframework.com")]
    [InlineData("http://api.botframework.com")]
    [InlineData("https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/")]
    [InlineData("https://login.microsoftonline.com/f8cdef31-a31e-4b4a-93e4-5f571e91255a/v2.0")]
    [InlineData("")]
    [InlineData(null)]
    public void CheckIssuer_Rejects_WhenIssuerIsNotExactlyBotFramework(string? issuer) =>
        Assert.Equal(AuthFailureReason.InvalidIssuer, ChannelTokenRules.CheckIssuer(issuer));

    [Fact]
    public void CheckAudience_Accepts_WhenSingleAudienceEqualsAppId() =>
        Assert.Equal(AuthFailureReason.None, ChannelTokenRules.CheckAudience([AppId], AppId));

    [Theory]
    [InlineData("other-app")]
    [InlineData("7E5F4D3C-2B1A-4C9D-8E7F-6A5B4C3D2E1F")]
    [InlineData("https://api.botframework.com")]
    [InlineData("")]
    public void CheckAudience_Rejects_WhenAudienceIsNotExactlyTheAppId(string audience) =>
        Assert.Equal(AuthFailureReason.InvalidAudience, ChannelTokenRules.CheckAudience([audience], AppId));

    [Fact]
    public void CheckAudience_Rejects_WhenAudienceIsMissingOrMultiple()
    {
        Assert.Equal(AuthFailureReason.InvalidAudience, ChannelTokenRules.CheckAudience([], AppId));
        Assert.Equal(AuthFailureReason.InvalidAudience, ChannelTokenRules.CheckAudience([AppId, "other"], AppId));
    }

    [Fact]
    public void CheckEndorsement_Accepts_WhenKeyIsEndorsedForChannel() =>
        Assert.Equal(AuthFailureReason.None, ChannelTokenRules.CheckEndorsement(new HashSet<string> { "msteams", "skype" }, "msteams"));

    [Fact]
    public void CheckEndorsement_RejectsMissing_WhenKeyHasNoEndorsementsEntry() =>
        Assert.Equal(AuthFailureReason.MissingEndorsements, ChannelTokenRules.CheckEndorsement(null, "msteams"));

    [Theory]
    [InlineData("webchat")]
    [InlineData("MSTEAMS")]
    [InlineData("")]
    [InlineData(null)]
    public void CheckEndorsement_RejectsNotEndorsed_WhenChannelIsNotInTheSet(string? channelId) =>
        Assert.Equal(AuthFailureReason.ChannelNotEndorsed, ChannelTokenRules.CheckEndorsement(new HashSet<string> { "msteams", "skype" }, channelId));

    [Fact]
    public void CheckEndorsement_RejectsNotEndorsed_WhenEndorsementsAreEmpty() =>
        Assert.Equal(AuthFailureReason.ChannelNotEndorsed, ChannelTokenRules.CheckEndorsement(new HashSet<string>(), "msteams"));

    [Theory]
    [InlineData("https://smba.trafficmanager.net/amer/", "https://smba.trafficmanager.net/amer/")]
    [InlineData("https://smba.trafficmanager.net/amer/", "https://SMBA.trafficmanager.net/AMER/")]
    public void CheckServiceUrl_Accepts_WhenClaimEqualsActivityIgnoringCase(string claim, string activity) =>
        Assert.Equal(AuthFailureReason.None, ChannelTokenRules.CheckServiceUrl(claim, activity));

    [Theory]
    [InlineData("https://smba.trafficmanager.net/amer/", "https://smba.trafficmanager.net/amer")]
    [InlineData("https://smba.trafficmanager.net/amer", "https://smba.trafficmanager.net/amer/")]
    [InlineData("https://smba.trafficmanager.net/amer/", "https://smba.trafficmanager.net/emea/")]
    [InlineData("https://smba.trafficmanager.net/amer/", "https://smba.trafficmanager.net/amer/.evil.example/")]
    [InlineData("https://smba.trafficmanager.net/amer/", "http://smba.trafficmanager.net/amer/")]
    [InlineData("https://smba.trafficmanager.net/amer/", "")]
    [InlineData("https://smba.trafficmanager.net/amer/", null)]
    public void CheckServiceUrl_RejectsMismatch_WhenFullStringsDiffer(string claim, string? activity) =>
        Assert.Equal(AuthFailureReason.ServiceUrlMismatch, ChannelTokenRules.CheckServiceUrl(claim, activity));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void CheckServiceUrl_RejectsMissing_WhenClaimIsAbsent(string? claim) =>
        Assert.Equal(AuthFailureReason.MissingServiceUrlClaim, ChannelTokenRules.CheckServiceUrl(claim, "https://smba.trafficmanager.net/amer/"));

    [Fact]
    public void CheckTenant_AcceptsAnyTenant_WhenAllowListIsEmpty()
    {
        Assert.Equal(AuthFailureReason.None, ChannelTokenRules.CheckTenant([], "any-tenant"));
        Assert.Equal(AuthFailureReason.None, ChannelTokenRules.CheckTenant([], null));
    }

    [Theory]
    [InlineData("tenant-a")]
    [InlineData("TENANT-A")]
    public void CheckTenant_Accepts_WhenTenantIsListed(string tenant) =>
        Assert.Equal(AuthFailureReason.None, ChannelTokenRules.CheckTenant(["tenant-a", "tenant-b"], tenant));

    [Theory]
    [InlineData("tenant-c")]
    [InlineData("")]
    [InlineData(null)]
    public void CheckTenant_Rejects_WhenTenantIsNotListed(string? tenant) =>
        Assert.Equal(AuthFailureReason.TenantNotAllowed, ChannelTokenRules.CheckTenant(["tenant-a", "tenant-b"], tenant));
}
