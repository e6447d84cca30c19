namespace ApprovalBot.UnitTests.Domain.Calendars;

/// <summary>Instants written as wall-clock times in a zone, so tests read like the calendars they check.</summary>
internal static class Wall
{
    public const string Berlin = "Europe/Berlin";
    public const string NewYork = "America/New_York";
    public const string Auckland = "Pacific/Auckland";
    public const string Kolkata = "Asia/Kolkata";
    public const string Santiago = "America/Santiago";
    public const string LordHowe = "Australia/Lord_Howe";

    /// <summary>The one instant at which <paramref name="zoneId"/>'s clock shows this time; refuses times a DST change skips or repeats.</summary>
    public static DateTimeOffset At(string zoneId, int year, int month, int day, int hour, int minute = 0)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var local = new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local) || zone.IsAmbiguousTime(local))
            throw new ArgumentException($"{local:yyyy-MM-dd HH:mm} in {zoneId} is skipped or repeated; give the offset explicitly.");
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>A wall-clock time with an explicit UTC offset, for the hours a DST change skips or repeats.</summary>
    public static DateTimeOffset At(int year, int month, int day, int hour, int minute, double offsetHours) =>
        new(year, month, day, hour, minute, 0, TimeSpan.FromHours(offsetHours));

    public static TimeOnly T(int hour, int minute = 0) => new(hour, minute);

    public static TimeSpan Hours(double hours) => TimeSpan.FromHours(hours);
}
