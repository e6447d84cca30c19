using ApprovalBot.Domain.Calendars;
using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Agreements;

/// <summary>A problem that stops a draft from being submitted, by field, so a form can show every one at once.</summary>
public sealed record TermsProblem(string Field, string Message);

/// <summary>
/// The content of an agreement revision (product.md §1). Each section is validated by its own value type when it is
/// built; a draft may leave sections out (saved incomplete, resumed later), and <see cref="Problems"/> lists what a
/// submission still needs. A revision's terms are a snapshot: changing them means a new value, never a mutation.
/// </summary>
public sealed record AgreementTerms
{
    public const int MaxProviderNameLength = 200;

    public const int MaxTerminationReasonLength = 200;

    public const int MaxAdditionalServices = 50;

    public const int MaxSupportConstraints = 30;

    public const int MaxSupportConstraintLength = 500;

    public string? ProviderName { get; init; }

    /// <summary>Our people who oversee the provider (reminders and overdue updates go to them).</summary>
    public IReadOnlyList<PersonId> OversightOwners { get; init; } = [];

    public ServicesInScope? Services { get; init; }

    public SupportCoverage? Coverage { get; init; }

    public DateOnly? StartDate { get; init; }

    /// <summary>The last day the agreement is in force.</summary>
    public DateOnly? EndDate { get; init; }

    public Pricing? Pricing { get; init; }

    /// <summary>Services outside the regular scope and their prices, in the currency of <see cref="Pricing"/>; none is fine.</summary>
    public IReadOnlyList<AdditionalService> AdditionalServices { get; init; } = [];

    /// <summary>The hardware and software responsibilities of each party; both sides are needed for submission.</summary>
    public Responsibilities? Responsibilities { get; init; }

    /// <summary>
    /// Limits of the support, as agreed (for example "Remote support only outside Berlin", "No support for private
    /// devices"); one sentence each, none is fine.
    /// </summary>
    public IReadOnlyList<string> SupportConstraints { get; init; } = [];

    public ServiceLevelTargets? ServiceLevels { get; init; }

    public EscalationProcedure? Escalation { get; init; }

    public CalendarPeriod? TerminationNotice { get; init; }

    /// <summary>
    /// The reasons for which either side may terminate early (product.md §1), as agreed; <c>terminate</c> takes one of
    /// them. None listed: any stated reason is accepted.
    /// </summary>
    public IReadOnlyList<string> TerminationReasons { get; init; } = [];

    public CommunicationPlan? CommunicationPlan { get; init; }

    public KpiPlan? Kpis { get; init; }

    public BusinessCalendarDefinition? BusinessCalendar { get; init; }

    /// <summary>The data-protection contacts of both sides and the breach notification deadline.</summary>
    public DataProtectionTerms? DataProtection { get; init; }

    /// <summary>Everything a submission still needs; empty when the terms are complete and consistent.</summary>
    public IReadOnlyList<TermsProblem> Problems()
    {
        var problems = new List<TermsProblem>();
        void Need(bool ok, string field, string message)
        {
            if (!ok) problems.Add(new TermsProblem(field, message));
        }

        Need(!string.IsNullOrWhiteSpace(ProviderName), nameof(ProviderName), "Name the provider.");
        Need(ProviderName is null || ProviderName.Trim().Length <= MaxProviderNameLength, nameof(ProviderName), $"The provider's name is at most {MaxProviderNameLength} characters.");
        Need(OversightOwners.Count > 0, nameof(OversightOwners), "Name at least one oversight owner.");
        Need(OversightOwners.Distinct().Count() == OversightOwners.Count, nameof(OversightOwners), "An oversight owner is listed twice.");
        Need(Services is not null, nameof(Services), "Choose the services in scope.");
        Need(Coverage is { } c && Enum.IsDefined(c), nameof(Coverage), "Choose hardware, software or both.");
        Need(StartDate is not null, nameof(StartDate), "Give the start date.");
        Need(EndDate is not null, nameof(EndDate), "Give the end date.");
        Need(StartDate is not { } s || EndDate is not { } e || e > s, nameof(EndDate), "The end date must be after the start date.");
        Need(Pricing is not null, nameof(Pricing), "Give the pricing structure and amount.");
        Need(AdditionalServices.Count == 0 || Pricing is not null, nameof(AdditionalServices), "Give the pricing too: additional services are priced in its currency.");
        Need(AdditionalServices.Count <= MaxAdditionalServices, nameof(AdditionalServices), $"List at most {MaxAdditionalServices} additional services.");
        Need(AdditionalServices.Select(a => a.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count() == AdditionalServices.Count, nameof(AdditionalServices),
            "An additional service is listed twice.");
        Need(Responsibilities is { Ours.Count: > 0, Provider.Count: > 0 }, nameof(Responsibilities),
            Responsibilities is null ? "Give the hardware and software responsibilities of each party." : "Give at least one responsibility for each party.");
        Need(SupportConstraints.All(c => !string.IsNullOrWhiteSpace(c) && c.Trim().Length <= MaxSupportConstraintLength), nameof(SupportConstraints),
            $"A support constraint is 1 to {MaxSupportConstraintLength} characters.");
        Need(SupportConstraints.Count <= MaxSupportConstraints, nameof(SupportConstraints), $"List at most {MaxSupportConstraints} support constraints.");
        Need(SupportConstraints.Select(c => c.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).Count() == SupportConstraints.Count, nameof(SupportConstraints),
            "A support constraint is listed twice.");
        Need(ServiceLevels is not null, nameof(ServiceLevels), "Give response and resolution targets for P1–P4.");
        Need(Escalation is not null, nameof(Escalation), "Give the contacts of escalation levels L1–L3.");
        Need(TerminationNotice is not null, nameof(TerminationNotice), "Give the termination notice period.");
        Need(TerminationReasons.All(r => !string.IsNullOrWhiteSpace(r) && r.Trim().Length <= MaxTerminationReasonLength), nameof(TerminationReasons),
            $"A termination reason is 1 to {MaxTerminationReasonLength} characters.");
        Need(TerminationReasons.Select(r => r.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).Count() == TerminationReasons.Count, nameof(TerminationReasons),
            "A termination reason is listed twice.");
        Need(CommunicationPlan is not null, nameof(CommunicationPlan), "Give the communication plan.");
        Need(Kpis is not null, nameof(Kpis), "Give the KPIs and their reporting frequency.");
        Need(BusinessCalendar is not null, nameof(BusinessCalendar), "Give the business calendar.");
        Need(DataProtection is not null, nameof(DataProtection), "Give the data-protection contacts of both sides and the breach notification deadline.");
        foreach (var calendarProblem in BusinessCalendar?.Validate() ?? [])
            Need(false, nameof(BusinessCalendar), calendarProblem);
        return problems.AsReadOnly();
    }
}
