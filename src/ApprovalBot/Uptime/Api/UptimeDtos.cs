using ApprovalBot.Domain.Uptime;

namespace ApprovalBot.Uptime.Api;

/// <summary>An uptime report as the API shows it: instants in UTC, percent 0–100.</summary>
public sealed record UptimeReportDto(
    long Id, long AgreementId, string? Service, DateTimeOffset From, DateTimeOffset To, double Percent, string? Note,
    string ReportedBy, DateTimeOffset ReportedAt);

/// <summary>An agreement's uptime reports overlapping the period asked, oldest period first.</summary>
public sealed record UptimeListDto(long AgreementId, DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<UptimeReportDto> Items);

internal static class UptimeDtoMapping
{
    public static UptimeReportDto ToDto(this UptimeReport r) =>
        new(r.Id, r.AgreementId, r.Service, r.From.ToUniversalTime(), r.To.ToUniversalTime(), r.Percent, r.Note, r.ReportedBy, r.ReportedAt.ToUniversalTime());
}
