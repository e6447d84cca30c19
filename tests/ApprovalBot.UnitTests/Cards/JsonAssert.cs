using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Sdk;

namespace ApprovalBot.UnitTests.Cards;

/// <summary>Deep JSON equality: property order does not matter, numbers compare by value.</summary>
internal static class JsonAssert
{
    public static void Equal(JsonNode? expected, JsonNode? actual, string? because = null)
    {
        var difference = FindDifference(expected, actual, "$");
        if (difference is not null)
        {
            throw new XunitException(
                $"{because}{(because is null ? string.Empty : ": ")}JSON differs at {difference}\n" +
                $"expected: {expected?.ToJsonString() ?? "null"}\n" +
                $"actual:   {actual?.ToJsonString() ?? "null"}");
        }
    }

    public static bool AreEqual(JsonNode? a, JsonNode? b) => FindDifference(a, b, "$") is null;

    private static string? FindDifference(JsonNode? a, JsonNode? b, string path)
    {
        switch (a, b)
        {
            case (null, null):
                return null;
            case (null, _):
            case (_, null):
                return $"{path} (one side is null: {a?.ToJsonString() ?? "null"} vs {b?.ToJsonString() ?? "null"})";
            case (JsonObject x, JsonObject y):
                foreach (var (key, value) in x)
                {
                    if (!y.TryGetPropertyValue(key, out var other))
                    {
                        return $"{path}.{key} (missing on the actual side)";
                    }

                    var inner = FindDifference(value, other, $"{path}.{key}");
                    if (inner is not null)
                    {
                        return inner;
                    }
                }

                foreach (var (key, _) in y)
                {
                    if (!x.ContainsKey(key))
                    {
                        return $"{path}.{key} (unexpected on the actual side)";
                    }
                }

                return null;
            case (JsonArray x, JsonArray y):
                if (x.Count != y.Count)
                {
                    return $"{path} (array length {x.Count} vs {y.Count})";
                }

                for (var i = 0; i < x.Count; i++)
                {
                    var inner = FindDifference(x[i], y[i], $"{path}[{i}]");
                    if (inner is not null)
                    {
                        return inner;
                    }
                }

                return null;
            case (JsonValue x, JsonValue y):
                var kx = x.GetValueKind();
                var ky = y.GetValueKind();
                if (kx == JsonValueKind.Number && ky == JsonValueKind.Number)
                {
                    return ToDouble(x) == ToDouble(y) ? null : $"{path} ({x.ToJsonString()} vs {y.ToJsonString()})";
                }

                if (kx == JsonValueKind.String && ky == JsonValueKind.String)
                {
                    return string.Equals(x.GetValue<string>(), y.GetValue<string>(), StringComparison.Ordinal)
                        ? null
                        : $"{path} ({x.ToJsonString()} vs {y.ToJsonString()})";
                }

                return kx == ky
                    ? null
                    : $"{path} ({x.ToJsonString()} vs {y.ToJsonString()})";
            default:
                return $"{path} ({a.GetValueKind()} vs {b.GetValueKind()})";
        }
    }

    private static double ToDouble(JsonValue value) =>
        double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
}
