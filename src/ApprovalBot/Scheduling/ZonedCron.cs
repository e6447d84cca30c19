using Cronos;

namespace ApprovalBot.Scheduling;

/// <summary>
/// A five-field cron read by Cronos in a time zone (IANA or Windows id), for every schedule people set in wall time: a
/// communication plan's cadences, a digest subscription. "0 9 * * MON" in Europe/Berlin is 09:00 Berlin time on both
/// sides of a DST change; a wall time a spring-forward skips occurs at the end of the gap, and one the fall-back hour
/// repeats occurs once, the first time (Cronos' rules). Instants come back in UTC, as the database stores them.
/// </summary>
public sealed class ZonedCron
{
    private static readonly TimeSpan[] LookBack = [TimeSpan.FromDays(40), TimeSpan.FromDays(370)];
    private readonly CronExpression _cron;

    private ZonedCron(CronExpression cron, TimeZoneInfo zone)
    {
        _cron = cron;
        Zone = zone;
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>For a cron the bot wrote itself, in a zone already resolved.</summary>
    public static ZonedCron Create(string cron, TimeZoneInfo zone) => new(CronExpression.Parse(cron, CronFormat.Standard), zone);

    /// <summary>For a schedule people wrote: null, with <paramref name="problem"/> in words, when the zone is unknown here or the cron unreadable.</summary>
    public static ZonedCron? TryCreate(string cron, string timeZoneId, out string? problem)
    {
        problem = null;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var zone))
        {
            problem = $"The time zone '{timeZoneId}' of the schedule '{cron}' is unknown on this server.";
            return null;
        }

        try
        {
            return new ZonedCron(CronExpression.Parse(cron, CronFormat.Standard), zone);
        }
        catch (CronFormatException e)
        {
            problem = $"The schedule '{cron}' cannot be read: {e.Message}";
            return null;
        }
    }

    /// <summary>The zone with this id, or UTC when this machine does not know it (whoever stored the id keeps it).</summary>
    public static TimeZoneInfo ZoneOrUtc(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>The first occurrence strictly after <paramref name="after"/>, or null when the cron never occurs again (30 February).</summary>
    public DateTimeOffset? Next(DateTimeOffset after) =>
        _cron.GetNextOccurrence(after, Zone, inclusive: false)?.ToUniversalTime();

    /// <summary>The last occurrence strictly before <paramref name="before"/> within the past year, or null.</summary>
    public DateTimeOffset? Previous(DateTimeOffset before) => Last(DateTimeOffset.MinValue, before, toInclusive: false);

    /// <summary>
    /// The latest occurrence in [<paramref name="notBefore"/>, <paramref name="notAfter"/>] (within a year of
    /// <paramref name="notAfter"/>), or null: the one period a late fire acts on — a bot that was down for days sends
    /// the newest digest, not a backlog.
    /// </summary>
    public DateTimeOffset? Latest(DateTimeOffset notBefore, DateTimeOffset notAfter) =>
        notAfter < notBefore ? null : Last(notBefore, notAfter, toInclusive: true);

    private DateTimeOffset? Last(DateTimeOffset notBefore, DateTimeOffset end, bool toInclusive)
    {
        foreach (var span in LookBack)
        {
            var from = end - span > notBefore ? end - span : notBefore;
            var last = _cron.GetOccurrences(from, end, Zone, fromInclusive: true, toInclusive).LastOrDefault();
            if (last != default) return last.ToUniversalTime();
            if (from == notBefore) break;
        }

        return null;
    }
}
