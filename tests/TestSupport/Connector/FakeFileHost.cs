using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApprovalBot.TestSupport.Connector;

/// <summary>How the fake file host answers for one file.</summary>
public enum FakeFileMode
{
    /// <summary>200 with an honest Content-Length.</summary>
    Honest,

    /// <summary>200 without Content-Length (chunked): the size is only known by reading.</summary>
    NoLength,
}

/// <summary>
/// Stands in for the host of a Teams <c>file.download.info</c> downloadUrl (SharePoint / OneDrive): plain HTTP on
/// 127.0.0.1, files at <c>/files/{name}</c> read with a plain GET, and a record of every request it got.
/// </summary>
public sealed class FakeFileHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (byte[] Content, string ContentType, FakeFileMode Mode)> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _requests = new();

    private FakeFileHost(WebApplication app) => _app = app;

    /// <summary>http://127.0.0.1:{port}</summary>
    public string BaseUrl { get; private set; } = string.Empty;

    public int Port { get; private set; }

    /// <summary>The paths requested, in order.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    public static async Task<FakeFileHost> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var host = new FakeFileHost(app);
        app.Run(host.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host.Port = new Uri(address).Port;
        host.BaseUrl = $"http://127.0.0.1:{host.Port}";
        return host;
    }

    /// <summary>Serves <paramref name="content"/> at <c>/files/{name}</c>; returns its download URL.</summary>
    public string Add(string name, byte[] content, string contentType = "application/octet-stream", FakeFileMode mode = FakeFileMode.Honest)
    {
        _files[name] = (content, contentType, mode);
        return $"{BaseUrl}/files/{Uri.EscapeDataString(name)}";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "";
        _requests.Enqueue(path);
        if (!path.StartsWith("/files/", StringComparison.Ordinal) || !_files.TryGetValue(Uri.UnescapeDataString(path["/files/".Length..]), out var file))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        http.Response.ContentType = file.ContentType;
        if (file.Mode == FakeFileMode.Honest) http.Response.ContentLength = file.Content.Length;
        try
        {
            for (var offset = 0; offset < file.Content.Length; offset += 16384)
            {
                await http.Response.Body.WriteAsync(file.Content.AsMemory(offset, Math.Min(16384, file.Content.Length - offset)), http.RequestAborted);
                await http.Response.Body.FlushAsync(http.RequestAborted);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The bot stopped reading (over its limit): fine.
        }
    }
}
