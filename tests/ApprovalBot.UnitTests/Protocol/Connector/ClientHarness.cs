using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ApprovalBot.Protocol.Connector;
using ApprovalBot.TestSupport.Connector;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalBot.UnitTests.Protocol.Connector;

/// <summary>The real client from <c>AddBotConnector</c>, with a scripted handler, a fake token provider and a manual clock.</summary>
internal sealed class ClientHarness : IDisposable
{
    public const string AllowedServiceUrl = "https://smba.trafficmanager.net/teams/";
    public const string LoopbackServiceUrl = "http://127.0.0.1:5999/";

    /// <summary>Timers due further away than this are per-attempt timeouts, not delays a test should jump to.</summary>
    public static readonly TimeSpan Within = TimeSpan.FromMinutes(5);

    private readonly ServiceProvider _services;

    public ClientHarness(bool credentials = true, IDictionary<string, string?>? settings = null)
    {
        Tokens = new FakeTokenProvider(credentials);
        var config = new Dictionary<string, string?>
        {
            ["Connector:MaxAttempts"] = "3",
            ["Connector:BaseDelay"] = "00:00:02",
            ["Connector:MaxDelay"] = "00:00:20",
            ["Connector:UseJitter"] = "false",
            ["Connector:AttemptTimeout"] = "01:00:00",
            ["Connector:MaxInlineRetryAfter"] = "00:00:10",
            // The app's budget is paced (a burst of a tenth, then one call every 1/N s): at the default a test that sends
            // a handful of calls at one instant of the manual clock would wait for a slot nobody moves the clock to. The
            // client tests are about retries and the per-conversation limits; the pacing has its own tests in
            // ConnectorThrottleGateTests.
            ["Connector:Throttle:GlobalRequestsPerSecond"] = "1000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) config[key] = value;

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton<IConnectorTokenProvider>(Tokens);
        services.AddBotConnector(new ConfigurationBuilder().AddInMemoryCollection(config).Build());
        services.AddHttpClient(ConnectorDefaults.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => Handler);
        _services = services.BuildServiceProvider();
        Client = _services.GetRequiredService<IConnectorClient>();
        Gate = _services.GetRequiredService<ConnectorThrottleGate>();
    }

    public ObservableClock Clock { get; } = new();
    public ScriptedHandler Handler { get; } = new();
    public FakeTokenProvider Tokens { get; }
    public IConnectorClient Client { get; }
    public ConnectorThrottleGate Gate { get; }

    /// <summary>Runs <paramref name="call"/>, moving the clock to every delay it waits on, and returns its result.</summary>
    public async Task<T> RunAsync<T>(Func<IConnectorClient, Task<T>> call)
    {
        var task = call(Client);
        await Clock.RunUntilCompletedAsync(task, Within);
        return await task;
    }

    public void Dispose() => _services.Dispose();
}

/// <summary>Token provider double: records each call's forceRefresh flag, hands out numbered tokens, can fail.</summary>
internal sealed class FakeTokenProvider(bool sendsTokens) : IConnectorTokenProvider
{
    private int _issued;

    public bool SendsTokens { get; } = sendsTokens;
    public List<bool> Calls { get; } = [];
    public ConnectorTokenException? Failure { get; set; }

    public ValueTask<string?> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        lock (Calls) Calls.Add(forceRefresh);
        if (!SendsTokens) return ValueTask.FromResult<string?>(null);
        if (Failure is not null) throw Failure;
        if (forceRefresh || _issued == 0) _issued++;
        return ValueTask.FromResult<string?>("token-" + _issued);
    }
}

/// <summary>An HttpMessageHandler that answers from a queue (201 with a new id when empty) and records every request.</summary>
internal sealed class ScriptedHandler : HttpMessageHandler
{
    private readonly Queue<Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> _answers = new();
    private int _ids;

    public List<SeenRequest> Requests { get; } = [];

    public void Enqueue(HttpStatusCode status, string? body = null, Action<HttpResponseMessage>? configure = null) =>
        _answers.Enqueue((_, _) =>
        {
            var response = new HttpResponseMessage(status);
            if (body is not null) response.Content = new StringContent(body, Encoding.UTF8, "application/json");
            response.Headers.Add(ConnectorDefaults.CorrelationHeader, "corr-" + (Requests.Count));
            configure?.Invoke(response);
            return Task.FromResult(response);
        });

    public void EnqueueError(int status, string? code, Action<HttpResponseMessage>? configure = null) =>
        Enqueue((HttpStatusCode)status, code is null ? null : new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = "scripted" } }.ToJsonString(), configure);

    public void Enqueue(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) => _answers.Enqueue(answer);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (Requests) Requests.Add(new SeenRequest(request.Method, request.RequestUri!, request.Headers.Authorization?.ToString(), body));
        if (_answers.TryDequeue(out var answer)) return await answer(request, cancellationToken);
        var id = Interlocked.Increment(ref _ids);
        var ok = new HttpResponseMessage(HttpStatusCode.Created) { Content = new StringContent($$"""{"id":"1:{{id}}"}""", Encoding.UTF8, "application/json") };
        ok.Headers.Add(ConnectorDefaults.CorrelationHeader, "corr-ok");
        return ok;
    }
}

internal sealed record SeenRequest(HttpMethod Method, Uri Uri, string? Authorization, string? Body);
