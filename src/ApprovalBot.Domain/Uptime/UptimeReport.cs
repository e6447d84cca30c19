using System.Globalization;
using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Uptime;

/// <summary>
/// The measured availability of an agreement's service (or of the agreement as a whole when <see cref="Service"/> is
/// null) over the period [<see cref="From"/>, <see cref="To"/>), as the provider or a monitoring system reported it
/// through the API: a percentage from 0 to 100 with at most 3 decimals (99.95 = 99.95 %). The period is in UTC, at most
/// <see cref="MaxDays"/> days long and over by the time it is reported. Reports are facts, never edited.
/// </summary>
public sealed class UptimeReport
{
    public const int MaxDays = 366;
    public const int MaxServiceLength = 200;
    public const int MaxNoteLength = 2000;
    public const int MaxReporterLength = 200;

    private UptimeReport()
    {
        ReportedBy = string.Empty;
    }

    public long Id { get; private set; }

    public long AgreementId { get; private set; }

    /// <summary>The service measured (trimmed); null: the agreement as a whole.</summary>
    public string? Service { get; private set; }

    public DateTimeOffset From { get; private set; }

    public DateTimeOffset To { get; private set; }

    /// <summary>Availability over the period, 0–100, at most 3 decimals.</summary>
    public double Percent { get; private set; }

    public string? Note { get; private set; }

    /// <summary>The name of the API key that reported it.</summary>
    public string ReportedBy { get; private set; }

    public DateTimeOffset ReportedAt { get; private set; }

    /// <summary>A valid report, or a <see cref="DomainException"/> for the first rule broken (the checks below, in order).</summary>
    public static UptimeReport Create(long agreementId, DateTimeOffset from, DateTimeOffset to, double percent, string? service, string? note, string reportedBy, DateTimeOffset now)
    {
        CheckPeriod(from, to, now);
        CheckPercent(percent);
        var name = CheckService(service);
        var text = CheckNote(note);
        if (string.IsNullOrWhiteSpace(reportedBy) || reportedBy.Trim().Length > MaxReporterLength)
            throw new DomainException("uptime.reporter", $"Who reported it is required (at most {MaxReporterLength} characters).");
        return new UptimeReport
        {
            AgreementId = agreementId,
            From = from.ToUniversalTime(),
            To = to.ToUniversalTime(),
            Percent = percent,
            Service = name,
            Note = text,
            ReportedBy = reportedBy.Trim(),
            ReportedAt = now.ToUniversalTime(),
        };
    }

    /// <summary>to after from, at most <see cref="MaxDays"/> days, and over at <paramref name="now"/> (code <c>uptime.period</c>).</summary>
    public static void CheckPeriod(DateTimeOffset from, DateTimeOffset to, DateTimeOffset now)
    {
        if (to <= from) throw new DomainException("uptime.period", "The period must end after it starts (to after from).");
        if (to - from > TimeSpan.FromDays(MaxDays)) throw new DomainException("uptime.period", $"The period can be at most {MaxDays} days long.");
        if (to > now) throw new DomainException("uptime.period", "The period must be over: uptime is reported for time that has passed (to at or before now).");
    }

    /// <summary>0–100 with at most 3 decimals (code <c>uptime.percent</c>).</summary>
    public static void CheckPercent(double percent)
    {
        if (!double.IsFinite(percent) || percent < 0 || percent > 100)
            throw new DomainException("uptime.percent", "The uptime must be a percentage from 0 to 100.");
        if (Math.Round(percent, 3) != percent)
            throw new DomainException("uptime.percent", string.Create(CultureInfo.InvariantCulture, $"The uptime can have at most 3 decimals ({percent} has more)."));
    }

    /// <summary>The service name trimmed, null when blank; at most <see cref="MaxServiceLength"/> characters (code <c>uptime.service</c>).</summary>
    public static string? CheckService(string? service)
    {
        var name = string.IsNullOrWhiteSpace(service) ? null : service.Trim();
        if (name?.Length > MaxServiceLength) throw new DomainException("uptime.service", $"The service name can be at most {MaxServiceLength} characters.");
        return name;
    }

    /// <summary>The note trimmed, null when blank; at most <see cref="MaxNoteLength"/> characters (code <c>uptime.note</c>).</summary>
    public static string? CheckNote(string? note)
    {
        var text = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (text?.Length > MaxNoteLength) throw new DomainException("uptime.note", $"The note can be at most {MaxNoteLength} characters.");
        return text;
    }

    /// <summary>Whether this report is about the same service as <paramref name="other"/> (names compared ignoring case) and their periods overlap.</summary>
    public bool Overlaps(UptimeReport other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.AgreementId == AgreementId
            && string.Equals(other.Service, Service, StringComparison.OrdinalIgnoreCase)
            && other.From < To && From < other.To;
    }
}
