using System.Globalization;
using System.Text.Json.Nodes;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;
using ApprovalBot.Teams.Cards;

namespace ApprovalBot.Agreements.Cards;

/// <summary>What the agreement card shows, and for whom: the buttons depend on what the viewer may do.</summary>
/// <param name="Agreement">The agreement, as saved.</param>
/// <param name="NameOf">Display names of people (oversight owners, contacts, deciders).</param>
/// <param name="CanSubmit">Show Submit (the viewer may submit and the current revision can be submitted).</param>
/// <param name="CanEdit">Show Edit (the viewer may revise it and its status allows that).</param>
/// <param name="ApprovalRequestId">The approval request of the current revision, when there is one.</param>
/// <param name="Error">An error line at the top, for example why a submission was refused.</param>
/// <param name="Notice">A confirmation line at the top, for example "Saved as a draft."</param>
public sealed record AgreementCardContext(Agreement Agreement, Func<PersonId, string> NameOf, bool CanSubmit, bool CanEdit, long? ApprovalRequestId, string? Error = null, string? Notice = null);

/// <summary>Renders the agreement form and the agreement card.</summary>
public sealed class AgreementCards(CardRenderer renderer)
{
    /// <summary>How many earlier revisions the card lists (newest first); older ones are counted.</summary>
    public const int EarlierRevisionsShown = 5;

    /// <summary>Decision comments of earlier revisions are shortened to this many characters on the card.</summary>
    public const int EarlierCommentLength = 300;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// One section of the agreement form: empty, prefilled (<see cref="AgreementForm.FromTerms"/>), or again with the
    /// previous values and their <paramref name="errors"/> (field id → message) under the fields and
    /// <paramref name="error"/> at the top; <paramref name="problems"/> lists what a submission still needs, by section.
    /// Without <paramref name="agreementId"/> its buttons create a draft; with it, they revise that agreement.
    /// </summary>
    public JsonObject RenderForm(
        AgreementFormValues? values = null,
        IReadOnlyDictionary<string, string>? errors = null,
        string? error = null,
        long? agreementId = null,
        int? revision = null,
        AgreementFormSection section = AgreementFormSection.Basics,
        IReadOnlyList<AgreementFormProblem>? problems = null,
        string? notice = null) =>
        renderer.Render(CardTemplates.AgreementForm, AgreementFormCardData.Create(values, errors, error, agreementId, revision, section, problems, notice));

    /// <summary>The agreement card: its status, current revision's terms, what is missing, and the buttons the viewer may use.</summary>
    public JsonObject Render(AgreementCardContext context) =>
        renderer.Render(CardTemplates.Agreement, Data(context));

    /// <summary>The card's data for <paramref name="context"/>.</summary>
    public static AgreementCardData Data(AgreementCardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var agreement = context.Agreement;
        var nameOf = context.NameOf;
        var terms = agreement.Terms;
        var current = agreement.CurrentRevision;
        var (statusDetail, comment) = StatusDetail(agreement, nameOf);
        var earlier = agreement.Revisions.Where(r => r.Number != current.Number).OrderByDescending(r => r.Number).ToList();

        return new AgreementCardData(
            agreement.Id,
            current.Number,
            agreement.Name,
            StatusText(agreement.Status),
            ToneOf(agreement.Status),
            statusDetail,
            comment,
            context.ApprovalRequestId,
            context.Error,
            context.Notice,
            terms.ProviderName,
            Term(terms.StartDate, terms.EndDate),
            terms.Services is { } services ? ServicesText(services) : null,
            terms.Coverage is { } coverage ? CoverageText(coverage) : null,
            terms.Pricing is { } pricing ? string.Create(Invariant, $"{PricingText(pricing.Structure)}, {pricing.Amount:#,0.##} {pricing.Currency}") : null,
            terms.TerminationNotice is { } notice ? Period(notice) : null,
            terms.OversightOwners.Count > 0 ? string.Join(", ", terms.OversightOwners.Select(nameOf)) : null,
            [.. (terms.ServiceLevels?.Targets ?? []).Select(t => new AgreementSlaRow(t.Priority.ToString(), Duration(t.Response), Duration(t.Resolution), t.AroundTheClock ? "24×7" : "Business hours"))],
            [.. (terms.Escalation?.Levels ?? []).Select(l => new AgreementEscalationRow(l.Level.ToString(), l.Description, Contacts(l.Contacts, nameOf)))],
            [.. terms.Problems().Select(p => p.Message).Distinct()],
            [.. earlier.Take(EarlierRevisionsShown).Select(r => RevisionLine(r, nameOf))],
            earlier.Count > EarlierRevisionsShown ? $"{earlier.Count - EarlierRevisionsShown} older revisions are not listed." : null,
            context.CanSubmit,
            context.CanEdit,
            [.. terms.AdditionalServices.Select(a => string.Create(Invariant, $"{a.Name}: {a.Price:#,0.##}{(terms.Pricing is { } p ? " " + p.Currency : string.Empty)}"))],
            [.. terms.Responsibilities?.Ours ?? []],
            [.. terms.Responsibilities?.Provider ?? []],
            [.. terms.SupportConstraints],
            terms.CommunicationPlan is { } plan ? Plan(plan, nameOf) : null,
            terms.Kpis is { } kpis ? KpisText(kpis) : null,
            terms.DataProtection is { } dp
                ? new AgreementDataProtectionData(
                    string.Join("; ", dp.OurContacts.Select(c => Contact(c, nameOf))),
                    string.Join("; ", dp.ProviderContacts.Select(c => Contact(c, nameOf))),
                    $"{Hours(dp.NotificationDeadline)} after a breach is reported")
                : null,
            NegotiationText(agreement, nameOf));
    }

    /// <summary>
    /// Where the negotiation with the provider stands for the revision the card is about (the signed-off one once in
    /// force): with the provider, "Pending further negotiation" (the provider asked for changes; with their comment),
    /// or "Agreed upon &lt;date&gt; by &lt;name&gt;"; null when it never went to the provider.
    /// </summary>
    internal static string? NegotiationText(Agreement agreement, Func<PersonId, string> nameOf)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(nameOf);
        if (agreement.OpenNegotiationRound is { } open)
            return $"With the provider since {Day(open.SentAt)}: negotiation round {open.Number} waits for them to accept revision {open.Revision} or ask for changes.";
        var revision = agreement.Status is AgreementStatus.Active or AgreementStatus.Expired or AgreementStatus.Terminated && !agreement.RenewalPending
            && agreement.ActiveRevisionNumber is { } active ? active : agreement.CurrentRevision.Number;
        if (agreement.AgreedUpon(revision) is { DecidedBy: { } by, DecidedAt: { } at })
            return $"Agreed upon {Day(at)} by {nameOf(by)}.";
        if (agreement.PendingFurtherNegotiation(revision) is { DecidedBy: { } asker, DecidedAt: { } asked } round)
        {
            var comment = round.Comment is { Length: > EarlierCommentLength } text ? text[..(EarlierCommentLength - 1)] + "…" : round.Comment;
            return $"Pending further negotiation: {nameOf(asker)} asked for changes for the provider on {Day(asked)}: \u201c{comment}\u201d";
        }
        return null;
    }

    private static string Contact(ContactPoint c, Func<PersonId, string> nameOf)
    {
        var reach = new[] { c.Person is { } p ? nameOf(p) : null, c.Email, c.Phone }.Where(x => !string.IsNullOrWhiteSpace(x) && x != c.Name);
        var role = c.Role is null ? string.Empty : $" ({c.Role})";
        var how = string.Join(", ", reach);
        return how.Length == 0 ? c.Name + role : $"{c.Name}{role}: {how}";
    }

    private static AgreementPlanData Plan(CommunicationPlan plan, Func<PersonId, string> nameOf)
    {
        var destination = plan.UpdatesGoTo.Kind == UpdateDestinationKind.Channel
            ? "to a Teams channel"
            : $"to {(plan.UpdatesGoTo.Person is { } person ? nameOf(person) : "?")} in a 1:1 chat";
        return new AgreementPlanData(
            string.Join("; ", plan.OurContacts.Select(c => Contact(c, nameOf))),
            string.Join("; ", plan.ProviderContacts.Select(c => Contact(c, nameOf))),
            $"{Cadence(plan.UpdateCadence)}, {destination}",
            plan.ReviewCadence is { } review ? Cadence(review) : null);
    }

    /// <summary>A schedule in words for the usual shapes (daily, weekly on days, monthly on a day); else its cron fields.</summary>
    internal static string Cadence(RecurringSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var f = schedule.Cron.Split(' ');
        var zone = $" ({schedule.TimeZoneId})";
        if (!int.TryParse(f[0], NumberStyles.None, Invariant, out var minute) || !int.TryParse(f[1], NumberStyles.None, Invariant, out var hour) || minute > 59 || hour > 23)
            return $"Cron {schedule.Cron}{zone}";
        var at = string.Create(Invariant, $"{hour:00}:{minute:00}");
        return (f[2], f[3], f[4]) switch
        {
            ("*" or "?", "*", "*" or "?") => $"Daily at {at}{zone}",
            ("*" or "?", "*", var days) => $"Every {Days(days)} at {at}{zone}",
            (var day, "*", "*" or "?") when int.TryParse(day, NumberStyles.None, Invariant, out var d) => string.Create(Invariant, $"Monthly on day {d} at {at}{zone}"),
            _ => $"Cron {schedule.Cron}{zone}",
        };
    }

    private static string Days(string days) => string.Join(", ", days.Split(',').Select(d => d.ToUpperInvariant() switch
    {
        "MON" or "1" => "Monday",
        "TUE" or "2" => "Tuesday",
        "WED" or "3" => "Wednesday",
        "THU" or "4" => "Thursday",
        "FRI" or "5" => "Friday",
        "SAT" or "6" => "Saturday",
        "SUN" or "0" or "7" => "Sunday",
        "MON-FRI" or "1-5" => "weekday",
        var other => other,
    }));

    private static string KpisText(KpiPlan plan)
    {
        var kpis = plan.Kpis.Select(k => k.Target is { } target ? string.Create(Invariant, $"{KpiText(k.Kind)} (target {target:0.##})") : KpiText(k.Kind));
        return $"{string.Join(", ", kpis)}; reported {plan.Frequency.ToString().ToLowerInvariant()}";
    }

    internal static string KpiText(KpiKind kind) => kind switch
    {
        KpiKind.ResponseTime => "Response time",
        KpiKind.ResolutionTime => "Resolution time",
        KpiKind.CustomerSatisfaction => "Customer satisfaction",
        KpiKind.IncidentCount => "Number of incidents",
        KpiKind.UptimePercentage => "Uptime %",
        KpiKind.CadenceCompliance => "Updates on time %",
        _ => kind.ToString(),
    };

    internal static string StatusText(AgreementStatus status) => status switch
    {
        AgreementStatus.Draft => "Draft",
        AgreementStatus.InApproval => "In approval",
        AgreementStatus.AwaitingSignatures => "Awaiting signatures",
        AgreementStatus.ChangesRequested => "Changes requested",
        AgreementStatus.Rejected => "Rejected",
        AgreementStatus.Active => "Active",
        AgreementStatus.Expired => "Expired",
        AgreementStatus.Terminated => "Terminated",
        _ => status.ToString(),
    };

    internal static string ServiceText(ServiceKind kind) => kind switch
    {
        ServiceKind.DataBackupAndRecovery => "Data backup and recovery",
        ServiceKind.NetworkSetupAndMaintenance => "Network setup and maintenance",
        ServiceKind.HardwareTroubleshooting => "Hardware troubleshooting",
        ServiceKind.SoftwareInstallationAndUpgrades => "Software installation and upgrades",
        ServiceKind.HelpDesk => "Help desk",
        ServiceKind.Other => "Other",
        _ => kind.ToString(),
    };

    internal static string CoverageText(SupportCoverage coverage) => coverage switch
    {
        SupportCoverage.Hardware => "Hardware",
        SupportCoverage.Software => "Software",
        SupportCoverage.Both => "Hardware and software",
        _ => coverage.ToString(),
    };

    internal static string PricingText(PricingStructure structure) => structure switch
    {
        PricingStructure.Hourly => "Hourly",
        PricingStructure.MonthlyRetainer => "Monthly retainer",
        PricingStructure.PerProject => "Per project",
        _ => structure.ToString(),
    };

    /// <summary>A deadline in whole hours as the form takes it (<c>72 hours</c>); else as <see cref="Duration"/>.</summary>
    private static string Hours(TimeSpan span) =>
        span.Ticks % TimeSpan.TicksPerHour == 0 && span > TimeSpan.Zero
            ? string.Create(Invariant, $"{(long)span.TotalHours} hour{(span == TimeSpan.FromHours(1) ? string.Empty : "s")}")
            : Duration(span);

    /// <summary>A target as people say it: <c>15 min</c>, <c>4 h</c>, <c>1 h 30 min</c>, <c>5 d</c>.</summary>
    internal static string Duration(TimeSpan span)
    {
        var parts = new List<string>(3);
        if (span.Days > 0) parts.Add(string.Create(Invariant, $"{span.Days} d"));
        if (span.Hours > 0) parts.Add(string.Create(Invariant, $"{span.Hours} h"));
        if (span.Minutes > 0) parts.Add(string.Create(Invariant, $"{span.Minutes} min"));
        if (parts.Count == 0) parts.Add(string.Create(Invariant, $"{Math.Max(span.Seconds, 0)} s"));
        return string.Join(' ', parts);
    }

    private static NoticeTone ToneOf(AgreementStatus status) => status switch
    {
        AgreementStatus.Active => NoticeTone.Good,
        AgreementStatus.ChangesRequested or AgreementStatus.AwaitingSignatures => NoticeTone.Warning,
        AgreementStatus.Rejected or AgreementStatus.Terminated => NoticeTone.Attention,
        _ => NoticeTone.Default,
    };

    private static (string? Detail, string? Comment) StatusDetail(Agreement agreement, Func<PersonId, string> nameOf)
    {
        var current = agreement.CurrentRevision;
        return agreement.Status switch
        {
            AgreementStatus.Draft when agreement.Revisions.Count > 1 => ($"Revision {current.Number} is a draft; it has not been submitted.", null),
            AgreementStatus.Draft => ("Not submitted yet.", null),
            AgreementStatus.InApproval when current.SubmittedAt is { } at => ($"Revision {current.Number} was submitted on {Day(at)}.", null),
            AgreementStatus.ChangesRequested or AgreementStatus.Rejected when current.Decision is { } d =>
                ($"{Outcome(current.Outcome)} by {Decider(d.DecidedBy, d.OnBehalfOf, nameOf)} on {Day(d.At)}.", Blank(d.Comment)),
            AgreementStatus.ChangesRequested => ("An approver asked for changes; edit the agreement and submit it again.", null),
            AgreementStatus.Active when agreement.TerminationEffectiveAt is { } end =>
                ($"Terminated by {(agreement.TerminatedBy is { } by ? nameOf(by) : "?")} with effect from {Day(TermDates.LocalDate(end, TermSchedule.ZoneOf(agreement.TermsInForce!, TimeZoneInfo.Utc)))}.", agreement.TerminationReason),
            AgreementStatus.Active when agreement.RenewalInApproval =>
                ($"Active; the renewal (revision {current.Number}, the next term) is in approval since {Day(current.SubmittedAt ?? agreement.TermChoiceAt ?? default)}.", null),
            AgreementStatus.Active when agreement.TermChoice == TermChoice.LetExpire && agreement.TermsInForce?.EndDate is { } last =>
                ($"Active; left to expire after {last.ToString("yyyy-MM-dd", Invariant)}.", null),
            AgreementStatus.Active when agreement.ActivatedAt is { } at =>
                (agreement.Revisions.Single(r => r.Number == agreement.ActiveRevisionNumber).Decision is { } d ? $"Signed off by {Decider(d.DecidedBy, d.OnBehalfOf, nameOf)} on {Day(at)}." : $"Signed off on {Day(at)}.", null),
            AgreementStatus.Expired when agreement.ExpiredAt is { } at => ($"Expired on {Day(at)}.", null),
            AgreementStatus.Terminated when agreement.TerminatedAt is { } at =>
                ($"Terminated{(agreement.TerminatedBy is { } by ? $" by {nameOf(by)}" : string.Empty)} on {Day(at)}.", agreement.TerminationReason),
            _ => (null, null),
        };
    }

    private static AgreementRevisionLine RevisionLine(AgreementRevision revision, Func<PersonId, string> nameOf)
    {
        var summary = revision.Decision is { } d
            ? $"Revision {revision.Number}: {Outcome(revision.Outcome).ToLowerInvariant()} by {Decider(d.DecidedBy, d.OnBehalfOf, nameOf)} on {Day(d.At)}"
            : revision.Outcome is { } outcome && revision.OutcomeAt is { } at
                ? $"Revision {revision.Number}: {Outcome(outcome).ToLowerInvariant()} on {Day(at)}"
                : $"Revision {revision.Number}: not decided";
        var comment = Blank(revision.Decision?.Comment);
        if (comment is { Length: > EarlierCommentLength })
        {
            comment = comment[..(EarlierCommentLength - 1)] + "…";
        }

        return new AgreementRevisionLine(summary, comment);
    }

    private static string Outcome(RevisionOutcome? outcome) => outcome switch
    {
        RevisionOutcome.Approved => "Approved",
        RevisionOutcome.ChangesRequested => "Changes requested",
        RevisionOutcome.Rejected => "Rejected",
        _ => "Decided",
    };

    private static string Decider(PersonId decidedBy, PersonId? onBehalfOf, Func<PersonId, string> nameOf) =>
        onBehalfOf is { } original ? $"{nameOf(decidedBy)} for {nameOf(original)}" : nameOf(decidedBy);

    private static string Contacts(EscalationContacts contacts, Func<PersonId, string> nameOf)
    {
        var parts = contacts.People.Select(nameOf).ToList();
        if (contacts.ChannelId is not null) parts.Add("Teams channel");
        return string.Join(", ", parts);
    }

    private static string? Term(DateOnly? start, DateOnly? end) => (start, end) switch
    {
        ({ } s, { } e) when e > s && Months(s, e) is { } months => string.Create(Invariant, $"{Day(s)} to {Day(e)} ({months} month{(months == 1 ? string.Empty : "s")})"),
        ({ } s, { } e) => $"{Day(s)} to {Day(e)}",
        ({ } s, null) => $"From {Day(s)}; end date not given",
        (null, { } e) => $"Until {Day(e)}; start date not given",
        _ => null,
    };

    /// <summary>The term's length in whole months when it is that (start + n months − 1 day = end), else null.</summary>
    private static int? Months(DateOnly start, DateOnly end)
    {
        for (var n = 1; n <= 120; n++)
        {
            var last = TermDates.EndOf(start, new CalendarPeriod(n, PeriodUnit.Months));
            if (last == end) return n;
            if (last > end) return null;
        }

        return null;
    }

    private static string ServicesText(ServicesInScope services) =>
        string.Join(", ", services.Kinds.Select(k => k == ServiceKind.Other && services.OtherDescription is { } other ? $"Other: {other}" : ServiceText(k)));

    private static string Period(CalendarPeriod period)
    {
        var unit = period.Unit switch
        {
            PeriodUnit.Days => "day",
            PeriodUnit.Weeks => "week",
            _ => "month",
        };
        return string.Create(Invariant, $"{period.Count} {unit}{(period.Count == 1 ? string.Empty : "s")}");
    }

    private static string Day(DateOnly date) => date.ToString(AgreementForm.DateFormat, Invariant);

    private static string Day(DateTimeOffset at) => at.ToString(AgreementForm.DateFormat, Invariant);

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
