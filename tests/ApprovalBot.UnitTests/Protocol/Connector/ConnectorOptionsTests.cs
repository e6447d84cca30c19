using ApprovalBot.Protocol.Connector;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ApprovalBot.UnitTests.Protocol.Connector;

public sealed class ConnectorOptionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddBotConnector(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }

    private static string ValidationError(Dictionary<string, string?> settings)
    {
        using var provider = Build(settings);
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IConnectorClient>());
        return ex.Message;
    }

    [Theory]
    [InlineData(null, "secret", null, "MicrosoftAppPassword is set but MicrosoftAppId is empty")]
    [InlineData(null, null, "SingleTenant", "MicrosoftAppType=SingleTenant requires MicrosoftAppId")]
    [InlineData("app", null, null, "MicrosoftAppType=MultiTenant requires MicrosoftAppPassword")]
    [InlineData("app", "secret", "SingleTenant", "MicrosoftAppType=SingleTenant requires MicrosoftAppTenantId")]
    [InlineData("app", null, "SingleTenant", "MicrosoftAppType=SingleTenant requires MicrosoftAppPassword")]
    [InlineData("app", "secret", "UserAssignedMsi", "MicrosoftAppType=UserAssignedMsi must not have MicrosoftAppPassword")]
    [InlineData("app", "secret", "Federated", "MicrosoftAppType 'Federated' is not one of")]
    [InlineData("app", "secret", "1", "MicrosoftAppType '1' is not one of")]
    public void AddBotConnector_FailsWithAMessageNamingTheKey_WhenCredentialCombinationIsInvalid(string? appId, string? password, string? appType, string expected)
    {
        var message = ValidationError(new()
        {
            ["MicrosoftAppId"] = appId,
            ["MicrosoftAppPassword"] = password,
            ["MicrosoftAppType"] = appType,
        });

        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddBotConnector_Fails_WhenUserAssignedMsiHasNoTenant()
    {
        var message = ValidationError(new() { ["MicrosoftAppId"] = "mi-client-id", ["MicrosoftAppType"] = "UserAssignedMsi" });

        Assert.Contains("MicrosoftAppType=UserAssignedMsi requires MicrosoftAppTenantId", message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddBotConnector_Fails_WhenTenantIdCannotBeAPathSegment()
    {
        var message = ValidationError(new()
        {
            ["MicrosoftAppId"] = "app", ["MicrosoftAppPassword"] = "s", ["MicrosoftAppType"] = "SingleTenant", ["MicrosoftAppTenantId"] = "../evil",
        });

        Assert.Contains("MicrosoftAppTenantId '../evil'", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Connector:AuthorityHost", "http://login.microsoftonline.com", "Connector:AuthorityHost")]
    [InlineData("Connector:AuthorityHost", "not a url", "Connector:AuthorityHost")]
    [InlineData("Connector:AdditionalAllowedHosts:0", "*", "Connector:AdditionalAllowedHosts:0")]
    [InlineData("Connector:MaxAttempts", "0", "Connector:MaxAttempts")]
    [InlineData("Connector:AttemptTimeout", "00:00:00.005", "Connector:AttemptTimeout")]
    [InlineData("Connector:BaseDelay", "00:00:00", "Connector:BaseDelay")]
    [InlineData("Connector:MaxDelay", "00:00:01", "Connector:MaxDelay")]
    [InlineData("Connector:Throttle:GlobalRequestsPerSecond", "0", "GlobalRequestsPerSecond")]
    public void AddBotConnector_FailsWithAMessageNamingTheKey_WhenConnectorOptionIsInvalid(string key, string value, string expected)
    {
        var message = ValidationError(new() { [key] = value });

        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddBotConnector_UsesNoTokenProvider_WhenNoAppIdIsConfigured()
    {
        using var provider = Build(new() { ["MicrosoftAppType"] = "MultiTenant" });

        var tokens = provider.GetRequiredService<IConnectorTokenProvider>();

        Assert.IsType<NoConnectorTokenProvider>(tokens);
        Assert.False(tokens.SendsTokens);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("SingleTenant", "contoso.onmicrosoft.com")]
    [InlineData("singletenant", "00000000-0000-0000-0000-000000000001")]
    public void AddBotConnector_UsesMsal_WhenClientSecretCredentialsAreConfigured(string? appType, string? tenant)
    {
        using var provider = Build(new()
        {
            ["MicrosoftAppId"] = "11111111-2222-3333-4444-555555555555",
            ["MicrosoftAppPassword"] = "secret",
            ["MicrosoftAppType"] = appType,
            ["MicrosoftAppTenantId"] = tenant,
        });

        var tokens = provider.GetRequiredService<IConnectorTokenProvider>();

        Assert.IsType<MsalConnectorTokenProvider>(tokens);
        Assert.True(tokens.SendsTokens);
    }

    [Fact]
    public void AddBotConnector_UsesMsalManagedIdentity_WhenUserAssignedMsiIsConfigured()
    {
        using var provider = Build(new()
        {
            ["MicrosoftAppId"] = "mi-client-id",
            ["MicrosoftAppType"] = "UserAssignedMsi",
            ["MicrosoftAppTenantId"] = "contoso.onmicrosoft.com",
        });

        Assert.IsType<MsalConnectorTokenProvider>(provider.GetRequiredService<IConnectorTokenProvider>());
    }

    [Fact]
    public void AddBotConnector_BindsDefaults_WhenNothingIsConfigured()
    {
        using var provider = Build([]);

        var options = provider.GetRequiredService<IOptions<ConnectorOptions>>().Value;

        Assert.Equal("https://login.microsoftonline.com", options.AuthorityHost);
        Assert.Equal(3, options.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(10), options.MaxInlineRetryAfter);
        Assert.Equal(48, options.Throttle.GlobalRequestsPerSecond);
        Assert.Empty(options.AdditionalAllowedHosts);
    }

    [Theory]
    [InlineData("https://login.microsoftonline.com", "botframework.com", "https://login.microsoftonline.com/botframework.com/", true)]
    [InlineData("https://login.microsoftonline.us/", "tenant-guid", "https://login.microsoftonline.us/tenant-guid/", true)]
    [InlineData("https://127.0.0.1:5443", "botframework.com", "https://127.0.0.1:5443/botframework.com/", false)]
    [InlineData("https://login.contoso-cloud.example", "t", "https://login.contoso-cloud.example/t/", false)]
    public void AuthorityFor_JoinsHostAndTenant_AndKnowsWhichHostsMsalCanValidate(string host, string tenant, string expected, bool known)
    {
        var authority = MsalConnectorTokenProvider.AuthorityFor(host, tenant);

        Assert.Equal(expected, authority.AbsoluteUri);
        Assert.Equal(known, MsalConnectorTokenProvider.IsKnownAuthorityHost(authority));
    }
}
