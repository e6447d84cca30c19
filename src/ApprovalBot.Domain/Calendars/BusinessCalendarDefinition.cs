using System.Globalization;

namespace ApprovalBot.Domain.Calendars;

/// <summary>
/// What an agreement says its business hours are: a time zone, weekly working hours and holidays, or all the time (24×7).
/// A plain record so it can be stored as JSON on an agreement and copied onto in-flight approvals and escalations
/// (architecture rule 9); turn it into arithmetic with <see cref="BusinessCalendar.Create"/>.
/// </summary>
/// <remarks>
/// Equality is by value, lists included (same entries in the same order), so a snapshot can be compared with the
/// agreement's current definition.
/// </remarks>
public sealed record BusinessCalendarDefinition
{
    /// <summary>IANA time-zone id, e.g. <c>Europe/Berlin</c>. Working hours and holidays are wall-clock times and dates there.</summary>
    public required string TimeZoneId { get; init; }

    /// <summary>
    /// Every instant is business time. <see cref="WorkingHours"/> and <see cref="Holidays"/> must then be empty; a
    /// "24×7 except holidays" calendar is seven whole-day <see cref="WorkingInterval"/>s plus the holidays.
    /// </summary>
    public bool TwentyFourSeven { get; init; }

    /// <summary>Working intervals; a day of the week may have several (a lunch break) or none (a day off). Order does not matter.</summary>
    public IReadOnlyList<WorkingInterval> WorkingHours { get; init; } = [];

    /// <summary>Whole local days off in <see cref="TimeZoneId"/>, whatever their working hours.</summary>
    public IReadOnlyList<Holiday> Holidays { get; init; } = [];

    /// <summary>Every problem with this definition, in a sentence each; empty when it is a usable calendar.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        ValidateTimeZone(problems);

        var hours = WorkingHours ?? [];
        var holidays = Holidays ?? [];
        if (TwentyFourSeven)
        {
            if (hours.Count > 0)
                problems.Add(Invariant($"A 24×7 calendar has no working hours, but {hours.Count} working interval(s) are given."));
            if (holidays.Count > 0)
                problems.Add(Invariant($"A 24×7 calendar has no holidays, but {holidays.Count} holiday(s) are given; use whole-day working intervals (00:00–24:00) with holidays instead."));
        }
        else
        {
            ValidateWorkingHours(hours, problems);
            ValidateHolidays(holidays, problems);
        }

        return problems;
    }

    private void ValidateTimeZone(List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(TimeZoneId))
        {
            problems.Add("The time zone is missing; give an IANA id such as 'Europe/Berlin'.");
            return;
        }

        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            problems.Add($"Unknown time zone '{TimeZoneId}'; give an IANA id such as 'Europe/Berlin'.");
            return;
        }

        if (!zone.HasIanaId)
        {
            var hint = TimeZoneInfo.TryConvertWindowsIdToIanaId(TimeZoneId, out var iana) ? $" ('{iana}')" : "";
            problems.Add($"Time zone '{TimeZoneId}' is a Windows id; give its IANA id{hint} so the calendar means the same on every platform.");
        }
    }

    private static void ValidateWorkingHours(IReadOnlyList<WorkingInterval> hours, List<string> problems)
    {
        if (hours.Count == 0)
        {
            problems.Add("There are no working hours: a calendar needs at least one working interval, or TwentyFourSeven.");
            return;
        }

        var usable = new List<(int Index, WorkingInterval Interval)>();
        for (var i = 0; i < hours.Count; i++)
        {
            var interval = hours[i];
            if (interval is null)
            {
                problems.Add(Invariant($"Working interval #{i + 1} is empty (null)."));
                continue;
            }

            var wellFormed = true;
            if (!Enum.IsDefined(interval.Day))
            {
                problems.Add(Invariant($"Working interval #{i + 1} has no valid day of the week ({(int)interval.Day})."));
                wellFormed = false;
            }

            if (interval.Start.ToTimeSpan() >= interval.EndOfDayTime)
            {
                problems.Add(Invariant($"Working interval #{i + 1} ({interval}): the start must be before the end (an end of 00:00 means midnight at the end of the day)."));
                wellFormed = false;
            }

            if (wellFormed)
                usable.Add((i, interval));
        }

        foreach (var day in usable.GroupBy(u => u.Interval.Day))
        {
            var sorted = day.OrderBy(u => u.Interval.Start).ToList();
            for (var i = 1; i < sorted.Count; i++)
            {
                var (previousIndex, previous) = sorted[i - 1];
                var (index, current) = sorted[i];
                if (current.Start.ToTimeSpan() < previous.EndOfDayTime)
                {
                    var (first, second) = previousIndex < index ? (previousIndex, index) : (index, previousIndex);
                    problems.Add(Invariant($"Working intervals #{first + 1} ({hours[first]}) and #{second + 1} ({hours[second]}) overlap."));
                }
            }
        }
    }

    private static void ValidateHolidays(IReadOnlyList<Holiday> holidays, List<string> problems)
    {
        var seen = new Dictionary<DateOnly, int>();
        for (var i = 0; i < holidays.Count; i++)
        {
            var holiday = holidays[i];
            if (holiday is null)
            {
                problems.Add(Invariant($"Holiday #{i + 1} is empty (null)."));
                continue;
            }

            if (!seen.TryAdd(holiday.Date, i))
                problems.Add(Invariant($"Holiday #{i + 1} ({holiday.Date:yyyy-MM-dd}) repeats holiday #{seen[holiday.Date] + 1}."));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public bool Equals(BusinessCalendarDefinition? other) =>
        other is not null
        && string.Equals(TimeZoneId, other.TimeZoneId, StringComparison.Ordinal)
        && TwentyFourSeven == other.TwentyFourSeven
        && (WorkingHours ?? []).SequenceEqual(other.WorkingHours ?? [])
        && (Holidays ?? []).SequenceEqual(other.Holidays ?? []);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(TimeZoneId, StringComparer.Ordinal);
        hash.Add(TwentyFourSeven);
        foreach (var interval in WorkingHours ?? [])
            hash.Add(interval);
        foreach (var holiday in Holidays ?? [])
            hash.Add(holiday);
        return hash.ToHashCode();
    }
}

/// <summary>
/// Working hours on one day of the week, as local wall-clock times, from <paramref name="Start"/> (inclusive) to
/// <paramref name="End"/> (exclusive). An interval does not cross midnight; an <paramref name="End"/> of 00:00 means
/// midnight at the end of the day (24:00), so 00:00–00:00 is the whole day.
/// </summary>
public sealed record WorkingInterval(DayOfWeek Day, TimeOnly Start, TimeOnly End)
{
    /// <summary><see cref="End"/> as time since the day's midnight: 24 h when <see cref="End"/> is 00:00.</summary>
    internal TimeSpan EndOfDayTime => End == TimeOnly.MinValue ? TimeSpan.FromDays(1) : End.ToTimeSpan();

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Day} {Format(Start.ToTimeSpan())}–{Format(EndOfDayTime)}");

    private static string Format(TimeSpan time)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalHours:00}:{time.Minutes:00}");
        return time.Seconds == 0 && time.Milliseconds == 0 ? text : string.Create(CultureInfo.InvariantCulture, $"{text}:{time.Seconds:00}");
    }
}

/// <summary>A whole local day off, optionally named ("Christmas Day") for people reading the calendar.</summary>
public sealed record Holiday(DateOnly Date, string? Name = null);
