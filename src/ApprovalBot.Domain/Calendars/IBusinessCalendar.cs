namespace ApprovalBot.Domain.Calendars;

/// <summary>
/// Time as an agreement counts it: working hours in a time zone, minus weekends and holidays (or all the time, 24×7).
/// SLA due times and clocks of approvals and escalations are computed on one of these.
/// </summary>
public interface IBusinessCalendar
{
    /// <summary>The instant at which <paramref name="duration"/> of business time has passed since <paramref name="start"/>.</summary>
    DateTimeOffset AddBusinessTime(DateTimeOffset start, TimeSpan duration);

    /// <summary>Business time between two instants (zero when <paramref name="to"/> is not after <paramref name="from"/>).</summary>
    TimeSpan BusinessTimeBetween(DateTimeOffset from, DateTimeOffset to);

    /// <summary>True when <paramref name="instant"/> falls inside business time.</summary>
    bool IsBusinessTime(DateTimeOffset instant);
}
