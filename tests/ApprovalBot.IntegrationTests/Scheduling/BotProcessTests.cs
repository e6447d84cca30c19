using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using ApprovalBot.TestSupport.Processes;
using Xunit.Abstractions;

namespace ApprovalBot.IntegrationTests.Scheduling;

/// <summary>The process helper the crash tests stand on (and other tests reuse): start, logs, graceful stop, kill.</summary>
[Collection(BotProcessCollection.Name)]
public sealed class BotProcessTests(ITestOutputHelper output)
{
    [Fact]
    public async Task StartAsync_ReturnsAHealthyBotOnLoopback_WithItsLogParsed()
    {
        await using var bot = await BotProcess.StartAsync(new BotProcessOptions { Name = "probe", Output = output.WriteLine });

        Assert.Equal("127.0.0.1", bot.BaseAddress.Host);
        Assert.NotEqual(0, bot.BaseAddress.Port);
        using var http = bot.CreateClient();
        using var health = await http.GetAsync(new Uri("healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        var listening = Assert.Single(bot.Lines, l => l.Is("Microsoft.Hosting.Lifetime", 14));
        Assert.Equal("Information", listening.Level);
        Assert.StartsWith("Now listening on: http://127.0.0.1:", listening.Message, StringComparison.Ordinal);
        Assert.NotNull(listening.Timestamp);
        // With no storage settings the bot's database is in its own working folder, not beside the build output.
        Assert.Contains(bot.Lines, l => l.Message?.Contains(bot.WorkingDirectory.FullName, StringComparison.Ordinal) == true);
        Assert.True(File.Exists(bot.LogFile));
    }

    [Fact]
    public async Task StopAsync_ShutsTheBotDownGracefully_WhileKillHardDoesNot()
    {
        await using var stopped = await BotProcess.StartAsync(new BotProcessOptions { Name = "stopped", Output = output.WriteLine });
        await using var killed = await BotProcess.StartAsync(new BotProcessOptions { Name = "killed", Output = output.WriteLine });

        Assert.Equal(0, await stopped.StopAsync());
        killed.KillHard();

        Assert.Contains(stopped.Lines, l => l.Message == "Application is shutting down...");
        Assert.DoesNotContain(killed.Lines, l => l.Message == "Application is shutting down...");
        Assert.Equal(137, killed.ExitCode); // 128 + SIGKILL
        Assert.True(ProcessIsGone(stopped.ProcessId) && ProcessIsGone(killed.ProcessId));
    }

    [Fact]
    public async Task StartAsync_ThrowsWithTheBotsLastLines_AndLeavesNoProcess_WhenTheBotCannotStart()
    {
        var options = new BotProcessOptions { Name = "broken", Output = output.WriteLine }.With("Storage:Provider", "Oracle");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => BotProcess.StartAsync(options));

        // "broken (pid N) exited with code …", then the bot's own last lines.
        var pid = Regex.Match(error.Message, @"^broken \(pid (\d+)\)");
        Assert.True(pid.Success, error.Message);
        Assert.True(ProcessIsGone(int.Parse(pid.Groups[1].Value, CultureInfo.InvariantCulture)));
        Assert.Contains("'Oracle', which is not a supported database", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForLogAsync_ThrowsTimeoutException_WhenTheLineDoesNotCome()
    {
        await using var bot = await BotProcess.StartAsync(new BotProcessOptions { Name = "quiet", Output = output.WriteLine });

        var error = await Assert.ThrowsAsync<TimeoutException>(() => bot.WaitForLogAsync(l => l.Message == "never", TimeSpan.FromMilliseconds(300)));
        Assert.Contains("Last lines of quiet", error.Message, StringComparison.Ordinal);
    }

    private static bool ProcessIsGone(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
