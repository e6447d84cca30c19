using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace ApprovalBot.IntegrationTests.Infrastructure;

/// <summary>
/// The bot's latest warnings and errors in one test host, kept so that a wait that times out can say what the bot
/// complained about meanwhile (a rare failure in CI then explains itself). With <c>APPROVALBOT_TEST_LOG</c> set to a
/// file path, every host also appends them there, for hunting a flaky test across a whole run;
/// <c>APPROVALBOT_TEST_LOG_LEVEL</c> (e.g. <c>Information</c>) writes more to the file, as far as the host's
/// <c>Logging:LogLevel</c> settings let it through (e.g. <c>Logging__LogLevel__ApprovalBot=Information</c>).
/// </summary>
public sealed class RecentLogs : ILoggerProvider
{
    private const int Keep = 40;
    private static readonly string? File = Environment.GetEnvironmentVariable("APPROVALBOT_TEST_LOG");
    private static readonly LogLevel FileLevel = Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("APPROVALBOT_TEST_LOG_LEVEL"), out var level) ? level : LogLevel.Warning;
    private static readonly Lock FileLock = new();
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly string _host = Guid.NewGuid().ToString("N")[..8];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <summary>The latest lines as one block for a failure message ("none" when the bot logged nothing).</summary>
    public string Describe() => _lines.IsEmpty ? "none" : string.Join(Environment.NewLine, _lines);

    private void Add(LogLevel level, string line)
    {
        if (File is not null && level >= FileLevel)
        {
            lock (FileLock) System.IO.File.AppendAllText(File, $"{_host} {line}{Environment.NewLine}");
        }
        if (level < LogLevel.Warning) return;
        _lines.Enqueue(line);
        while (_lines.Count > Keep) _lines.TryDequeue(out _);
    }

    public void Dispose()
    {
    }

    private sealed class Logger(RecentLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning || (File is not null && logLevel >= FileLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var error = exception is null ? "" : $" | {exception.GetType().Name}: {exception.Message}";
#pragma warning disable RS0030 // the wall-clock time of the line, to line it up with the test's own steps, not the bot's (maybe manual) clock
            var at = DateTimeOffset.UtcNow;
#pragma warning restore RS0030
            owner.Add(logLevel, string.Create(CultureInfo.InvariantCulture, $"{at:HH:mm:ss.fff} {logLevel} {eventId.Id} {category}: {formatter(state, exception)}{error}"));
        }
    }
}
