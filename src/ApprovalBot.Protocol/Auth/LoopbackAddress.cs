using System.Net;

namespace ApprovalBot.Protocol.Auth;

/// <summary>Loopback test used by local development mode and the metadata policy.</summary>
public static class LoopbackAddress
{
    /// <summary>True for IPv4 127.0.0.0/8, IPv6 ::1 and IPv4-mapped IPv6 loopback (::ffff:127.x.y.z); false for null.</summary>
    public static bool IsLoopback(IPAddress? address)
    {
        if (address is null) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return IPAddress.IsLoopback(address);
    }
}
