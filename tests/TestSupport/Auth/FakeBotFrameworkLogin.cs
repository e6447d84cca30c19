using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalBot.TestSupport.Auth;

/// <summary>
/// A real HTTP login service on 127.0.0.1 (Kestrel, random port) serving the Bot Framework OpenID metadata and JWKS
/// (with <c>endorsements</c>). Point <c>BotAuthentication:OpenIdMetadataUrl</c> at <see cref="MetadataUrl"/> to run
/// the production auth path against it. Counts fetches, rotates keys, can simulate an outage. <c>await using</c> it.
/// </summary>
public sealed class FakeBotFrameworkLogin : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private IReadOnlyList<TestSigningKey> _keys;
    private int _metadataRequests;
    private int _keyRequests;

    private FakeBotFrameworkLogin(WebApplication app, IReadOnlyList<TestSigningKey> keys)
    {
        _app = app;
        _keys = keys;
    }

    /// <summary>e.g. <c>http://127.0.0.1:54321</c> (no trailing slash).</summary>
    public string BaseAddress { get; private set; } = string.Empty;

    public string MetadataUrl => BaseAddress + BotFrameworkLoginDocuments.MetadataPath;

    public string KeysUrl => BaseAddress + BotFrameworkLoginDocuments.KeysPath;

    public int MetadataRequests => Volatile.Read(ref _metadataRequests);

    public int KeyRequests => Volatile.Read(ref _keyRequests);

    /// <summary>When set, both documents answer with this status instead (an outage).</summary>
    public HttpStatusCode? FailWith { get; set; }

    public static async Task<FakeBotFrameworkLogin> StartAsync(IEnumerable<TestSigningKey>? keys = null)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(FakeBotFrameworkLogin).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var login = new FakeBotFrameworkLogin(app, [.. keys ?? TestSigningKeys.DefaultPublished]);
        app.Run(login.HandleAsync);
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        login.BaseAddress = address.TrimEnd('/');
        return login;
    }

    /// <summary>Replaces the published keys (key rotation).</summary>
    public void Publish(params TestSigningKey[] keys)
    {
        lock (_gate) { _keys = keys; }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        string body;
        if (path == BotFrameworkLoginDocuments.MetadataPath)
        {
            Interlocked.Increment(ref _metadataRequests);
            body = BotFrameworkLoginDocuments.Metadata(KeysUrl);
        }
        else if (path == BotFrameworkLoginDocuments.KeysPath)
        {
            Interlocked.Increment(ref _keyRequests);
            lock (_gate) { body = BotFrameworkLoginDocuments.KeySet(_keys); }
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (FailWith is { } status)
        {
            context.Response.StatusCode = (int)status;
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
