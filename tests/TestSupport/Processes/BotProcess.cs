using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace ApprovalBot.TestSupport.Processes;

/// <summary>
/// The real, built bot as a child process: <c>dotnet src/ApprovalBot/bin/&lt;Configuration&gt;/&lt;tfm&gt;/ApprovalBot.dll</c>
/// (the configuration of the test assembly), listening on a port of 127.0.0.1 the OS picks, with its content root beside
/// the dll (so its <c>appsettings.json</c> applies as in a deployment) and its working directory in a fresh temp folder.
/// Its stdout and stderr go to <see cref="LogFile"/>, to <see cref="Lines"/> (JSON log entries parsed) and to
/// <see cref="BotProcessOptions.Output"/>.
/// <para>
/// <see cref="StartAsync"/> returns once <c>/healthz</c> answers 200 — by then every hosted service has started (the
/// web server starts last). <see cref="KillHard"/> is SIGKILL (a crash: nothing flushes, nothing shuts down);
/// <see cref="StopAsync"/> is SIGTERM and waits for the graceful shutdown. Disposal always kills. If the test process
/// dies without disposing, a <c>ProcessExit</c> handler kills the bot, and a small watchdog (bash, one per bot) kills it
/// within a second of the test process vanishing, even on SIGKILL.
/// </para>
/// </summary>
public sealed partial class BotProcess : IAsyncDisposable
{
    private const string LifetimeCategory = "Microsoft.Hosting.Lifetime";
    private const int NowListeningOnEventId = 14;
    private const int SigTerm = 15;
    private static readonly TimeSpan OutputDrainTimeout = TimeSpan.FromSeconds(10);
    private static readonly Lock LiveGate = new();
    private static readonly HashSet<BotProcess> Live = [];

    private readonly Process _process;
    private readonly Process? _watchdog;
    private readonly BotProcessOptions _options;
    private readonly Lock _gate = new();
    private readonly List<BotLogLine> _lines = [];
    private readonly StreamWriter _log;
    private readonly Task _outputEnded;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Uri? _baseAddress;
    private int _disposed;

    static BotProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAllLive();

    private BotProcess(Process process, BotProcessOptions options, DirectoryInfo workingDirectory)
    {
        _process = process;
        _options = options;
        WorkingDirectory = workingDirectory;
        LogFile = Path.Combine(workingDirectory.FullName, "bot.log");
        _log = new StreamWriter(LogFile, append: false, Encoding.UTF8) { AutoFlush = true };
        ProcessId = process.Id;
        lock (LiveGate)
            Live.Add(this);
        _outputEnded = Task.WhenAll(
            Task.Run(() => ReadAsync(process.StandardOutput, "stdout")),
            Task.Run(() => ReadAsync(process.StandardError, "stderr")));
        _watchdog = StartWatchdog(process.Id);
    }

    public string Name => _options.Name;

    public int ProcessId { get; }

    /// <summary>The bot's working directory (a fresh temp folder), deleted on disposal unless kept.</summary>
    public DirectoryInfo WorkingDirectory { get; }

    /// <summary>Everything the bot wrote, one line per line (stderr lines prefixed <c>[stderr]</c>).</summary>
    public string LogFile { get; }

    /// <summary><c>http://127.0.0.1:&lt;port&gt;/</c>.</summary>
    public Uri BaseAddress => _baseAddress ?? throw new InvalidOperationException($"{Name} has not reported its address yet.");

    /// <summary>From process start to the first 200 from <c>/healthz</c>.</summary>
    public TimeSpan StartupTime { get; private set; }

    public bool HasExited => _process.HasExited;

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>A snapshot of every line so far.</summary>
    public IReadOnlyList<BotLogLine> Lines
    {
        get
        {
            lock (_gate)
                return [.. _lines];
        }
    }

    /// <summary>Starts the bot and waits until <c>/healthz</c> answers 200; on any failure the process is killed.</summary>
    public static async Task<BotProcess> StartAsync(BotProcessOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var dll = LocateBotDll();
        var workingDirectory = Directory.CreateTempSubdirectory($"approvalbot-{SafeName(options.Name)}-");
        var start = CreateStartInfo(dll, workingDirectory, options);

        var started = Stopwatch.StartNew();
        var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch
        {
            process.Dispose();
            workingDirectory.Delete(recursive: true);
            throw;
        }

        var bot = new BotProcess(process, options, workingDirectory);
        try
        {
            await bot.WaitUntilHealthyAsync(started, options.StartTimeout, cancellationToken);
            bot.StartupTime = started.Elapsed;
            return bot;
        }
        catch
        {
            await bot.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// <c>src/ApprovalBot/bin/&lt;Configuration&gt;/&lt;tfm&gt;/ApprovalBot.dll</c> of the repository the tests run from, in the
    /// test assembly's own configuration (Debug or Release). Throws when it has not been built. <c>APPROVALBOT_BOT_DLL</c>
    /// names another build instead: the benchmark runs the ReadyToRun-published bot that way, as it is deployed.
    /// </summary>
    public static string LocateBotDll()
    {
        if (Environment.GetEnvironmentVariable("APPROVALBOT_BOT_DLL") is { Length: > 0 } chosen)
        {
            return File.Exists(chosen) && File.Exists(Path.ChangeExtension(chosen, ".runtimeconfig.json"))
                ? Path.GetFullPath(chosen)
                : throw new FileNotFoundException($"APPROVALBOT_BOT_DLL names {chosen}, which (or whose runtimeconfig.json) does not exist.", chosen);
        }
        var testOutput = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var targetFramework = testOutput.Name;
        var configuration = typeof(BotProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration
            ?? testOutput.Parent?.Name
            ?? throw new InvalidOperationException($"Cannot tell the build configuration from {testOutput.FullName}.");

        var repository = testOutput;
        while (repository is not null && !File.Exists(Path.Combine(repository.FullName, "ApprovalBot.sln")))
            repository = repository.Parent;
        if (repository is null)
            throw new InvalidOperationException($"No ApprovalBot.sln above {testOutput.FullName}: cannot find the bot's build output.");

        var output = Path.Combine(repository.FullName, "src", "ApprovalBot", "bin", configuration, targetFramework);
        var dll = Path.Combine(output, "ApprovalBot.dll");
        if (!File.Exists(dll) || !File.Exists(Path.Combine(output, "ApprovalBot.runtimeconfig.json")))
        {
            throw new FileNotFoundException(
                $"The bot is not built for {configuration}/{targetFramework}: {dll} (or its runtimeconfig.json) is missing. " +
                $"Build it with 'dotnet build -c {configuration}' (the test project references it, so building the tests builds it).",
                dll);
        }
        return dll;
    }

    /// <summary>An <see cref="HttpClient"/> on <see cref="BaseAddress"/>.</summary>
    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// The first line (already written or still to come) that matches. Throws <see cref="TimeoutException"/> after
    /// <paramref name="timeout"/>, and <see cref="InvalidOperationException"/> as soon as the process has exited and
    /// its output has ended without a match; both messages end with the bot's last lines.
    /// </summary>
    public async Task<BotLogLine> WaitForLogAsync(Func<BotLogLine, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var waited = Stopwatch.StartNew();
        var next = 0;
        while (true)
        {
            Task changed;
            bool ended;
            lock (_gate)
            {
                for (; next < _lines.Count; next++)
                {
                    if (predicate(_lines[next]))
                        return _lines[next];
                }
                changed = _changed.Task;
                ended = _outputEnded.IsCompleted;
            }
            if (ended)
                throw new InvalidOperationException($"{Name} (pid {ProcessId}) ended (exit code {ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "?"}) without logging the awaited line.{Tail()}");
            var remaining = timeout - waited.Elapsed;
            if (remaining <= TimeSpan.Zero)
                throw new TimeoutException($"{Name} (pid {ProcessId}) did not log the awaited line within {timeout.TotalSeconds:0.#} s.{Tail()}");

            using var stopDelay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await Task.WhenAny(changed, _outputEnded, Task.Delay(remaining, stopDelay.Token));
            await stopDelay.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>SIGKILL to the bot (and anything it started), then waits for it to be gone and its output to end.</summary>
    public void KillHard()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
        _process.WaitForExit();
        _outputEnded.Wait(OutputDrainTimeout);
        Forget();
    }

    /// <summary>
    /// SIGTERM, then waits for the graceful shutdown (Quartz waits for running jobs). Returns the exit code. After
    /// <paramref name="timeout"/> (default 30 s) it kills the bot and throws <see cref="TimeoutException"/>.
    /// </summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (!_process.HasExited)
        {
            if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
                throw new PlatformNotSupportedException("A graceful stop sends SIGTERM, which needs Linux or macOS.");
            if (Native.Kill(ProcessId, SigTerm) != 0 && !_process.HasExited)
                throw new Win32Exception(Marshal.GetLastPInvokeError(), $"kill(SIGTERM) of {Name} (pid {ProcessId}) failed");

            var limit = timeout ?? TimeSpan.FromSeconds(30);
            using var cancel = new CancellationTokenSource(limit);
            try
            {
                await _process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                KillHard();
                throw new TimeoutException($"{Name} (pid {ProcessId}) did not stop within {limit.TotalSeconds:0.#} s of SIGTERM; killed it.{Tail()}");
            }
        }
        await _outputEnded.WaitAsync(OutputDrainTimeout);
        Forget();
        return _process.ExitCode;
    }

    /// <summary>Kills the bot if it still runs, stops its watchdog, and deletes the working folder unless asked to keep it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        try
        {
            KillHard();
        }
        finally
        {
            StopWatchdog();
            try
            {
                await _outputEnded.WaitAsync(OutputDrainTimeout);
            }
            catch (TimeoutException)
            {
                // Something still holds the pipes; the process itself is gone.
            }
            lock (_gate)
                _log.Dispose();
            _process.Dispose();
            var keep = _options.KeepWorkingDirectory || Environment.GetEnvironmentVariable("APPROVALBOT_KEEP_BOT_FILES") == "1";
            if (!keep)
            {
                try
                {
                    WorkingDirectory.Delete(recursive: true);
                }
                catch (IOException)
                {
                    // Best effort: a leftover temp folder must not fail the test.
                }
            }
        }
    }

    public override string ToString() => $"{Name} (pid {ProcessId})";

    private static ProcessStartInfo CreateStartInfo(string dll, DirectoryInfo workingDirectory, BotProcessOptions options)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory.FullName,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(dll);
        // Port 0: the OS picks a free port (no race with other tests); the bot logs which one.
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        start.ArgumentList.Add("--contentRoot");
        start.ArgumentList.Add(Path.GetDirectoryName(dll)!);
        foreach (var argument in options.Arguments)
            start.ArgumentList.Add(argument);

        // The child inherits the test process's environment; drop whatever would configure the bot from outside the
        // test (a developer's ConnectionStrings__Postgres, ASPNETCORE_ENVIRONMENT, ...).
        foreach (var name in start.Environment.Keys.ToList())
        {
            if (name.Contains("__", StringComparison.Ordinal) ||
                name.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) ||
                name is "DOTNET_ENVIRONMENT" or "DOTNET_CONTENTROOT" or "DOTNET_URLS")
            {
                start.Environment.Remove(name);
            }
        }

        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            // One JSON object per log entry: parseable, and multi-line messages stay on one line.
            ["Logging:Console:FormatterName"] = "json",
            ["Logging:Console:FormatterOptions:TimestampFormat"] = "O",
            ["Logging:Console:FormatterOptions:UseUtcTimestamp"] = "true",
            // "Now listening on" tells us the port.
            [$"Logging:LogLevel:{LifetimeCategory}"] = "Information",
        };
        if (!options.Settings.Keys.Any(k => k.StartsWith("Storage:", StringComparison.OrdinalIgnoreCase)))
            settings["Storage:Sqlite:Path"] = Path.Combine(workingDirectory.FullName, "approvalbot.db");
        foreach (var (key, value) in options.Settings)
            settings[key] = value;
        foreach (var (key, value) in settings)
        {
            var variable = key.Replace(":", "__", StringComparison.Ordinal);
            if (value is null)
                start.Environment.Remove(variable);
            else
                start.Environment[variable] = value;
        }
        return start;
    }

    private static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
            return fromSdk;
        var self = Environment.ProcessPath;
        if (self is not null && string.Equals(Path.GetFileNameWithoutExtension(self), "dotnet", StringComparison.OrdinalIgnoreCase))
            return self;
        return "dotnet";
    }

    private static string SafeName(string name)
    {
        var safe = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
        return safe.Length == 0 ? "bot" : safe;
    }

    private async Task WaitUntilHealthyAsync(Stopwatch started, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var listening = await WaitForLogAsync(l => l.Is(LifetimeCategory, NowListeningOnEventId), timeout, cancellationToken);
        var address = listening.StateValue("address")
            ?? throw new InvalidOperationException($"{Name} logged 'Now listening on' without an address: {listening.Text}");
        _baseAddress = new Uri(address.EndsWith('/') ? address : address + "/");

        using var http = new HttpClient { BaseAddress = _baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var last = "no answer";
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
                throw new InvalidOperationException($"{Name} (pid {ProcessId}) exited with code {_process.ExitCode} before /healthz answered 200.{Tail()}");
            if (started.Elapsed > timeout)
                throw new TimeoutException($"{Name} (pid {ProcessId}): /healthz did not answer 200 within {timeout.TotalSeconds:0.#} s (last: {last}).{Tail()}");
            try
            {
                using var response = await http.GetAsync(new Uri("healthz", UriKind.Relative), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                last = "timed out";
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    private async Task ReadAsync(StreamReader reader, string stream)
    {
        while (await reader.ReadLineAsync() is { } text)
            Append(stream, text);
    }

    private void Append(string stream, string text)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _lines.Add(BotLogLine.Parse(_lines.Count, stream, text));
            try
            {
                _log.WriteLine(stream == "stderr" ? "[stderr] " + text : text);
            }
            catch (ObjectDisposedException)
            {
                // Disposed while the last lines arrived.
            }
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
        try
        {
            _options.Output?.Invoke($"[{Name}] {text}");
        }
        catch (InvalidOperationException)
        {
            // xunit's output helper throws once its test has finished.
        }
    }

    private string Tail(int count = 40)
    {
        lock (_gate)
        {
            var tail = _lines.Skip(Math.Max(0, _lines.Count - count)).Select(l => "  " + l);
            return $"\nLast lines of {Name} (log file {LogFile}, kept with APPROVALBOT_KEEP_BOT_FILES=1):\n{string.Join('\n', tail)}";
        }
    }

    private static Process? StartWatchdog(int botPid)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            return null;
        var start = new ProcessStartInfo("bash")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Ends by itself when the bot is gone; SIGKILLs the bot only once the test process is gone.
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("while kill -0 \"$1\" 2>/dev/null; do kill -0 \"$2\" 2>/dev/null || exit 0; sleep 1; done; kill -9 \"$2\" 2>/dev/null");
        start.ArgumentList.Add("approvalbot-bot-watchdog");
        start.ArgumentList.Add(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(botPid.ToString(CultureInfo.InvariantCulture));
        try
        {
            return Process.Start(start);
        }
        catch (Win32Exception)
        {
            return null; // No bash: the ProcessExit handler still covers an orderly exit of the test process.
        }
    }

    private void StopWatchdog()
    {
        if (_watchdog is null)
            return;
        try
        {
            if (!_watchdog.HasExited)
                _watchdog.Kill(entireProcessTree: true);
            _watchdog.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _watchdog.Dispose();
    }

    private void Forget()
    {
        lock (LiveGate)
            Live.Remove(this);
    }

    private static void KillAllLive()
    {
        List<BotProcess> live;
        lock (LiveGate)
            live = [.. Live];
        foreach (var bot in live)
        {
            try
            {
                bot._process.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is InvalidOperationException or Win32Exception)
            {
                // Already gone.
            }
        }
    }

    private static class Native
    {
        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Kill(int pid, int signal);
    }
}
