namespace ApprovalBot.Escalations.Cards;

// The data of cards/escalation-form.json (serialised by CardRenderer: camelCase, nulls left out).

/// <summary>Data of the escalation form.</summary>
/// <param name="Error">The line at the top, in attention colour; null for none.</param>
/// <param name="Agreements">The Active agreements to choose from; none hides the choice.</param>
/// <param name="Values">What the inputs show (empty strings for nothing).</param>
/// <param name="Errors">Messages shown under their inputs.</param>
public sealed record EscalationFormCardData(string? Error, IReadOnlyList<EscalationFormChoice> Agreements, EscalationFormInputs Values, EscalationFormErrors Errors)
{
    internal const string CorrectTheFields = "Some fields need your attention; see the messages under them.";

    internal const string NoAgreements = "There is no active agreement to escalate against.";

    internal static EscalationFormCardData Create(
        IReadOnlyList<EscalationFormAgreement> agreements, EscalationFormValues? values, IReadOnlyDictionary<string, string>? errors, string? error)
    {
        ArgumentNullException.ThrowIfNull(agreements);
        errors ??= new Dictionary<string, string>();
        string? Take(string id) => errors.TryGetValue(id, out var message) && !string.IsNullOrWhiteSpace(message) ? message : null;
        string[] known = [EscalationFormFields.Agreement, EscalationFormFields.Priority, EscalationFormFields.Title, EscalationFormFields.Description];
        var unplaced = errors.Where(e => !known.Contains(e.Key, StringComparer.Ordinal)).Select(e => e.Value).ToList();
        var fieldErrors = new EscalationFormErrors(Take(EscalationFormFields.Agreement), Take(EscalationFormFields.Priority), Take(EscalationFormFields.Title), Take(EscalationFormFields.Description));
        if (agreements.Count == 0)
        {
            // No agreements, no choice to show the message under.
            unplaced.Insert(0, fieldErrors.Agreement ?? NoAgreements);
            fieldErrors = fieldErrors with { Agreement = null };
        }

        var summary = string.Join(' ', new[] { error }.Concat(unplaced).Where(e => !string.IsNullOrWhiteSpace(e)).Distinct(StringComparer.Ordinal));
        if (summary.Length == 0 && errors.Count > 0) summary = CorrectTheFields;
        return new EscalationFormCardData(
            summary.Length == 0 ? null : summary,
            [.. agreements.Select(a => new EscalationFormChoice(a.Name, a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)))],
            new EscalationFormInputs(values?.Agreement ?? string.Empty, values?.Priority ?? string.Empty, values?.Title ?? string.Empty, values?.Description ?? string.Empty),
            fieldErrors);
    }
}

/// <summary>One choice of agreement: its name shown, its id sent.</summary>
public sealed record EscalationFormChoice(string Title, string Value);

/// <summary>The inputs' values: never null, so the template binds them without guards.</summary>
public sealed record EscalationFormInputs(string Agreement, string Priority, string Title, string Description);

/// <summary>A message per input, null where the input is fine.</summary>
public sealed record EscalationFormErrors(string? Agreement = null, string? Priority = null, string? Title = null, string? Description = null);
