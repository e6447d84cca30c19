using System.Text.Json;
using System.Text.Json.Nodes;
using ApprovalBot.UnitTests.Cards;

namespace ApprovalBot.UnitTests.Agreements.Cards;

/// <summary>Reads rendered form cards: an input by id, the error shown under it, the texts of TextRuns, the buttons.</summary>
internal static class FormCard
{
    /// <summary>The input with <paramref name="id"/>; fails when there is none or more than one.</summary>
    public static JsonObject Input(JsonObject card, string id) =>
        Assert.Single(CardJson.Elements(card), e => e.Type.StartsWith("Input.", StringComparison.Ordinal) && Str(e.Element["id"]) == id).Element;

    public static bool HasInput(JsonObject card, string id) =>
        CardJson.Elements(card).Any(e => e.Type.StartsWith("Input.", StringComparison.Ordinal) && Str(e.Element["id"]) == id);

    /// <summary>The input's value as a string (a number as its JSON text), or null when it has none.</summary>
    public static string? Value(JsonObject card, string id) => Input(card, id)["value"] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v => v.ToJsonString(),
        _ => null,
    };

    /// <summary>The error text right under the input: the next element, a RichTextBlock with an attention-coloured TextRun; null when none.</summary>
    public static string? ErrorUnder(JsonObject card, string id)
    {
        var input = Input(card, id);
        var siblings = (JsonArray)input.Parent!;
        var index = siblings.IndexOf(input);
        if (index + 1 >= siblings.Count || siblings[index + 1] is not JsonObject next || Str(next["type"]) != "RichTextBlock")
        {
            return null;
        }

        var run = next["inlines"]![0]!;
        Assert.Equal("Attention", Str(run["color"]));
        return Str(run["text"]);
    }

    /// <summary>All TextRun texts, in order.</summary>
    public static IReadOnlyList<string> TextRuns(JsonObject card) =>
        [.. CardJson.Strings(card).Where(s => s.ElementType == "TextRun" && s.Property == "text").Select(s => s.Value)];

    /// <summary>All TextBlock texts, in order (our own words).</summary>
    public static IReadOnlyList<string> TextBlocks(JsonObject card) =>
        [.. CardJson.Strings(card).Where(s => s.ElementType == "TextBlock" && s.Property == "text").Select(s => s.Value)];

    /// <summary>The card's buttons (Action.Execute), in order.</summary>
    public static IReadOnlyList<JsonObject> Actions(JsonObject card) =>
        [.. (card["actions"] as JsonArray ?? []).OfType<JsonObject>()];

    public static JsonObject Action(JsonObject card, string verb) => Assert.Single(Actions(card), a => Str(a["verb"]) == verb);

    /// <summary>The top (summary) error: the text of the first attention Container; null when there is none.</summary>
    public static string? SummaryError(JsonObject card) =>
        (card["body"] as JsonArray)!.OfType<JsonObject>()
            .Where(e => Str(e["type"]) == "Container" && Str(e["style"]) == "attention")
            .Select(e => Str(e["items"]![0]!["inlines"]![0]!["text"]))
            .FirstOrDefault();

    private static string? Str(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
