namespace ApprovalBot.Domain.Calendars;

/// <summary>Business-time sums that any <see cref="IBusinessCalendar"/> can answer.</summary>
public static class BusinessCalendarExtensions
{
    /// <summary>
    /// Business time inside a set of periods, for example the On-hold stretches an SLA clock must not count. Periods
    /// that overlap or touch are counted once; a period whose end is not after its start adds nothing.
    /// </summary>
    public static TimeSpan BusinessTimeWithin(this IBusinessCalendar calendar, IEnumerable<(DateTimeOffset From, DateTimeOffset To)> periods)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(periods);

        var total = TimeSpan.Zero;
        DateTimeOffset? runFrom = null, runTo = null;
        foreach (var (from, to) in periods.Where(p => p.To > p.From).OrderBy(p => p.From))
        {
            if (runTo is { } end && from <= end)
            {
                if (to > end)
                    runTo = to;
                continue;
            }

            if (runFrom is { } start && runTo is { } previousEnd)
                total += calendar.BusinessTimeBetween(start, previousEnd);
            (runFrom, runTo) = (from, to);
        }

        if (runFrom is { } lastStart && runTo is { } lastEnd)
            total += calendar.BusinessTimeBetween(lastStart, lastEnd);
        return total;
    }
}
