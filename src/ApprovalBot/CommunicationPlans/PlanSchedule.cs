using ApprovalBot.Domain.Agreements;
using Cronos;

namespace ApprovalBot.CommunicationPlans;

/// <summary>
/// The maths of a plan's <see cref="RecurringSchedule"/>: its five-field cron read by Cronos in the schedule's own time
/// zone (IANA or Windows id), so "0 9 * * MON" in Europe/Berlin is 09:00 Berlin wall time on both sides of a DST change.
/// A wall time that does not exist (skipped by a spring-forward) fires at the first instant after the gap; one that
/// exists twice (fall-back) fires once, at its first instance (Cronos' rules). An unknown zone or an unreadable cron is a
/// <see cref="Problem"/> in words, never an exception.
/// </summary>
public sealed class PlanSchedule
{
    private readonly CronExpression _cron;

    private PlanSchedule(CronExpression cron, TimeZoneInfo zone)
    {
        _cron = cron;
        Zone = zone;
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>The schedule, or null with <paramref name="problem"/> saying why it cannot be used.</summary>
    public static PlanSchedule? TryCreate(RecurringSchedule schedule, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        problem = null;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(schedule.TimeZoneId, out var zone))
        {
            problem = $"The time zone '{schedule.TimeZoneId}' of the schedule '{schedule.Cron}' is unknown on this server.";
            return null;
        }

        try
        {
            return new PlanSchedule(CronExpression.Parse(schedule.Cron, CronFormat.Standard), zone);
        }
        catch (CronFormatException e)
        {
            problem = $"The schedule '{schedule.Cron}' cannot be read: {e.Message}";
            return null;
        }
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>, or null when the cron never fires again (e.g. 30 February).</summary>
    public DateTimeOffset? Next(DateTimeOffset after) =>
        _cron.GetNextOccurrence(after, Zone, inclusive: false)?.ToUniversalTime();

    /// <summary>The last occurrence strictly before <paramref name="before"/> within the past year, or null.</summary>
    public DateTimeOffset? Previous(DateTimeOffset before)
    {
        foreach (var span in new[] { TimeSpan.FromDays(40), TimeSpan.FromDays(370) })
        {
            var last = _cron.GetOccurrences(before - span, before, Zone, fromInclusive: true, toInclusive: false).LastOrDefault();
            if (last != default) return last.ToUniversalTime();
        }

        return null;
    }
}
