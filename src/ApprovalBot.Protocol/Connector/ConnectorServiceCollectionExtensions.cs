using System.Net.Http.Headers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Protocol.Connector;

/// <summary>Registers the outbound connector: <c>builder.Services.AddBotConnector(builder.Configuration)</c>.</summary>
public static partial class ConnectorServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="BotCredentialOptions"/> from the configuration root (SDK key names) and
    /// <see cref="ConnectorOptions"/> from the <c>Connector</c> section, both validated at start-up; registers the
    /// named HTTP clients, the token provider (MSAL, or none in local development mode), the throttle gate and
    /// <see cref="IConnectorClient"/>, all singletons. Uses the registered <see cref="TimeProvider"/> (the system
    /// clock when none is).
    /// </summary>
    public static IServiceCollection AddBotConnector(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<BotCredentialOptions>().Bind(configuration).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BotCredentialOptions>, BotCredentialOptionsValidator>());
        services.AddOptions<ConnectorOptions>().Bind(configuration.GetSection(ConnectorOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConnectorOptions>, ConnectorOptionsValidator>());

#pragma warning disable RS0030 // Composition: the real clock is the default; a host or test registers its own first.
        services.TryAddSingleton(TimeProvider.System);
#pragma warning restore RS0030

        services.AddHttpClient(ConnectorDefaults.HttpClientName, client =>
            {
                // Attempts are timed by the pipeline on the injected clock; HttpClient's own 100 s would only interfere.
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("ApprovalBot", "1.0"));
            })
            // A redirect would take the request (and, before .NET strips it, the token) to a host nobody checked.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        services.AddHttpClient(ConnectorDefaults.TokenHttpClientName);

        services.TryAddSingleton<IConnectorTokenProvider>(CreateTokenProvider);
        services.TryAddSingleton<ConnectorThrottleGate>();
        services.TryAddSingleton<IConnectorClient, ConnectorClient>();
        return services;
    }

    private static IConnectorTokenProvider CreateTokenProvider(IServiceProvider services)
    {
        var credentials = services.GetRequiredService<IOptions<BotCredentialOptions>>().Value;
        if (!credentials.IsLocalDevelopment) return ActivatorUtilities.CreateInstance<MsalConnectorTokenProvider>(services);

        LogLocalDevelopment(services.GetRequiredService<ILoggerFactory>().CreateLogger<ConnectorClient>());
        return new NoConnectorTokenProvider();
    }

    [LoggerMessage(EventId = 3300, Level = LogLevel.Warning,
        Message = "LOCAL DEVELOPMENT MODE: no MicrosoftAppId is configured, so outbound connector calls carry no token and go to loopback serviceUrls only. Never run like this in production.")]
    private static partial void LogLocalDevelopment(ILogger logger);
}
