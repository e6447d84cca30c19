using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using ApprovalBot.IntegrationTests.Infrastructure;

namespace ApprovalBot.IntegrationTests.Metrics;

/// <summary>Scrapes a test bot's <c>/metrics</c> and reads sample values out of the text.</summary>
internal static partial class MetricsScrape
{
    /// <summary>The key the metrics tests configure (read role), sent as Prometheus sends it: <c>Authorization: ApiKey …</c>.</summary>
    public const string Key = "prometheus-key-4Fh8Kq2Wz7Lp";

    public static Dictionary<string, string?> KeySettings() => new()
    {
        ["Api:Keys:0:Name"] = "prometheus",
        ["Api:Keys:0:Key"] = Key,
        ["Api:Keys:0:Roles:0"] = "read",
        ["Api:FailureDelay"] = "00:00:00",
        // The database gauges are read again at most once a second (the default is 10 s).
        ["Metrics:GaugeRefreshInterval"] = "00:00:01",
    };

    public static async Task<(HttpStatusCode Status, string Body, string? ContentType)> GetAsync(BotTestHost bot, string? authorization = "ApiKey " + Key)
    {
        ArgumentNullException.ThrowIfNull(bot);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await bot.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.ToString());
    }

    /// <summary>Scrapes with the key and fails the test on anything but 200.</summary>
    public static async Task<string> TextAsync(BotTestHost bot)
    {
        var (status, body, _) = await GetAsync(bot);
        Assert.True(status == HttpStatusCode.OK, $"/metrics answered {(int)status}: {body}");
        return body;
    }

    /// <summary>
    /// Scrapes until <paramref name="condition"/> holds, for at most 15 s: the gauges are read from the database again
    /// once their refresh interval has passed, so a change shows on a later scrape, not the next one.
    /// </summary>
    public static async Task<string> ScrapeUntilAsync(BotTestHost bot, Func<string, bool> condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var text = await TextAsync(bot);
            if (condition(text)) return text;
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"The scrape did not show what was expected within 15 s:\n{text}");
            await Task.Delay(100);
        }
    }

    /// <summary>The value of the sample <paramref name="name"/> whose labels include <paramref name="labels"/> (summed over the rest); 0 if none.</summary>
    public static double Value(string text, string name, params (string Name, string Value)[] labels)
    {
        ArgumentNullException.ThrowIfNull(text);
        double sum = 0;
        foreach (var (sampleName, sampleLabels, value) in Samples(text))
        {
            if (sampleName != name) continue;
            if (labels.All(l => sampleLabels.TryGetValue(l.Name, out var v) && v == l.Value)) sum += value;
        }
        return sum;
    }

    public static IEnumerable<(string Name, Dictionary<string, string> Labels, double Value)> Samples(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"Not a sample line: {line}");
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match l in LabelPair().Matches(match.Groups["labels"].Value))
                labels[l.Groups[1].Value] = l.Groups[2].Value.Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
            var raw = match.Groups["value"].Value;
            var value = raw switch { "+Inf" => double.PositiveInfinity, "-Inf" => double.NegativeInfinity, _ => double.Parse(raw, CultureInfo.InvariantCulture) };
            yield return (match.Groups["name"].Value, labels, value);
        }
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
