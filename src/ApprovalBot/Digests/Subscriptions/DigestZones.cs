using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Digests;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Teams;

namespace ApprovalBot.Digests.Subscriptions;

/// <summary>A time zone and where it came from.</summary>
public sealed record DigestZone(TimeZoneInfo Zone, DigestZoneSource Source)
{
    /// <summary>"Europe/Berlin, your time zone in the directory".</summary>
    public string Describe() => Zone.Id + ", " + Source switch
    {
        DigestZoneSource.Directory => "your time zone in the directory",
        DigestZoneSource.TeamsClient => "the time zone your Teams client reported (the directory has none for you)",
        _ => "UTC: neither the directory nor your Teams client gave a time zone",
    };
}

/// <summary>
/// The time zone a subscription is read in: the person's zone in the directory; else the zone their Teams client sent
/// with the command (<c>localTimezone</c>, or a <c>clientInfo</c> entity's <c>timezone</c>); else UTC. For a channel,
/// the subscriber's.
/// </summary>
public static class DigestZones
{
    public static async Task<DigestZone> ResolveAsync(TeamsPeople people, PersonId person, Activity? activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(people);
        if ((await people.GetAsync(person, cancellationToken))?.TimeZone is { } id && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var directory))
            return new DigestZone(directory, DigestZoneSource.Directory);
        var client = activity?.LocalTimezone
            ?? activity?.Entities?.FirstOrDefault(e => string.Equals(e.Type, "clientInfo", StringComparison.OrdinalIgnoreCase))?.GetString("timezone");
        if (!string.IsNullOrWhiteSpace(client) && TimeZoneInfo.TryFindSystemTimeZoneById(client.Trim(), out var reported))
            return new DigestZone(reported, DigestZoneSource.TeamsClient);
        return new DigestZone(TimeZoneInfo.Utc, DigestZoneSource.Utc);
    }
}
