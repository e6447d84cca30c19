using ApprovalBot.Dashboard;
using ApprovalBot.Protocol.Auth;
using Microsoft.Extensions.Options;

namespace ApprovalBot.UnitTests.Dashboard;

/// <summary>Start-up checks of the Dashboard section: tab sign-in must have an app, a tenant to trust, and sane values.</summary>
public class DashboardOptionsTests
{
    private const string AppId = "7e5f4d3c-2b1a-4c9d-8e7f-6a5b4c3d2e1f";
    private const string Tenant = "5b1b7e0e-8c1f-4d7a-9a55-3f0c2d6e4a11";
    private const string Uri = "api://bot.contoso.test/" + AppId;

    private static IReadOnlyList<string> Validate(DashboardOptions options, MicrosoftAppOptions? app = null, BotAuthenticationOptions? bot = null)
    {
        var result = new DashboardOptionsValidator(Options.Create(bot ?? new BotAuthenticationOptions()), Options.Create(app ?? new MicrosoftAppOptions { MicrosoftAppId = AppId }))
            .Validate(null, options);
        return result.Failed ? [.. result.Failures] : [];
    }

    [Fact]
    public void Defaults_AreValid_WithoutTabSignIn() => Assert.Empty(Validate(new DashboardOptions(), new MicrosoftAppOptions()));

    [Fact]
    public void AppIdUri_IsAccepted_WithAnAppIdAndAnAllowedTenant()
    {
        var options = new DashboardOptions { AppIdUri = Uri, AllowedTenantIds = [Tenant] };

        Assert.Empty(Validate(options));
    }

    [Fact]
    public void AppIdUri_IsRefused_WhenNoTenantIsTrusted_SoThatNoOtherOrganisationCanSignIn()
    {
        var errors = Validate(new DashboardOptions { AppIdUri = Uri });

        Assert.Contains(errors, e => e.Contains("Dashboard:AppIdUri needs an allowed tenant", StringComparison.Ordinal));
    }

    [Fact]
    public void AllowedTenants_FallBackToTheBotsThenToTheAppRegistrationsTenant()
    {
        var bot = new BotAuthenticationOptions { AllowedTenantIds = ["11111111-1111-1111-1111-111111111111"] };
        var app = new MicrosoftAppOptions { MicrosoftAppId = AppId, MicrosoftAppTenantId = Tenant };

        Assert.Equal([Tenant], DashboardOptions.EffectiveTenants(new DashboardOptions { AllowedTenantIds = [Tenant] }, bot, app));
        Assert.Equal(["11111111-1111-1111-1111-111111111111"], DashboardOptions.EffectiveTenants(new DashboardOptions(), bot, app));
        Assert.Equal([Tenant], DashboardOptions.EffectiveTenants(new DashboardOptions(), new BotAuthenticationOptions(), app));
        Assert.Empty(Validate(new DashboardOptions { AppIdUri = Uri }, app));
    }

    [Theory]
    [InlineData("https://bot.contoso.test/" + AppId, "api://<host>/<MicrosoftAppId>")]
    [InlineData(" api://bot.contoso.test/x", "api://<host>/<MicrosoftAppId>")]
    [InlineData("not a uri", "api://<host>/<MicrosoftAppId>")]
    public void AppIdUri_MustBeAnApiUri(string uri, string said) =>
        Assert.Contains(Validate(new DashboardOptions { AppIdUri = uri, AllowedTenantIds = [Tenant] }), e => e.Contains(said, StringComparison.Ordinal));

    [Fact]
    public void AppIdUri_NeedsTheBotsAppId() =>
        Assert.Contains(Validate(new DashboardOptions { AppIdUri = Uri, AllowedTenantIds = [Tenant] }, new MicrosoftAppOptions()),
            e => e.Contains("needs MicrosoftAppId", StringComparison.Ordinal));

    [Theory]
    [InlineData(nameof(DashboardOptions.TrendWeeks), 0)]
    [InlineData(nameof(DashboardOptions.TrendWeeks), 105)]
    [InlineData(nameof(DashboardOptions.TrendMonths), 0)]
    public void Trends_AreOneTo104Buckets(string name, int value)
    {
        var options = new DashboardOptions();
        typeof(DashboardOptions).GetProperty(name)!.SetValue(options, value);

        Assert.Contains(Validate(options), e => e.Contains($"Dashboard:{name}", StringComparison.Ordinal));
    }

    [Fact]
    public void Tenants_ScopeAndMetadata_AreChecked()
    {
        var errors = Validate(new DashboardOptions
        {
            AllowedTenantIds = ["contoso.com"],
            RequiredScope = "a b",
            OpenIdMetadataUrl = "http://login.example.test/.well-known/openid-configuration",
        });

        Assert.Contains(errors, e => e.Contains("Dashboard:AllowedTenantIds must hold tenant ids", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Dashboard:RequiredScope", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Dashboard:OpenIdMetadataUrl must use https", StringComparison.Ordinal));
    }
}
