namespace ApprovalBot.Domain.Calendars;

/// <summary>
/// Business-time arithmetic over a validated <see cref="BusinessCalendarDefinition"/>. Immutable; equal when the
/// definitions are equal. Results are returned in the calendar's time zone (the same instants, readable offsets).
/// </summary>
/// <remarks>
/// <para>
/// <b>What business time is.</b> An instant is business time when the calendar zone's wall clock at that instant shows
/// a working time (inside one of the day's intervals, start inclusive, end exclusive) on a date that is not a holiday.
/// <see cref="IsBusinessTime"/> asks exactly that; <see cref="BusinessTimeBetween"/> measures that set of instants in
/// real elapsed time, and <see cref="AddBusinessTime"/> walks it. One definition, so the three always agree.
/// </para>
/// <para>
/// <b>Daylight saving time</b> follows from it. Spring forward: wall-clock times in the gap never show, so a 08:00–17:00
/// day is untouched, a 00:00–24:00 or 01:00–04:00 day is an hour shorter, and an interval that starts in the gap starts
/// at the moment of the change (the first instant the clock shows a time at or after the start). Fall back: the
/// repeated hour shows twice and counts twice, so a 00:00–24:00 day is 25 hours and 01:00–04:00 is 4 hours. A boundary
/// inside the repeated hour is honoured on both passes: 02:30–04:00 in Berlin counts 02:30–03:00 summer time, then not
/// 02:00–02:30 winter time (the clock shows a time before the start), then 02:30–04:00 winter time — 2 hours. This is
/// "earlier offset for the start, later offset for the end" with the hole the wall clock really has in it.
/// </para>
/// <para>
/// <b>Cost.</b> Work is proportional to the calendar days spanned (a week at a time), never to the minutes; a
/// 30-business-day duration touches about six weeks. <see cref="AddBusinessTime"/> searches at most
/// <see cref="Horizon"/> ahead and then throws, so a calendar whose working days are all holidays cannot loop forever.
/// </para>
/// </remarks>
public sealed class BusinessCalendar : IBusinessCalendar, IEquatable<BusinessCalendar>
{
    /// <summary>How far past its start <see cref="AddBusinessTime"/> looks for business time before it gives up.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(3653);

    private static readonly long WindowTicks = TimeSpan.FromDays(7).Ticks;

    // Far enough on either side of a local time to find the instant that shows it: UTC offsets stay within −12 h…+14 h.
    private static readonly long SearchReachTicks = TimeSpan.FromHours(18).Ticks;

    // Latest instant the walk will reach, a few days short of DateTime.MaxValue so local dates around it still exist.
    private static readonly long LastTicks = DateTime.MaxValue.Ticks - TimeSpan.FromDays(4).Ticks;

    private readonly TimeZoneInfo _zone;
    private readonly bool _allTime;

    // Per DayOfWeek (Sunday = 0): sorted, disjoint, merged (start, end) since local midnight; end may be 24 h.
    private readonly (TimeSpan Start, TimeSpan End)[][] _week;
    private readonly HashSet<DateOnly> _holidays;

    private BusinessCalendar(BusinessCalendarDefinition definition)
    {
        // Copy the lists: the caller's may be mutable, and Definition must keep describing this calendar.
        Definition = definition with { WorkingHours = [.. definition.WorkingHours ?? []], Holidays = [.. definition.Holidays ?? []] };
        _zone = TimeZoneInfo.FindSystemTimeZoneById(Definition.TimeZoneId);
        _allTime = Definition.TwentyFourSeven;
        _holidays = [.. Definition.Holidays.Select(h => h.Date)];
        _week = new (TimeSpan, TimeSpan)[7][];
        foreach (var day in Enum.GetValues<DayOfWeek>())
            _week[(int)day] = Merge(Definition.WorkingHours.Where(w => w.Day == day));
    }

    /// <summary>The definition this calendar was built from, to store or snapshot.</summary>
    public BusinessCalendarDefinition Definition { get; }

    /// <summary>The calendar's time zone, for showing due times to people.</summary>
    public TimeZoneInfo TimeZone => _zone;

    /// <summary>Every instant is business time.</summary>
    public bool IsTwentyFourSeven => _allTime;

    /// <summary>Builds a calendar; throws <see cref="InvalidBusinessCalendarException"/> listing every problem <see cref="BusinessCalendarDefinition.Validate"/> finds.</summary>
    public static BusinessCalendar Create(BusinessCalendarDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var problems = definition.Validate();
        if (problems.Count > 0)
            throw new InvalidBusinessCalendarException(problems);
        return new BusinessCalendar(definition);
    }

    /// <summary>Everything is business time; the zone is kept for display.</summary>
    public static BusinessCalendar TwentyFourSeven(string timeZoneId) =>
        Create(new BusinessCalendarDefinition { TimeZoneId = timeZoneId, TwentyFourSeven = true });

    /// <summary>Monday to Friday, <paramref name="start"/> to <paramref name="end"/> (00:00 = midnight at the end of the day), minus <paramref name="holidays"/>.</summary>
    public static BusinessCalendar Weekdays(string timeZoneId, TimeOnly start, TimeOnly end, IEnumerable<Holiday>? holidays = null) =>
        Create(new BusinessCalendarDefinition
        {
            TimeZoneId = timeZoneId,
            WorkingHours = [.. WorkingWeek.Select(day => new WorkingInterval(day, start, end))],
            Holidays = [.. holidays ?? []],
        });

    /// <summary>Monday to Friday, 09:00–17:00, minus <paramref name="holidays"/>.</summary>
    public static BusinessCalendar WeekdaysNineToFive(string timeZoneId, IEnumerable<Holiday>? holidays = null) =>
        Weekdays(timeZoneId, new TimeOnly(9, 0), new TimeOnly(17, 0), holidays);

    private static readonly DayOfWeek[] WorkingWeek =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    /// <inheritdoc/>
    /// <remarks>
    /// Counting starts at <paramref name="start"/> if that is business time, otherwise at the next opening. A zero
    /// <paramref name="duration"/> therefore returns <paramref name="start"/> when it is business time and the next
    /// opening when it is not: "due now" means "due when someone is at work". A positive duration that runs out exactly
    /// at a closing time returns that closing time (Friday 16:00 + 1 h on a 09:00–17:00 calendar is Friday 17:00).
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is negative.</exception>
    /// <exception cref="BusinessCalendarException">There is not that much business time within <see cref="Horizon"/> of <paramref name="start"/>.</exception>
    public DateTimeOffset AddBusinessTime(DateTimeOffset start, TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        if (_allTime)
            return ToZone(start + duration);

        var from = start.UtcTicks;
        var limit = LastTicks - from > Horizon.Ticks ? from + Horizon.Ticks : LastTicks;
        var remaining = duration.Ticks;
        foreach (var (pieceStart, pieceEnd) in Pieces(from, limit))
        {
            var length = pieceEnd - pieceStart;
            if (remaining <= length)
                return ToZone(new DateTimeOffset(pieceStart + remaining, TimeSpan.Zero));
            remaining -= length;
        }

        throw new BusinessCalendarException(
            $"The calendar has less than {duration} of business time in the {Horizon.TotalDays:0} days after {start:O}; are all its working days holidays?");
    }

    /// <inheritdoc/>
    public TimeSpan BusinessTimeBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
            return TimeSpan.Zero;
        if (_allTime)
            return to - from;

        long total = 0;
        foreach (var (pieceStart, pieceEnd) in Pieces(from.UtcTicks, Math.Min(to.UtcTicks, LastTicks)))
            total += pieceEnd - pieceStart;
        return TimeSpan.FromTicks(total);
    }

    /// <inheritdoc/>
    public bool IsBusinessTime(DateTimeOffset instant)
    {
        if (_allTime)
            return true;

        var local = TimeZoneInfo.ConvertTimeFromUtc(instant.UtcDateTime, _zone);
        var date = DateOnly.FromDateTime(local);
        if (_holidays.Contains(date))
            return false;

        var time = local.TimeOfDay;
        foreach (var (start, end) in _week[(int)date.DayOfWeek])
        {
            if (time >= start && time < end)
                return true;
        }

        return false;
    }

    /// <summary>
    /// Business time in [<paramref name="from"/>, <paramref name="to"/>) as ordered, disjoint (start, end) UTC ticks.
    /// Walks a week of instants at a time; in each, it collects the business instants of every local date that can
    /// reach into the week (one date of slack either side covers any real UTC-offset change), then sorts and clips.
    /// Sorting matters: after a fall-back at midnight the repeated hour belongs to the earlier date but comes later.
    /// </summary>
    private IEnumerable<(long Start, long End)> Pieces(long from, long to)
    {
        var buffer = new List<(long Start, long End)>();
        for (var windowStart = from; windowStart < to;)
        {
            var windowEnd = to - windowStart > WindowTicks ? windowStart + WindowTicks : to;
            buffer.Clear();
            var lastDate = LocalDate(windowEnd).AddDays(1);
            for (var date = LocalDate(windowStart).AddDays(-1); date <= lastDate; date = date.AddDays(1))
                AddDay(date, buffer);
            buffer.Sort();

            foreach (var (start, end) in buffer)
            {
                var clippedStart = Math.Max(start, windowStart);
                var clippedEnd = Math.Min(end, windowEnd);
                if (clippedStart < clippedEnd)
                    yield return (clippedStart, clippedEnd);
            }

            windowStart = windowEnd;
        }
    }

    /// <summary>Adds the instants at which the wall clock shows a working time of <paramref name="date"/>.</summary>
    private void AddDay(DateOnly date, List<(long Start, long End)> into)
    {
        if (_holidays.Contains(date))
            return;

        var midnight = date.ToDateTime(TimeOnly.MinValue);
        foreach (var (start, end) in _week[(int)date.DayOfWeek])
        {
            var opens = Resolve(midnight + start);
            var closes = Resolve(midnight + end);

            // Without a repeated hour at either end the wall clock moves forward through the interval once
            // (a gap or a repeated hour strictly inside it is simply real time missing or added).
            // With a boundary in the repeated hour, the clock passes it twice; leave out the stretch of the
            // second pass during which it shows a time outside the interval.
            switch (opens.Repeated, closes.Repeated)
            {
                case (false, false):
                    Add(into, opens.First, closes.First);
                    break;
                case (true, false):
                    Add(into, opens.First, opens.Transition);
                    Add(into, opens.Second, closes.First);
                    break;
                case (false, true):
                    Add(into, opens.First, closes.First);
                    Add(into, closes.Transition, closes.Second);
                    break;
                case (true, true):
                    Add(into, opens.First, closes.First);
                    Add(into, opens.Second, closes.Second);
                    break;
            }
        }
    }

    private static void Add(List<(long Start, long End)> into, long start, long end)
    {
        if (start < end)
            into.Add((start, end));
    }

    /// <summary>
    /// Where a local wall-clock time falls in real time. Usually one instant. In a spring-forward gap the time never
    /// shows; the answer is the moment of the change, the first instant at which the clock shows that time or later
    /// (so an interval starting or ending in the gap starts or ends there, and one wholly inside it is empty). In a
    /// fall-back overlap the time shows twice: <see cref="LocalTime.First"/> with the earlier (larger) offset,
    /// <see cref="LocalTime.Second"/> with the later one, and the <see cref="LocalTime.Transition"/> between them at which
    /// the clock was set back.
    /// </summary>
    private LocalTime Resolve(DateTime local)
    {
        if (_zone.IsInvalidTime(local))
        {
            var change = FirstInstantShowingAtLeast(local);
            return new LocalTime(change, change, change, Repeated: false);
        }

        if (_zone.IsAmbiguousTime(local))
        {
            var offsets = _zone.GetAmbiguousTimeOffsets(local);
            var first = local.Ticks - offsets.Max().Ticks;
            var second = local.Ticks - offsets.Min().Ticks;
            return new LocalTime(first, second, OffsetChange(first, second), Repeated: true);
        }

        var instant = TimeZoneInfo.ConvertTimeToUtc(local, _zone).Ticks;
        return new LocalTime(instant, instant, instant, Repeated: false);
    }

    /// <summary>
    /// The earliest instant at which the wall clock shows <paramref name="local"/> or later. The clock only runs
    /// backwards in a fall-back, and never past a time that is not itself repeated, so for a time in a gap the test is
    /// monotonic over the search range and a binary search finds the moment of the change to the tick.
    /// </summary>
    private long FirstInstantShowingAtLeast(DateTime local)
    {
        var target = local.Ticks;
        long low = target - SearchReachTicks, high = target + SearchReachTicks; // shows before target / at or after it
        while (high - low > 1)
        {
            var middle = low + ((high - low) / 2);
            if (middle + Offset(middle) >= target)
                high = middle;
            else
                low = middle;
        }

        return high;
    }

    /// <summary>The first instant in (<paramref name="before"/>, <paramref name="after"/>] with the offset in force at <paramref name="after"/>.</summary>
    private long OffsetChange(long before, long after)
    {
        var offsetAfter = Offset(after);
        while (after - before > 1)
        {
            var middle = before + ((after - before) / 2);
            if (Offset(middle) == offsetAfter)
                after = middle;
            else
                before = middle;
        }

        return after;
    }

    private long Offset(long utcTicks) => _zone.GetUtcOffset(new DateTime(utcTicks, DateTimeKind.Utc)).Ticks;

    private DateOnly LocalDate(long utcTicks) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(new DateTime(utcTicks, DateTimeKind.Utc), _zone));

    private DateTimeOffset ToZone(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, _zone);

    private static (TimeSpan Start, TimeSpan End)[] Merge(IEnumerable<WorkingInterval> intervals)
    {
        var merged = new List<(TimeSpan Start, TimeSpan End)>();
        foreach (var interval in intervals.OrderBy(i => i.Start))
        {
            var start = interval.Start.ToTimeSpan();
            var end = interval.EndOfDayTime;
            if (merged.Count > 0 && start <= merged[^1].End)
                merged[^1] = (merged[^1].Start, end > merged[^1].End ? end : merged[^1].End);
            else
                merged.Add((start, end));
        }

        return [.. merged];
    }

    /// <inheritdoc/>
    public bool Equals(BusinessCalendar? other) => other is not null && Definition.Equals(other.Definition);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as BusinessCalendar);

    /// <inheritdoc/>
    public override int GetHashCode() => Definition.GetHashCode();

    /// <inheritdoc/>
    public override string ToString() =>
        _allTime ? $"24×7 ({Definition.TimeZoneId})" : $"{string.Join(", ", Definition.WorkingHours)} ({Definition.TimeZoneId})";

    /// <summary>A wall-clock time in real time; see <see cref="Resolve"/>.</summary>
    private readonly record struct LocalTime(long First, long Second, long Transition, bool Repeated);
}
