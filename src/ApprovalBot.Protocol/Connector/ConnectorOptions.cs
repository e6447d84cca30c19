using Microsoft.Extensions.Options;

namespace ApprovalBot.Protocol.Connector;

/// <summary>Outbound connector settings, bound from the <c>Connector</c> configuration section.</summary>
public sealed class ConnectorOptions
{
    public const string SectionName = "Connector";

    /// <summary>Entra ID host the outbound token comes from; change it for sovereign clouds (or a test fake).</summary>
    public string AuthorityHost { get; set; } = "https://login.microsoftonline.com";

    /// <summary>
    /// Hosts beyond the built-in allow-list that may receive the bot's token: an exact host (<c>connector.contoso.net</c>)
    /// or a suffix pattern (<c>*.contoso.net</c>). A loopback host listed here may be called over plain http.
    /// </summary>
    public IList<string> AdditionalAllowedHosts { get; set; } = [];

    /// <summary>HTTP attempts per operation, the first included (retries = attempts − 1).</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>How long one HTTP attempt may take before it counts as a transient timeout.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First back-off delay; later ones grow exponentially (with jitter) up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Cap of the exponential back-off delays; at least <see cref="BaseDelay"/>.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Randomise back-off delays (on by default; tests may switch it off).</summary>
    public bool UseJitter { get; set; } = true;

    /// <summary>
    /// The longest Retry-After honoured by waiting inline. A longer one ends the call with a Throttled result carrying
    /// the Retry-After, so a persistent outbox can reschedule instead of holding a worker.
    /// </summary>
    public TimeSpan MaxInlineRetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    public ThrottleGateOptions Throttle { get; set; } = new();
}

/// <summary>The throttle gate in front of every outbound call (bot-protocol.md §4.1).</summary>
public sealed class ThrottleGateOptions
{
    /// <summary>
    /// All outbound requests of this process per second, paced (bot-protocol.md §4.1: 50 per app and tenant now, 30 in
    /// an older revision). 48 leaves the gate's pacing room for the calls' uneven travel time: measured against a
    /// connector enforcing 50/s strictly (docs/benchmarks.md, fan-out-gate), 45 and 48 sent at 90–91 % of the allowed
    /// rate with 0–3 429s, 50 drew 15 429s and fell to 60 %. Several replicas share the app's limit: divide by them.
    /// </summary>
    public int GlobalRequestsPerSecond { get; set; } = 48;

    /// <summary>
    /// The longest the gate waits inline for a slot. When the next slot is further away (for example a conversation
    /// held after a long Retry-After, or its hourly budget used up) the call returns Throttled without sending.
    /// </summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>429s from this many distinct conversations within <see cref="GlobalThrottleWindow"/> hold every send.</summary>
    public int GlobalThrottleThreshold { get; set; } = 3;

    /// <summary>The window in which <see cref="GlobalThrottleThreshold"/> throttled conversations hold every send.</summary>
    public TimeSpan GlobalThrottleWindow { get; set; } = TimeSpan.FromSeconds(10);
}

internal sealed class ConnectorOptionsValidator : IValidateOptions<ConnectorOptions>
{
    // Polly's timeout strategy accepts more than 10 ms and less than 24 hours.
    private static readonly TimeSpan MinAttemptTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxAttemptTimeout = TimeSpan.FromHours(24);

    public ValidateOptionsResult Validate(string? name, ConnectorOptions options)
    {
        var errors = new List<string>();

        if (!Uri.TryCreate(options.AuthorityHost, UriKind.Absolute, out var authority) || authority.Scheme != Uri.UriSchemeHttps)
            errors.Add($"Connector:AuthorityHost '{options.AuthorityHost}' must be an absolute https URL such as https://login.microsoftonline.com.");
        else if (!string.IsNullOrEmpty(authority.Query) || !string.IsNullOrEmpty(authority.Fragment) || !string.IsNullOrEmpty(authority.UserInfo))
            errors.Add($"Connector:AuthorityHost '{options.AuthorityHost}' must not carry a query, fragment or user info.");

        for (var i = 0; i < options.AdditionalAllowedHosts.Count; i++)
        {
            if (!ServiceUrlPolicy.IsValidHostPattern(options.AdditionalAllowedHosts[i]))
                errors.Add($"Connector:AdditionalAllowedHosts:{i} '{options.AdditionalAllowedHosts[i]}' must be a host name, an IP address or '*.suffix' with at least two labels (no scheme, port or path).");
        }

        if (options.MaxAttempts is < 1 or > 10)
            errors.Add($"Connector:MaxAttempts {options.MaxAttempts} must be between 1 and 10.");
        if (options.AttemptTimeout <= MinAttemptTimeout || options.AttemptTimeout >= MaxAttemptTimeout)
            errors.Add($"Connector:AttemptTimeout {options.AttemptTimeout} must be more than 10 ms and less than 24 hours.");
        if (options.BaseDelay <= TimeSpan.Zero)
            errors.Add("Connector:BaseDelay must be positive.");
        if (options.MaxDelay < options.BaseDelay)
            errors.Add("Connector:MaxDelay must be at least Connector:BaseDelay.");
        if (options.MaxInlineRetryAfter < TimeSpan.Zero)
            errors.Add("Connector:MaxInlineRetryAfter must not be negative.");

        var throttle = options.Throttle;
        if (throttle.GlobalRequestsPerSecond < 1)
            errors.Add("Connector:Throttle:GlobalRequestsPerSecond must be at least 1.");
        if (throttle.MaxWait < TimeSpan.Zero)
            errors.Add("Connector:Throttle:MaxWait must not be negative.");
        if (throttle.GlobalThrottleThreshold < 1)
            errors.Add("Connector:Throttle:GlobalThrottleThreshold must be at least 1.");
        if (throttle.GlobalThrottleWindow <= TimeSpan.Zero)
            errors.Add("Connector:Throttle:GlobalThrottleWindow must be positive.");

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
