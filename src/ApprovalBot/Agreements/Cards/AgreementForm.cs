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
/// (<see cref="ServiceKind"/> names separated by commas); dates are <c>yyyy-MM-dd</c>.
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
    string? DataProtectionContacts = null,
    string? ProviderDataProtectionContact = null,
    string? BreachDeadlineHours = null);

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
        FormFields.Text(actionData, AgreementFormFields.DataProtectionContacts),
        FormFields.Text(actionData, AgreementFormFields.ProviderDataProtectionContact),
        FormFields.TextOrNumber(actionData, AgreementFormFields.BreachDeadlineHours));

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
            terms.CommunicationPlan?.ProviderContacts.Select(c => c.Email).FirstOrDefault(e => e is not null),
            Addresses(terms.DataProtection?.OurContacts.Select(c => c.Person is { } p ? emailOf(p) : null)),
            terms.DataProtection?.ProviderContacts.Select(c => c.Email).FirstOrDefault(e => e is not null),
            terms.DataProtection?.NotificationDeadline is { } deadline && deadline.Ticks % TimeSpan.TicksPerHour == 0
                ? ((long)deadline.TotalHours).ToString(CultureInfo.InvariantCulture)
                : null);
    }

    private static string? Addresses(IEnumerable<string?>? emails)
    {
        var list = (emails ?? []).Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => e!.Trim()).ToList();
        return list.Count == 0 ? null : string.Join("; ", list);
    }

    /// <summary>Every problem with the values, by field id (empty when the form can be saved). All errors at once.</summary>
    public static IReadOnlyDictionary<string, string> Validate(AgreementFormValues values)
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

        var start = Date(values.StartDate);
        var end = Date(values.EndDate);
        if (values.StartDate is not null && start is null)
            Error(AgreementFormFields.StartDate, "Give the start date as a date (yyyy-mm-dd).");
        if (values.EndDate is not null && end is null)
            Error(AgreementFormFields.EndDate, "Give the end date as a date (yyyy-mm-dd).");
        else if (start is { } s && end is { } e && e <= s)
            Error(AgreementFormFields.EndDate, "The end date must be after the start date.");

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
    /// <paramref name="baseTerms"/> with the form's sections replaced by the form's values: provider, services,
    /// coverage, start and end date, pricing, and <paramref name="oversightOwners"/> (the people
    /// <see cref="OversightAddresses"/> resolved to). A field left empty clears its section. Call after
    /// <see cref="Validate"/>: values that do not validate throw <see cref="ArgumentException"/>.
    /// </summary>
    /// <param name="dataProtectionContacts">
    /// Our data-protection contacts, as <see cref="DataProtectionAddresses"/> resolved them (empty: keep the base terms',
    /// else the oversight owners). The data-protection section of the result: these, the provider's contact typed (else
    /// the base terms'), and the deadline typed (else the base terms', else 72 hours); none while the provider's side
    /// has nobody (a submission then says so).
    /// </param>
    public static AgreementTerms Apply(AgreementFormValues values, AgreementTerms baseTerms, IReadOnlyList<PersonId> oversightOwners, IReadOnlyList<ContactPoint>? dataProtectionContacts = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(baseTerms);
        ArgumentNullException.ThrowIfNull(oversightOwners);
        var problems = Validate(values).Where(e => e.Key != AgreementFormFields.Name).ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException("The agreement form does not validate: " + string.Join(" ", problems.Select(p => $"{p.Key}: {p.Value}")), nameof(values));
        }

        var services = ServiceNames(values.Services, out _);
        return baseTerms with
        {
            ProviderName = values.Provider,
            Services = services.Count > 0 ? new ServicesInScope(services, values.OtherServices) : null,
            Coverage = EnumName<SupportCoverage>(values.Coverage),
            StartDate = Date(values.StartDate),
            EndDate = Date(values.EndDate),
            Pricing = EnumName<PricingStructure>(values.Pricing) is { } structure && Amount(values.Amount) is { } amount && values.Currency is { } currency
                ? new Pricing(structure, amount, currency)
                : null,
            OversightOwners = [.. oversightOwners.Distinct()],
            DataProtection = DataProtection(values, baseTerms, oversightOwners, dataProtectionContacts ?? []),
        };
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
