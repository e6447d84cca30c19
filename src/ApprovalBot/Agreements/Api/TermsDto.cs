namespace ApprovalBot.Agreements.Api;

// The terms of an agreement as the API reads and writes them. The same shapes go both ways: what GET returns can be
// sent back in PUT. People are e-mail addresses, UPNs or Entra object ids on the way in, Entra object ids on the way
// out; enums are names; durations are whole minutes; dates are yyyy-MM-dd; times of day HH:mm. Every section may be
// left out of a draft; the agreement's `problems` say what a submission still needs. terminationReasons: the reasons
// `terminate` accepts (each 1–200 characters, no duplicates in any case; none: any stated reason).
// duration: an alternative to endDate on the way in ("12 months" from startDate: endDate = startDate + duration − 1 day);
// only the end date is stored, so GET returns endDate and no duration. additionalServices: name and price in the
// pricing's currency. responsibilities: one sentence per duty, ours and the provider's. supportConstraints: one
// sentence each. dataProtection: who is told of a data breach and how soon (`breach`).

public sealed record TermsDto(
    string? ProviderName,
    IReadOnlyList<string?>? OversightOwners,
    ServicesDto? Services,
    string? Coverage,
    DateOnly? StartDate,
    DateOnly? EndDate,
    PricingDto? Pricing,
    IReadOnlyList<ServiceLevelDto?>? ServiceLevels,
    IReadOnlyList<EscalationLevelDto?>? Escalation,
    PeriodDto? TerminationNotice,
    CommunicationPlanDto? CommunicationPlan,
    KpiPlanDto? Kpis,
    BusinessCalendarDto? BusinessCalendar,
    IReadOnlyList<string?>? TerminationReasons = null,
    PeriodDto? Duration = null,
    IReadOnlyList<AdditionalServiceDto?>? AdditionalServices = null,
    ResponsibilitiesDto? Responsibilities = null,
    IReadOnlyList<string?>? SupportConstraints = null,
    DataProtectionDto? DataProtection = null);

/// <summary>A service outside the regular scope: its name (≤ 200 characters) and its price (≥ 0) in the pricing's currency.</summary>
public sealed record AdditionalServiceDto(string? Name, decimal? Price);

/// <summary>The hardware and software responsibilities of each party: ours and the provider's, one sentence (≤ 500 characters) per duty, at most 20 a side.</summary>
public sealed record ResponsibilitiesDto(IReadOnlyList<string?>? Ours, IReadOnlyList<string?>? Provider);

/// <summary>
/// The data-protection contacts of each side (at least one each; a contact with a person is notified in Teams when a
/// breach is reported, the others are listed to call) and the breach notification deadline in whole minutes
/// (60 to 43200, e.g. 4320 for 72 hours).
/// </summary>
public sealed record DataProtectionDto(IReadOnlyList<ContactDto?>? OurContacts, IReadOnlyList<ContactDto?>? ProviderContacts, int? NotificationDeadlineMinutes);

/// <summary>kinds: DataBackupAndRecovery, NetworkSetupAndMaintenance, HardwareTroubleshooting, SoftwareInstallationAndUpgrades, HelpDesk, Other (then describe it in other).</summary>
public sealed record ServicesDto(IReadOnlyList<string?>? Kinds, string? Other);

/// <summary>structure: Hourly, MonthlyRetainer, PerProject; currency: ISO 4217.</summary>
public sealed record PricingDto(string? Structure, decimal? Amount, string? Currency);

/// <summary>priority: P1–P4; targets in minutes, on the business calendar unless aroundTheClock.</summary>
public sealed record ServiceLevelDto(string? Priority, int? ResponseMinutes, int? ResolutionMinutes, bool? AroundTheClock);

/// <summary>level: L1–L3; people and/or a Teams channel id.</summary>
public sealed record EscalationLevelDto(string? Level, IReadOnlyList<string?>? People, string? ChannelId, string? Description);

/// <summary>unit: Days, Weeks, Months.</summary>
public sealed record PeriodDto(int? Count, string? Unit);

public sealed record CommunicationPlanDto(
    IReadOnlyList<ContactDto?>? OurContacts,
    IReadOnlyList<ContactDto?>? ProviderContacts,
    ScheduleDto? UpdateCadence,
    UpdateDestinationDto? UpdatesGoTo,
    ScheduleDto? ReviewCadence);

/// <summary>A point of contact: a name and at least one of person (a Teams user), email, phone.</summary>
public sealed record ContactDto(string? Name, string? Person, string? Email, string? Phone, string? Role);

/// <summary>Five cron fields (minute hour day-of-month month day-of-week) in an IANA time zone.</summary>
public sealed record ScheduleDto(string? Cron, string? TimeZone);

/// <summary>kind: Channel (with channelId) or OneToOne (with person).</summary>
public sealed record UpdateDestinationDto(string? Kind, string? ChannelId, string? Person);

/// <summary>frequency: Weekly, Monthly, Quarterly, Yearly.</summary>
public sealed record KpiPlanDto(IReadOnlyList<KpiDto?>? Kpis, string? Frequency);

/// <summary>kind: ResponseTime, ResolutionTime, CustomerSatisfaction, IncidentCount, UptimePercentage, CadenceCompliance.</summary>
public sealed record KpiDto(string? Kind, decimal? Target);

/// <summary>An IANA time zone and either twentyFourSeven or working hours (and holidays).</summary>
public sealed record BusinessCalendarDto(string? TimeZoneId, bool? TwentyFourSeven, IReadOnlyList<WorkingIntervalDto?>? WorkingHours, IReadOnlyList<HolidayDto?>? Holidays);

/// <summary>day: Monday…Sunday; start and end HH:mm local time (end 00:00 or 24:00: midnight at the end of the day).</summary>
public sealed record WorkingIntervalDto(string? Day, string? Start, string? End);

public sealed record HolidayDto(DateOnly? Date, string? Name);
