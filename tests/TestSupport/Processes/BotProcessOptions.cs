namespace ApprovalBot.TestSupport.Processes;

/// <summary>How <see cref="BotProcess.StartAsync"/> runs the bot.</summary>
public sealed class BotProcessOptions
{
    /// <summary>
    /// Configuration in <c>Section:Key</c> form (e.g. <c>Storage:Sqlite:Path</c>, <c>Housekeeping:Every</c>), passed to the
    /// child as environment variables (<c>Section__Key</c>); a null value removes the variable. Without any
    /// <c>Storage:*</c> setting the bot gets a SQLite file in its own working folder, never the default
    /// <c>approvalbot.db</c> beside the build output.
    /// </summary>
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A short label for log output and the working folder's name.</summary>
    public string Name { get; set; } = "bot";

    /// <summary>Extra command-line arguments after <c>--urls</c> and <c>--contentRoot</c>.</summary>
    public IList<string> Arguments { get; } = [];

    /// <summary>How long to wait for <c>/healthz</c> to answer 200.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Receives every line the child writes, prefixed with <see cref="Name"/>, e.g. xunit's
    /// <c>ITestOutputHelper.WriteLine</c>, so a failing test shows what the bot said. Exceptions it throws are ignored.
    /// </summary>
    public Action<string>? Output { get; set; }

    /// <summary>Keep the working folder (with <c>bot.log</c>) after disposal. Also on when <c>APPROVALBOT_KEEP_BOT_FILES=1</c>.</summary>
    public bool KeepWorkingDirectory { get; set; }

    /// <summary>Adds settings, e.g. <c>database.HostSettings()</c>.</summary>
    public BotProcessOptions With(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        foreach (var (key, value) in settings)
            Settings[key] = value;
        return this;
    }

    public BotProcessOptions With(string key, string? value)
    {
        Settings[key] = value;
        return this;
    }
}
