using System.Globalization;

namespace ApprovalBot.Domain.Agreements;

/// <summary>
/// Calendar arithmetic of a term: periods of days, weeks or months added to and taken from dates (a month from the 31st
/// clamps to the month's last day: 31 March − 1 month = 28 or 29 February), and local dates turned into instants in a
/// time zone (a local time a DST change skips becomes the first instant after the gap; one it repeats, the first of
/// the two).
/// </summary>
public static class TermDates
{
    public static DateOnly Add(DateOnly date, CalendarPeriod period) => Move(date, period, 1);

    public static DateOnly Subtract(DateOnly date, CalendarPeriod period) => Move(date, period, -1);

    private static DateOnly Move(DateOnly date, CalendarPeriod period, int sign)
    {
        ArgumentNullException.ThrowIfNull(period);
        return period.Unit switch
        {
            PeriodUnit.Days => date.AddDays(sign * period.Count),
            PeriodUnit.Weeks => date.AddDays(sign * 7 * period.Count),
            _ => date.AddMonths(sign * period.Count),
        };
    }

    /// <summary>The last day of a term of <paramref name="duration"/> that starts on <paramref name="start"/> (start + duration − 1 day).</summary>
    public static DateOnly EndOf(DateOnly start, CalendarPeriod duration) => Add(start, duration).AddDays(-1);

    /// <summary>00:00 of <paramref name="date"/> in <paramref name="zone"/>, as an instant.</summary>
    public static DateTimeOffset StartOfDay(DateOnly date, TimeZoneInfo zone) => At(date, TimeOnly.MinValue, zone);

    /// <summary><paramref name="time"/> on <paramref name="date"/> in <paramref name="zone"/>, as an instant (see the class remarks for DST).</summary>
    public static DateTimeOffset At(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        // A skipped local time (the gap of a spring-forward change, ≤ 2 hours): the first minute that exists after it.
        for (var i = 0; i < 180 && zone.IsInvalidTime(local); i++) local = local.AddMinutes(1);
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    /// <summary>The local date of <paramref name="instant"/> in <paramref name="zone"/>.</summary>
    public static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone ?? throw new ArgumentNullException(nameof(zone))).DateTime);

    public static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>
/// When a term ends and until when notice can be given, in the agreement's time zone (its business calendar's; else
/// the organisation's). <see cref="EndDate"/> is the last day in force, so the agreement expires at 00:00 of the day
/// after (<see cref="EndsAt"/>). <see cref="NoticeDate"/> = end date − notice period is the last day on which notice
/// ends the agreement by its end date; <see cref="NoticeDeadline"/> is the end of that day. Reminders fall at a time
/// of day on the days <c>lead</c> days before the notice date.
/// </summary>
public sealed record TermSchedule(DateOnly StartDate, DateOnly EndDate, CalendarPeriod Notice, TimeZoneInfo Zone)
{
    public DateOnly NoticeDate => TermDates.Subtract(EndDate, Notice);

    public DateTimeOffset EndsAt => TermDates.StartOfDay(EndDate.AddDays(1), Zone);

    public DateTimeOffset NoticeDeadline => TermDates.StartOfDay(NoticeDate.AddDays(1), Zone);

    /// <summary>The schedule of <paramref name="terms"/>, or null when they lack an end date or a notice period.</summary>
    public static TermSchedule? Of(AgreementTerms terms, TimeZoneInfo fallbackZone)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(fallbackZone);
        if (terms.EndDate is not { } end || terms.TerminationNotice is not { } notice) return null;
        return new TermSchedule(terms.StartDate ?? end, end, notice, ZoneOf(terms, fallbackZone));
    }

    /// <summary>The business calendar's time zone, else <paramref name="fallbackZone"/> (also when this machine does not know it).</summary>
    public static TimeZoneInfo ZoneOf(AgreementTerms terms, TimeZoneInfo fallbackZone)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.BusinessCalendar?.TimeZoneId is { } id && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)) return zone;
        return fallbackZone;
    }

    /// <summary>The reminder instants for these lead times (days before the notice date, at <paramref name="at"/> local), earliest first.</summary>
    public IReadOnlyList<DateTimeOffset> Reminders(IEnumerable<int> leadDays, TimeOnly at) =>
        [.. (leadDays ?? []).Where(d => d > 0).Distinct().Select(d => TermDates.At(NoticeDate.AddDays(-d), at, Zone)).Order()];

    /// <summary>The date a termination noticed at <paramref name="noticeGivenAt"/> takes effect: the local date then + the notice period.</summary>
    public DateOnly TerminationDate(DateTimeOffset noticeGivenAt) => TermDates.Add(TermDates.LocalDate(noticeGivenAt, Zone), Notice);

    /// <summary>
    /// The terms of the next term, for a renewal: the same content, starting the day after <see cref="EndDate"/> and as
    /// long as this term (in whole months when it is, else in days).
    /// </summary>
    public AgreementTerms Renewed(AgreementTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var start = EndDate.AddDays(1);
        var months = (EndDate.AddDays(1).Year - StartDate.Year) * 12 + EndDate.AddDays(1).Month - StartDate.Month;
        var length = months > 0 && StartDate.AddMonths(months) == EndDate.AddDays(1)
            ? new CalendarPeriod(Math.Min(months, 1000), PeriodUnit.Months)
            : new CalendarPeriod(Math.Clamp(EndDate.DayNumber - StartDate.DayNumber + 1, 1, 1000), PeriodUnit.Days);
        return terms with { StartDate = start, EndDate = TermDates.EndOf(start, length) };
    }
}
