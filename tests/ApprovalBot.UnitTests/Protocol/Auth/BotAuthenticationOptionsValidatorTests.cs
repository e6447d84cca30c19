using ApprovalBot.Protocol.Auth;

namespace ApprovalBot.UnitTests.Protocol.Auth;

public class BotAuthenticationOptionsValidatorTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("7e5f4d3c-2b1a-4c9d-8e7f-6a5b4c3d2e1f")]
    public void Validate_Accepts_WhenDefaultsAreUsedWithOrWithoutAppId(string? appId) =>
        Assert.Empty(BotAuthenticationOptionsValidator.Validate(new MicrosoftAppOptions { MicrosoftAppId = appId }, new BotAuthenticationOptions()));

    [Fact]
    public void Validate_Accepts_WhenFullSingleTenantIdentityIsConfigured() =>
        Assert.Empty(BotAuthenticationOptionsValidator.Validate(
            new MicrosoftAppOptions { MicrosoftAppId = "app", MicrosoftAppType = "singletenant", MicrosoftAppTenantId = "tenant" },
            new BotAuthenticationOptions { AllowedTenantIds = ["tenant"], OpenIdMetadataUrl = "http://127.0.0.1:1234/v1/.well-known/openidconfiguration" }));

    [Theory]
    [InlineData(" ")]
    [InlineData("\t")]
    [InlineData(" app")]
    [InlineData("app ")]
    public void Validate_Refuses_WhenAppIdIsBlankOrPadded(string appId) =>
        Assert.Single(BotAuthenticationOptionsValidator.Validate(new MicrosoftAppOptions { MicrosoftAppId = appId }, new BotAuthenticationOptions()));

    [Fact]
    public void Validate_RefusesLocalDevelopment_WhenAppTypeOrTenantIsSetWithoutAppId()
    {
        Assert.NotEmpty(BotAuthenticationOptionsValidator.Validate(new MicrosoftAppOptions { MicrosoftAppType = "SingleTenant" }, new BotAuthenticationOptions()));
        Assert.NotEmpty(BotAuthenticationOptionsValidator.Validate(new MicrosoftAppOptions { MicrosoftAppTenantId = "tenant" }, new BotAuthenticationOptions()));
    }

    [Fact]
    public void Validate_Refuses_WhenAppTypeIsUnknown() =>
        Assert.Single(BotAuthenticationOptionsValidator.Validate(new MicrosoftAppOptions { MicrosoftAppId = "app", MicrosoftAppType = "Federated" }, new BotAuthenticationOptions()));

    [Theory]
    [InlineData("http://login.botframework.com/v1/.well-known/openidconfiguration")]
    [InlineData("http://localhost:5000/v1/.well-known/openidconfiguration")]
    [InlineData("not a url")]
    public void Validate_Refuses_WhenMetadataUrlCouldBeDowngraded(string url) =>
        Assert.Single(BotAuthenticationOptionsValidator.Validate(new MicrosoftAppOptions { MicrosoftAppId = "app" }, new BotAuthenticationOptions { OpenIdMetadataUrl = url }));

    [Theory]
    [InlineData(-1.0)]
    [InlineData(11.0)]
    public void Validate_Refuses_WhenClockSkewIsOutOfRange(double minutes) =>
        Assert.Single(BotAuthenticationOptionsValidator.Validate(new MicrosoftAppOptions(), new BotAuthenticationOptions { ClockSkew = TimeSpan.FromMinutes(minutes) }));

    [Fact]
    public void Validate_Refuses_WhenAllowedTenantListHasBlankEntry() =>
        Assert.Single(BotAuthenticationOptionsValidator.Validate(new MicrosoftAppOptions(), new BotAuthenticationOptions { AllowedTenantIds = ["tenant", " "] }));

    [Fact]
    public void Validate_Refuses_WhenIntervalsAreNotPositive()
    {
        var options = new BotAuthenticationOptions
        {
            MetadataRefreshInterval = TimeSpan.Zero,
            MinimumKeyRefreshInterval = TimeSpan.FromSeconds(-1),
            MetadataRetryInterval = TimeSpan.Zero,
            MetadataFetchTimeout = TimeSpan.Zero,
        };
        Assert.Equal(4, BotAuthenticationOptionsValidator.Validate(new MicrosoftAppOptions(), options).Count);
    }
}
