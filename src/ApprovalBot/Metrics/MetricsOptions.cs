using Microsoft.Extensions.Options;

namespace ApprovalBot.Metrics;

/// <summary>The Prometheus endpoint <c>/metrics</c> (docs/metrics.md). Section <c>Metrics</c>.</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>
    /// Serve <c>/metrics</c> to anyone who can reach it, without an API key. Only for a bot whose port is reachable from a
    /// private monitoring network alone: the numbers hold no personal data, but they tell outsiders how busy the bot is.
    /// Default false: an API key (any role) or, in local development mode, a direct request from this machine.
    /// </summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>
    /// How long the database gauges (outbox, armed timers, open escalations, approvals waiting) are reused between
    /// scrapes before they are read again (1 s – 10 min). Counters and histograms are always current.
    /// </summary>
    public TimeSpan GaugeRefreshInterval { get; set; } = TimeSpan.FromSeconds(10);
}

internal sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        if (options.GaugeRefreshInterval < TimeSpan.FromSeconds(1) || options.GaugeRefreshInterval > TimeSpan.FromMinutes(10))
            return ValidateOptionsResult.Fail($"{MetricsOptions.SectionName}:GaugeRefreshInterval must be between 00:00:01 and 00:10:00.");
        return ValidateOptionsResult.Success;
    }
}
