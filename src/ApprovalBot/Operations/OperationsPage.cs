using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace ApprovalBot.Operations;

/// <summary>
/// The operations page's HTML, written on the server as the dashboard's is: no script, no inline style (the stylesheet is
/// <c>/ops/assets/ops.css</c>), everything from the database HTML-encoded. It reloads itself (a meta refresh to
/// <c>/ops</c>, so a form's answer page never posts twice). Actions are forms that post back with the page's form token
/// (<see cref="OperationsForms"/>). Rows carry <c>data-*</c> attributes with the raw values, as on <c>GET /api/v1/ops</c>.
/// </summary>
public static class OperationsPage
{
    public const string StylesheetPath = OperationsModule.Path + "/assets/ops.css";

    /// <summary>The id of the element that holds the page (and every refusal): what the Teams tab replaces.</summary>
    public const string RootId = "ops";
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    /// <param name="flash">The answer to the action just taken, if any (with whether it was done).</param>
    public static string Render(OperationsSnapshot model, string viewer, string formToken, int refreshSeconds, (string Message, bool Done)? flash = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var b = new StringBuilder();
        Head(b, "Operations · ApprovalBot", refreshSeconds);
        b.Append("<main id=\"ops\" data-refresh=\"").Append(N(refreshSeconds)).Append("\"><header><h1>Operations</h1><p class=\"subtitle\">Instance <code>").Append(E(model.Instance))
            .Append("</code> · ").Append(E(Stamp(model.At))).Append(" UTC · reloads every ").Append(N(refreshSeconds)).Append(" s</p></header>");
        if (flash is { } f)
            b.Append("<p class=\"flash ").Append(f.Done ? "ok" : "error").Append("\" role=\"status\">").Append(E(f.Message)).Append("</p>");
        Health(b, model);
        Timers(b, model.Timers, formToken);
        Outbox(b, model.Outbox, formToken);
        Instances(b, model.Instances);
        Actions(b, model.RecentActions);
        b.Append("<footer><p>Times are UTC. The same data: <code>GET /api/v1/ops</code> (admin API key). Viewing as ")
            .Append(E(viewer)).Append(". See docs/operations.md.</p></footer></main></body></html>");
        return b.ToString();
    }

    /// <summary>The refusal page (401, 403, 503): why, what to do, no data.</summary>
    public static string Refused(string reason, int status)
    {
        var b = new StringBuilder();
        Head(b, status == 403 ? "Administrators only · Operations" : "Sign-in needed · Operations", refreshSeconds: null);
        b.Append("<main id=\"ops\"><h1>").Append(status == 403 ? "Administrators only" : "Sign-in needed").Append("</h1><p class=\"error\" role=\"alert\">")
            .Append(E(reason)).Append("</p><p>The operations page is for the people who run the bot: the <b>Operations</b> tab of the ApprovalBot app ")
            .Append("in Microsoft Teams, for someone listed in <code>Operations:Administrators</code>, or an API key with the admin role ")
            .Append("(<code>X-Api-Key</code>). See docs/operations.md.</p></main></body></html>");
        return b.ToString();
    }

    /// <summary>
    /// The Teams tab's shell (<c>/ops/tab</c>): no data, the stylesheet and <paramref name="scripts"/> (trusted markup: the
    /// tab's script tags), which sign in and put the page into <see cref="RootId"/>. No meta refresh: the tab reloads the
    /// page itself.
    /// </summary>
    public static string TabShell(string scripts)
    {
        var b = new StringBuilder();
        Head(b, "Operations · ApprovalBot", refreshSeconds: null, scripts);
        b.Append("<main id=\"").Append(RootId).Append("\"><h1>Operations</h1><p id=\"status\" role=\"status\">Loading…</p></main></body></html>");
        return b.ToString();
    }

    private static void Head(StringBuilder b, string title, int? refreshSeconds, string? scripts = null)
    {
        b.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"color-scheme\" content=\"light dark\">")
            .Append("<meta name=\"referrer\" content=\"no-referrer\">");
        if (refreshSeconds is { } s) b.Append("<meta http-equiv=\"refresh\" content=\"").Append(N(s)).Append("; url=").Append(OperationsModule.Path).Append("\">");
        b.Append("<title>").Append(E(title)).Append("</title>")
            .Append("<link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"").Append(StylesheetPath).Append("\">").Append(scripts).Append("</head><body>");
    }

    private static void Health(StringBuilder b, OperationsSnapshot model)
    {
        b.Append("<section aria-labelledby=\"health-h\"><h2 id=\"health-h\">Health</h2><dl class=\"cards\">");
        foreach (var h in model.Health)
        {
            b.Append("<div class=\"card ").Append(h.Status == "Healthy" ? "good" : "bad").Append("\" data-health=\"").Append(E(h.Name)).Append("\" data-status=\"").Append(E(h.Status)).Append("\">")
                .Append("<dt>").Append(E(h.Name)).Append("</dt><dd class=\"value\">").Append(E(h.Status)).Append("</dd>");
            if (!string.IsNullOrEmpty(h.Description)) b.Append("<dd class=\"detail\">").Append(E(h.Description)).Append("</dd>");
            b.Append("</div>");
        }
        b.Append("</dl></section>");
    }

    private static void Timers(StringBuilder b, TimersView t, string token)
    {
        b.Append("<section aria-labelledby=\"timers-h\"><h2 id=\"timers-h\">Timers</h2><dl class=\"cards\">")
            .Append(Card("Armed", N(t.Total), "timers-armed"))
            .Append(Card("Failed", N(t.Failed.Count), "timers-failed", t.Failed.Count > 0))
            .Append(Card("Fired here since start", N(t.FiredSinceStart), "timers-fired"))
            .Append(Card("Misfired here since start", N(t.MisfiredSinceStart), "timers-misfired", t.MisfiredSinceStart > 0))
            .Append("</dl>");

        b.Append("<h3>Armed by kind</h3>");
        Table(b, ["Kind", "What it does", "Armed", "In retry"], t.Armed, k =>
            $"<tr data-kind=\"{E(k.Kind)}\" data-armed=\"{N(k.Armed)}\"><th scope=\"row\"><code>{E(k.Kind)}</code></th><td class=\"wrap\">{E(k.Description)}</td><td>{N(k.Armed)}</td><td>{N(k.InRetry)}</td></tr>");

        b.Append("<h3 id=\"failed\">Failed</h3>");
        if (t.Failed.Count == 0) b.Append("<p class=\"hint\">No timer is failing.</p>");
        else
        {
            Table(b, ["Timer", "Error", "Attempt", "Failed", "Next retry", ""], t.Failed, f =>
                $"<tr data-failed-timer=\"{E(f.Kind)}/{E(f.SubjectId)}\" data-attempt=\"{N(f.Attempt)}\"><th scope=\"row\">{Subject(f.Kind, f.SubjectId, f.Label)}</th>"
                + $"<td class=\"wrap\"><code>{E(f.ErrorType)}</code><br>{E(f.Error)}</td>"
                + $"<td>{N(f.Attempt)} ({N(f.Failures)} in a row)</td><td>{E(Stamp(f.FailedAt))}<br><span class=\"hint\">{E(f.Instance)}</span></td>"
                + $"<td>{(f.NextRetryAt is { } next ? E(Stamp(next)) : "none left")}{(f.RetriedAt is { } r ? $"<br><span class=\"hint\">retry asked {E(Stamp(r))} by {E(f.RetriedBy ?? "")}</span>" : "")}</td>"
                + $"<td class=\"actions\">{(f.NextRetryAt is null
                    ? Form($"{OperationsModule.Path}/timers/dismiss", "Dismiss", token, danger: true, ("kind", f.Kind), ("subject", f.SubjectId))
                    : Form($"{OperationsModule.Path}/timers/retry", "Retry now", token, ("kind", f.Kind), ("subject", f.SubjectId)))}</td></tr>");
        }

        b.Append("<h3>Next ").Append(N(ShowOperations.NextDueCount)).Append(" due</h3>");
        if (t.NextDue.Count == 0) b.Append("<p class=\"hint\">No timer is armed.</p>");
        else
            Table(b, ["Due", "Timer", "Retry"], t.NextDue, d =>
                $"<tr data-due-timer=\"{E(d.Kind)}/{E(d.SubjectId)}\"><td>{E(Stamp(d.DueAt))}</td><td>{Subject(d.Kind, d.SubjectId, d.Label)}</td><td>{(d.RetryAttempt > 0 ? N(d.RetryAttempt) : "–")}</td></tr>");

        b.Append("<h3>Recent fires (this instance)</h3>");
        if (t.RecentFires.Count == 0) b.Append("<p class=\"hint\">No timer has fired on this instance since it started.</p>");
        else
            Table(b, ["Fired", "Timer", "Late", "Ran", "Outcome"], t.RecentFires.Take(ShowOperations.ListCount).ToList(), f =>
                $"<tr data-fired-timer=\"{E(f.Kind)}/{E(f.SubjectId)}\" data-lateness-ms=\"{F(f.LatenessMs)}\"><td>{E(Stamp(f.FiredAt))}</td><td><code>{E(f.Kind)}</code> {E(f.SubjectId)}</td>"
                + $"<td>{E(Ms(f.LatenessMs))}</td><td>{E(Ms(f.DurationMs))}</td><td class=\"wrap\">{(f.Succeeded ? "ok" : "<span class=\"bad-text\">failed</span> " + E(f.Error ?? ""))}</td></tr>");

        b.Append("<h3>Misfires (this instance)</h3>");
        if (t.Misfires.Count == 0) b.Append("<p class=\"hint\">No misfire since this instance started.</p>");
        else
            Table(b, ["Noticed", "Timer", "Was due"], t.Misfires.Take(ShowOperations.ListCount).ToList(), m =>
                $"<tr><td>{E(Stamp(m.NoticedAt))}</td><td><code>{E(m.Kind)}</code> {E(m.SubjectId)}</td><td>{(m.ScheduledFor is { } s ? E(Stamp(s)) : "–")}</td></tr>");
        b.Append("</section>");
    }

    private static void Outbox(StringBuilder b, OutboxView o, string token)
    {
        b.Append("<section aria-labelledby=\"outbox-h\"><h2 id=\"outbox-h\">Outbox</h2><dl class=\"cards\">")
            .Append(Card("Pending", N(o.Pending), "outbox-pending"))
            .Append(Card("In retry", N(o.InRetryCount), "outbox-retrying", o.InRetryCount > 0))
            .Append(Card("Given up", N(o.GivenUpCount), "outbox-given-up", o.GivenUpCount > 0))
            .Append(Card("Oldest pending since", o.OldestPendingSince is { } oldest ? Stamp(oldest) : "–", "outbox-oldest"))
            .Append("</dl>");

        if (o.Sends.Count > 0)
        {
            b.Append("<h3>Sends in progress</h3><div class=\"sends\">");
            foreach (var s in o.Sends)
            {
                b.Append("<div class=\"send card\" data-send=\"").Append(E(s.Batch)).Append("\" data-sent=\"").Append(N(s.Sent)).Append("\" data-total=\"").Append(N(s.Total))
                    .Append("\" data-rate=\"").Append(s.RatePerSecond is { } rr ? F(rr) : "").Append("\" data-seconds-left=\"").Append(s.SecondsLeft is { } sl ? F(sl) : "").Append("\">")
                    .Append("<p><b>").Append(E(s.Label)).Append("</b></p>")
                    .Append("<progress max=\"").Append(N(s.Total)).Append("\" value=\"").Append(N(s.Total - s.Pending)).Append("\">")
                    .Append(N(s.Sent)).Append(" / ").Append(N(s.Total)).Append("</progress>")
                    .Append("<p>").Append(N(s.Sent)).Append(" / ").Append(N(s.Total)).Append(" sent");
                if (s.GivenUp > 0) b.Append(", ").Append(N(s.GivenUp)).Append(" given up");
                b.Append(" · ").Append(s.RatePerSecond is { } rate ? E(rate.ToString("0.0", CultureInfo.InvariantCulture)) + " a second" : "rate not known yet")
                    .Append(" · ").Append(s.SecondsLeft is { } left ? "about " + E(Duration(left)) + " left" : "time left not known yet").Append("</p></div>");
            }
            b.Append("</div>");
        }

        b.Append("<h3>In retry</h3>");
        if (o.InRetry.Count == 0) b.Append("<p class=\"hint\">No message is waiting for another attempt.</p>");
        else
            Table(b, ["Message", "Attempts", "Next attempt", "Last result"], o.InRetry, m =>
                $"<tr data-outbox-id=\"{N(m.Id)}\"><th scope=\"row\">{Message(m)}</th><td>{N(m.Attempts)}</td><td>{E(Stamp(m.NextAttemptAt))}</td><td class=\"wrap\">{E(m.LastResult ?? "")}{(m.LastError is null ? "" : "<br><span class=\"hint\">" + E(m.LastError) + "</span>")}</td></tr>");

        b.Append("<h3 id=\"given-up\">Given up</h3>");
        if (o.GivenUp.Count == 0) b.Append("<p class=\"hint\">No message was given up.</p>");
        else
            Table(b, ["Message", "Attempts", "Given up", "Why", ""], o.GivenUp, m =>
                $"<tr data-given-up=\"{N(m.Id)}\"><th scope=\"row\">{Message(m)}</th><td>{N(m.Attempts)}</td><td>{(m.CompletedAt is { } at ? E(Stamp(at)) : "–")}</td>"
                + $"<td class=\"wrap\">{E(m.LastResult ?? "")}{(m.LastError is null ? "" : "<br><span class=\"hint\">" + E(m.LastError) + "</span>")}</td>"
                + $"<td class=\"actions\">{Form($"{OperationsModule.Path}/outbox/{N(m.Id)}/retry", "Retry", token)}{Form($"{OperationsModule.Path}/outbox/{N(m.Id)}/discard", "Discard", token, danger: true)}</td></tr>");
        b.Append("</section>");
    }

    private static void Instances(StringBuilder b, IReadOnlyList<InstanceView> instances)
    {
        b.Append("<section aria-labelledby=\"instances-h\"><h2 id=\"instances-h\">Instances</h2>");
        Table(b, ["Instance", "Version", "Scheduler", "Last check-in", "Started"], instances, i =>
            $"<tr data-instance=\"{E(i.InstanceId)}\"><th scope=\"row\"><code>{E(i.InstanceId)}</code>{(i.Current ? " <span class=\"hint\">(this one)</span>" : "")}{(i.Machine is null ? "" : "<br><span class=\"hint\">" + E(i.Machine) + "</span>")}</th>"
            + $"<td class=\"wrap\">{E(i.Version ?? "not recorded")}</td><td>{E(i.SchedulerState)}</td>"
            + $"<td>{(i.SchedulerCheckIn is { } c ? "scheduler " + E(Stamp(c)) : "scheduler not clustered")}{(i.LastSeenAt is { } seen ? "<br>bot " + E(Stamp(seen)) : "")}</td>"
            + $"<td>{(i.StartedAt is { } st ? E(Stamp(st)) : "–")}</td></tr>");
        b.Append("</section>");
    }

    private static void Actions(StringBuilder b, IReadOnlyList<AuditView> actions)
    {
        b.Append("<section aria-labelledby=\"actions-h\"><h2 id=\"actions-h\">Recent operator actions</h2>");
        if (actions.Count == 0) b.Append("<p class=\"hint\">None yet.</p>");
        else
            Table(b, ["When", "Who", "What", "Result"], actions, a =>
                $"<tr data-action=\"{E(a.Action)}\" data-target=\"{E(a.Target)}\"><td>{E(Stamp(a.At))}</td><td class=\"wrap\">{E(a.Actor)}</td><td><code>{E(a.Action)}</code> {E(a.Target)}</td><td class=\"wrap\">{E(a.Outcome)}: {E(a.Detail ?? "")}</td></tr>");
        b.Append("</section>");
    }

    private static void Table<T>(StringBuilder b, string[] headings, IReadOnlyList<T> rows, Func<T, string> row)
    {
        b.Append("<div class=\"table-wrap\"><table><thead><tr>");
        foreach (var h in headings) b.Append("<th scope=\"col\">").Append(E(h)).Append("</th>");
        b.Append("</tr></thead><tbody>");
        foreach (var r in rows) b.Append(row(r));
        b.Append("</tbody></table></div>");
    }

    private static string Card(string name, string value, string id, bool alert = false) =>
        $"<div class=\"card{(alert ? " bad" : "")}\" data-figure=\"{id}\"><dt>{E(name)}</dt><dd class=\"value\">{E(value)}</dd></div>";

    private static string Form(string action, string label, string token, params (string Name, string Value)[] fields) => Form(action, label, token, false, fields);

    private static string Form(string action, string label, string token, bool danger, params (string Name, string Value)[] fields)
    {
        var b = new StringBuilder("<form method=\"post\" action=\"").Append(E(action)).Append("\"><input type=\"hidden\" name=\"").Append(OperationsForms.FieldName)
            .Append("\" value=\"").Append(E(token)).Append("\">");
        foreach (var (name, value) in fields) b.Append("<input type=\"hidden\" name=\"").Append(E(name)).Append("\" value=\"").Append(E(value)).Append("\">");
        return b.Append("<button type=\"submit\"").Append(danger ? " class=\"danger\"" : "").Append('>').Append(E(label)).Append("</button></form>").ToString();
    }

    private static string Subject(string kind, string subject, string? label) =>
        $"<code>{E(kind)}</code> {E(subject)}{(label is null ? "" : "<br><span class=\"hint\">" + E(label) + "</span>")}";

    private static string Message(OutboxEntry m) =>
        $"#{N(m.Id)} {E(m.Operation)}{(m.CardSubject is null ? "" : " <code>" + E(m.CardSubject) + "</code>")}<br><span class=\"hint\">staged {E(Stamp(m.CreatedAt))}</span>";

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Ms(double ms) => ms < 1000 ? ms.ToString("0", CultureInfo.InvariantCulture) + " ms" : (ms / 1000).ToString("0.0", CultureInfo.InvariantCulture) + " s";

    private static string Duration(double seconds) => seconds switch
    {
        < 90 => seconds.ToString("0", CultureInfo.InvariantCulture) + " s",
        < 5400 => (seconds / 60).ToString("0", CultureInfo.InvariantCulture) + " min",
        _ => (seconds / 3600).ToString("0.0", CultureInfo.InvariantCulture) + " h",
    };

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string E(string text) => Html.Encode(text);
}
