using Microsoft.Extensions.Options;

namespace ApprovalBot.Agreements.Signing;

/// <summary>
/// The signing meeting (section <c>Agreements:Signing:Meeting</c>, <see cref="SigningOptions.Meeting"/>): the calendar
/// that holds it in Graph mode, its default length, the reminders before it, and how a failed calendar call is retried.
/// </summary>
public sealed class SigningMeetingOptions
{
    public const string Section = "Agreements:Signing:Meeting";

    public static readonly IReadOnlyList<TimeSpan> DefaultReminderLeadTimes = [TimeSpan.FromHours(24), TimeSpan.FromHours(1)];

    /// <summary>
    /// Whose calendar the meeting is created in (UPN or Entra object id) when the directory is Microsoft Graph
    /// (<c>Directory:Source=Graph</c>). Empty: no calendar event; the time and attendees are recorded and the signatories
    /// told in chat (as in file-directory mode, where this is ignored).
    /// </summary>
    public string Organizer { get; set; } = string.Empty;

    /// <summary>The length of a meeting when the command or the API gives none (5 minutes to 12 hours).</summary>
    public TimeSpan DefaultDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long before the start each reminder goes to the attendees (e.g. <c>1.00:00:00</c> and <c>01:00:00</c>); null
    /// or empty: 24 h and 1 h. Each from 1 minute to 30 days. Whole days keep the wall-clock time across a clock change.
    /// (Null by default because the configuration binder appends to an array it finds.)
    /// </summary>
    public TimeSpan[]? ReminderLeadTimes { get; set; }

    /// <summary>The wait before the first retry of a failed calendar call, doubled per failure up to <see cref="CalendarMaxRetryDelay"/>.</summary>
    public TimeSpan CalendarRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest wait between calendar retries (it keeps retrying: the meeting is recorded either way).</summary>
    public TimeSpan CalendarMaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The lead times in force: <see cref="ReminderLeadTimes"/>, or the defaults when unset.</summary>
    public IReadOnlyList<TimeSpan> EffectiveLeadTimes() => ReminderLeadTimes is { Length: > 0 } leads ? leads : DefaultReminderLeadTimes;

    /// <summary>The wait after <paramref name="failures"/> failed calendar calls in a row.</summary>
    public TimeSpan RetryDelay(int failures)
    {
        var delay = CalendarRetryDelay;
        for (var i = 1; i < failures && delay < CalendarMaxRetryDelay; i++) delay += delay;
        return delay < CalendarMaxRetryDelay ? delay : CalendarMaxRetryDelay;
    }
}

/// <summary>Start-up checks of <c>Agreements:Signing:Meeting</c>, with messages that name the keys to fix.</summary>
internal sealed class SigningMeetingOptionsValidator : IValidateOptions<SigningOptions>
{
    private const string S = SigningMeetingOptions.Section + ":";

    public ValidateOptionsResult Validate(string? name, SigningOptions signing)
    {
        var options = signing.Meeting ?? new SigningMeetingOptions();
        var errors = new List<string>();
        if (options.DefaultDuration < Domain.Agreements.SigningMeeting.MinDuration || options.DefaultDuration > Domain.Agreements.SigningMeeting.MaxDuration
            || options.DefaultDuration.Ticks % TimeSpan.TicksPerMinute != 0)
            errors.Add($"{S}DefaultDuration must be whole minutes from 00:05:00 to 12:00:00; it is {options.DefaultDuration}.");
        if (options.ReminderLeadTimes is { } leads && leads.Any(l => l < TimeSpan.FromMinutes(1) || l > TimeSpan.FromDays(30)))
            errors.Add($"{S}ReminderLeadTimes must each be from 00:01:00 to 30.00:00:00; they are {string.Join(", ", leads)}.");
        if (options.CalendarRetryDelay < TimeSpan.FromSeconds(1) || options.CalendarRetryDelay > TimeSpan.FromHours(1))
            errors.Add($"{S}CalendarRetryDelay must be from 00:00:01 to 01:00:00; it is {options.CalendarRetryDelay}.");
        if (options.CalendarMaxRetryDelay < options.CalendarRetryDelay || options.CalendarMaxRetryDelay > TimeSpan.FromDays(1))
            errors.Add($"{S}CalendarMaxRetryDelay must be from CalendarRetryDelay to 1.00:00:00; it is {options.CalendarMaxRetryDelay}.");
        if ((options.Organizer ?? "").Trim() is { Length: > 0 } organizer && organizer.Any(char.IsWhiteSpace))
            errors.Add($"{S}Organizer '{organizer}' must be a UPN or an Entra object id (no spaces).");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
