using System.Globalization;
using System.Text.RegularExpressions;
using ApprovalBot.TestSupport.Processes;

namespace ApprovalBot.IntegrationTests.Scheduling;

/// <summary>
/// The bot's "Timer {Kind}/{Subject} fired (due {DueAt:o}, late {LatenessMs} ms)" entry (DurableTimerJob, EventId 3000).
/// Event ids are unique across the bot (LogEventIdTests), but the category is checked too, as a reader of logs would. The due
/// time comes from the message (the <c>o</c> format keeps milliseconds; the JSON state's DueAt does not).
/// </summary>
internal sealed partial record TimerFireLog(string Kind, string Subject, DateTimeOffset DueAt, double LatenessMs)
{
    public const string Category = "ApprovalBot.Scheduling.DurableTimerJob";
    public const int EventId = 3000;

    public static TimerFireLog? TryParse(BotLogLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (!line.Is(Category, EventId) || line.Message is null)
            return null;
        var match = DuePattern().Match(line.Message);
        if (!match.Success)
            return null;
        return new TimerFireLog(
            line.StateValue("Kind") ?? "",
            line.StateValue("Subject") ?? "",
            DateTimeOffset.Parse(match.Groups["due"].Value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            double.Parse(line.StateValue("LatenessMs") ?? "NaN", CultureInfo.InvariantCulture));
    }

    /// <summary>The fires of (kind, subject) for exactly this deadline (the timer layer stores deadlines to the millisecond).</summary>
    public static List<TimerFireLog> For(IEnumerable<BotLogLine> lines, string kind, string subject, DateTimeOffset dueAt)
    {
        var due = ToMilliseconds(dueAt);
        return lines.Select(TryParse).OfType<TimerFireLog>()
            .Where(f => f.Kind == kind && f.Subject == subject && f.DueAt == due)
            .ToList();
    }

    public static DateTimeOffset ToMilliseconds(DateTimeOffset instant) => DateTimeOffset.FromUnixTimeMilliseconds(instant.ToUnixTimeMilliseconds());

    [GeneratedRegex(@"\(due (?<due>\S+), late ")]
    private static partial Regex DuePattern();
}
