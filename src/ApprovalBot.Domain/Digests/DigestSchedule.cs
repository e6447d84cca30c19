using System.Globalization;
using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Digests;

/// <summary>How often a digest subscription delivers.</summary>
public enum DigestFrequency
{
    Daily,
    Weekly,
}

/// <summary>
/// When a subscription's digest is due, in the recipient's local time: every day at <see cref="At"/>, or every week on
/// <see cref="Day"/> at <see cref="At"/> (minutes only). <see cref="Cron"/> is the five-field cron expression the host
/// evaluates in the recipient's time zone (the host owns the time-zone database and the DST rules).
/// </summary>
public sealed record DigestSchedule
{
    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    public DigestSchedule(DigestFrequency frequency, DayOfWeek? day, TimeOnly at)
    {
        Guard.That(Enum.IsDefined(frequency), "digest.schedule", "A digest is daily or weekly.");
        Guard.That(frequency == DigestFrequency.Weekly ? day is not null && Enum.IsDefined(day.Value) : day is null, "digest.schedule",
            "A weekly digest has a day of the week; a daily one has none.");
        Guard.That(at.Second == 0 && at.Millisecond == 0 && at.Microsecond == 0, "digest.schedule", "A digest time is whole minutes (HH:MM).");
        Frequency = frequency;
        Day = day;
        At = at;
    }

    public DigestFrequency Frequency { get; }

    /// <summary>The day of a weekly digest; null for a daily one.</summary>
    public DayOfWeek? Day { get; }

    /// <summary>The local time of day, whole minutes.</summary>
    public TimeOnly At { get; }

    /// <summary>"30 8 * * *" (daily at 08:30) or "0 9 * * 1" (Mondays at 09:00): minute hour day-of-month month day-of-week.</summary>
    public string Cron => string.Create(CultureInfo.InvariantCulture,
        $"{At.Minute} {At.Hour} * * {(Day is { } d ? ((int)d).ToString(CultureInfo.InvariantCulture) : "*")}");

    /// <summary>"daily at 08:00" or "weekly on Monday at 09:00".</summary>
    public string Describe() => Frequency == DigestFrequency.Daily
        ? $"daily at {Time(At)}"
        : $"weekly on {Day} at {Time(At)}";

    /// <summary>"08:00".</summary>
    public static string Time(TimeOnly at) => at.ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads <c>daily HH:MM</c> or <c>weekly DAY HH:MM</c> (DAY: mon…sun or the full English name, any case; HH:MM on
    /// the 24-hour clock, 0:00 to 23:59). Bad input throws a <see cref="DomainException"/> (code <c>digest.schedule</c>)
    /// whose message names what is wrong.
    /// </summary>
    public static DigestSchedule Parse(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        if (words.Count == 0) throw Problem("Say how often: daily (digest daily 08:00) or weekly (digest weekly mon 09:00).");
        var how = words[0].ToLowerInvariant();
        var args = words.Skip(1).ToList();
        switch (how)
        {
            case "daily":
                if (args.Count == 0) throw Problem("'daily' needs a time of day, e.g. digest daily 08:00.");
                if (args.Count > 1) throw Problem($"'daily' takes one time of day, not '{string.Join(' ', args)}' (e.g. digest daily 08:00).");
                return new DigestSchedule(DigestFrequency.Daily, null, ParseTime(args[0]));
            case "weekly":
                if (args.Count == 0) throw Problem("'weekly' needs a day and a time of day, e.g. digest weekly mon 09:00.");
                if (args.Count == 1)
                {
                    if (TryParseDay(args[0], out _)) throw Problem($"'weekly {args[0]}' needs a time of day too, e.g. digest weekly {args[0]} 09:00.");
                    if (LooksLikeTime(args[0]))
                    {
                        var bad = TryParseTime(args[0], out _) ? "" : $" ('{args[0]}' is not a time of day either: {TimeRule})";
                        throw Problem($"'weekly' needs a day before the time, e.g. digest weekly mon 09:00{bad}.");
                    }
                    throw Problem($"'{args[0]}' is not a day of the week ({DayRule}).");
                }
                if (args.Count > 2) throw Problem($"'weekly' takes a day and a time of day, not '{string.Join(' ', args)}' (e.g. digest weekly mon 09:00).");
                if (!TryParseDay(args[0], out var day))
                {
                    var alsoTime = TryParseTime(args[1], out _) ? "" : $"; and '{args[1]}' is not a time of day: {TimeRule}";
                    throw Problem($"'{args[0]}' is not a day of the week ({DayRule}){alsoTime}.");
                }
                return new DigestSchedule(DigestFrequency.Weekly, day, ParseTime(args[1]));
            default:
                throw Problem($"'{words[0]}' is not a frequency: say daily or weekly.");
        }
    }

    private const string TimeRule = "use the 24-hour clock, HH:MM from 00:00 to 23:59";
    private const string DayRule = "mon, tue, wed, thu, fri, sat or sun";

    private static TimeOnly ParseTime(string text) =>
        TryParseTime(text, out var at) ? at : throw Problem($"'{text}' is not a time of day: {TimeRule}.");

    private static bool TryParseTime(string text, out TimeOnly at)
    {
        at = default;
        var parts = text.Split(':');
        if (parts.Length != 2 || parts[0].Length is < 1 or > 2 || parts[1].Length != 2
            || !parts.All(p => p.All(char.IsAsciiDigit))) return false;
        var hour = int.Parse(parts[0], CultureInfo.InvariantCulture);
        var minute = int.Parse(parts[1], CultureInfo.InvariantCulture);
        if (hour > 23 || minute > 59) return false;
        at = new TimeOnly(hour, minute);
        return true;
    }

    private static bool LooksLikeTime(string text) => text.Length > 0 && (char.IsAsciiDigit(text[0]) || text.Contains(':', StringComparison.Ordinal));

    private static bool TryParseDay(string text, out DayOfWeek day)
    {
        var lower = text.ToLowerInvariant();
        for (var i = 0; i < DayNames.Length; i++)
        {
            var full = ((DayOfWeek)i).ToString().ToLowerInvariant();
            if (lower == DayNames[i] || lower == full)
            {
                day = (DayOfWeek)i;
                return true;
            }
        }
        day = default;
        return false;
    }

    private static DomainException Problem(string message) => new("digest.schedule", message);
}
