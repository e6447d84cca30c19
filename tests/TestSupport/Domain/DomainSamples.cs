using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Calendars;
using ApprovalBot.Domain.Common;

namespace ApprovalBot.TestSupport.Domain;

// People and agreement terms shared by the domain unit tests and the persistence integration tests.

/// <summary>The cast of the domain tests (ids are opaque strings, as on the wire).</summary>
internal static class People
{
    public static readonly PersonId Alice = new("alice");   // requester
    public static readonly PersonId Bob = new("bob");       // Alice's manager
    public static readonly PersonId Carol = new("carol");   // Bob's manager
    public static readonly PersonId Lena = new("lena");     // Legal
    public static readonly PersonId Leo = new("leo");       // Legal
    public static readonly PersonId Lou = new("lou");       // Legal
    public static readonly PersonId Mia = new("mia");       // Management
    public static readonly PersonId Max = new("max");       // Management
    public static readonly PersonId Zed = new("zed");       // nobody in particular
    public static readonly PersonId Dan = new("dan");       // a delegate
}

/// <summary>Complete terms of one agreement: every section of product.md §1 filled.</summary>
internal static class SampleTerms
{
    /// <summary>
    /// <see cref="Complete"/>, its term moved to run from a month before <paramref name="now"/> for a year when its fixed
    /// end date (2027-01-31) is less than two weeks after <paramref name="now"/>: tests and benchmarks on the real clock
    /// must not find their agreement expiring at the bot's start (issue 10's term timers) once that date is near.
    /// </summary>
    public static AgreementTerms CompleteAt(DateTimeOffset now)
    {
        var terms = Complete();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return terms.EndDate >= today.AddDays(14) ? terms : terms with { StartDate = today.AddMonths(-1), EndDate = today.AddMonths(11).AddDays(-1) };
    }

    public static AgreementTerms Complete() => new()
    {
        ProviderName = "Contoso IT Services",
        OversightOwners = [People.Alice, People.Carol],
        Services = new ServicesInScope([ServiceKind.HelpDesk, ServiceKind.DataBackupAndRecovery, ServiceKind.Other], "Printer fleet care"),
        Coverage = SupportCoverage.Both,
        StartDate = new DateOnly(2026, 2, 1),
        EndDate = new DateOnly(2027, 1, 31),
        Pricing = new Pricing(PricingStructure.MonthlyRetainer, 4500m, "eur"),
        AdditionalServices = [new AdditionalService("On-site visit", 150m), new AdditionalService("Weekend migration", 1200.50m)],
        Responsibilities = new Responsibilities(
            ["Keep the device inventory current", "Give the provider remote access to the systems in scope"],
            ["Repair or replace faulty hardware in scope", "Install software upgrades and security patches within 14 days"]),
        SupportConstraints = ["Remote support only outside Berlin", "No support for private devices"],
        ServiceLevels = new ServiceLevelTargets(
        [
            new PriorityTarget(Priority.P4, TimeSpan.FromHours(8), TimeSpan.FromDays(5)),
            new PriorityTarget(Priority.P1, TimeSpan.FromMinutes(15), TimeSpan.FromHours(4), aroundTheClock: true),
            new PriorityTarget(Priority.P2, TimeSpan.FromHours(1), TimeSpan.FromHours(8)),
            new PriorityTarget(Priority.P3, TimeSpan.FromHours(4), TimeSpan.FromDays(2)),
        ]),
        Escalation = new EscalationProcedure(
        [
            new EscalationLevel(SupportLevel.L1, new EscalationContacts([], "19:l1-channel@thread.tacv2"), "First-line support"),
            new EscalationLevel(SupportLevel.L2, new EscalationContacts([People.Leo]), "Technical support"),
            new EscalationLevel(SupportLevel.L3, new EscalationContacts([People.Mia], "19:mgmt@thread.tacv2"), "Management support"),
        ]),
        TerminationNotice = new CalendarPeriod(3, PeriodUnit.Months),
        TerminationReasons = ["Repeated SLA breaches", "Provider insolvency"],
        CommunicationPlan = new CommunicationPlan(
            [new ContactPoint("Alice", People.Alice, role: "Service owner")],
            [new ContactPoint("Pat Provider", email: "pat@contoso.example", phone: "+1 555 0100", role: "Account manager")],
            new RecurringSchedule("0 9 * * MON", "Europe/Berlin"),
            UpdateDestination.Channel("19:updates@thread.tacv2"),
            new RecurringSchedule("0 10 1 * *", "Europe/Berlin")),
        Kpis = new KpiPlan([new Kpi(KpiKind.ResponseTime), new Kpi(KpiKind.UptimePercentage, 99.9m), new Kpi(KpiKind.CustomerSatisfaction, 4m)], ReportingFrequency.Monthly),
        BusinessCalendar = BusinessCalendar.WeekdaysNineToFive("Europe/Berlin").Definition,
        DataProtection = new DataProtectionTerms(
            [new ContactPoint("Alice", People.Alice, role: "Data protection officer")],
            [new ContactPoint("Priya Privacy", email: "privacy@contoso.example", phone: "+1 555 0199", role: "Data protection officer")],
            TimeSpan.FromHours(72)),
    };
}
