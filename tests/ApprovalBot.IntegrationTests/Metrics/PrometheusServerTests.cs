using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ApprovalBot.IntegrationTests.Infrastructure;
using static ApprovalBot.IntegrationTests.Metrics.MetricsScrape;

namespace ApprovalBot.IntegrationTests.Metrics;

/// <summary>
/// A real Prometheus server (Debian's package) started on loopback scrapes the bot's real Kestrel port every second with
/// the scrape configuration docs/metrics.md gives (an API key as <c>authorization: { type: ApiKey }</c>) and reports the
/// target up; the alerting rules docs/metrics.md recommends pass <c>promtool check rules</c> and fire in
/// <c>promtool test rules</c> on the series they watch.
/// </summary>
public sealed class PrometheusServerTests
{
    [Fact]
    public async Task Prometheus_ScrapesTheBot_AndReportsTheTargetUp()
    {
        await using var bot = await BotTestHost.StartAsync(new BotTestHostOptions { Settings = KeySettings() });
        var target = bot.Http.BaseAddress!;
        var work = Directory.CreateTempSubdirectory("approvalbot-prometheus-");
        var port = FreePort();
        var config = Path.Combine(work.FullName, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: approvalbot
                metrics_path: /metrics
                authorization:
                  type: ApiKey
                  credentials: {Key}
                static_configs:
                  - targets: ['{target.Host}:{target.Port}']
            """);
        var start = new ProcessStartInfo(Promtool.PrometheusPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
                 {
                     $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(work.FullName, "data")}",
                     $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
                 })
            start.ArgumentList.Add(a);
        using var prometheus = Process.Start(start)!;
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        prometheus.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        prometheus.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        prometheus.BeginOutputReadLine();
        prometheus.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            var watch = Stopwatch.StartNew();
            string? health = null, lastError = null;
            while (health != "up")
            {
                if (prometheus.HasExited) Assert.Fail($"Prometheus exited ({prometheus.ExitCode}):\n{string.Join('\n', log)}");
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60),
                    $"Prometheus did not report the bot up within 60 s (health {health ?? "unknown"}, last error '{lastError}'):\n{string.Join('\n', log)}");
                try
                {
                    var targets = JsonNode.Parse(await http.GetStringAsync("/api/v1/targets"))!;
                    var active = targets["data"]!["activeTargets"]!.AsArray().SingleOrDefault(t => t!["labels"]!["job"]!.GetValue<string>() == "approvalbot");
                    health = active?["health"]?.GetValue<string>();
                    lastError = active?["lastError"]?.GetValue<string>();
                }
                catch (HttpRequestException)
                {
                    // Prometheus is still starting.
                }
                if (health != "up") await Task.Delay(200);
            }

            Assert.Equal(1, await QueryAsync(http, "up{job=\"approvalbot\"}"));
            // It parsed the bot's own series too: a gauge and a counter from the same scrape.
            Assert.True(await QueryAsync(http, "count(approvalbot_outbox_pending)") >= 1);
        }
        finally
        {
            if (!prometheus.HasExited) prometheus.Kill();
            await prometheus.WaitForExitAsync();
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task AlertingRules_PassPromtoolCheckRules_AndFireOnTheSeriesTheyWatch()
    {
        var root = RepositoryRoot();
        var rules = Path.Combine(root, "docs", "prometheus", "approvalbot-alerts.yml");
        var (checkExit, checkOutput) = await Promtool.RunAsync(["check", "rules", rules]);
        Assert.True(checkExit == 0, $"promtool check rules failed ({checkExit}):\n{checkOutput}");

        var tests = Path.Combine(root, "tests", "ApprovalBot.IntegrationTests", "Metrics", "approvalbot-alerts.test.yml");
        var work = Directory.CreateTempSubdirectory("approvalbot-rules-");
        try
        {
            // promtool resolves rule_files relative to the test file: put both side by side.
            File.Copy(rules, Path.Combine(work.FullName, "approvalbot-alerts.yml"));
            File.Copy(tests, Path.Combine(work.FullName, "approvalbot-alerts.test.yml"));
            var (testExit, testOutput) = await Promtool.RunAsync(["test", "rules", Path.Combine(work.FullName, "approvalbot-alerts.test.yml")]);
            Assert.True(testExit == 0, $"promtool test rules failed ({testExit}):\n{testOutput}");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task<double> QueryAsync(HttpClient http, string query)
    {
        var answer = JsonNode.Parse(await http.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString(query)))!;
        Assert.Equal("success", answer["status"]!.GetValue<string>());
        var result = answer["data"]!["result"]!.AsArray();
        Assert.True(result.Count == 1, $"{query} returned {result.Count} series: {answer.ToJsonString()}");
        return double.Parse(result[0]!["value"]![1]!.GetValue<string>(), CultureInfo.InvariantCulture);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ApprovalBot.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("ApprovalBot.sln not found above " + AppContext.BaseDirectory);
    }
}
