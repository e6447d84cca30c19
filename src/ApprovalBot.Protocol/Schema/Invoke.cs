using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ApprovalBot.Protocol.Schema;

/// <summary><c>value</c> of an <c>adaptiveCard/action</c> invoke (bot-protocol.md §1.7).</summary>
public sealed class AdaptiveCardInvokeValue
{
    [JsonPropertyName("action")] public AdaptiveCardInvokeAction? Action { get; set; }
    [JsonPropertyName("trigger")] public string? Trigger { get; set; }
}

public sealed class AdaptiveCardInvokeAction
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("verb")] public string? Verb { get; set; }
    [JsonPropertyName("title")] public string? Title { get; set; }
    [JsonPropertyName("data")] public JsonNode? Data { get; set; }
}

/// <summary>
/// The HTTP answer to an invoke: <see cref="Status"/> is the HTTP status, <see cref="Body"/> the JSON body.
/// For <c>adaptiveCard/action</c> the HTTP status is 200 and the outcome is in the body's <c>statusCode</c>.
/// </summary>
public sealed record InvokeResponse(int Status, JsonNode? Body)
{
    /// <summary>Replace the card the user clicked with <paramref name="card"/>.</summary>
    public static InvokeResponse Card(JsonNode card) => new(200, new JsonObject
    {
        ["statusCode"] = 200,
        ["type"] = ContentTypes.AdaptiveCard,
        ["value"] = card,
    });

    /// <summary>Show <paramref name="text"/> to the user who clicked, leaving the card as it is.</summary>
    public static InvokeResponse Message(string text) => new(200, new JsonObject
    {
        ["statusCode"] = 200,
        ["type"] = ContentTypes.ActivityMessage,
        ["value"] = text,
    });

    /// <summary>An error outcome, carried in the body with HTTP 200 as the universal-action spec says.</summary>
    public static InvokeResponse Error(int statusCode, string code, string message) => new(200, new JsonObject
    {
        ["statusCode"] = statusCode,
        ["type"] = ContentTypes.Error,
        ["value"] = new JsonObject { ["code"] = code, ["message"] = message },
    });
}
