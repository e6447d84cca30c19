using ApprovalBot.Domain.Calendars;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Approvals;

/// <summary>The time and the business calendar approver SLAs run on (from <see cref="ApprovalsOptions"/>).</summary>
public sealed class ApprovalClock
{
    private readonly TimeProvider _time;

    public ApprovalClock(TimeProvider time, IOptions<ApprovalsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        var o = options.Value;
        Calendar = o.TwentyFourSeven
            ? BusinessCalendar.TwentyFourSeven(o.TimeZone)
            : BusinessCalendar.Weekdays(o.TimeZone, TimeOnly.FromTimeSpan(o.WorkDayStart), TimeOnly.FromTimeSpan(o.WorkDayEnd));
        TimeZone = TimeZoneInfo.FindSystemTimeZoneById(o.TimeZone);
    }

    public IBusinessCalendar Calendar { get; }

    /// <summary>The organisation's time zone: used for people whose own time zone the directory does not know.</summary>
    public TimeZoneInfo TimeZone { get; }

    public DateTimeOffset Now => _time.GetUtcNow();
}
