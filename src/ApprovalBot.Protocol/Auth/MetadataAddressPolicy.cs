using System.Net;

namespace ApprovalBot.Protocol.Auth;

/// <summary>
/// Which addresses signing metadata may be fetched from: HTTPS anywhere, plain HTTP only to a loopback IP literal.
/// Applied to the configured metadata URL at start-up AND to every document fetched (so an HTTP test metadata
/// document cannot point <c>jwks_uri</c> at a non-loopback HTTP host). Host names such as <c>localhost</c> are not
/// trusted as loopback: only the IP literal is, because it cannot be redirected by name resolution.
/// </summary>
public static class MetadataAddressPolicy
{
    /// <summary>True when <paramref name="address"/> may be fetched; otherwise <paramref name="problem"/> says why.</summary>
    public static bool IsAllowed(string? address, out string? problem)
    {
        if (string.IsNullOrWhiteSpace(address) || !Uri.TryCreate(address, UriKind.Absolute, out var uri))
        {
            problem = "must be an absolute URL";
            return false;
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            problem = "must not contain user information";
            return false;
        }

        if (uri.Scheme == Uri.UriSchemeHttps)
        {
            problem = null;
            return true;
        }

        if (uri.Scheme == Uri.UriSchemeHttp && uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            && IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var ip) && LoopbackAddress.IsLoopback(ip))
        {
            problem = null;
            return true;
        }

        problem = "must use https (plain http is allowed only for a loopback IP address such as 127.0.0.1 or [::1])";
        return false;
    }
}
