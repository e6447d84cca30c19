using System.Text.Json.Nodes;

namespace ApprovalBot.UnitTests.Cards;

/// <summary>One sample data file: <c>cards/samples/&lt;template&gt;.data.json</c> or <c>&lt;template&gt;.&lt;variant&gt;.data.json</c>.</summary>
public sealed record CardSample(string Template, string Variant, string Path)
{
    public string Id => $"sample:{Template}.{Variant}";

    public bool IsHostile => Variant == "hostile";

    public JsonNode? LoadData() => JsonNode.Parse(File.ReadAllText(Path));

    public override string ToString() => $"{Template}.{Variant}";
}

internal static class CardSamples
{
    private const string Suffix = ".data.json";

    public static IReadOnlyList<CardSample> All { get; } = Discover();

    public static IEnumerable<object[]> AsTheoryData() => All.Select(s => new object[] { s.Template, s.Variant });

    public static CardSample Get(string template, string variant) =>
        All.Single(s => s.Template == template && s.Variant == variant);

    private static List<CardSample> Discover()
    {
        var samples = new List<CardSample>();
        foreach (var path in Directory.GetFiles(CardTestPaths.SamplesDirectory, "*" + Suffix).Order(StringComparer.Ordinal))
        {
            var stem = System.IO.Path.GetFileName(path)[..^Suffix.Length];
            var dot = stem.IndexOf('.', StringComparison.Ordinal);
            samples.Add(dot < 0
                ? new CardSample(stem, "default", path)
                : new CardSample(stem[..dot], stem[(dot + 1)..], path));
        }

        return samples;
    }
}
