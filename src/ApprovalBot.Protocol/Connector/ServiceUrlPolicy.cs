using System.Net;

namespace ApprovalBot.Protocol.Connector;

/// <summary>
/// Decides where an outbound call may go (bot-protocol.md §3.4). The host promises serviceUrls come from authenticated
/// inbound activities; this is the defence in depth that keeps the bot's token away from any other host.
/// <list type="bullet">
/// <item>With credentials: https, and a host on the allow-list (<c>botframework.com</c> and its subdomains, exactly
/// <c>smba.trafficmanager.net</c> — the rest of trafficmanager.net belongs to every Azure customer —,
/// <c>teams.microsoft.com</c>/<c>teams.microsoft.us</c> and their subdomains, plus configured hosts). A configured
/// loopback host may use http: that traffic never leaves the machine.</item>
/// <item>Local development (no credentials): loopback only, http or https.</item>
/// </list>
/// </summary>
internal sealed class ServiceUrlPolicy
{
    private static readonly string[] BuiltInSuffixes = ["botframework.com", "teams.microsoft.com", "teams.microsoft.us"];
    private static readonly string[] BuiltInExactHosts = ["smba.trafficmanager.net"];

    private readonly bool _sendsTokens;
    private readonly string[] _extraExact;
    private readonly string[] _extraSuffixes;

    public ServiceUrlPolicy(bool sendsTokens, IEnumerable<string> additionalAllowedHosts)
    {
        _sendsTokens = sendsTokens;
        var patterns = additionalAllowedHosts.Select(h => h.Trim().TrimEnd('.').ToLowerInvariant()).ToList();
        _extraExact = patterns.Where(p => !p.StartsWith("*.", StringComparison.Ordinal)).ToArray();
        _extraSuffixes = patterns.Where(p => p.StartsWith("*.", StringComparison.Ordinal)).Select(p => p[2..]).ToArray();
    }

    /// <summary>The base URL (trailing slash ensured) when <paramref name="serviceUrl"/> may be called, else the refusal reason.</summary>
    public bool TryGetBaseUri(string? serviceUrl, out Uri baseUri, out string refusal)
    {
        baseUri = null!;
        if (string.IsNullOrWhiteSpace(serviceUrl) || !Uri.TryCreate(serviceUrl, UriKind.Absolute, out var uri))
        {
            refusal = "serviceUrl is missing or not an absolute URL";
            return false;
        }
        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
        {
            refusal = $"serviceUrl scheme '{uri.Scheme}' is not http(s)";
            return false;
        }
        if (!string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            refusal = "serviceUrl must not carry user info, a query or a fragment";
            return false;
        }

        var host = NormalizeHost(uri);
        if (_sendsTokens)
        {
            var listedExtra = MatchesExtra(host);
            if (!listedExtra && !MatchesBuiltIn(host))
            {
                refusal = $"serviceUrl host '{host}' is not on the connector allow-list; no token is sent to it";
                return false;
            }
            if (uri.Scheme != Uri.UriSchemeHttps && !(listedExtra && uri.IsLoopback))
            {
                refusal = $"serviceUrl '{uri.GetLeftPart(UriPartial.Authority)}' is not https; the token is sent over https only";
                return false;
            }
        }
        else if (!uri.IsLoopback)
        {
            refusal = $"local development mode (no MicrosoftAppId) calls loopback serviceUrls only, not '{host}'";
            return false;
        }

        var text = uri.AbsoluteUri;
        baseUri = new Uri(text.EndsWith('/') ? text : text + "/", UriKind.Absolute);
        refusal = string.Empty;
        return true;
    }

    /// <summary>True for a host name, an IP address, or <c>*.suffix</c> with at least two labels after the star.</summary>
    public static bool IsValidHostPattern(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern)) return false;
        var p = pattern.Trim().TrimEnd('.');
        if (p.StartsWith("*.", StringComparison.Ordinal))
        {
            var suffix = p[2..];
            return suffix.Contains('.', StringComparison.Ordinal) && Uri.CheckHostName(suffix) == UriHostNameType.Dns;
        }
        if (p.StartsWith('[') && p.EndsWith(']')) p = p[1..^1];
        return Uri.CheckHostName(p) is UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6;
    }

    private static string NormalizeHost(Uri uri)
    {
        var host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        return IPAddress.TryParse(host, out var ip) ? ip.ToString() : host;
    }

    private static bool MatchesBuiltIn(string host) =>
        BuiltInExactHosts.Contains(host, StringComparer.Ordinal) || BuiltInSuffixes.Any(s => IsSameOrSubdomain(host, s));

    private bool MatchesExtra(string host) =>
        _extraExact.Any(e => string.Equals(Canonical(e), host, StringComparison.Ordinal))
        || _extraSuffixes.Any(s => host.EndsWith("." + s, StringComparison.Ordinal));

    private static string Canonical(string configured)
    {
        var h = configured.StartsWith('[') && configured.EndsWith(']') ? configured[1..^1] : configured;
        return IPAddress.TryParse(h, out var ip) ? ip.ToString() : h;
    }

    private static bool IsSameOrSubdomain(string host, string domain) =>
        string.Equals(host, domain, StringComparison.Ordinal) || host.EndsWith("." + domain, StringComparison.Ordinal);
}
