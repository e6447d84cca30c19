using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using ApprovalBot.Dashboard.Charts;
using ApprovalBot.Domain.Kpis;
using ApprovalBot.Kpis.Api;
using ApprovalBot.Kpis.Cards;

namespace ApprovalBot.Dashboard;

/// <summary>
/// The dashboard's HTML, written on the server: no script, no inline style (the stylesheet is
/// <c>/dashboard/assets/dashboard.css</c>), every piece of user text HTML-encoded. Figures are worded as on the
/// <c>kpi</c> card (<see cref="KpiCardModel.Figures"/>) and carry the API's raw numbers in <c>data-*</c> attributes
/// (seconds, percent, rating), so the page and <c>GET /api/v1/kpis</c> can be compared.
/// </summary>
public static class DashboardPage
{
    public const string StylesheetPath = "/dashboard/assets/dashboard.css";
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    public static string Render(DashboardModel model, string viewer)
    {
        ArgumentNullException.ThrowIfNull(model);
        var input = model.Input;
        var scope = model.Kpis.Overall?.Scope ?? "KPI dashboard";
        var b = new StringBuilder();
        Head(b, $"KPIs · {scope}");
        b.Append("<main id=\"dashboard\">");
        b.Append("<header><h1>KPI dashboard</h1>");
        if (model.Kpis.Period is { } period)
            b.Append("<p class=\"subtitle\">").Append(E(scope)).Append(" · ").Append(E(Capitalised(period.Label))).Append("</p>");
        b.Append("</header>");
        Filters(b, model);

        if (model.Error is { } error)
        {
            b.Append("<p class=\"error\" role=\"alert\">").Append(E(error)).Append("</p>");
            if (!model.NotFound) b.Append("<p class=\"hint\">Periods: ").Append(E(KpiPeriod.Forms)).Append(".</p>");
        }
        else
        {
            Figures(b, model.Kpis.Overall!, "overall", scope);
            Trend(b, model);
            if (input.AgreementId is null) Agreements(b, model.Kpis.Agreements, input);
        }

        b.Append("<footer><p>");
        if (model.Kpis.Overall is { } overall)
            b.Append("Computed ").Append(E(Stamp(overall.ComputedAt, model.TimeZone))).Append(" (").Append(E(model.TimeZone.Id)).Append("). ");
        b.Append("Durations are business time. The same numbers: <code>GET /api/v1/kpis</code>. Viewing as ").Append(E(viewer)).Append(".</p></footer>");
        b.Append("</main></body></html>");
        return b.ToString();
    }

    /// <summary>The 401 page: what to do, no data.</summary>
    public static string Unauthorized(string reason)
    {
        var b = new StringBuilder();
        Head(b, "Sign-in needed · KPI dashboard");
        b.Append("<main id=\"dashboard\"><h1>Sign-in needed</h1><p class=\"error\" role=\"alert\">").Append(E(reason)).Append("</p>")
            .Append("<p>The KPI dashboard opens as the <b>Dashboard</b> tab of the ApprovalBot app in Microsoft Teams, which signs you in. ")
            .Append("Other systems send an API key with the read role (<code>X-Api-Key</code>). See docs/dashboard.md.</p></main></body></html>");
        return b.ToString();
    }

    /// <summary>A page with a message only (the tab shell's and the 400's); <paramref name="extraHead"/> is trusted markup (the tab's script tags).</summary>
    public static string Message(string title, string message, string? extraHead = null)
    {
        var b = new StringBuilder();
        Head(b, title, extraHead);
        b.Append("<main id=\"dashboard\"><h1>").Append(E(title)).Append("</h1><p id=\"status\" role=\"status\">").Append(E(message)).Append("</p></main>");
        b.Append("</body></html>");
        return b.ToString();
    }

    private static void Head(StringBuilder b, string title, string? extraHead = null) =>
        b.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"color-scheme\" content=\"light dark\">")
            .Append("<meta name=\"referrer\" content=\"no-referrer\">")
            .Append("<title>").Append(E(title)).Append("</title>")
            .Append("<link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"").Append(StylesheetPath).Append("\">")
            .Append(extraHead ?? string.Empty)
            .Append("</head><body>");

    private static void Filters(StringBuilder b, DashboardModel model)
    {
        var input = model.Input;
        b.Append("<form class=\"filters\" method=\"get\" action=\"/dashboard\">");
        b.Append("<label>Agreement <select name=\"agreement\"><option value=\"\">All agreements</option>");
        foreach (var a in model.Agreements)
        {
            b.Append("<option value=\"").Append(a.Id.ToString(CultureInfo.InvariantCulture)).Append('"')
                .Append(a.Id == input.AgreementId ? " selected" : string.Empty).Append('>')
                .Append(E(a.Name)).Append(a.Status == "Active" ? string.Empty : E($" ({a.Status})")).Append("</option>");
        }
        b.Append("</select></label>");
        b.Append("<label>Period <input name=\"period\" list=\"periods\" size=\"12\" value=\"")
            .Append(E(model.Kpis.Period?.Text ?? input.Period ?? KpiPeriod.Default)).Append("\"></label>");
        b.Append("<datalist id=\"periods\">");
        foreach (var p in new[] { "7d", "30d", "90d", "this month", "last month", "ytd", "last year" })
            b.Append("<option value=\"").Append(p).Append("\"></option>");
        b.Append("</datalist>");
        b.Append("<label>Trend <select name=\"trend\">")
            .Append("<option value=\"week\"").Append(input.Bucket == TrendBucket.Week ? " selected" : string.Empty).Append(">by week</option>")
            .Append("<option value=\"month\"").Append(input.Bucket == TrendBucket.Month ? " selected" : string.Empty).Append(">by month</option>")
            .Append("</select></label><button type=\"submit\">Show</button></form>");
    }

    private static void Figures(StringBuilder b, KpiReport report, string id, string scope)
    {
        var dto = report.ToDto();
        var rows = KpiCardModel.Figures(report);
        b.Append("<section class=\"figures\" aria-labelledby=\"").Append(id).Append("-h\" data-scope=\"").Append(E(id)).Append("\">");
        b.Append("<h2 id=\"").Append(id).Append("-h\">").Append(E(scope)).Append("</h2><dl class=\"cards\">");
        var attributes = new[]
        {
            Attr(("figure", "opened"), ("value", N(dto.Opened))),
            Attr(("figure", "mtta"), ("median", N(dto.TimeToAcknowledge.MedianSeconds)), ("p90", N(dto.TimeToAcknowledge.P90Seconds)), ("mean", N(dto.TimeToAcknowledge.MeanSeconds))),
            Attr(("figure", "mttr"), ("median", N(dto.TimeToResolve.MedianSeconds)), ("p90", N(dto.TimeToResolve.P90Seconds)), ("mean", N(dto.TimeToResolve.MeanSeconds))),
            Attr(("figure", "responseSla"), ("value", N(dto.ResponseSla.Percent))),
            Attr(("figure", "resolutionSla"), ("value", N(dto.ResolutionSla.Percent))),
            Attr(("figure", "csat"), ("value", N(dto.Csat.Average))),
            Attr(("figure", "cadenceCompliance"), ("value", N(dto.CadenceCompliance.Percent))),
            Attr(("figure", "uptime"), ("value", N(dto.Uptime.Percent))),
        };
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            b.Append("<div class=\"card").Append(row.Measured ? string.Empty : " unmeasured").Append('"').Append(attributes[i]).Append('>')
                .Append("<dt>").Append(E(row.Name)).Append("</dt>")
                .Append("<dd class=\"value\">").Append(E(row.Value)).Append("</dd>");
            if (row.Detail.Length > 0) b.Append("<dd class=\"detail\">").Append(E(row.Detail)).Append("</dd>");
            b.Append("<dd class=\"note\"><details><summary>What it counts</summary>").Append(E(row.Note)).Append("</details></dd></div>");
        }
        b.Append("</dl></section>");
    }

    private static void Trend(StringBuilder b, DashboardModel model)
    {
        var trend = model.Trend;
        if (trend.Count == 0) return;
        var unit = model.Input.Bucket == TrendBucket.Week ? "week" : "month";
        // Axis labels stay short for the narrow tab: "23 Nov*" for weeks; months by name, with the year on the first and on January.
        var labels = trend.Select((r, i) =>
        {
            var label = r.Period.Label.Replace(" (to date)", string.Empty, StringComparison.Ordinal);
            if (model.Input.Bucket == TrendBucket.Month && i > 0 && !r.Period.Text.EndsWith("-01", StringComparison.Ordinal)) label = label[..3];
            return r.Period.ToDate ? label + "*" : label;
        }).ToList();
        b.Append("<section class=\"trend\" aria-labelledby=\"trend-h\"><h2 id=\"trend-h\">Trend: the last ")
            .Append(trend.Count.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(unit).Append(trend.Count == 1 ? "" : "s")
            .Append("</h2><p class=\"hint\">Each ").Append(unit).Append(" counts the escalations opened in it, as they stand now; * is the current ")
            .Append(unit).Append(", to date. ").Append(E(model.Kpis.Overall!.Scope)).Append(".</p><div class=\"charts\">");

        foreach (var chart in DashboardCharts.For(trend, labels, unit))
        {
            b.Append("<figure class=\"chart-box\">").Append(SvgChart.Render(chart.Chart))
                .Append("<figcaption>").Append(E(chart.Chart.Title)).Append("</figcaption>")
                .Append("<details><summary>Data table</summary><div class=\"table-wrap\"><table><caption>").Append(E(chart.Chart.Title)).Append("</caption><thead><tr><th scope=\"col\">")
                .Append(Capitalised(unit)).Append("</th>");
            foreach (var s in chart.Chart.Series) b.Append("<th scope=\"col\">").Append(E(s.Name)).Append("</th>");
            b.Append("</tr></thead><tbody>");
            for (var i = 0; i < labels.Count; i++)
            {
                b.Append("<tr><th scope=\"row\">").Append(E(trend[i].Period.Label)).Append("</th>");
                foreach (var s in chart.Chart.Series)
                    b.Append("<td>").Append(s.Values[i] is { } v ? E(chart.Chart.Format(v)) : "–").Append("</td>");
                b.Append("</tr>");
            }
            b.Append("</tbody></table></div></details></figure>");
        }
        b.Append("</div></section>");
    }

    private static void Agreements(StringBuilder b, IReadOnlyList<KpiReport> reports, ShowDashboardInput input)
    {
        b.Append("<section class=\"agreements\" aria-labelledby=\"agreements-h\"><h2 id=\"agreements-h\">By agreement</h2>");
        if (reports.Count == 0)
        {
            b.Append("<p class=\"hint\">No Active agreement, and no escalation opened in the period.</p></section>");
            return;
        }
        b.Append("<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Agreement</th><th scope=\"col\">Opened</th><th scope=\"col\">MTTA median</th>")
            .Append("<th scope=\"col\">MTTR median</th><th scope=\"col\">Response SLA</th><th scope=\"col\">Resolution SLA</th><th scope=\"col\">CSAT</th>")
            .Append("<th scope=\"col\">Cadence</th><th scope=\"col\">Uptime</th></tr></thead><tbody>");
        foreach (var r in reports)
        {
            var link = $"/dashboard?agreement={r.AgreementId}&period={Uri.EscapeDataString(r.Period.Text)}&trend={(input.Bucket == TrendBucket.Week ? "week" : "month")}";
            b.Append("<tr data-agreement-id=\"").Append(N(r.AgreementId)).Append("\"><th scope=\"row\"><a href=\"").Append(E(link)).Append("\">").Append(E(r.Scope)).Append("</a></th>")
                .Append("<td>").Append(N(r.Opened)).Append("</td>")
                .Append("<td>").Append(r.TimeToAcknowledge.Median is { } a ? E(KpiCardModel.Span(a)) : "–").Append("</td>")
                .Append("<td>").Append(r.TimeToResolve.Median is { } m ? E(KpiCardModel.Span(m)) : "–").Append("</td>")
                .Append("<td>").Append(Pct(r.ResponseSla.Percent)).Append("</td>")
                .Append("<td>").Append(Pct(r.ResolutionSla.Percent)).Append("</td>")
                .Append("<td>").Append(r.Csat.Average is { } c ? c.ToString("0.0", CultureInfo.InvariantCulture) : "–").Append("</td>")
                .Append("<td>").Append(r.CadenceCompliance.Percent is { } cc ? Pct(cc) : E(r.CadenceCompliance.NotMeasured is null ? "–" : "not measured")).Append("</td>")
                .Append("<td>").Append(Pct(r.Uptime.Percent)).Append("</td></tr>");
        }
        b.Append("</tbody></table></div></section>");
    }

    private static string Attr(params (string Name, string? Value)[] data) =>
        string.Concat(data.Select(d => $" data-{d.Name}=\"{E(d.Value ?? string.Empty)}\""));

    private static string Pct(double? value) => value is { } v ? v.ToString("0.0##", CultureInfo.InvariantCulture) + " %" : "–";

    private static string? N(long? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string? N(double? value) => value?.ToString("0.0##", CultureInfo.InvariantCulture);

    private static string E(string text) => Html.Encode(text);

    private static string Stamp(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("d MMM yyyy HH:mm", CultureInfo.InvariantCulture);

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
