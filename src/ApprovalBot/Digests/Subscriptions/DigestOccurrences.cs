using ApprovalBot.Domain.Digests;
using Cronos;

namespace ApprovalBot.Digests.Subscriptions;

/// <summary>
/// When a digest schedule occurs, in its time zone (Cronos, DST-aware): a local time that the spring-forward gap skips
/// occurs at the end of the gap (02:30 on a day that jumps from 02:00 to 03:00 occurs at 03:00 local), and one that the
/// fall-back hour repeats occurs once (the first time, in summer time).
/// </summary>
public static class DigestOccurrences
{
    /// <summary>The first occurrence strictly after <paramref name="after"/>.</summary>
    public static DateTimeOffset Next(DigestSchedule schedule, TimeZoneInfo zone, DateTimeOffset after)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return Expression(schedule).GetNextOccurrence(after, zone)
            ?? throw new InvalidOperationException($"The schedule '{schedule.Cron}' never occurs after {after:o}.");
    }

    /// <summary>
    /// The latest occurrence in [<paramref name="notBefore"/>, <paramref name="notAfter"/>], or null: the one period a
    /// late fire delivers (a bot that was down for days sends the newest digest, not a backlog).
    /// </summary>
    public static DateTimeOffset? Latest(DigestSchedule schedule, TimeZoneInfo zone, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (notAfter < notBefore) return null;
        // Daily and weekly schedules occur at least every 7 days (and a DST hour): look back no further than 8.
        var from = notAfter - TimeSpan.FromDays(8) > notBefore ? notAfter - TimeSpan.FromDays(8) : notBefore;
        DateTimeOffset? latest = null;
        foreach (var occurrence in Expression(schedule).GetOccurrences(from, notAfter, zone, fromInclusive: true, toInclusive: true))
            latest = occurrence;
        return latest;
    }

    /// <summary>The zone with this id, or UTC when this machine does not know it (the subscription keeps its id).</summary>
    public static TimeZoneInfo Zone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;

    private static CronExpression Expression(DigestSchedule schedule) => CronExpression.Parse(schedule.Cron, CronFormat.Standard);
}
