using System.Globalization;
using System.Text.RegularExpressions;
using ApprovalBot.TestSupport.Processes;

namespace ApprovalBot.Benchmarks.Harness;

/// <summary>
/// A durable timer fire as the bot logs it: "Timer {Kind}/{Subject} fired (due {DueAt:o}, late {LatenessMs} ms)"
/// (DurableTimerJob, event 3000), written after the handler finished. <see cref="LatenessMs"/> is the bot's own
/// "job started − due"; <see cref="LoggedAt"/> − due also covers the handler (the change committed).
/// </summary>
internal sealed partial record TimerFire(string Kind, string Subject, DateTimeOffset DueAt, double LatenessMs, DateTimeOffset? LoggedAt)
{
    public const string Category = "ApprovalBot.Scheduling.DurableTimerJob";
    public const int EventId = 3000;

    public static TimerFire? TryParse(BotLogLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (!line.Is(Category, EventId) || line.Message is null) return null;
        var match = DuePattern().Match(line.Message);
        if (!match.Success) return null;
        return new TimerFire(
            line.StateValue("Kind") ?? "",
            line.StateValue("Subject") ?? "",
            DateTimeOffset.Parse(match.Groups["due"].Value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            double.Parse(line.StateValue("LatenessMs") ?? "NaN", CultureInfo.InvariantCulture),
            line.Timestamp);
    }

    [GeneratedRegex(@"\(due (?<due>\S+), late ")]
    private static partial Regex DuePattern();
}

/// <summary>What the benchmark reads from the bot's process and log.</summary>
internal static class BotProbe
{
    /// <summary>"Re-armed {Count} escalation timer(s) …" (EscalationTimerAuditor, event 4111): the start-up audit finished.</summary>
    public static bool IsEscalationsRearmed(BotLogLine line) => line.Is("ApprovalBot.Escalations.EscalationTimerAuditor", 4111);

    /// <summary>
    /// CPU time (user + system) the process has used so far, from /proc/&lt;pid&gt;/stat (fields 14 and 15, in clock
    /// ticks of 10 ms, the Linux USER_HZ); null when unreadable. Unlike wall time it hardly depends on what else runs.
    /// </summary>
    public static TimeSpan? CpuTime(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/stat");
            // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromMilliseconds(ticks * 10);
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Resident set size of the process in MB (VmRSS of /proc/&lt;pid&gt;/status), NaN when unreadable.</summary>
    public static double ResidentMegabytes(int processId)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
                var kilobytes = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return kilobytes / 1024.0;
            }
        }
        catch (IOException)
        {
        }
        return double.NaN;
    }
}
