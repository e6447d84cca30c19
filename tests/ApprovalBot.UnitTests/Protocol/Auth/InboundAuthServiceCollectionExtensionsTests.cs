using ApprovalBot.Protocol.Auth;
using ApprovalBot.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApprovalBot.UnitTests.Protocol.Auth;

/// <summary>The registration the host calls. No network: keys are fetched lazily, on the first request.</summary>
public class InboundAuthServiceCollectionExtensionsTests
{
    private static IHost BuildHost(Dictionary<string, string?> settings, CapturingLoggerProvider? logs = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<TimeProvider>(new ManualTimeProvider());
        builder.Logging.ClearProviders();
        if (logs is not null) builder.Logging.AddProvider(logs);
        builder.Services.AddBotInboundAuthentication(builder.Configuration);
        return builder.Build();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void AddBotInboundAuthentication_ChoosesLocalDevelopment_WhenAppIdIsAbsentOrEmpty(string? appId)
    {
        using var host = BuildHost(new() { ["MicrosoftAppId"] = appId });
        Assert.Equal(AuthMode.LocalDevelopment, host.Services.GetRequiredService<IInboundAuthenticator>().Mode);
    }

    [Fact]
    public void AddBotInboundAuthentication_ChoosesBotFrameworkAndBindsSettings_WhenAppIdIsConfigured()
    {
        using var host = BuildHost(new()
        {
            ["MicrosoftAppId"] = "7e5f4d3c-2b1a-4c9d-8e7f-6a5b4c3d2e1f",
            ["MicrosoftAppType"] = "SingleTenant",
            ["MicrosoftAppTenantId"] = "tenant-a",
            ["BotAuthentication:OpenIdMetadataUrl"] = "http://127.0.0.1:6001/v1/.well-known/openidconfiguration",
            ["BotAuthentication:AllowedTenantIds:0"] = "tenant-a",
            ["BotAuthentication:AllowedTenantIds:1"] = "tenant-b",
            ["BotAuthentication:ClockSkew"] = "00:02:00",
        });

        Assert.Equal(AuthMode.BotFramework, host.Services.GetRequiredService<IInboundAuthenticator>().Mode);
        var app = host.Services.GetRequiredService<IOptions<MicrosoftAppOptions>>().Value;
        Assert.Equal("SingleTenant", app.MicrosoftAppType);
        Assert.Equal("tenant-a", app.MicrosoftAppTenantId);
        var options = host.Services.GetRequiredService<IOptions<BotAuthenticationOptions>>().Value;
        Assert.Equal("http://127.0.0.1:6001/v1/.well-known/openidconfiguration", options.OpenIdMetadataUrl);
        Assert.Equal(["tenant-a", "tenant-b"], options.AllowedTenantIds);
        Assert.Equal(TimeSpan.FromMinutes(2), options.ClockSkew);
    }

    [Fact]
    public void AddBotInboundAuthentication_UsesDocumentedDefaults_WhenSectionIsAbsent()
    {
        using var host = BuildHost(new() { ["MicrosoftAppId"] = "app" });
        var options = host.Services.GetRequiredService<IOptions<BotAuthenticationOptions>>().Value;

        Assert.Equal("https://login.botframework.com/v1/.well-known/openidconfiguration", options.OpenIdMetadataUrl);
        Assert.Empty(options.AllowedTenantIds);
        Assert.Equal(TimeSpan.FromMinutes(5), options.ClockSkew);
        Assert.Equal(TimeSpan.FromHours(12), options.MetadataRefreshInterval);
        Assert.Equal(TimeSpan.FromMinutes(5), options.MinimumKeyRefreshInterval);
    }

    [Theory]
    [InlineData("MicrosoftAppId", "app", "BotAuthentication:OpenIdMetadataUrl", "http://login.botframework.com/v1/.well-known/openidconfiguration")]
    [InlineData("MicrosoftAppType", "SingleTenant", "MicrosoftAppTenantId", "tenant-a")]
    [InlineData("MicrosoftAppId", " ", "BotAuthentication:ClockSkew", "00:05:00")]
    public async Task AddBotInboundAuthentication_FailsAtStart_WhenSettingsAreUnsafe(string key1, string value1, string key2, string value2)
    {
        using var host = BuildHost(new() { [key1] = value1, [key2] = value2 });
        await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
    }

    [Fact]
    public async Task AddBotInboundAuthentication_LogsLoudWarningAtStart_WhenInLocalDevelopmentMode()
    {
        var logs = new CapturingLoggerProvider();
        using var host = BuildHost([], logs);

        await host.StartAsync();
        await host.StopAsync();

        var warning = Assert.Single(logs.Records, r => r.EventId.Id == 1102);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("LOCAL DEVELOPMENT MODE", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddBotInboundAuthentication_LogsModeAtStart_WhenInBotFrameworkMode()
    {
        var logs = new CapturingLoggerProvider();
        using var host = BuildHost(new() { ["MicrosoftAppId"] = "app" }, logs);

        await host.StartAsync();
        await host.StopAsync();

        Assert.Contains(logs.Records, r => r.EventId.Id == 1103 && r.Level == LogLevel.Information);
        Assert.DoesNotContain(logs.Records, r => r.EventId.Id == 1102);
    }
}
