namespace ApprovalBot.Approvals.Cards;

// The data of cards/approval-request-form.json (serialised by CardRenderer: camelCase, nulls left out).

/// <summary>Data of the approval request form.</summary>
/// <param name="Error">The line at the top, in attention colour; null for none.</param>
/// <param name="Flows">Flow names to choose from; none hides the flow choice.</param>
/// <param name="Values">What the inputs show (empty strings for nothing).</param>
/// <param name="Errors">Messages shown under their inputs.</param>
public sealed record RequestFormCardData(string? Error, IReadOnlyList<string> Flows, RequestFormInputs Values, RequestFormErrors Errors)
{
    internal const string CorrectTheFields = "Some fields need your attention; see the messages under them.";

    internal static RequestFormCardData Create(
        IReadOnlyList<string> flowNames,
        RequestFormValues? values,
        IReadOnlyDictionary<string, string>? errors,
        string? error)
    {
        ArgumentNullException.ThrowIfNull(flowNames);
        errors ??= new Dictionary<string, string>();
        var fieldErrors = RequestFormErrors.From(errors, out var unplaced);
        if (flowNames.Count == 0 && fieldErrors.Flow is { } flowError)
        {
            // No flows, no flow input to show the message under.
            unplaced = [flowError, .. unplaced];
            fieldErrors = fieldErrors with { Flow = null };
        }

        var summary = string.Join(' ', new[] { error }.Concat(unplaced).Where(e => !string.IsNullOrWhiteSpace(e)));
        if (summary.Length == 0 && errors.Count > 0)
        {
            summary = CorrectTheFields;
        }

        return new RequestFormCardData(
            summary.Length == 0 ? null : summary,
            [.. flowNames],
            RequestFormInputs.From(values),
            fieldErrors);
    }
}

/// <summary>The inputs' values: never null, so the template binds them without guards.</summary>
public sealed record RequestFormInputs(string Title, string Details, string LinkTitle, string Link, string Flow, string Approvers, string Rule)
{
    internal static RequestFormInputs From(RequestFormValues? values) => new(
        values?.Title ?? string.Empty,
        values?.Details ?? string.Empty,
        values?.LinkTitle ?? string.Empty,
        values?.Link ?? string.Empty,
        values?.Flow ?? string.Empty,
        values?.Approvers ?? string.Empty,
        values?.Rule ?? RequestForm.RuleAny);
}

/// <summary>A message per input, null where the input is fine.</summary>
public sealed record RequestFormErrors(
    string? Title = null,
    string? Details = null,
    string? LinkTitle = null,
    string? Link = null,
    string? Flow = null,
    string? Approvers = null,
    string? Rule = null)
{
    internal static RequestFormErrors From(IReadOnlyDictionary<string, string> errors, out IReadOnlyList<string> unplaced)
    {
        string? Take(string id) => errors.TryGetValue(id, out var message) && !string.IsNullOrWhiteSpace(message) ? message : null;
        string[] known = [RequestFormFields.Title, RequestFormFields.Details, RequestFormFields.LinkTitle, RequestFormFields.Link, RequestFormFields.Flow, RequestFormFields.Approvers, RequestFormFields.Rule];
        unplaced = [.. errors.Where(e => !known.Contains(e.Key, StringComparer.Ordinal)).Select(e => e.Value)];
        return new RequestFormErrors(
            Take(RequestFormFields.Title),
            Take(RequestFormFields.Details),
            Take(RequestFormFields.LinkTitle),
            Take(RequestFormFields.Link),
            Take(RequestFormFields.Flow),
            Take(RequestFormFields.Approvers),
            Take(RequestFormFields.Rule));
    }
}
