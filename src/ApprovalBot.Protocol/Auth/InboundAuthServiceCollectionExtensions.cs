using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Protocol.Auth;

public static class InboundAuthServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IInboundAuthenticator"/> (a singleton; its mode is fixed at first resolution), binding
    /// <see cref="MicrosoftAppOptions"/> from the configuration root and <see cref="BotAuthenticationOptions"/> from
    /// the <c>BotAuthentication</c> section, validated at start-up. The host must register a <see cref="TimeProvider"/>.
    /// A hosted service logs the mode at start-up (a loud warning in local development mode).
    /// </summary>
    public static IServiceCollection AddBotInboundAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<MicrosoftAppOptions>().Bind(configuration);
        services.AddOptions<BotAuthenticationOptions>()
            .Bind(configuration.GetSection(BotAuthenticationOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BotAuthenticationOptions>, BotAuthenticationOptionsValidator.ForOptions>());

        services.AddHttpClient(BotFrameworkMetadataRetriever.HttpClientName)
            .ConfigureHttpClient((sp, client) => client.Timeout = sp.GetRequiredService<IOptions<BotAuthenticationOptions>>().Value.MetadataFetchTimeout);

        services.TryAddSingleton(sp => new BotFrameworkSigningKeyStore(
            sp.GetRequiredService<IOptions<BotAuthenticationOptions>>().Value,
            new BotFrameworkMetadataRetriever(sp.GetRequiredService<IHttpClientFactory>()),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<BotFrameworkSigningKeyStore>>()));

        services.TryAddSingleton<IInboundAuthenticator>(sp =>
        {
            // Validate the section first: a half-configured identity must fail here, not fall into local development.
            _ = sp.GetRequiredService<IOptions<BotAuthenticationOptions>>().Value;
            return string.IsNullOrEmpty(sp.GetRequiredService<IOptions<MicrosoftAppOptions>>().Value.MicrosoftAppId)
                ? ActivatorUtilities.CreateInstance<LocalDevelopmentInboundAuthenticator>(sp)
                : ActivatorUtilities.CreateInstance<BotFrameworkInboundAuthenticator>(sp);
        });

        services.AddHostedService<InboundAuthStartupReporter>();
        return services;
    }
}

/// <summary>Resolves the authenticator at start-up (so bad settings stop the host) and logs the mode.</summary>
internal sealed class InboundAuthStartupReporter(
    IInboundAuthenticator authenticator,
    IOptions<MicrosoftAppOptions> app,
    IOptions<BotAuthenticationOptions> options,
    ILogger<InboundAuthStartupReporter> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (authenticator.Mode == AuthMode.LocalDevelopment)
            InboundAuthLog.LocalDevelopmentModeEnabled(logger);
        else
            InboundAuthLog.BotFrameworkModeEnabled(logger, app.Value.MicrosoftAppId ?? string.Empty, options.Value.OpenIdMetadataUrl, options.Value.AllowedTenantIds.Count);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
