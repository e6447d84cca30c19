using System.Globalization;

namespace ApprovalBot.OrgDirectory.Graph;

/// <summary>
/// Graph's time zones into ours: a mailbox's <c>timeZone</c> is a Windows name ("W. Europe Standard Time", the default
/// format) or an IANA id, as the administrator set it up; the directory speaks IANA only (as the file does).
/// </summary>
internal static class GraphTimeZones
{
    /// <summary>The IANA id for a Graph time zone (Windows or IANA), or null when it is empty or unknown here.</summary>
    public static string? ToIana(string? graphZone)
    {
        if (string.IsNullOrWhiteSpace(graphZone)) return null;
        var zone = graphZone.Trim();
        if (DirectoryFile.IsIanaTimeZone(zone)) return zone;
        return TimeZoneInfo.TryConvertWindowsIdToIanaId(zone, out var iana) && TimeZoneInfo.TryFindSystemTimeZoneById(iana, out _)
            ? iana
            : null;
    }

    /// <summary>
    /// A Graph <c>dateTimeTimeZone</c> (a wall-clock time without offset, and the zone it is in) as an instant; null
    /// when the time cannot be read. An unknown zone is read as UTC, Graph's own default.
    /// </summary>
    public static DateTimeOffset? ToInstant(string? dateTime, string? zone)
    {
        if (string.IsNullOrWhiteSpace(dateTime)
            || !DateTime.TryParse(dateTime, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var local))
            return null;
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        var tz = ToIana(zone) is { } iana ? TimeZoneInfo.FindSystemTimeZoneById(iana) : TimeZoneInfo.Utc;
        // A time skipped by a clock change does not exist: read it as the instant the clock jumped to.
        if (tz.IsInvalidTime(local)) local = local.AddHours(1);
        return new DateTimeOffset(local, tz.GetUtcOffset(local)).ToUniversalTime();
    }
}
