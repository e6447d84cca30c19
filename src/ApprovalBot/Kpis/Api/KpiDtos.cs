using ApprovalBot.Domain.Kpis;

namespace ApprovalBot.Kpis.Api;

/// <summary>The answer of <c>GET /api/v1/kpis</c>: the period, the report for the scope asked, and for all agreements one per agreement.</summary>
public sealed record KpisDto(KpiPeriodDto Period, DateTimeOffset ComputedAt, KpiReportDto Overall, IReadOnlyList<KpiReportDto> Agreements);

/// <summary>[from, to) in UTC; <c>text</c> is the period's canonical words, <c>toDate</c> that it ends now, not at its natural end.</summary>
public sealed record KpiPeriodDto(string Text, string Label, DateTimeOffset From, DateTimeOffset To, bool ToDate, string TimeZone);

/// <summary>One report; <c>agreementId</c> is null for all agreements together. Durations are seconds of business time.</summary>
public sealed record KpiReportDto(
    long? AgreementId,
    string Scope,
    int Opened,
    IReadOnlyDictionary<string, int> OpenedByPriority,
    DurationFigureDto TimeToAcknowledge,
    DurationFigureDto TimeToResolve,
    ComplianceFigureDto ResponseSla,
    ComplianceFigureDto ResolutionSla,
    AverageFigure Csat,
    PercentFigure CadenceCompliance,
    PercentFigure Uptime);

/// <summary>Median and p90 (nearest-rank) and mean, in whole seconds of business time; null when nothing was counted.</summary>
public sealed record DurationFigureDto(int Counted, int Excluded, long? MedianSeconds, long? P90Seconds, long? MeanSeconds, string Note);

/// <summary>met ÷ (met + missed) × 100, one decimal; null when nothing is decided. Pending ones are excluded.</summary>
public sealed record ComplianceFigureDto(int Met, int Missed, int Pending, double? Percent, string Note);

internal static class KpiDtoMapping
{
    public static KpisDto ToDto(this KpiResult result, TimeZoneInfo zone)
    {
        var period = result.Period!;
        return new KpisDto(
            new KpiPeriodDto(period.Text, period.Label, period.From.ToUniversalTime(), period.To.ToUniversalTime(), period.ToDate, zone.Id),
            result.Overall!.ComputedAt.ToUniversalTime(),
            result.Overall.ToDto(),
            [.. result.Agreements.Select(a => a.ToDto())]);
    }

    public static KpiReportDto ToDto(this KpiReport r) => new(
        r.AgreementId, r.Scope, r.Opened, r.OpenedByPriority.ToDictionary(p => p.Priority.ToString(), p => p.Count),
        r.TimeToAcknowledge.ToDto(), r.TimeToResolve.ToDto(), r.ResponseSla.ToDto(), r.ResolutionSla.ToDto(), r.Csat, r.CadenceCompliance, r.Uptime);

    public static long? Seconds(TimeSpan? span) => span is { } s ? (long)Math.Round(s.TotalSeconds, MidpointRounding.AwayFromZero) : null;

    private static DurationFigureDto ToDto(this DurationFigure f) => new(f.Counted, f.Excluded, Seconds(f.Median), Seconds(f.P90), Seconds(f.Mean), f.Note);

    private static ComplianceFigureDto ToDto(this ComplianceFigure f) => new(f.Met, f.Missed, f.Pending, f.Percent, f.Note);
}
