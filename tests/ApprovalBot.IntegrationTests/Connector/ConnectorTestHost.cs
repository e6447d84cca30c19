using ApprovalBot.Protocol.Connector;
using ApprovalBot.TestSupport.Connector;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalBot.IntegrationTests.Connector;

/// <summary>
/// The connector exactly as the host registers it (<c>AddBotConnector</c>), on the real clock and real HTTP, with
/// short retry delays so real-HTTP tests stay fast without sleeping.
/// </summary>
internal sealed class ConnectorTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private ConnectorTestHost(ServiceProvider services)
    {
        _services = services;
        Client = services.GetRequiredService<IConnectorClient>();
        Gate = services.GetRequiredService<ConnectorThrottleGate>();
    }

    public IConnectorClient Client { get; }
    public ConnectorThrottleGate Gate { get; }

    /// <summary>Local development mode: no app id, loopback only, no token.</summary>
    public static ConnectorTestHost LocalDevelopment(IDictionary<string, string?>? settings = null) => Create(settings, entra: null);

    /// <summary>Credentials whose tokens come from <paramref name="entra"/>; the loopback fake connector is allow-listed.</summary>
    public static ConnectorTestHost WithCredentials(FakeEntraTokenEndpoint entra, IDictionary<string, string?>? settings = null, bool allowLoopbackConnector = true)
    {
        var all = new Dictionary<string, string?>(entra.BotConfiguration());
        if (allowLoopbackConnector) all["Connector:AdditionalAllowedHosts:0"] = "127.0.0.1";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        return Create(all, entra);
    }

    private static ConnectorTestHost Create(IDictionary<string, string?>? settings, FakeEntraTokenEndpoint? entra)
    {
        var config = new Dictionary<string, string?>
        {
            ["Connector:BaseDelay"] = "00:00:00.020",
            ["Connector:MaxDelay"] = "00:00:00.100",
            ["Connector:AttemptTimeout"] = "00:00:05",
            ["Connector:MaxInlineRetryAfter"] = "00:00:02",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) config[key] = value;

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddBotConnector(new ConfigurationBuilder().AddInMemoryCollection(config).Build());
        if (entra is not null) services.TrustFakeEntra(entra);
        return new ConnectorTestHost(services.BuildServiceProvider());
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
