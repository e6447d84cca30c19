using System.Diagnostics;

namespace ApprovalBot.IntegrationTests.Metrics;

/// <summary>
/// Debian's <c>prometheus</c> package: <c>promtool</c> checks the exposition and the alerting rules, and <c>prometheus</c>
/// is the real server that scrapes the bot. scripts/ensure-prometheus.sh installs it. These tests never skip: without the
/// package they fail, saying how to get it (with CI=true: that the CI script must run the install first).
/// </summary>
internal static class Promtool
{
    public static string PromtoolPath => Find("promtool");

    public static string PrometheusPath => Find("prometheus");

    /// <summary>Runs promtool with <paramref name="arguments"/>, <paramref name="stdin"/> on its standard input; exit code and both outputs.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(IEnumerable<string> arguments, string? stdin = null)
    {
        var start = new ProcessStartInfo(PromtoolPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await stdout) + (await stderr));
    }

    private static string Find(string tool)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(Path.PathSeparator).Append("/usr/bin"))
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate)) return candidate;
        }
        var inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        throw new InvalidOperationException(inCi
            ? $"CI=true and '{tool}' is not installed. The CI script must run scripts/ensure-prometheus.sh (Debian's prometheus package) before `dotnet test`; the /metrics tests are required, not optional."
            : $"'{tool}' is not installed: run scripts/ensure-prometheus.sh (Debian's prometheus package, as root), then the tests again. (These tests do not skip.)");
    }
}
