using System.Globalization;

namespace ApprovalBot.Agreements.Cards;

// The data of cards/agreement-form.json (serialised by CardRenderer: camelCase, nulls left out).

/// <summary>Data of the agreement form: one section (step) of it.</summary>
/// <param name="Error">The line at the top, in attention colour; null for none.</param>
/// <param name="Values">What the inputs show (all sections'; the card shows the current section's).</param>
/// <param name="Errors">Messages shown under their inputs.</param>
/// <param name="AgreementId">Set when revising an agreement (the buttons revise it, Cancel shows it); null creates one.</param>
/// <param name="Revision">The revision being revised, carried back so a stale form is noticed; set with <paramref name="AgreementId"/>.</param>
/// <param name="Section">The section shown: basics, scope, term, service or dataprotection (<see cref="AgreementFormSections.Id"/>).</param>
/// <param name="Step">For example "Step 2 of 5 · Scope and responsibilities".</param>
/// <param name="Notice">A confirmation line at the top, for example "Saved."; null for none.</param>
/// <param name="Problems">Everything a submission still needs, by section (after a refused submission); empty otherwise.</param>
public sealed record AgreementFormCardData(
    string? Error,
    AgreementFormInputs Values,
    AgreementFormErrors Errors,
    long? AgreementId,
    int? Revision,
    string Section,
    string Step,
    string? Notice,
    IReadOnlyList<AgreementFormProblem> Problems)
{
    internal const string CorrectTheFields = "Some fields need your attention; see the messages under them.";

    internal static AgreementFormCardData Create(
        AgreementFormValues? values,
        IReadOnlyDictionary<string, string>? errors,
        string? error,
        long? agreementId,
        int? revision,
        AgreementFormSection section = AgreementFormSection.Basics,
        IReadOnlyList<AgreementFormProblem>? problems = null,
        string? notice = null)
    {
        errors ??= new Dictionary<string, string>();
        var fieldErrors = AgreementFormErrors.From(errors, out var unplaced);
        var summary = string.Join(' ', new[] { error }.Concat(unplaced).Where(e => !string.IsNullOrWhiteSpace(e)));
        if (summary.Length == 0 && errors.Count > 0)
        {
            summary = CorrectTheFields;
        }

        var number = AgreementFormSections.All.ToList().IndexOf(section) + 1;
        return new AgreementFormCardData(
            summary.Length == 0 ? null : summary,
            AgreementFormInputs.From(values),
            fieldErrors,
            agreementId,
            agreementId is null ? null : revision ?? 0,
            AgreementFormSections.Id(section),
            string.Create(CultureInfo.InvariantCulture, $"Step {number} of {AgreementFormSections.All.Count} · {AgreementFormSections.Title(section)}"),
            string.IsNullOrWhiteSpace(notice) ? null : notice,
            problems ?? []);
    }
}

/// <summary>One thing a submission still needs, with the title of the section where it is fixed.</summary>
public sealed record AgreementFormProblem(string Section, string Message);

/// <summary>
/// The inputs' values. Strings are never null, so the template binds them without guards; dates are given only when
/// they are dates (an <c>Input.Date</c> cannot show anything else); the amount is a number (an <c>Input.Number</c>
/// ignores text), left out when there is none.
/// </summary>
public sealed record AgreementFormInputs(
    string Name,
    string Provider,
    string Services,
    string OtherServices,
    string Coverage,
    string StartDate,
    string EndDate,
    string Pricing,
    decimal? Amount,
    string Currency,
    string Oversight,
    string ProviderContact,
    string OurResponsibilities,
    string ProviderResponsibilities,
    string Constraints,
    string Duration,
    string Notice,
    string AdditionalServices,
    string P1Response,
    string P1Resolution,
    string P2Response,
    string P2Resolution,
    string P3Response,
    string P3Resolution,
    string P4Response,
    string P4Resolution,
    string AroundTheClock,
    string L1Contacts,
    string L2Contacts,
    string L3Contacts,
    string DpContacts,
    string DpProviderContact,
    int? DpDeadlineHours)
{
    internal static AgreementFormInputs From(AgreementFormValues? values) => new(
        values?.Name ?? string.Empty,
        values?.Provider ?? string.Empty,
        values?.Services ?? string.Empty,
        values?.OtherServices ?? string.Empty,
        values?.Coverage ?? string.Empty,
        DateOrEmpty(values?.StartDate),
        DateOrEmpty(values?.EndDate),
        values?.Pricing ?? string.Empty,
        AgreementForm.Amount(values?.Amount),
        values?.Currency ?? string.Empty,
        values?.Oversight ?? string.Empty,
        values?.ProviderContact ?? string.Empty,
        values?.OurResponsibilities ?? string.Empty,
        values?.ProviderResponsibilities ?? string.Empty,
        values?.Constraints ?? string.Empty,
        values?.Duration ?? string.Empty,
        values?.Notice ?? string.Empty,
        values?.AdditionalServices ?? string.Empty,
        values?.P1Response ?? string.Empty,
        values?.P1Resolution ?? string.Empty,
        values?.P2Response ?? string.Empty,
        values?.P2Resolution ?? string.Empty,
        values?.P3Response ?? string.Empty,
        values?.P3Resolution ?? string.Empty,
        values?.P4Response ?? string.Empty,
        values?.P4Resolution ?? string.Empty,
        values?.AroundTheClock ?? string.Empty,
        values?.L1Contacts ?? string.Empty,
        values?.L2Contacts ?? string.Empty,
        values?.L3Contacts ?? string.Empty,
        values?.DataProtectionContacts ?? string.Empty,
        values?.ProviderDataProtectionContact ?? string.Empty,
        AgreementForm.Hours(values?.BreachDeadlineHours));

    private static string DateOrEmpty(string? text) =>
        AgreementForm.Date(text)?.ToString(AgreementForm.DateFormat, CultureInfo.InvariantCulture) ?? string.Empty;
}

/// <summary>A message per input, null where the input is fine.</summary>
public sealed record AgreementFormErrors(
    string? Name = null,
    string? Provider = null,
    string? Services = null,
    string? OtherServices = null,
    string? Coverage = null,
    string? StartDate = null,
    string? EndDate = null,
    string? Pricing = null,
    string? Amount = null,
    string? Currency = null,
    string? Oversight = null,
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
    string? DpContacts = null,
    string? DpProviderContact = null,
    string? DpDeadlineHours = null)
{
    private static readonly string[] Known =
    [
        AgreementFormFields.Name, AgreementFormFields.Provider, AgreementFormFields.Services, AgreementFormFields.OtherServices,
        AgreementFormFields.Coverage, AgreementFormFields.StartDate, AgreementFormFields.EndDate, AgreementFormFields.Pricing,
        AgreementFormFields.Amount, AgreementFormFields.Currency, AgreementFormFields.Oversight, AgreementFormFields.ProviderContact,
        AgreementFormFields.OurResponsibilities, AgreementFormFields.ProviderResponsibilities, AgreementFormFields.Constraints,
        AgreementFormFields.Duration, AgreementFormFields.Notice, AgreementFormFields.AdditionalServices,
        AgreementFormFields.P1Response, AgreementFormFields.P1Resolution, AgreementFormFields.P2Response, AgreementFormFields.P2Resolution,
        AgreementFormFields.P3Response, AgreementFormFields.P3Resolution, AgreementFormFields.P4Response, AgreementFormFields.P4Resolution,
        AgreementFormFields.AroundTheClock, AgreementFormFields.L1Contacts, AgreementFormFields.L2Contacts, AgreementFormFields.L3Contacts,
        AgreementFormFields.DataProtectionContacts, AgreementFormFields.ProviderDataProtectionContact, AgreementFormFields.BreachDeadlineHours,
    ];

    internal static AgreementFormErrors From(IReadOnlyDictionary<string, string> errors, out IReadOnlyList<string> unplaced)
    {
        string? Take(string id) => errors.TryGetValue(id, out var message) && !string.IsNullOrWhiteSpace(message) ? message : null;
        unplaced = [.. errors.Where(e => !Known.Contains(e.Key, StringComparer.Ordinal)).Select(e => e.Value)];
        return new AgreementFormErrors(
            Take(AgreementFormFields.Name),
            Take(AgreementFormFields.Provider),
            Take(AgreementFormFields.Services),
            Take(AgreementFormFields.OtherServices),
            Take(AgreementFormFields.Coverage),
            Take(AgreementFormFields.StartDate),
            Take(AgreementFormFields.EndDate),
            Take(AgreementFormFields.Pricing),
            Take(AgreementFormFields.Amount),
            Take(AgreementFormFields.Currency),
            Take(AgreementFormFields.Oversight),
            Take(AgreementFormFields.ProviderContact),
            Take(AgreementFormFields.OurResponsibilities),
            Take(AgreementFormFields.ProviderResponsibilities),
            Take(AgreementFormFields.Constraints),
            Take(AgreementFormFields.Duration),
            Take(AgreementFormFields.Notice),
            Take(AgreementFormFields.AdditionalServices),
            Take(AgreementFormFields.P1Response),
            Take(AgreementFormFields.P1Resolution),
            Take(AgreementFormFields.P2Response),
            Take(AgreementFormFields.P2Resolution),
            Take(AgreementFormFields.P3Response),
            Take(AgreementFormFields.P3Resolution),
            Take(AgreementFormFields.P4Response),
            Take(AgreementFormFields.P4Resolution),
            Take(AgreementFormFields.AroundTheClock),
            Take(AgreementFormFields.L1Contacts),
            Take(AgreementFormFields.L2Contacts),
            Take(AgreementFormFields.L3Contacts),
            Take(AgreementFormFields.DataProtectionContacts),
            Take(AgreementFormFields.ProviderDataProtectionContact),
            Take(AgreementFormFields.BreachDeadlineHours));
    }
}
