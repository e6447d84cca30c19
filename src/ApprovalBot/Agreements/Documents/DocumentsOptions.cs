namespace ApprovalBot.Agreements.Documents;

/// <summary>Where document bytes are kept.</summary>
public enum DocumentStoreKind
{
    /// <summary>In the bot's database, table <c>agreement_document_contents</c>, one row per distinct SHA-256.</summary>
    Database,

    /// <summary>In <see cref="DocumentsOptions.Folder"/>, one file per distinct SHA-256 (content-addressed).</summary>
    Folder,
}

/// <summary>Agreement documents: store, limits, the hosts chat attachments may come from, and signed download links. Section <c>Agreements:Documents</c>.</summary>
public sealed class DocumentsOptions
{
    public const string SectionName = "Agreements:Documents";
    public const long DefaultMaxBytes = 20L * 1024 * 1024;
    public const long MinMaxBytes = 1024;
    public const long MaxMaxBytes = 200L * 1024 * 1024;
    public const int MinSigningKeyBytes = 32;

    public static readonly IReadOnlyList<string> DefaultAllowedTypes = [DocumentTypes.Pdf, DocumentTypes.Docx];
    public static readonly IReadOnlyList<string> DefaultAllowedHosts = ["*.sharepoint.com"];

    public DocumentStoreKind Store { get; set; } = DocumentStoreKind.Database;

    /// <summary>The folder of the Folder store (created if missing); required then.</summary>
    public string? Folder { get; set; }

    /// <summary>The largest file accepted, in bytes (1 KiB – 200 MiB; default 20 MiB). Enforced while reading.</summary>
    public long MaxBytes { get; set; } = DefaultMaxBytes;

    /// <summary>The file types accepted, verified by their content: <c>pdf</c>, <c>docx</c>. Null or empty: both.</summary>
    public string[]? AllowedTypes { get; set; }

    /// <summary>
    /// Hosts a chat attachment (<c>file.download.info</c>) may be downloaded from: <c>contoso.sharepoint.com</c>, or
    /// <c>*.sharepoint.com</c> for any subdomain, optionally with <c>:port</c>. Null or empty: <c>*.sharepoint.com</c>.
    /// Only https, except for loopback hosts (tests).
    /// </summary>
    public string[]? AllowedHosts { get; set; }

    /// <summary>How long fetching one attachment may take, headers and body (1 s – 5 min; default 30 s).</summary>
    public TimeSpan DownloadTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The bot's address as a browser reaches it (e.g. <c>https://approvalbot.contoso.com</c>): cards link documents to
    /// <c>{PublicBaseUrl}/documents/…</c>. Unset: cards show documents without a link. Needs <see cref="LinkSigningKey"/>.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>The HMAC-SHA256 key of download links, base64, at least 32 bytes; the same on every instance. A secret.</summary>
    public string? LinkSigningKey { get; set; }

    /// <summary>How long a download link on a card works (1 min – 30 days; default 24 h). A refreshed card gets fresh links.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromHours(24);

    public IReadOnlyList<string> EffectiveAllowedTypes() => AllowedTypes is { Length: > 0 } types ? [.. types.Select(t => t.Trim().ToLowerInvariant())] : DefaultAllowedTypes;

    public IReadOnlyList<string> EffectiveAllowedHosts() => AllowedHosts is { Length: > 0 } hosts ? [.. hosts.Select(h => h.Trim().ToLowerInvariant())] : DefaultAllowedHosts;

    /// <summary>Every problem with the options, as sentences (empty when valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        const string S = SectionName;
        var errors = new List<string>();
        if (!Enum.IsDefined(Store)) errors.Add($"{S}:Store must be Database or Folder.");
        if (Store == DocumentStoreKind.Folder && string.IsNullOrWhiteSpace(Folder)) errors.Add($"{S}:Folder is required when {S}:Store is Folder.");
        if (MaxBytes is < MinMaxBytes or > MaxMaxBytes) errors.Add($"{S}:MaxBytes must be between {MinMaxBytes} and {MaxMaxBytes} bytes.");
        foreach (var type in AllowedTypes ?? [])
        {
            if (!DocumentTypes.All.Contains((type ?? "").Trim().ToLowerInvariant()))
                errors.Add($"{S}:AllowedTypes: '{type}' is not a known type; use {string.Join(" or ", DocumentTypes.All)}.");
        }
        foreach (var host in AllowedHosts ?? [])
        {
            if (!HostPattern.IsValid(host)) errors.Add($"{S}:AllowedHosts: '{host}' is not a host name (or *.domain), with an optional :port.");
        }
        if (DownloadTimeout < TimeSpan.FromSeconds(1) || DownloadTimeout > TimeSpan.FromMinutes(5))
            errors.Add($"{S}:DownloadTimeout must be between 00:00:01 and 00:05:00.");
        if (LinkLifetime < TimeSpan.FromMinutes(1) || LinkLifetime > TimeSpan.FromDays(30))
            errors.Add($"{S}:LinkLifetime must be between 00:01:00 and 30.00:00:00.");
        if (!string.IsNullOrWhiteSpace(PublicBaseUrl)
            && (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(url.Query)))
            errors.Add($"{S}:PublicBaseUrl must be an absolute https URL without a query, the bot's address as a browser reaches it.");
        if (!string.IsNullOrWhiteSpace(LinkSigningKey) && SigningKeyBytes() is null)
            errors.Add($"{S}:LinkSigningKey must be base64 of at least {MinSigningKeyBytes} random bytes.");
        if (!string.IsNullOrWhiteSpace(PublicBaseUrl) && string.IsNullOrWhiteSpace(LinkSigningKey))
            errors.Add($"{S}:PublicBaseUrl needs {S}:LinkSigningKey: download links are signed.");
        return errors;
    }

    /// <summary>The decoded signing key, or null when unset or too short.</summary>
    public byte[]? SigningKeyBytes()
    {
        if (string.IsNullOrWhiteSpace(LinkSigningKey)) return null;
        var buffer = new byte[LinkSigningKey.Length];
        return Convert.TryFromBase64String(LinkSigningKey.Trim(), buffer, out var written) && written >= MinSigningKeyBytes ? buffer[..written] : null;
    }
}

/// <summary>An allowed-host entry: <c>host</c>, <c>*.domain</c>, each with an optional <c>:port</c>.</summary>
public static class HostPattern
{
    public static bool IsValid(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern)) return false;
        var (host, port) = Split(pattern.Trim().ToLowerInvariant());
        if (port is { } p && p is < 1 or > 65535) return false;
        var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
        return name.Length > 0 && Uri.CheckHostName(name) != UriHostNameType.Unknown && !name.Contains('*', StringComparison.Ordinal);
    }

    /// <summary>Whether <paramref name="url"/>'s host (and port, when the pattern names one) matches <paramref name="pattern"/>.</summary>
    public static bool Matches(string pattern, Uri url)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(url);
        var (host, port) = Split(pattern.Trim().ToLowerInvariant());
        if (port is { } p && p != url.Port) return false;
        var actual = url.IdnHost.ToLowerInvariant();
        return host.StartsWith("*.", StringComparison.Ordinal)
            ? actual.EndsWith(host[1..], StringComparison.Ordinal) && actual.Length > host.Length - 1
            : actual == host;
    }

    private static (string Host, int? Port) Split(string pattern)
    {
        var colon = pattern.LastIndexOf(':');
        if (colon > 0 && int.TryParse(pattern[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port))
            return (pattern[..colon], port);
        return (pattern, colon > 0 ? -1 : null);
    }
}
