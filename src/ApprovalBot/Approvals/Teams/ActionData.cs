using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ApprovalBot.Approvals.Teams;

/// <summary>
/// Reads an Action.Execute's <c>data</c> (our fields merged with the card's inputs) tolerantly: numbers may arrive as
/// numbers or strings, anything of the wrong type or missing reads as null. The data came from a card the user holds,
/// so it is input like any other: checked, never trusted.
/// </summary>
public sealed class ActionData(JsonNode? data)
{
    public long? Number(string name) => Value(name) switch
    {
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<string>(out var s) && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
        _ => null,
    };

    public int? SmallNumber(string name) => Number(name) is { } l and >= int.MinValue and <= int.MaxValue ? (int)l : null;

    public string? Text(string name) => Value(name) is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null;

    /// <summary>The data as a <see cref="JsonElement"/>, for the form parsers.</summary>
    public JsonElement? Element => data is null ? null : JsonSerializer.SerializeToElement(data);

    private JsonNode? Value(string name) => data is JsonObject o && o.TryGetPropertyValue(name, out var v) ? v : null;
}
