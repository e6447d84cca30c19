namespace ApprovalBot.Protocol.Auth;

/// <summary>
/// The bot's identity, bound from the configuration ROOT with the SDK-compatible keys
/// <c>MicrosoftAppId</c>, <c>MicrosoftAppType</c>, <c>MicrosoftAppTenantId</c> (bot-protocol.md §2.5).
/// Inbound validation is the same for every app type; only <see cref="MicrosoftAppId"/> decides the mode.
/// </summary>
public sealed class MicrosoftAppOptions
{
    /// <summary>
    /// The bot's Microsoft App ID (the <c>aud</c> of channel tokens). Null or empty ⇒ <see cref="AuthMode.LocalDevelopment"/>;
    /// anything else ⇒ <see cref="AuthMode.BotFramework"/>. Whitespace-only values are refused at start-up.
    /// </summary>
    public string? MicrosoftAppId { get; set; }

    /// <summary><c>MultiTenant</c> (default), <c>SingleTenant</c> or <c>UserAssignedMSI</c>. Validated only.</summary>
    public string? MicrosoftAppType { get; set; }

    /// <summary>The app registration's tenant (used by the outbound token; not an inbound allow-list).</summary>
    public string? MicrosoftAppTenantId { get; set; }

    /// <summary>The app types the Bot Framework SDK understands (compared case-insensitively).</summary>
    public static readonly IReadOnlyList<string> KnownAppTypes = ["MultiTenant", "SingleTenant", "UserAssignedMSI"];
}

/// <summary>Inbound-authentication settings, bound from the <c>BotAuthentication</c> configuration section.</summary>
public sealed class BotAuthenticationOptions
{
    public const string SectionName = "BotAuthentication";

    public const string DefaultOpenIdMetadataUrl = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    /// <summary>
    /// Bot Framework OpenID metadata (its <c>jwks_uri</c> is followed for keys and endorsements). Must be HTTPS; plain HTTP
    /// is accepted only when the host is a loopback IP literal (127.0.0.0/8, ::1), so tests can serve their own keys.
    /// </summary>
    public string OpenIdMetadataUrl { get; set; } = DefaultOpenIdMetadataUrl;

    /// <summary>When not empty, the activity's tenant (channelData.tenant.id, else conversation.tenantId) must be listed. Empty ⇒ any tenant.</summary>
    public IList<string> AllowedTenantIds { get; set; } = [];

    /// <summary>Tolerance applied to <c>exp</c> and <c>nbf</c> (bot-protocol.md §2.2: 5 minutes). At most 10 minutes.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long fetched keys are used before the metadata is fetched again (IdentityModel's default, 12 h).</summary>
    public TimeSpan MetadataRefreshInterval { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// Minimum time between two refreshes forced by a token whose <c>kid</c> is unknown (IdentityModel's default, 5 min),
    /// so a flood of tokens with made-up key ids cannot turn into a flood of metadata requests.
    /// </summary>
    public TimeSpan MinimumKeyRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>After a failed metadata fetch, how long to wait before fetching again (requests meanwhile get 503 or stale keys).</summary>
    public TimeSpan MetadataRetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of one metadata or JWKS HTTP request.</summary>
    public TimeSpan MetadataFetchTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
