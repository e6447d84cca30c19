using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Agreements;

public enum ServiceKind
{
    DataBackupAndRecovery,
    NetworkSetupAndMaintenance,
    HardwareTroubleshooting,
    SoftwareInstallationAndUpgrades,
    HelpDesk,

    /// <summary>Described in <see cref="ServicesInScope.OtherDescription"/>.</summary>
    Other,
}

/// <summary>The services the provider delivers: a set of kinds, and the text for Other.</summary>
public sealed record ServicesInScope
{
    public ServicesInScope(IEnumerable<ServiceKind> kinds, string? otherDescription = null)
    {
        var list = Guard.DistinctList(kinds, "The services in scope");
        Guard.That(list.Count > 0, "agreement.invalid", "At least one service must be in scope.");
        Guard.That(list.All(Enum.IsDefined), "agreement.invalid", "Unknown service kind.");
        var other = Guard.OptionalText(otherDescription, "The description of other services", 500);
        Guard.That(list.Contains(ServiceKind.Other) == (other is not null), "agreement.invalid", "Describe the services exactly when Other is in scope.");
        Kinds = [.. list.Order()];
        OtherDescription = other;
    }

    public IReadOnlyList<ServiceKind> Kinds { get; }

    public string? OtherDescription { get; }
}

public enum SupportCoverage
{
    Hardware,
    Software,
    Both,
}

public enum PricingStructure
{
    Hourly,
    MonthlyRetainer,
    PerProject,
}

/// <summary>How the provider is paid: the structure and the amount in an ISO 4217 currency.</summary>
public sealed record Pricing
{
    public Pricing(PricingStructure structure, decimal amount, string currency)
    {
        Guard.That(Enum.IsDefined(structure), "agreement.invalid", "Unknown pricing structure.");
        Guard.That(amount >= 0, "agreement.invalid", "A price cannot be negative.");
        var code = Guard.RequiredText(currency, "The currency", 3).ToUpperInvariant();
        Guard.That(code.Length == 3 && code.All(char.IsAsciiLetterUpper), "agreement.invalid", "The currency is a three-letter ISO 4217 code, e.g. EUR.");
        Structure = structure;
        Amount = amount;
        Currency = code;
    }

    public PricingStructure Structure { get; }

    public decimal Amount { get; }

    public string Currency { get; }
}

public enum Priority
{
    P1 = 1,
    P2 = 2,
    P3 = 3,
    P4 = 4,
}

/// <summary>
/// The targets for one priority: time to first response and time to resolution, counted on the agreement's business
/// calendar, or around the clock when <see cref="AroundTheClock"/> (e.g. 24×7 for P1).
/// </summary>
public sealed record PriorityTarget
{
    public PriorityTarget(Priority priority, TimeSpan response, TimeSpan resolution, bool aroundTheClock = false)
    {
        Guard.That(Enum.IsDefined(priority), "agreement.invalid", "Unknown priority.");
        Guard.That(response > TimeSpan.Zero, "agreement.invalid", $"{priority}: the response target must be positive.");
        Guard.That(resolution >= response, "agreement.invalid", $"{priority}: the resolution target cannot be shorter than the response target.");
        Priority = priority;
        Response = response;
        Resolution = resolution;
        AroundTheClock = aroundTheClock;
    }

    public Priority Priority { get; }

    public TimeSpan Response { get; }

    public TimeSpan Resolution { get; }

    public bool AroundTheClock { get; }
}

/// <summary>Response and resolution targets for each of P1–P4, exactly one per priority.</summary>
public sealed record ServiceLevelTargets
{
    public ServiceLevelTargets(IEnumerable<PriorityTarget> targets)
    {
        var list = (targets ?? []).ToList();
        var priorities = list.Select(t => t.Priority).ToList();
        Guard.That(priorities.Order().SequenceEqual(Enum.GetValues<Priority>()), "agreement.invalid", "Give exactly one target for each priority P1–P4.");
        Targets = [.. list.OrderBy(t => t.Priority)];
    }

    public IReadOnlyList<PriorityTarget> Targets { get; }

    public PriorityTarget For(Priority priority) => Targets.Single(t => t.Priority == priority);
}

public enum SupportLevel
{
    /// <summary>First-line support.</summary>
    L1 = 1,

    /// <summary>Technical support.</summary>
    L2 = 2,

    /// <summary>Management support.</summary>
    L3 = 3,
}

/// <summary>Who is told at a level: people and/or a Teams channel; at least one of the two.</summary>
public sealed record EscalationContacts
{
    public EscalationContacts(IEnumerable<PersonId>? people, string? channelId = null)
    {
        People = Guard.DistinctList(people, "The level's contacts");
        ChannelId = Guard.OptionalText(channelId, "The channel id", 300);
        Guard.That(People.Count > 0 || ChannelId is not null, "agreement.invalid", "An escalation level needs people or a channel.");
    }

    public IReadOnlyList<PersonId> People { get; }

    public string? ChannelId { get; }
}

public sealed record EscalationLevel
{
    public EscalationLevel(SupportLevel level, EscalationContacts contacts, string? description = null)
    {
        Guard.That(Enum.IsDefined(level), "agreement.invalid", "Unknown support level.");
        ArgumentNullException.ThrowIfNull(contacts);
        Level = level;
        Contacts = contacts;
        Description = Guard.OptionalText(description, "The level description", 300);
    }

    public SupportLevel Level { get; }

    public EscalationContacts Contacts { get; }

    public string? Description { get; }
}

/// <summary>The escalation procedure: L1, L2 and L3, each exactly once, in order.</summary>
public sealed record EscalationProcedure
{
    public EscalationProcedure(IEnumerable<EscalationLevel> levels)
    {
        var list = (levels ?? []).ToList();
        Guard.That(list.Select(l => l.Level).Order().SequenceEqual(Enum.GetValues<SupportLevel>()), "agreement.invalid", "Give contacts for each level L1, L2 and L3.");
        Levels = [.. list.OrderBy(l => l.Level)];
    }

    public IReadOnlyList<EscalationLevel> Levels { get; }

    public EscalationLevel For(SupportLevel level) => Levels.Single(l => l.Level == level);
}

public enum PeriodUnit
{
    Days,
    Weeks,
    Months,
}

/// <summary>A calendar period such as a termination notice ("3 months"): months stay months, so the term rules (issue 10) can count them on the calendar.</summary>
public sealed record CalendarPeriod
{
    public CalendarPeriod(int count, PeriodUnit unit)
    {
        Guard.That(count is > 0 and <= 1000, "agreement.invalid", "A period is 1 to 1000 units.");
        Guard.That(Enum.IsDefined(unit), "agreement.invalid", "Unknown period unit.");
        Count = count;
        Unit = unit;
    }

    public int Count { get; }

    public PeriodUnit Unit { get; }
}

/// <summary>A cron-like recurrence ("0 9 * * MON", five fields) evaluated in an IANA or Windows time zone.</summary>
public sealed record RecurringSchedule
{
    public RecurringSchedule(string cron, string timeZoneId)
    {
        var expression = Guard.RequiredText(cron, "The schedule", 100);
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Guard.That(fields.Length == 5 && fields.All(f => f.All(c => char.IsAsciiLetterOrDigit(c) || c is '*' or ',' or '-' or '/' or '?')),
            "agreement.invalid", "A schedule has five cron fields (minute hour day-of-month month day-of-week), e.g. \"0 9 * * MON\".");
        Cron = string.Join(' ', fields);
        TimeZoneId = Guard.RequiredText(timeZoneId, "The schedule's time zone", 100);
    }

    public string Cron { get; }

    /// <summary>Resolved by the host (the domain does not depend on the machine's time-zone database).</summary>
    public string TimeZoneId { get; }
}

/// <summary>A point of contact: a name and at least one way to reach them (a Teams person, an e-mail, a phone).</summary>
public sealed record ContactPoint
{
    public ContactPoint(string name, PersonId? person = null, string? email = null, string? phone = null, string? role = null)
    {
        Name = Guard.RequiredText(name, "The contact's name", 200);
        Person = person;
        Email = Guard.OptionalText(email, "The contact's e-mail", 254);
        Phone = Guard.OptionalText(phone, "The contact's phone", 50);
        Role = Guard.OptionalText(role, "The contact's role", 200);
        Guard.That(Person is not null || Email is not null || Phone is not null, "agreement.invalid", $"Give a way to reach {Name}.");
        Guard.That(Email is null || (Email.Contains('@', StringComparison.Ordinal) && !Email.Contains(' ', StringComparison.Ordinal)), "agreement.invalid", $"{Name}: the e-mail address is not valid.");
    }

    public string Name { get; }

    public PersonId? Person { get; }

    public string? Email { get; }

    public string? Phone { get; }

    public string? Role { get; }
}

public enum UpdateDestinationKind
{
    Channel,
    OneToOne,
}

/// <summary>Where the provider's updates go: a Teams channel, or a 1:1 chat with a person.</summary>
public sealed record UpdateDestination
{
    private UpdateDestination(UpdateDestinationKind kind, string? channelId, PersonId? person)
    {
        Kind = kind;
        ChannelId = channelId;
        Person = person;
    }

    public UpdateDestinationKind Kind { get; }

    public string? ChannelId { get; }

    public PersonId? Person { get; }

    public static UpdateDestination Channel(string channelId) =>
        new(UpdateDestinationKind.Channel, Guard.RequiredText(channelId, "The channel id", 300), null);

    public static UpdateDestination OneToOne(PersonId person) => new(UpdateDestinationKind.OneToOne, null, person);
}

/// <summary>The communication plan: contacts on both sides, when updates are due and where they go, and the review cadence.</summary>
public sealed record CommunicationPlan
{
    public CommunicationPlan(
        IEnumerable<ContactPoint> ourContacts,
        IEnumerable<ContactPoint> providerContacts,
        RecurringSchedule updateCadence,
        UpdateDestination updatesGoTo,
        RecurringSchedule? reviewCadence = null)
    {
        OurContacts = [.. ourContacts ?? []];
        ProviderContacts = [.. providerContacts ?? []];
        Guard.That(OurContacts.Count > 0 && ProviderContacts.Count > 0, "agreement.invalid", "The plan needs a point of contact on each side.");
        ArgumentNullException.ThrowIfNull(updateCadence);
        ArgumentNullException.ThrowIfNull(updatesGoTo);
        UpdateCadence = updateCadence;
        UpdatesGoTo = updatesGoTo;
        ReviewCadence = reviewCadence;
    }

    public IReadOnlyList<ContactPoint> OurContacts { get; }

    public IReadOnlyList<ContactPoint> ProviderContacts { get; }

    public RecurringSchedule UpdateCadence { get; }

    public UpdateDestination UpdatesGoTo { get; }

    public RecurringSchedule? ReviewCadence { get; }
}

public enum KpiKind
{
    ResponseTime,
    ResolutionTime,
    CustomerSatisfaction,
    IncidentCount,
    UptimePercentage,

    /// <summary>Provider updates on time / updates due (the communication plan kept).</summary>
    CadenceCompliance,
}

public enum ReportingFrequency
{
    Weekly,
    Monthly,
    Quarterly,
    Yearly,
}

/// <summary>A KPI the provider is measured on, with an optional target in the KPI's own unit (hours, %, 1–5, count).</summary>
public sealed record Kpi
{
    public Kpi(KpiKind kind, decimal? target = null)
    {
        Guard.That(Enum.IsDefined(kind), "agreement.invalid", "Unknown KPI.");
        Guard.That(target is null or >= 0, "agreement.invalid", $"{kind}: a target cannot be negative.");
        Kind = kind;
        Target = target;
    }

    public KpiKind Kind { get; }

    public decimal? Target { get; }
}

public sealed record KpiPlan
{
    public KpiPlan(IEnumerable<Kpi> kpis, ReportingFrequency frequency)
    {
        var list = (kpis ?? []).ToList();
        Guard.That(list.Count > 0, "agreement.invalid", "Name at least one KPI.");
        Guard.That(list.Select(k => k.Kind).Distinct().Count() == list.Count, "agreement.invalid", "Each KPI is listed once.");
        Guard.That(Enum.IsDefined(frequency), "agreement.invalid", "Unknown reporting frequency.");
        Kpis = list.AsReadOnly();
        Frequency = frequency;
    }

    public IReadOnlyList<Kpi> Kpis { get; }

    public ReportingFrequency Frequency { get; }
}
