using ApprovalBot.Approvals;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.OrgDirectory.Graph;
using Microsoft.Extensions.Options;

namespace ApprovalBot.OrgDirectory;

/// <summary>
/// The directory: the local JSON file (<see cref="DirectoryOptions.File"/>, or the shipped Playground sample) or, with
/// <c>Directory:Source=Graph</c>, Microsoft Graph (<see cref="GraphDirectory"/>, docs/graph.md); and the approver
/// resolver over it. The options are validated at start-up; the file is loaded then too, so an invalid file stops the
/// bot with every problem listed.
/// </summary>
public static class DirectoryModule
{
    /// <summary>The shipped sample, embedded into the host (see ApprovalBot.csproj).</summary>
    internal const string SampleResourceName = "directory/directory.sample.json";

    public static IHostApplicationBuilder AddDirectory(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DirectoryOptions>().Bind(builder.Configuration.GetSection(DirectoryOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DirectoryOptions>, DirectoryOptionsValidator>();
        builder.Services.AddSingleton<JsonFileDirectory>(sp => Load(
            sp.GetRequiredService<IOptions<DirectoryOptions>>().Value,
            sp.GetRequiredService<IHostEnvironment>().ContentRootPath,
            sp.GetRequiredService<ILogger<JsonFileDirectory>>()));
        builder.Services.AddSingleton<IDirectory>(sp => sp.GetRequiredService<IOptions<DirectoryOptions>>().Value.UsesGraph()
            ? sp.GetRequiredService<GraphDirectory>()
            : sp.GetRequiredService<JsonFileDirectory>());
        builder.Services.AddGraph();
        builder.Services.AddSingleton<IApproverResolver>(sp => new DirectoryApproverResolver(
            sp.GetRequiredService<IDirectory>(), sp.GetRequiredService<IOptions<ApprovalsOptions>>().Value.OutOfOffice));
        builder.Services.AddHostedService<DirectoryStartupCheck>();
        return builder;
    }

    /// <summary>Reads and validates the configured file (or the embedded sample when none is configured).</summary>
    /// <exception cref="DirectoryFileException">The file is missing or invalid; every problem is listed.</exception>
    internal static JsonFileDirectory Load(DirectoryOptions options, string contentRoot, ILogger logger)
    {
        string json, source;
        if (string.IsNullOrWhiteSpace(options.File))
        {
            source = $"(built-in sample {SampleResourceName})";
            json = ReadSample();
        }
        else
        {
            source = Path.GetFullPath(options.File, contentRoot);
            try
            {
                json = File.ReadAllText(source);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new DirectoryFileException(source, [$"cannot be read ({DirectoryOptions.SectionName}:{nameof(DirectoryOptions.File)}): {e.Message}"]);
            }
        }

        var directory = JsonFileDirectory.FromJson(json, source);
        DirectoryLog.Loaded(logger, source, directory.PeopleCount, directory.GroupCount);
        return directory;
    }

    internal static string ReadSample()
    {
        using var stream = typeof(DirectoryModule).Assembly.GetManifestResourceStream(SampleResourceName)
                           ?? throw new InvalidOperationException($"The embedded resource {SampleResourceName} is missing from the host assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Graph's client, its two named HttpClients (Graph's middleware in front of <see cref="GraphClientProvider.HttpClientName"/>;
    /// the token request through <see cref="GraphClientProvider.TokenHttpClientName"/>), the cache, and proactive
    /// installation when a catalog app id is configured. Registered always, resolved only with <c>Directory:Source=Graph</c>.
    /// </summary>
    private static void AddGraph(this IServiceCollection services)
    {
        services.AddSingleton<GraphClientProvider>();
        services.AddSingleton<DirectoryCache>();
        services.AddSingleton<GraphDirectory>();
        services.AddSingleton<GraphProactiveInstaller>();
        services.AddSingleton<IProactiveInstaller>(sp =>
            sp.GetRequiredService<IOptions<DirectoryOptions>>().Value is { } o && o.UsesGraph() && o.Graph.InstallsApp()
                ? sp.GetRequiredService<GraphProactiveInstaller>()
                : new NoProactiveInstaller());
        services.AddHttpClient(GraphClientProvider.HttpClientName)
            .ConfigureHttpClient((sp, client) => client.Timeout = sp.GetRequiredService<IOptions<DirectoryOptions>>().Value.Graph.Timeout)
            // Graph's redirect and compression middleware do that work; the socket handler must not do it first.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .ConfigureAdditionalHttpMessageHandlers((handlers, sp) =>
            {
                foreach (var handler in GraphClientProvider.Middleware(sp.GetRequiredService<IOptions<DirectoryOptions>>().Value.Graph))
                    handlers.Add(handler);
            });
        services.AddHttpClient(GraphClientProvider.TokenHttpClientName);
    }

    /// <summary>
    /// Resolves the directory when the host starts, so an invalid file (or Graph options) stops start-up instead of the
    /// first approval.
    /// </summary>
    private sealed class DirectoryStartupCheck(IDirectory directory, IOptions<DirectoryOptions> options, ILogger<GraphDirectory> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            GC.KeepAlive(directory);
            var o = options.Value;
            if (o.UsesGraph())
            {
                var (baseUrl, installs) = (o.Graph.BaseUrl, o.Graph.InstallsApp());
                DirectoryLog.GraphConfigured(logger, baseUrl, installs);
            }
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

internal static partial class DirectoryLog
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Directory loaded from {Source}: {People} people, {Groups} groups")]
    public static partial void Loaded(ILogger logger, string source, int people, int groups);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "Directory: Microsoft Graph at {BaseUrl}; proactive installation {Installs}")]
    public static partial void GraphConfigured(ILogger logger, string baseUrl, bool installs);
}
