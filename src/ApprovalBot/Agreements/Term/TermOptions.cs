using ApprovalBot.Approvals;
using ApprovalBot.Domain.Agreements;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Agreements.Term;

/// <summary>The end of an agreement's term: notice-deadline reminders and renewal. Section <c>Agreements:Term</c>.</summary>
public sealed class TermOptions
{
    public const string SectionName = "Agreements:Term";

    public static readonly IReadOnlyList<int> DefaultReminderLeadDays = [30, 14, 7];

    /// <summary>
    /// Days before the notice date on which the oversight owners get the Renew / Let expire / Terminate card; null or
    /// empty: 30, 14 and 7. Each 1–366. (Null by default because the configuration binder appends to an array it finds.)
    /// </summary>
    public int[]? ReminderLeadDays { get; set; }

    /// <summary>The local time of day (in the agreement's time zone) at which a reminder is sent.</summary>
    public TimeSpan ReminderTimeOfDay { get; set; } = TimeSpan.FromHours(9);

    /// <summary>The approval flow a renewal goes through (a name from the flows file); null or empty: the agreement flow.</summary>
    public string? RenewalFlow { get; set; }

    /// <summary>The lead days in force: <see cref="ReminderLeadDays"/>, or the defaults when it is unset.</summary>
    public IReadOnlyList<int> EffectiveLeadDays() => ReminderLeadDays is { Length: > 0 } days ? days : DefaultReminderLeadDays;
}

/// <summary>The time, and the term policy the options make (lead times, time of day, the organisation's time zone for terms without a calendar).</summary>
public sealed class TermClock(TimeProvider time, IOptions<TermOptions> options, ApprovalClock clock)
{
    public TermPolicy Policy { get; } = new(
        [.. (options ?? throw new ArgumentNullException(nameof(options))).Value.EffectiveLeadDays()],
        TimeOnly.FromTimeSpan(options.Value.ReminderTimeOfDay),
        (clock ?? throw new ArgumentNullException(nameof(clock))).TimeZone);

    /// <summary>The organisation's time zone (ApprovalsOptions.TimeZone).</summary>
    public TimeZoneInfo Zone => Policy.FallbackZone;

    public DateTimeOffset Now => time.GetUtcNow();
}
