using System.Globalization;
using ApprovalBot.Approvals.Api;

namespace ApprovalBot.Kpis.Api;

/// <summary>
/// KPIs as CSV (RFC 4180, the same field rules as the audit export, <see cref="AuditCsv.Field"/>): one row per report
/// (all agreements first, then each agreement) and figure. <c>value</c> is a number in <c>unit</c> (count, seconds of
/// business time, percent, rating), empty when there is none; <c>counted</c>/<c>excluded</c> are what the value rests
/// on and what it leaves out (for an SLA: decided and pending); <c>note</c> says why.
/// </summary>
internal static class KpiCsv
{
    public static readonly IReadOnlyList<string> Columns =
        ["agreementId", "agreement", "from", "to", "figure", "value", "unit", "counted", "excluded", "note"];

    public static string Write(KpisDto dto)
    {
        var text = new System.Text.StringBuilder(AuditCsv.Line(Columns));
        foreach (var report in new[] { dto.Overall }.Concat(dto.Agreements))
        {
            foreach (var row in Rows(report))
            {
                text.Append(AuditCsv.Line([
                    report.AgreementId is { } id ? id.ToString(CultureInfo.InvariantCulture) : null, report.Scope,
                    Instant(dto.Period.From), Instant(dto.Period.To), row.Figure, row.Value, row.Unit, Number(row.Counted), Number(row.Excluded), row.Note]));
            }
        }

        return text.ToString();
    }

    private sealed record Row(string Figure, string? Value, string Unit, int Counted, int Excluded, string Note);

    private static IEnumerable<Row> Rows(KpiReportDto r)
    {
        yield return new Row("opened", Number(r.Opened), "count", r.Opened, 0, "Escalations opened in the period.");
        foreach (var (priority, count) in r.OpenedByPriority)
            yield return new Row($"opened.{priority}", Number(count), "count", count, 0, $"Escalations of {priority} opened in the period.");
        foreach (var (name, f) in new[] { ("mtta", r.TimeToAcknowledge), ("mttr", r.TimeToResolve) })
        {
            yield return new Row($"{name}.median", Number(f.MedianSeconds), "seconds", f.Counted, f.Excluded, f.Note);
            yield return new Row($"{name}.p90", Number(f.P90Seconds), "seconds", f.Counted, f.Excluded, f.Note);
            yield return new Row($"{name}.mean", Number(f.MeanSeconds), "seconds", f.Counted, f.Excluded, f.Note);
        }

        foreach (var (name, f) in new[] { ("responseSla", r.ResponseSla), ("resolutionSla", r.ResolutionSla) })
            yield return new Row(name, Number(f.Percent), "percent", f.Met + f.Missed, f.Pending, $"{f.Met} met, {f.Missed} missed. {f.Note}");
        yield return new Row("csat", Number(r.Csat.Average), "rating", r.Csat.Count, 0, r.Csat.NotMeasured ?? r.Csat.Note);
        yield return new Row("cadenceCompliance", Number(r.CadenceCompliance.Percent), "percent", r.CadenceCompliance.Count, 0, r.CadenceCompliance.NotMeasured ?? r.CadenceCompliance.Note);
        yield return new Row("uptime", Number(r.Uptime.Percent), "percent", r.Uptime.Count, 0, r.Uptime.NotMeasured ?? r.Uptime.Note);
    }

    private static string? Number(long? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string? Number(double? value) => value?.ToString("0.0##", CultureInfo.InvariantCulture);

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
