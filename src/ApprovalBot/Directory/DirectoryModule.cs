using ApprovalBot.Approvals;
using ApprovalBot.Domain.Approvals;
using Microsoft.Extensions.Options;

namespace ApprovalBot.OrgDirectory;

/// <summary>
/// The directory: the local JSON file (<see cref="DirectoryOptions.File"/>, or the shipped Playground sample), and the
/// approver resolver over it. The file is loaded and validated at start-up; an invalid file stops the bot with every
/// problem listed.
/// </summary>
public static class DirectoryModule
{
    /// <summary>The shipped sample, embedded into the host (see ApprovalBot.csproj).</summary>
    internal const string SampleResourceName = "directory/directory.sample.json";

    public static IHostApplicationBuilder AddDirectory(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<DirectoryOptions>(builder.Configuration.GetSection(DirectoryOptions.SectionName));
        builder.Services.AddSingleton<JsonFileDirectory>(sp => Load(
            sp.GetRequiredService<IOptions<DirectoryOptions>>().Value,
            sp.GetRequiredService<IHostEnvironment>().ContentRootPath,
            sp.GetRequiredService<ILogger<JsonFileDirectory>>()));
        builder.Services.AddSingleton<IDirectory>(sp => sp.GetRequiredService<JsonFileDirectory>());
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

    /// <summary>Resolves the directory when the host starts, so an invalid file stops start-up instead of the first approval.</summary>
    private sealed class DirectoryStartupCheck(JsonFileDirectory directory) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            GC.KeepAlive(directory);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

internal static partial class DirectoryLog
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Directory loaded from {Source}: {People} people, {Groups} groups")]
    public static partial void Loaded(ILogger logger, string source, int people, int groups);
}
