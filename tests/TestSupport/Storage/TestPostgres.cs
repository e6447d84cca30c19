using System.Diagnostics;
using System.Text;

namespace ApprovalBot.TestSupport.Storage;

/// <summary>
/// Where integration tests get PostgreSQL from, once per test process:
/// <list type="number">
/// <item><c>APPROVALBOT_TEST_POSTGRES</c> set (CI, or a developer's own server): use it.</item>
/// <item>Not set and <c>CI</c> is true: fail. A PostgreSQL test skipped in CI would pass a suite that never ran it.</item>
/// <item>Otherwise: start a throwaway server with <c>scripts/postgres.sh</c>, stopped when the test process exits (and by
/// the script's watchdog if the process is killed), so a developer's plain <c>dotnet test</c> works.</item>
/// </list>
/// </summary>
public static class TestPostgres
{
    public const string ConnectionStringVariable = "APPROVALBOT_TEST_POSTGRES";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _connectionString;
    private static Exception? _failure;

    public static bool IsCi =>
        Environment.GetEnvironmentVariable("CI") is { } ci &&
        (string.Equals(ci, "true", StringComparison.OrdinalIgnoreCase) || ci == "1");

    /// <summary>A connection string for a role that may create databases. Throws when no PostgreSQL can be had.</summary>
    public static async Task<string> GetConnectionStringAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_connectionString is not null)
                return _connectionString;
            if (_failure is not null)
                throw new InvalidOperationException("PostgreSQL for tests is unavailable (see inner exception).", _failure);

            var configured = Environment.GetEnvironmentVariable(ConnectionStringVariable);
            if (!string.IsNullOrWhiteSpace(configured))
                return _connectionString = configured;

            if (IsCi)
            {
                _failure = new InvalidOperationException(
                    $"{ConnectionStringVariable} is not set and CI=true: the PostgreSQL tests must run in CI, not be skipped. " +
                    $"Start a server with 'scripts/postgres.sh start' and source its state file (export {ConnectionStringVariable}=...).");
                throw _failure;
            }

            try
            {
                return _connectionString = await OwnServer.StartAsync();
            }
            catch (Exception e)
            {
                _failure = e;
                throw;
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A server this test process started with scripts/postgres.sh, in its own state folder.</summary>
    internal static class OwnServer
    {
        private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5); // includes an apt install if binaries are missing
        private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

        public static async Task<string> StartAsync()
        {
            var script = FindScript();
            // Its own state file (not the developer's .artifacts/postgres.env); the script removes it on stop.
            var stateFile = Path.Combine(Path.GetTempPath(), $"approvalbot-pgstate-{Environment.ProcessId}-{Guid.NewGuid():N}.env");

            var (exitCode, output, errors) = await RunAsync(script, "start", stateFile, StartTimeout);
            if (exitCode != 0)
                throw new InvalidOperationException($"'{script} start' failed with exit code {exitCode}:\n{errors}{output}");

            // The test host is often killed moments after its exit begins, so this stop may not finish; the script's
            // watchdog (APPROVALBOT_PG_OWNER_PID) stops and removes the server within a second of this process ending.
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                try
                {
                    RunAsync(script, "stop", stateFile, StopTimeout).GetAwaiter().GetResult();
                }
                catch (Exception e) when (e is TimeoutException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // The watchdog finishes the job.
                }
            };

            const string prefix = $"export {ConnectionStringVariable}=";
            var line = output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"'{script} start' printed no '{prefix}' line:\n{output}\n{errors}");
            return line[prefix.Length..].Trim('\'');
        }

        internal static string FindScript()
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                var candidate = Path.Combine(folder.FullName, "scripts", "postgres.sh");
                if (File.Exists(candidate))
                    return candidate;
            }
            throw new InvalidOperationException(
                $"scripts/postgres.sh not found above {AppContext.BaseDirectory}; set {ConnectionStringVariable} to a PostgreSQL server instead.");
        }

        internal static async Task<(int ExitCode, string Output, string Errors)> RunAsync(
            string script, string verb, string stateFile, TimeSpan timeout)
        {
            var start = new ProcessStartInfo("bash")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(script);
            start.ArgumentList.Add(verb);
            start.Environment["APPROVALBOT_PG_STATE"] = stateFile;
            start.Environment["APPROVALBOT_PG_OWNER_PID"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);

            using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"'{script} {verb}' did not finish within {timeout}.");
            }
            return (process.ExitCode, await output, await errors);
        }
    }
}
