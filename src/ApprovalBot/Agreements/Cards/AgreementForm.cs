using System.Globalization;
using System.Text.Json;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;

namespace ApprovalBot.Agreements.Cards;

/// <summary>Verbs of the agreement cards (<c>cards/agreement-form.json</c>, <c>cards/agreement.json</c>).</summary>
public static class AgreementVerbs
{
    /// <summary>The form, for a new agreement: creates a draft from the inputs.</summary>
    public const string Create = "agreement.create";

    /// <summary>The form, for an existing agreement: revises it; data carries <c>agreementId</c> and <c>revision</c>.</summary>
    public const string Revise = "agreement.revise";

    /// <summary>The agreement card: submits the current revision; data carries <c>agreementId</c> and <c>revision</c>.</summary>
    public const string Submit = "agreement.submit";

    /// <summary>The agreement card: opens the form prefilled; data carries <c>agreementId</c> and <c>revision</c>.</summary>
    public const string Edit = "agreement.edit";

    /// <summary>Shows the agreement card (the form's Cancel); data carries <c>agreementId</c>.</summary>
    public const string Show = "agreement.show";
}

/// <summary>The input ids of the agreement form; also the keys of <see cref="AgreementForm.Validate"/>'s result.</summary>
public static class AgreementFormFields
{
    public const string Name = "name";
    public const string Provider = "provider";
    public const string ProviderContact = "providerContact";
    public const string Services = "services";
    public const string OtherServices = "otherServices";
    public const string Coverage = "coverage";
    public const string StartDate = "startDate";
    public const string EndDate = "endDate";
    public const string Pricing = "pricing";
    public const string Amount = "amount";
    public const string Currency = "currency";
    public const string Oversight = "oversight";
    public const string OurResponsibilities = "ourResponsibilities";
    public const string ProviderResponsibilities = "providerResponsibilities";
    public const string Constraints = "constraints";
    public const string Duration = "duration";
    public const string Notice = "notice";
    public const string AdditionalServices = "additionalServices";
    public const string P1Response = "p1Response";
    public const string P1Resolution = "p1Resolution";
    public const string P2Response = "p2Response";
    public const string P2Resolution = "p2Resolution";
    public const string P3Response = "p3Response";
    public const string P3Resolution = "p3Resolution";
    public const string P4Response = "p4Response";
    public const string P4Resolution = "p4Resolution";
    public const string AroundTheClock = "aroundTheClock";
    public const string L1Contacts = "l1Contacts";
    public const string L2Contacts = "l2Contacts";
    public const string L3Contacts = "l3Contacts";

    /// <summary>Action data (not an input): the section whose inputs the action carries.</summary>
    public const string Section = "section";

    /// <summary>Action data (not an input): where to go after saving: next, back, close, submit, or a section id.</summary>
    public const string Go = "go";

    /// <summary>The response input of a priority.</summary>
    public static string ResponseOf(Priority priority) => $"p{(int)priority}Response";

    /// <summary>The resolution input of a priority.</summary>
    public static string ResolutionOf(Priority priority) => $"p{(int)priority}Resolution";

    /// <summary>The contacts input of a level.</summary>
    public static string ContactsOf(SupportLevel level) => $"l{(int)level}Contacts";

    /// <summary>Data protection: our data-protection contacts (e-mail addresses; blank: keep them, or the oversight owners).</summary>
    public const string DataProtectionContacts = "dpContacts";

    /// <summary>Data protection: the provider's data-protection contact (an e-mail; blank: keep it, or the account manager).</summary>
    public const string ProviderDataProtectionContact = "dpProviderContact";

    /// <summary>Data protection: the breach notification deadline in whole hours (blank: keep it, or 72).</summary>
    public const string BreachDeadlineHours = "dpDeadlineHours";

    /// <summary>Action data (not an input): the agreement the action is about.</summary>
    public const string AgreementId = "agreementId";

    /// <summary>Action data (not an input): the revision the card showed.</summary>
    public const string Revision = "revision";
}

/// <summary>
/// What the agreement form sent, as typed: trimmed, blank as null. <see cref="Services"/> is the multi-select's value
/// (<see cref="ServiceKind"/> names separated by commas); dates are <c>yyyy-MM-dd</c>. Responsibilities, constraints
/// and additional services (<c>name: price</c>) are one per line; duration and notice are periods (<c>12 months</c>);
/// targets are durations (<c>15 min</c>, <c>4 h</c>, <c>2 d</c>); <see cref="AroundTheClock"/> is the priorities counted
/// 24×7 (<c>P1,P2</c>); escalation contacts are e-mail addresses like the oversight owners.
/// </summary>
public sealed record AgreementFormValues(
    string? Name,
    string? Provider,
    string? Services,
    string? OtherServices,
    string? Coverage,
    string? StartDate,
    string? EndDate,
    string? Pricing,
    string? Amount,
    string? Currency,
    string? Oversight,
    string? ProviderContact = null,
    string? OurResponsibilities = null,
    string? ProviderResponsibilities = null,
    string? Constraints = null,
    string? Duration = null,
    string? Notice = null,
    string? AdditionalServices = null,
    string? P1Response = null,
    string? P1Resolution = null,
    string? P2Response = null,
    string? P2Resolution = null,
    string? P3Response = null,
    string? P3Resolution = null,
    string? P4Response = null,
    string? P4Resolution = null,
    string? AroundTheClock = null,
    string? L1Contacts = null,
    string? L2Contacts = null,
    string? L3Contacts = null,
    string? DataProtectionContacts = null,
    string? ProviderDataProtectionContact = null,
    string? BreachDeadlineHours = null)
{
    /// <summary>The response input's value of a priority.</summary>
    public string? ResponseOf(Priority priority) => priority switch
    {
        Priority.P1 => P1Response,
        Priority.P2 => P2Response,
        Priority.P3 => P3Response,
        _ => P4Response,
    };

    /// <summary>The resolution input's value of a priority.</summary>
    public string? ResolutionOf(Priority priority) => priority switch
    {
        Priority.P1 => P1Resolution,
        Priority.P2 => P2Resolution,
        Priority.P3 => P3Resolution,
        _ => P4Resolution,
    };

    /// <summary>The contacts input's value of a level.</summary>
    public string? ContactsOf(SupportLevel level) => level switch
    {
        SupportLevel.L1 => L1Contacts,
        SupportLevel.L2 => L2Contacts,
        _ => L3Contacts,
    };
}

/// <summary>
/// The people the form's addresses name, as the directory resolved them: oversight owners, L1–L3 contacts, and our
/// data-protection contacts (empty: keep the agreement's, else the oversight owners).
/// </summary>
public sealed record AgreementFormPeople(IReadOnlyList<PersonId> Oversight, IReadOnlyList<PersonId> L1, IReadOnlyList<PersonId> L2, IReadOnlyList<PersonId> L3)
{
    /// <summary>Our data-protection contacts typed on the form, resolved (empty: keep the agreement's, else the oversight owners).</summary>
    public IReadOnlyList<ContactPoint> DataProtection { get; init; } = [];

    public IReadOnlyList<PersonId> Of(SupportLevel level) => level switch
    {
        SupportLevel.L1 => L1,
        SupportLevel.L2 => L2,
        _ => L3,
    };
}

/// <summary>The agreement an action on an agreement card is about, and the revision that card showed.</summary>
public readonly record struct AgreementActionTarget(long AgreementId, int? Revision)
{
    /// <summary>Reads <c>agreementId</c> (required) and <c>revision</c> from an action's data, as numbers or numeric strings; null without an id.</summary>
    public static AgreementActionTarget? Read(JsonElement? actionData)
    {
        if (actionData is not { ValueKind: JsonValueKind.Object } data)
        {
            return null;
        }

        var id = Number(data, AgreementFormFields.AgreementId);
        var revision = Number(data, AgreementFormFields.Revision);
        return id is > 0 ? new AgreementActionTarget(id.Value, revision is > 0 and <= int.MaxValue ? (int)revision.Value : null) : null;
    }

    private static long? Number(JsonElement data, string name)
    {
        if (!data.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        };
    }
}

/// <summary>
/// Reads, checks and applies the agreement form. The form edits the parts of the terms a requester negotiates
/// (provider, services, coverage, term, pricing, oversight); the rest comes from base terms (the organisation's
/// standard SLA targets, escalation, communication plan, KPIs, calendar and notice period). A draft may be saved
/// incomplete: only the name is required here, and <see cref="AgreementTerms.Problems"/> says what submission still needs.
/// </summary>
public static class AgreementForm
{
    /// <summary>Most oversight owners the form accepts.</summary>
    public const int MaxOversightOwners = 25;

    /// <summary>Longest description of other services (the domain's limit).</summary>
    public const int MaxOtherServicesLength = 500;

    /// <summary>The date format of <c>Input.Date</c>.</summary>
    public const string DateFormat = "yyyy-MM-dd";

    private const int MaxAmountLength = 30;

    /// <summary>Reads the form's inputs from an action's data; missing or non-string values read as null (an amount may also be a number).</summary>
    public static AgreementFormValues Parse(JsonElement? actionData) => new(
        FormFields.Text(actionData, AgreementFormFields.Name),
        FormFields.Text(actionData, AgreementFormFields.Provider),
        FormFields.Text(actionData, AgreementFormFields.Services),
        FormFields.Text(actionData, AgreementFormFields.OtherServices),
        FormFields.Text(actionData, AgreementFormFields.Coverage),
        FormFields.Text(actionData, AgreementFormFields.StartDate),
        FormFields.Text(actionData, AgreementFormFields.EndDate),
        FormFields.Text(actionData, AgreementFormFields.Pricing),
        FormFields.TextOrNumber(actionData, AgreementFormFields.Amount),
        FormFields.Text(actionData, AgreementFormFields.Currency),
        FormFields.Text(actionData, AgreementFormFields.Oversight),
        FormFields.Text(actionData, AgreementFormFields.ProviderContact),
        FormFields.Text(actionData, AgreementFormFields.OurResponsibilities),
        FormFields.Text(actionData, AgreementFormFields.ProviderResponsibilities),
        FormFields.Text(actionData, AgreementFormFields.Constraints),
        FormFields.Text(actionData, AgreementFormFields.Duration),
        FormFields.Text(actionData, AgreementFormFields.Notice),
        FormFields.Text(actionData, AgreementFormFields.AdditionalServices),
        FormFields.Text(actionData, AgreementFormFields.P1Response),
        FormFields.Text(actionData, AgreementFormFields.P1Resolution),
        FormFields.Text(actionData, AgreementFormFields.P2Response),
        FormFields.Text(actionData, AgreementFormFields.P2Resolution),
        FormFields.Text(actionData, AgreementFormFields.P3Response),
        FormFields.Text(actionData, AgreementFormFields.P3Resolution),
        FormFields.Text(actionData, AgreementFormFields.P4Response),
        FormFields.Text(actionData, AgreementFormFields.P4Resolution),
        FormFields.Text(actionData, AgreementFormFields.AroundTheClock),
        FormFields.Text(actionData, AgreementFormFields.L1Contacts),
        FormFields.Text(actionData, AgreementFormFields.L2Contacts),
        FormFields.Text(actionData, AgreementFormFields.L3Contacts),
        FormFields.Text(actionData, AgreementFormFields.DataProtectionContacts),
        FormFields.Text(actionData, AgreementFormFields.ProviderDataProtectionContact),
        FormFields.TextOrNumber(actionData, AgreementFormFields.BreachDeadlineHours));

    /// <summary>The section an action's data says its inputs are from (<c>section</c>); null when missing or unknown.</summary>
    public static AgreementFormSection? SectionOf(JsonElement? actionData) => AgreementFormSections.Parse(FormFields.Text(actionData, AgreementFormFields.Section));

    /// <summary>Where the action wants to go after saving (<c>go</c>): next, back, close, submit or a section id; null when missing.</summary>
    public static string? GoOf(JsonElement? actionData) => FormFields.Text(actionData, AgreementFormFields.Go)?.ToLowerInvariant();

    /// <summary>
    /// The form's values for <paramref name="terms"/>, to prefill the form for editing. Oversight owners are written
    /// as the e-mail <paramref name="emailOf"/> gives; an owner it does not know (null) is left out, and the form then
    /// shows who is still listed.
    /// </summary>
    public static AgreementFormValues FromTerms(string name, AgreementTerms terms, Func<PersonId, string?> emailOf)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(emailOf);
        var owners = terms.OversightOwners.Select(emailOf).Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => e!.Trim()).ToList();
        return new AgreementFormValues(
            Blank(name),
            Blank(terms.ProviderName),
            terms.Services is { } services ? string.Join(',', services.Kinds.Select(k => k.ToString())) : null,
            terms.Services?.OtherDescription,
            terms.Coverage?.ToString(),
            terms.StartDate?.ToString(DateFormat, CultureInfo.InvariantCulture),
            terms.EndDate?.ToString(DateFormat, CultureInfo.InvariantCulture),
            terms.Pricing?.Structure.ToString(),
            terms.Pricing?.Amount.ToString(CultureInfo.InvariantCulture),
            terms.Pricing?.Currency,
            owners.Count == 0 ? null : string.Join("; ", owners),
            terms.CommunicationPlan?.ProviderContacts.Select(c => c.Email).FirstOrDefault(e => e is not null))
        {
            OurResponsibilities = JoinLines(terms.Responsibilities?.Ours),
            ProviderResponsibilities = JoinLines(terms.Responsibilities?.Provider),
            Constraints = JoinLines(terms.SupportConstraints),
            Notice = terms.TerminationNotice is { } notice ? AgreementFormSections.PeriodText(notice) : null,
            AdditionalServices = JoinLines([.. terms.AdditionalServices.Select(a => $"{a.Name}: {a.Price.ToString(CultureInfo.InvariantCulture)}")]),
            P1Response = Target(terms, Priority.P1, response: true),
            P1Resolution = Target(terms, Priority.P1, response: false),
            P2Response = Target(terms, Priority.P2, response: true),
            P2Resolution = Target(terms, Priority.P2, response: false),
            P3Response = Target(terms, Priority.P3, response: true),
            P3Resolution = Target(terms, Priority.P3, response: false),
            P4Response = Target(terms, Priority.P4, response: true),
            P4Resolution = Target(terms, Priority.P4, response: false),
            AroundTheClock = terms.ServiceLevels is { } levels ? Blank(string.Join(',', levels.Targets.Where(t => t.AroundTheClock).Select(t => t.Priority.ToString()))) : null,
            L1Contacts = Contacts(terms, SupportLevel.L1, emailOf),
            L2Contacts = Contacts(terms, SupportLevel.L2, emailOf),
            L3Contacts = Contacts(terms, SupportLevel.L3, emailOf),
            DataProtectionContacts = Addresses(terms.DataProtection?.OurContacts.Select(c => c.Person is { } p ? emailOf(p) : null)),
            ProviderDataProtectionContact = terms.DataProtection?.ProviderContacts.Select(c => c.Email).FirstOrDefault(e => e is not null),
            BreachDeadlineHours = terms.DataProtection?.NotificationDeadline is { } deadline && deadline.Ticks % TimeSpan.TicksPerHour == 0
                ? ((long)deadline.TotalHours).ToString(CultureInfo.InvariantCulture)
                : null,
        };
    }

    private static string? Addresses(IEnumerable<string?>? emails)
    {
        var list = (emails ?? []).Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => e!.Trim()).ToList();
        return list.Count == 0 ? null : string.Join("; ", list);
    }

    private static string? JoinLines(IReadOnlyList<string>? lines) => lines is { Count: > 0 } ? string.Join('\n', lines) : null;

    private static string? Target(AgreementTerms terms, Priority priority, bool response) =>
        terms.ServiceLevels?.Targets.FirstOrDefault(t => t.Priority == priority) is { } t ? AgreementCards.Duration(response ? t.Response : t.Resolution) : null;

    private static string? Contacts(AgreementTerms terms, SupportLevel level, Func<PersonId, string?> emailOf) =>
        terms.Escalation?.Levels.FirstOrDefault(l => l.Level == level) is { } l
            ? Blank(string.Join("; ", l.Contacts.People.Select(emailOf).Where(e => !string.IsNullOrWhiteSpace(e))))
            : null;

    /// <summary>
    /// Every problem with the values, by field id (empty when the form can be saved). All errors at once; with
    /// <paramref name="section"/>, only that section's (the inputs a step of the form sent).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Validate(AgreementFormValues values, AgreementFormSection? section = null)
    {
        var all = ValidateAll(values);
        return section is { } only ? all.Where(e => AgreementFormSections.SectionOf(e.Key) == only).ToDictionary(StringComparer.Ordinal) : all;
    }

    private static Dictionary<string, string> ValidateAll(AgreementFormValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        void Error(string field, string message) => errors.TryAdd(field, message);

        if (values.Name is null)
            Error(AgreementFormFields.Name, "Give the agreement a name.");
        else if (values.Name.Length > Agreement.MaxNameLength)
            Error(AgreementFormFields.Name, $"The name is at most {Agreement.MaxNameLength} characters; this has {values.Name.Length}.");

        if (values.Provider is { Length: > AgreementTerms.MaxProviderNameLength })
            Error(AgreementFormFields.Provider, $"The provider's name is at most {AgreementTerms.MaxProviderNameLength} characters.");
        if (values.ProviderContact is { } contact && (contact.Length > 200 || contact.Count(c => c == '@') != 1 || contact.StartsWith('@') || contact.EndsWith('@') || contact.Any(char.IsWhiteSpace)))
            Error(AgreementFormFields.ProviderContact, "Give an e-mail address, such as pat@contoso.example.");

        var services = ServiceNames(values.Services, out var unknownServices);
        if (unknownServices.Count > 0)
            Error(AgreementFormFields.Services, "Choose services from the list.");
        if (values.OtherServices is { Length: > MaxOtherServicesLength })
            Error(AgreementFormFields.OtherServices, $"The description is at most {MaxOtherServicesLength} characters.");
        else if (services.Contains(ServiceKind.Other) && values.OtherServices is null)
            Error(AgreementFormFields.OtherServices, "Describe the other services.");
        else if (!services.Contains(ServiceKind.Other) && values.OtherServices is not null && unknownServices.Count == 0)
            Error(AgreementFormFields.OtherServices, "Tick Other among the services, or clear this description.");

        if (values.Coverage is not null && EnumName<SupportCoverage>(values.Coverage) is null)
            Error(AgreementFormFields.Coverage, "Choose hardware, software or both.");

        ValidateScope(values, Error);

        var start = Date(values.StartDate);
        var end = Date(values.EndDate);
        if (values.StartDate is not null && start is null)
            Error(AgreementFormFields.StartDate, "Give the start date as a date (yyyy-mm-dd).");
        if (values.EndDate is not null && end is null)
            Error(AgreementFormFields.EndDate, "Give the end date as a date (yyyy-mm-dd).");
        else if (start is { } s && end is { } e && e <= s)
            Error(AgreementFormFields.EndDate, "The end date must be after the start date.");
        ValidateDuration(values, start, end, Error);
        if (values.Notice is not null && AgreementFormSections.Period(values.Notice) is null)
            Error(AgreementFormFields.Notice, "Give the notice period as a number of days, weeks or months, such as 3 months.");
        ValidateAdditionalServices(values, Error);
        ValidateServiceLevels(values, Error);
        foreach (var level in Enum.GetValues<SupportLevel>())
        {
            if (AddressList.Problem(values.ContactsOf(level), MaxOversightOwners, $"{level} contacts") is { } contactsProblem)
                Error(AgreementFormFields.ContactsOf(level), contactsProblem);
        }

        ValidatePricing(values, Error);

        if (AddressList.Problem(values.Oversight, MaxOversightOwners, "oversight owners") is { } oversightProblem)
            Error(AgreementFormFields.Oversight, oversightProblem);

        ValidateDataProtection(values, Error);

        return errors;
    }

    /// <summary>Our data-protection contacts typed: split at <c>,</c> and <c>;</c>, trimmed, duplicates (ignoring case) dropped.</summary>
    public static IReadOnlyList<string> DataProtectionAddresses(AgreementFormValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return AddressList.Split(values.DataProtectionContacts);
    }

    /// <summary>The oversight owners typed: split at <c>,</c> and <c>;</c>, trimmed, duplicates (ignoring case) dropped.</summary>
    public static IReadOnlyList<string> OversightAddresses(AgreementFormValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return AddressList.Split(values.Oversight);
    }

    /// <summary>
    /// <paramref name="baseTerms"/> with the fields the one-card form had (before it had steps) replaced by the form's
    /// values: provider, oversight owners, services, coverage, start and end date, pricing, and data protection;
    /// everything else stays. A form posted without a <c>section</c> (a card sent before the form had steps) is read this way.
    /// </summary>
    /// <param name="dataProtectionContacts">
    /// Our data-protection contacts, as <see cref="DataProtectionAddresses"/> resolved them (empty: keep the base terms',
    /// else the oversight owners). The data-protection section of the result: these, the provider's contact typed (else
    /// the base terms'), and the deadline typed (else the base terms', else 72 hours); none while the provider's side
    /// has nobody (a submission then says so).
    /// </param>
    public static AgreementTerms Apply(AgreementFormValues values, AgreementTerms baseTerms, IReadOnlyList<PersonId> oversightOwners, IReadOnlyList<ContactPoint>? dataProtectionContacts = null)
    {
        ArgumentNullException.ThrowIfNull(baseTerms);
        var applied = Apply(values, baseTerms, new AgreementFormPeople(oversightOwners, [], [], []) { DataProtection = dataProtectionContacts ?? [] }, OneCardSections);
        return applied with
        {
            Responsibilities = baseTerms.Responsibilities,
            SupportConstraints = baseTerms.SupportConstraints,
            TerminationNotice = baseTerms.TerminationNotice,
            AdditionalServices = baseTerms.AdditionalServices,
        };
    }

    /// <summary>The sections whose fields the one-card form had (it had no responsibilities, constraints, notice or additional services; blank data-protection fields keep what is there).</summary>
    public static readonly IReadOnlyCollection<AgreementFormSection> OneCardSections = [AgreementFormSection.Basics, AgreementFormSection.Scope, AgreementFormSection.Term, AgreementFormSection.DataProtection];

    /// <summary>
    /// <paramref name="baseTerms"/> with the parts of the terms that <paramref name="sections"/> edit replaced by the
    /// form's values (the people as <paramref name="people"/> resolved them); the rest stays as it was. A field left
    /// empty clears its part. Call after <see cref="Validate"/>: values that do not validate throw
    /// <see cref="ArgumentException"/>; values the domain refuses in combination (a level with no contacts while others
    /// have some) throw its <see cref="DomainException"/>.
    /// </summary>
    public static AgreementTerms Apply(AgreementFormValues values, AgreementTerms baseTerms, AgreementFormPeople people, IReadOnlyCollection<AgreementFormSection> sections)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(baseTerms);
        ArgumentNullException.ThrowIfNull(people);
        ArgumentNullException.ThrowIfNull(sections);
        var problems = Validate(values).Where(e => e.Key != AgreementFormFields.Name && sections.Contains(AgreementFormSections.SectionOf(e.Key))).ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException("The agreement form does not validate: " + string.Join(" ", problems.Select(p => $"{p.Key}: {p.Value}")), nameof(values));
        }

        var terms = baseTerms;
        if (sections.Contains(AgreementFormSection.Basics))
            terms = terms with { ProviderName = values.Provider, OversightOwners = [.. people.Oversight.Distinct()] };
        if (sections.Contains(AgreementFormSection.Scope))
        {
            var services = ServiceNames(values.Services, out _);
            var ours = AgreementFormSections.Lines(values.OurResponsibilities);
            var theirs = AgreementFormSections.Lines(values.ProviderResponsibilities);
            terms = terms with
            {
                Services = services.Count > 0 ? new ServicesInScope(services, values.OtherServices) : null,
                Coverage = EnumName<SupportCoverage>(values.Coverage),
                Responsibilities = ours.Count + theirs.Count > 0 ? new Responsibilities(ours, theirs) : null,
                SupportConstraints = AgreementFormSections.Lines(values.Constraints),
            };
        }

        if (sections.Contains(AgreementFormSection.Term))
        {
            var start = Date(values.StartDate);
            terms = terms with
            {
                StartDate = start,
                EndDate = Date(values.EndDate) ?? (start is { } s && AgreementFormSections.Period(values.Duration) is { } duration ? TermDates.EndOf(s, duration) : null),
                TerminationNotice = AgreementFormSections.Period(values.Notice),
                Pricing = EnumName<PricingStructure>(values.Pricing) is { } structure && Amount(values.Amount) is { } amount && values.Currency is { } currency
                    ? new Pricing(structure, amount, currency)
                    : null,
                AdditionalServices = [.. AgreementFormSections.Lines(values.AdditionalServices).Select(l => AgreementFormSections.PricedLine(l)!.Value).Select(a => new AdditionalService(a.Name, a.Price))],
            };
        }

        if (sections.Contains(AgreementFormSection.Service))
            terms = terms with { ServiceLevels = ServiceLevels(values), Escalation = Escalation(values, baseTerms.Escalation, people) };
        if (sections.Contains(AgreementFormSection.DataProtection))
            terms = terms with { DataProtection = DataProtection(values, terms, terms.OversightOwners, people.DataProtection) };
        return terms;
    }

    private static ServiceLevelTargets? ServiceLevels(AgreementFormValues values)
    {
        var priorities = Enum.GetValues<Priority>();
        if (priorities.All(p => values.ResponseOf(p) is null && values.ResolutionOf(p) is null)) return null;
        var aroundTheClock = PriorityNames(values.AroundTheClock, out _);
        return new ServiceLevelTargets(priorities.Select(p => new PriorityTarget(
            p, AgreementFormSections.Target(values.ResponseOf(p))!.Value, AgreementFormSections.Target(values.ResolutionOf(p))!.Value, aroundTheClock.Contains(p))));
    }

    /// <summary>L1–L3 with the people typed; a level left empty keeps its channel when it had one. All empty and no channels: none.</summary>
    private static EscalationProcedure? Escalation(AgreementFormValues values, EscalationProcedure? before, AgreementFormPeople people)
    {
        var levels = Enum.GetValues<SupportLevel>();
        string? ChannelOf(SupportLevel level) => before?.Levels.FirstOrDefault(l => l.Level == level)?.Contacts.ChannelId;
        string? DescriptionOf(SupportLevel level) => before?.Levels.FirstOrDefault(l => l.Level == level)?.Description ?? level switch
        {
            SupportLevel.L1 => "First-line support",
            SupportLevel.L2 => "Technical support",
            _ => "Management",
        };
        if (levels.All(l => people.Of(l).Count == 0 && ChannelOf(l) is null)) return null;
        foreach (var level in levels.Where(l => people.Of(l).Count == 0 && ChannelOf(l) is null))
            throw new DomainException("agreement.invalid", $"Give the {level} contacts too: every level needs someone to tell.");
        return new EscalationProcedure(levels.Select(l => new EscalationLevel(l, new EscalationContacts(people.Of(l).Distinct(), ChannelOf(l)), DescriptionOf(l))));
    }

    private static void ValidateScope(AgreementFormValues values, Action<string, string> error)
    {
        void Lines(string? text, string field, int max, int maxLength, string what)
        {
            var lines = AgreementFormSections.Lines(text);
            if (lines.Count > max) error(field, $"List at most {max} {what}, one per line.");
            else if (lines.FirstOrDefault(l => l.Length > maxLength) is { } tooLong)
                error(field, $"Each line is at most {maxLength} characters; this one has {tooLong.Length}: {tooLong[..40]}…");
            else if (lines.GroupBy(l => l, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
                error(field, $"Listed twice: {twice.Key}");
        }

        Lines(values.OurResponsibilities, AgreementFormFields.OurResponsibilities, Responsibilities.MaxItems, Responsibilities.MaxItemLength, "responsibilities");
        Lines(values.ProviderResponsibilities, AgreementFormFields.ProviderResponsibilities, Responsibilities.MaxItems, Responsibilities.MaxItemLength, "responsibilities");
        Lines(values.Constraints, AgreementFormFields.Constraints, AgreementTerms.MaxSupportConstraints, AgreementTerms.MaxSupportConstraintLength, "constraints");
    }

    private static void ValidateDuration(AgreementFormValues values, DateOnly? start, DateOnly? end, Action<string, string> error)
    {
        if (values.Duration is null) return;
        if (AgreementFormSections.Period(values.Duration) is not { } duration)
            error(AgreementFormFields.Duration, "Give the duration as a number of days, weeks, months or years, such as 12 months.");
        else if (start is not { } s)
            error(AgreementFormFields.Duration, "A duration counts from the start date: give the start date too.");
        else if (end is { } e && TermDates.EndOf(s, duration) != e)
            error(AgreementFormFields.Duration, $"{AgreementFormSections.PeriodText(duration)} from the start date ends on {TermDates.Format(TermDates.EndOf(s, duration))}, not on the end date given; clear one of them.");
    }

    private static void ValidateAdditionalServices(AgreementFormValues values, Action<string, string> error)
    {
        var lines = AgreementFormSections.Lines(values.AdditionalServices);
        if (lines.Count > AgreementTerms.MaxAdditionalServices)
            error(AgreementFormFields.AdditionalServices, $"List at most {AgreementTerms.MaxAdditionalServices} additional services, one per line.");
        else if (lines.FirstOrDefault(l => AgreementFormSections.PricedLine(l) is null) is { } bad)
            error(AgreementFormFields.AdditionalServices, $"Write each as name: price, such as On-site visit: 150 — not: {(bad.Length > 60 ? bad[..60] + "…" : bad)}");
        else if (lines.FirstOrDefault(l => AgreementFormSections.PricedLine(l)!.Value.Name.Length > AdditionalService.MaxNameLength) is not null)
            error(AgreementFormFields.AdditionalServices, $"A service's name is at most {AdditionalService.MaxNameLength} characters.");
        else if (lines.GroupBy(l => AgreementFormSections.PricedLine(l)!.Value.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
            error(AgreementFormFields.AdditionalServices, $"Listed twice: {twice.Key}");
    }

    private static void ValidateServiceLevels(AgreementFormValues values, Action<string, string> error)
    {
        var priorities = Enum.GetValues<Priority>();
        var any = priorities.Any(p => values.ResponseOf(p) is not null || values.ResolutionOf(p) is not null);
        foreach (var p in priorities)
        {
            var response = AgreementFormSections.Target(values.ResponseOf(p));
            var resolution = AgreementFormSections.Target(values.ResolutionOf(p));
            if (values.ResponseOf(p) is not null && response is null)
                error(AgreementFormFields.ResponseOf(p), "Give a time such as 15 min, 4 h or 2 d.");
            else if (any && values.ResponseOf(p) is null)
                error(AgreementFormFields.ResponseOf(p), $"Give the {p} response target too: targets are given for all of P1–P4.");
            if (values.ResolutionOf(p) is not null && resolution is null)
                error(AgreementFormFields.ResolutionOf(p), "Give a time such as 15 min, 4 h or 2 d.");
            else if (any && values.ResolutionOf(p) is null)
                error(AgreementFormFields.ResolutionOf(p), $"Give the {p} resolution target too: targets are given for all of P1–P4.");
            else if (response is { } r && resolution is { } f && f < r)
                error(AgreementFormFields.ResolutionOf(p), $"{p}: the resolution target cannot be shorter than the response target.");
        }

        PriorityNames(values.AroundTheClock, out var unknown);
        if (unknown.Count > 0) error(AgreementFormFields.AroundTheClock, "Choose priorities from the list.");
    }

    private static List<Priority> PriorityNames(string? text, out List<string> unknown)
    {
        unknown = [];
        var result = new List<Priority>();
        foreach (var part in (text ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (EnumName<Priority>(part) is { } p) result.Add(p);
            else unknown.Add(part);
        }

        return result;
    }

    /// <summary>Longest breach notification deadline the form accepts, in hours (the domain's limit).</summary>
    public static int MaxBreachDeadlineHours => (int)DataProtectionTerms.MaxDeadline.TotalHours;

    private static DataProtectionTerms? DataProtection(AgreementFormValues values, AgreementTerms baseTerms, IReadOnlyList<PersonId> owners, IReadOnlyList<ContactPoint> ours)
    {
        var current = baseTerms.DataProtection;
        var our = ours.Count > 0 ? ours
            : current?.OurContacts is { Count: > 0 } kept ? kept
            : [.. owners.Distinct().Select(o => new ContactPoint("Oversight owner", o, role: "Data protection"))];
        var theirs = values.ProviderDataProtectionContact is { } email
            ? current?.ProviderContacts.Any(c => string.Equals(c.Email, email, StringComparison.OrdinalIgnoreCase)) == true
                ? current.ProviderContacts
                : [new ContactPoint($"{values.Provider ?? "Provider"} data protection", email: email, role: "Data protection")]
            : current?.ProviderContacts ?? [];
        var deadline = Hours(values.BreachDeadlineHours) is { } hours ? TimeSpan.FromHours(hours)
            : current?.NotificationDeadline ?? StandardTerms.StandardBreachNotificationDeadline;
        return our.Count > 0 && theirs.Count > 0 ? new DataProtectionTerms(our, theirs, deadline) : null;
    }

    /// <summary>Whole hours from 1 to <see cref="MaxBreachDeadlineHours"/>, or null.</summary>
    internal static int? Hours(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var hours) && hours >= 1 && hours <= MaxBreachDeadlineHours ? hours : null;

    private static void ValidateDataProtection(AgreementFormValues values, Action<string, string> error)
    {
        if (AddressList.Problem(values.DataProtectionContacts, DataProtectionTerms.MaxContactsPerSide, "data-protection contacts") is { } problem)
            error(AgreementFormFields.DataProtectionContacts, problem);
        if (values.ProviderDataProtectionContact is { } contact && !AddressList.LooksLikeAddress(contact))
            error(AgreementFormFields.ProviderDataProtectionContact, "Give an e-mail address, such as privacy@contoso.example.");
        if (values.BreachDeadlineHours is not null && Hours(values.BreachDeadlineHours) is null)
            error(AgreementFormFields.BreachDeadlineHours, $"Give the deadline in whole hours, from 1 to {MaxBreachDeadlineHours}, such as 72.");
    }

    /// <summary>A date typed as <c>yyyy-MM-dd</c>, or null.</summary>
    internal static DateOnly? Date(string? text) =>
        DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    /// <summary>A non-negative amount in invariant notation (<c>4500</c>, <c>4500.50</c>), or null.</summary>
    internal static decimal? Amount(string? text) =>
        text is { Length: > 0 and <= MaxAmountLength }
        && decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var amount)
        && amount >= 0
            ? amount
            : null;

    /// <summary>The enum member named <paramref name="text"/> (ignoring case; numbers are not names), or null.</summary>
    internal static T? EnumName<T>(string? text)
        where T : struct, Enum =>
        text is not null && Enum.GetNames<T>().FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase)) is { } name
            ? Enum.Parse<T>(name)
            : null;

    private static List<ServiceKind> ServiceNames(string? text, out List<string> unknown)
    {
        unknown = [];
        var kinds = new List<ServiceKind>();
        foreach (var part in (text ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (EnumName<ServiceKind>(part) is { } kind)
            {
                if (!kinds.Contains(kind)) kinds.Add(kind);
            }
            else
            {
                unknown.Add(part);
            }
        }

        return kinds;
    }

    private static void ValidatePricing(AgreementFormValues values, Action<string, string> error)
    {
        if (values.Pricing is null && values.Amount is null && values.Currency is null)
        {
            return;
        }

        if (values.Pricing is null)
            error(AgreementFormFields.Pricing, "Choose how the provider is paid, or clear the amount and currency.");
        else if (EnumName<PricingStructure>(values.Pricing) is null)
            error(AgreementFormFields.Pricing, "Choose hourly, monthly retainer or per project.");

        if (values.Amount is null)
            error(AgreementFormFields.Amount, "Give the amount, or clear the pricing.");
        else if (Amount(values.Amount) is null)
            error(AgreementFormFields.Amount, "Give the amount as a number that is not negative, such as 4500 or 120.50.");

        if (values.Currency is null)
            error(AgreementFormFields.Currency, "Give the currency, such as EUR, or clear the pricing.");
        else if (values.Currency.Length != 3 || !values.Currency.All(char.IsAsciiLetter))
            error(AgreementFormFields.Currency, "The currency is a three-letter code, such as EUR or USD.");
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
