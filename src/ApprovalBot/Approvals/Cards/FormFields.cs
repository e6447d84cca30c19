using System.Text.Json;
using ApprovalBot.Teams.Cards;

namespace ApprovalBot.Approvals.Cards;

/// <summary>
/// Reads input values out of an <c>Action.Execute</c>'s data (bot-protocol.md §1.7: the action's data merged with the
/// card's inputs). Tolerant of anything a client sends: a missing property, or one that is not a string, reads as null.
/// </summary>
internal static class FormFields
{
    /// <summary>The trimmed text of <paramref name="id"/>, or null when missing, not a string, or blank.</summary>
    public static string? Text(JsonElement? data, string id)
    {
        if (data is not { ValueKind: JsonValueKind.Object } obj || !obj.TryGetProperty(id, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        return Clean(value.GetString());
    }

    /// <summary>
    /// Like <see cref="Text"/>, but a JSON number also reads as its text: <c>Input.Number</c> arrives as a string from
    /// Teams, and as a number from clients that keep its type.
    /// </summary>
    public static string? TextOrNumber(JsonElement? data, string id) =>
        data is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty(id, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetRawText()
            : Text(data, id);

    /// <summary>
    /// Trims, and undoes what <see cref="CardText.Neutralise"/> did when the value was re-filled into the form: a
    /// value that went through a card and came back must not gain invisible characters.
    /// </summary>
    public static string? Clean(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var restored = text.Replace("{" + CardText.WordJoiner + "{", "{{", StringComparison.Ordinal);
        while (restored.Contains("{" + CardText.WordJoiner + "{", StringComparison.Ordinal))
        {
            restored = restored.Replace("{" + CardText.WordJoiner + "{", "{{", StringComparison.Ordinal);
        }

        var trimmed = restored.Trim();
        return trimmed.Length == 0 ? null : trimmed;
    }
}
