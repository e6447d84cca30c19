using System.Globalization;

namespace ApprovalBot.Agreements.Cards;

// The data of cards/agreement-form.json (serialised by CardRenderer: camelCase, nulls left out).

/// <summary>Data of the agreement form.</summary>
/// <param name="Error">The line at the top, in attention colour; null for none.</param>
/// <param name="Values">What the inputs show.</param>
/// <param name="Errors">Messages shown under their inputs.</param>
/// <param name="AgreementId">Set when revising an agreement (the Save button revises, Cancel shows it); null creates one.</param>
/// <param name="Revision">The revision being revised, carried back so a stale form is noticed.</param>
public sealed record AgreementFormCardData(string? Error, AgreementFormInputs Values, AgreementFormErrors Errors, long? AgreementId = null, int? Revision = null)
{
    internal const string CorrectTheFields = "Some fields need your attention; see the messages under them.";

    internal static AgreementFormCardData Create(
        AgreementFormValues? values,
        IReadOnlyDictionary<string, string>? errors,
        string? error,
        long? agreementId,
        int? revision)
    {
        errors ??= new Dictionary<string, string>();
        var fieldErrors = AgreementFormErrors.From(errors, out var unplaced);
        var summary = string.Join(' ', new[] { error }.Concat(unplaced).Where(e => !string.IsNullOrWhiteSpace(e)));
        if (summary.Length == 0 && errors.Count > 0)
        {
            summary = CorrectTheFields;
        }

        return new AgreementFormCardData(summary.Length == 0 ? null : summary, AgreementFormInputs.From(values), fieldErrors, agreementId, agreementId is null ? null : revision);
    }
}

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
    string? DpContacts = null,
    string? DpProviderContact = null,
    string? DpDeadlineHours = null)
{
    internal static AgreementFormErrors From(IReadOnlyDictionary<string, string> errors, out IReadOnlyList<string> unplaced)
    {
        string? Take(string id) => errors.TryGetValue(id, out var message) && !string.IsNullOrWhiteSpace(message) ? message : null;
        string[] known =
        [
            AgreementFormFields.Name, AgreementFormFields.Provider, AgreementFormFields.Services, AgreementFormFields.OtherServices,
            AgreementFormFields.Coverage, AgreementFormFields.StartDate, AgreementFormFields.EndDate, AgreementFormFields.Pricing,
            AgreementFormFields.Amount, AgreementFormFields.Currency, AgreementFormFields.Oversight, AgreementFormFields.ProviderContact,
            AgreementFormFields.DataProtectionContacts, AgreementFormFields.ProviderDataProtectionContact, AgreementFormFields.BreachDeadlineHours,
        ];
        unplaced = [.. errors.Where(e => !known.Contains(e.Key, StringComparer.Ordinal)).Select(e => e.Value)];
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
            Take(AgreementFormFields.DataProtectionContacts),
            Take(AgreementFormFields.ProviderDataProtectionContact),
            Take(AgreementFormFields.BreachDeadlineHours));
    }
}
