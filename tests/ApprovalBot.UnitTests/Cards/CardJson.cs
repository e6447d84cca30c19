using System.Text.Json;
using System.Text.Json.Nodes;

namespace ApprovalBot.UnitTests.Cards;

/// <summary>A string found in a card or template, with the element type and property that hold it.</summary>
internal sealed record CardString(string Path, string? ElementType, string? Property, string Value, bool InActionData);

/// <summary>Walks card JSON (templates or rendered cards).</summary>
internal static class CardJson
{
    /// <summary>Every string value, with its owning element's <c>type</c> (or a pseudo type such as <c>Fact</c>) and property.</summary>
    public static IEnumerable<CardString> Strings(JsonNode? node) => Walk(node, "$", null, null, inActionData: false);

    /// <summary>Every object that has a literal <c>type</c>, with its path.</summary>
    public static IEnumerable<(string Path, string Type, JsonObject Element)> Elements(JsonNode? node, string path = "$")
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["type"] is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                {
                    yield return (path, v.GetValue<string>(), obj);
                }

                foreach (var (key, value) in obj)
                {
                    foreach (var inner in Elements(value, $"{path}.{key}"))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    foreach (var inner in Elements(array[i], $"{path}[{i}]"))
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }

    /// <summary>Leaf strings of a data document.</summary>
    public static IEnumerable<string> LeafStrings(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => LeafStrings(p.Value)),
        JsonArray array => array.SelectMany(LeafStrings),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
        _ => [],
    };

    private static IEnumerable<CardString> Walk(JsonNode? node, string path, string? elementType, string? property, bool inActionData)
    {
        switch (node)
        {
            case JsonObject obj:
                var type = obj["type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String
                    ? t.GetValue<string>()
                    : property == "facts" ? "Fact" : $"({elementType}.{property})";
                foreach (var (key, value) in obj)
                {
                    var data = inActionData || (type.StartsWith("Action.", StringComparison.Ordinal) && key == "data");
                    foreach (var inner in Walk(value, $"{path}.{key}", type, key, data))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    foreach (var inner in Walk(array[i], $"{path}[{i}]", elementType, property, inActionData))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                yield return new CardString(path, elementType, property, v.GetValue<string>(), inActionData);
                break;
        }
    }
}

/// <summary>What a rendered card offers its reader: buttons, inputs, refresh ids and the plain texts it shows.</summary>
internal static class CardReading
{
    /// <summary>The verbs of the card's top-level Action.Execute buttons.</summary>
    public static List<string> Verbs(JsonNode card) =>
        [.. CardJson.Elements(card["actions"]).Where(e => e.Type == "Action.Execute").Select(e => e.Element["verb"]!.GetValue<string>())];

    public static List<string> InputIds(JsonNode card) =>
        [.. CardJson.Elements(card).Where(e => e.Type.StartsWith("Input.", StringComparison.Ordinal)).Select(e => e.Element["id"]!.GetValue<string>())];

    public static JsonObject Input(JsonNode card, string id) =>
        CardJson.Elements(card).Single(e => e.Type == "Input.Text" && e.Element["id"]!.GetValue<string>() == id).Element;

    public static List<string> RefreshUserIds(JsonNode card) =>
        [.. card["refresh"]!["userIds"]!.AsArray().Select(n => n!.GetValue<string>())];

    public static List<string> TextRuns(JsonNode card) =>
        [.. CardJson.Strings(card).Where(s => s.ElementType == "TextRun" && s.Property == "text").Select(s => s.Value)];
}
