using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ApprovalBot.Teams.Cards;

/// <summary>
/// Keeps data text literal where Adaptive Cards would still transform it. TextRuns render no markdown, but
/// renderers (Teams and the official JavaScript one) replace <c>{{DATE(...)}}</c> and <c>{{TIME(...)}}</c> in every
/// TextBlock and TextRun. A U+2060 WORD JOINER (zero width, not shown) between two braces defuses that.
/// </summary>
public static class CardText
{
    /// <summary>Zero-width, non-breaking; inserted between consecutive <c>{</c>.</summary>
    public const char WordJoiner = '\u2060';

    /// <summary>Inserts <see cref="WordJoiner"/> between every two consecutive <c>{</c>; other text is unchanged.</summary>
    public static string Neutralise(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains("{{", StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder(text.Length + 8);
        var previous = '\0';
        foreach (var c in text)
        {
            if (c == '{' && previous == '{')
            {
                result.Append(WordJoiner);
            }

            result.Append(c);
            previous = c;
        }

        return result.ToString();
    }

    /// <summary>A copy of <paramref name="data"/> with every string value passed through <see cref="Neutralise"/>.</summary>
    public static JsonNode? NeutraliseStrings(JsonNode? data) => data switch
    {
        null => null,
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, NeutraliseStrings(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(NeutraliseStrings)]),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => JsonValue.Create(Neutralise(value.GetValue<string>())),
        _ => data.DeepClone(),
    };
}
