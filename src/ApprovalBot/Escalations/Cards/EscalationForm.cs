using System.Globalization;
using System.Text.Json;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Escalations;

namespace ApprovalBot.Escalations.Cards;

/// <summary>The input ids of the escalation form; also the keys of <see cref="EscalationForm.Validate"/>'s result.</summary>
public static class EscalationFormFields
{
    /// <summary>The agreement's id (a choice among the Active agreements).</summary>
    public const string Agreement = "agreement";

    /// <summary>"P1" to "P4".</summary>
    public const string Priority = "priority";

    public const string Title = "title";

    public const string Description = "description";
}

/// <summary>What the escalation form sent, as typed: trimmed, blank as null, nothing else checked yet.</summary>
public sealed record EscalationFormValues(string? Agreement, string? Priority, string? Title, string? Description);

/// <summary>An Active agreement to choose in the form: its name and id.</summary>
public sealed record EscalationFormAgreement(long Id, string Name);

/// <summary>
/// Reads and checks the escalation form (<c>cards/escalation-form.json</c>). <see cref="Validate"/> applies the
/// domain's limits up front so that every problem shows next to its field at once; the domain has the last word.
/// </summary>
public static class EscalationForm
{
    /// <summary>Reads the inputs from an action's data; missing or non-string values read as null.</summary>
    public static EscalationFormValues Parse(JsonElement? actionData) => new(
        FormFields.Text(actionData, EscalationFormFields.Agreement),
        FormFields.Text(actionData, EscalationFormFields.Priority),
        FormFields.Text(actionData, EscalationFormFields.Title),
        FormFields.Text(actionData, EscalationFormFields.Description));

    /// <summary>Every problem with the values, by field id (empty when the escalation can be opened).</summary>
    public static IReadOnlyDictionary<string, string> Validate(EscalationFormValues values, IReadOnlyList<EscalationFormAgreement> active)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(active);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (values.Agreement is null)
            errors[EscalationFormFields.Agreement] = "Choose the agreement that covers the problem.";
        else if (AgreementId(values, active) is null)
            errors[EscalationFormFields.Agreement] = "That agreement is not active (any more); choose one from the list.";

        if (values.Priority is null)
            errors[EscalationFormFields.Priority] = "Choose a priority from P1 to P4.";
        else if (PriorityOf(values) is null)
            errors[EscalationFormFields.Priority] = "The priority is P1, P2, P3 or P4.";

        if (values.Title is null)
            errors[EscalationFormFields.Title] = "Give the escalation a title.";
        else if (values.Title.Length > Escalation.MaxTitleLength)
            errors[EscalationFormFields.Title] = $"The title is at most {Escalation.MaxTitleLength} characters; this has {values.Title.Length}.";

        if (values.Description is { Length: > Escalation.MaxDescriptionLength })
            errors[EscalationFormFields.Description] = $"The description is at most {Escalation.MaxDescriptionLength} characters; this has {values.Description.Length}.";
        return errors;
    }

    /// <summary>The chosen agreement's id when it is one of <paramref name="active"/>; else null.</summary>
    public static long? AgreementId(EscalationFormValues values, IReadOnlyList<EscalationFormAgreement> active)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(active);
        return long.TryParse(values.Agreement, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && active.Any(a => a.Id == id) ? id : null;
    }

    /// <summary>The chosen priority, or null when it is not P1–P4.</summary>
    public static Priority? PriorityOf(EscalationFormValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.Priority is { Length: 2 } p && (p[0] is 'P' or 'p') && p[1] is >= '1' and <= '4' ? (Priority)(p[1] - '0') : null;
    }
}

/// <summary>Renders the escalation form: empty, or again with the previous values and their errors.</summary>
public sealed class EscalationFormCards(ApprovalBot.Teams.Cards.CardRenderer renderer)
{
    /// <summary>
    /// The form with <paramref name="agreements"/> to choose from. <paramref name="errors"/> (field id → message) are
    /// shown under their fields; <paramref name="error"/> at the top (with only field errors, a line asking to correct them).
    /// </summary>
    public System.Text.Json.Nodes.JsonObject Render(
        IReadOnlyList<EscalationFormAgreement> agreements, EscalationFormValues? values = null, IReadOnlyDictionary<string, string>? errors = null, string? error = null) =>
        renderer.Render(ApprovalBot.Teams.Cards.CardTemplates.EscalationForm, EscalationFormCardData.Create(agreements, values, errors, error));
}
