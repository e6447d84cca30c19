using ApprovalBot.Approvals;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Calendars;
using ApprovalBot.Domain.Common;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Agreements;

/// <summary>
/// The terms a chat-drafted agreement starts from, the defaults the drafting form shows and the base for what it does
/// not ask: common response and resolution targets, the oversight owners as escalation contacts at every level, a
/// three-month notice period (and the standard termination reasons), the standard responsibilities of each party, a
/// weekly update from the provider's contact to the first oversight owner and a monthly review (once the provider's
/// contact is known), the usual KPIs, the organisation's working hours, and the data-protection contacts (the
/// oversight owners and the provider's contact) with a 72-hour breach notification deadline. Every one of them can be
/// changed in the form (its steps) or through the REST API before the agreement is submitted.
/// </summary>
public sealed class StandardTerms(IOptions<ApprovalsOptions> options)
{
    /// <summary>The accepted termination reasons a chat-drafted agreement starts with.</summary>
    public static readonly IReadOnlyList<string> StandardTerminationReasons =
    [
        "Material breach",
        "Repeated SLA breaches",
        "Provider insolvency",
        "Change of control of the provider",
        "Data-protection breach",
    ];

    /// <summary>The breach notification deadline a chat-drafted agreement starts with (GDPR Art. 33's 72 hours).</summary>
    public static readonly TimeSpan StandardBreachNotificationDeadline = TimeSpan.FromHours(72);

    /// <summary>The responsibilities a chat-drafted agreement starts with (one duty each side at least, as submission needs).</summary>
    public static readonly Responsibilities StandardResponsibilities = new(
        [
            "Give the provider access to the hardware and software in scope, and keep its inventory current",
            "Report incidents through the agreed channels with the priority and the facts known",
        ],
        [
            "Troubleshoot, repair or replace the hardware in scope",
            "Install, configure and upgrade the software in scope, including security patches",
        ]);

    public AgreementTerms For(IReadOnlyList<PersonId> oversightOwners, string? providerName, string? providerContactEmail = null)
    {
        ArgumentNullException.ThrowIfNull(oversightOwners);
        var o = options.Value;
        var zone = o.TimeZone;
        var owners = oversightOwners.Count > 0 ? oversightOwners : [];
        var contacts = new EscalationContacts(owners);
        return new AgreementTerms
        {
            OversightOwners = owners,
            Responsibilities = StandardResponsibilities,
            ServiceLevels = new ServiceLevelTargets(
            [
                new PriorityTarget(Priority.P1, TimeSpan.FromMinutes(15), TimeSpan.FromHours(4), aroundTheClock: true),
                new PriorityTarget(Priority.P2, TimeSpan.FromHours(1), TimeSpan.FromHours(8)),
                new PriorityTarget(Priority.P3, TimeSpan.FromHours(4), TimeSpan.FromDays(2)),
                new PriorityTarget(Priority.P4, TimeSpan.FromHours(8), TimeSpan.FromDays(5)),
            ]),
            Escalation = owners.Count == 0 ? null : new EscalationProcedure(
            [
                new EscalationLevel(SupportLevel.L1, contacts, "First-line support"),
                new EscalationLevel(SupportLevel.L2, contacts, "Technical support"),
                new EscalationLevel(SupportLevel.L3, contacts, "Management"),
            ]),
            TerminationNotice = new CalendarPeriod(3, PeriodUnit.Months),
            TerminationReasons = StandardTerminationReasons,
            CommunicationPlan = owners.Count == 0 || string.IsNullOrWhiteSpace(providerContactEmail) ? null : new CommunicationPlan(
                [new ContactPoint("Oversight owner", owners[0], role: "Service owner")],
                [new ContactPoint($"{(string.IsNullOrWhiteSpace(providerName) ? "Provider" : providerName.Trim())} account manager", email: providerContactEmail.Trim(), role: "Account manager")],
                new RecurringSchedule("0 9 * * MON", zone),
                UpdateDestination.OneToOne(owners[0]),
                new RecurringSchedule("0 10 1 * *", zone)),
            DataProtection = owners.Count == 0 || string.IsNullOrWhiteSpace(providerContactEmail) ? null : new DataProtectionTerms(
                [.. owners.Select(owner => new ContactPoint("Oversight owner", owner, role: "Data protection"))],
                [new ContactPoint($"{(string.IsNullOrWhiteSpace(providerName) ? "Provider" : providerName.Trim())} account manager", email: providerContactEmail.Trim(), role: "Data protection")],
                StandardBreachNotificationDeadline),
            Kpis = new KpiPlan(
                [new Kpi(KpiKind.ResponseTime), new Kpi(KpiKind.ResolutionTime), new Kpi(KpiKind.CustomerSatisfaction, 4m), new Kpi(KpiKind.CadenceCompliance, 90m)],
                ReportingFrequency.Monthly),
            BusinessCalendar = (o.TwentyFourSeven
                ? BusinessCalendar.TwentyFourSeven(zone)
                : BusinessCalendar.Weekdays(zone, TimeOnly.FromTimeSpan(o.WorkDayStart), TimeOnly.FromTimeSpan(o.WorkDayEnd))).Definition,
        };
    }

    /// <summary>
    /// The base for a revision made with the drafting form: the agreement's current terms (which may have been set in
    /// full through the API), with sections still missing taken from the standard terms, and the provider's contact
    /// replaced when the form names another one.
    /// </summary>
    public AgreementTerms ForRevision(AgreementTerms current, IReadOnlyList<PersonId> oversightOwners, string? providerName, string? providerContactEmail)
    {
        ArgumentNullException.ThrowIfNull(current);
        var standard = For(oversightOwners, providerName, providerContactEmail);
        var plan = current.CommunicationPlan;
        if (plan is not null && !string.IsNullOrWhiteSpace(providerContactEmail)
            && !plan.ProviderContacts.Any(c => string.Equals(c.Email, providerContactEmail.Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            plan = new CommunicationPlan(plan.OurContacts, standard.CommunicationPlan!.ProviderContacts, plan.UpdateCadence, plan.UpdatesGoTo, plan.ReviewCadence);
        }

        return current with
        {
            Responsibilities = current.Responsibilities ?? standard.Responsibilities,
            ServiceLevels = current.ServiceLevels ?? standard.ServiceLevels,
            Escalation = current.Escalation ?? standard.Escalation,
            TerminationNotice = current.TerminationNotice ?? standard.TerminationNotice,
            TerminationReasons = current.TerminationReasons.Count > 0 ? current.TerminationReasons : standard.TerminationReasons,
            CommunicationPlan = plan ?? standard.CommunicationPlan,
            Kpis = current.Kpis ?? standard.Kpis,
            BusinessCalendar = current.BusinessCalendar ?? standard.BusinessCalendar,
            DataProtection = current.DataProtection ?? standard.DataProtection,
        };
    }
}
