using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ApprovalBot.UnitTests.Manifest;
using Microsoft.Extensions.Configuration;

namespace ApprovalBot.UnitTests.Configuration;

/// <summary>One row of a reference table in docs/configuration.md.</summary>
internal sealed record DocumentedKey(string Key, string Default, int Line);

/// <summary>The configuration reference files, found from the repository root (the directory holding ApprovalBot.sln).</summary>
internal static partial class ConfigurationFiles
{
    public static string SamplePath => RepositoryFiles.PathOf("appsettings.sample.json");

    public static string DocsPath => RepositoryFiles.PathOf("docs", "configuration.md");

    public static string ShippedSettingsPath => RepositoryFiles.PathOf("src", "ApprovalBot", "appsettings.json");

    /// <summary>The header every reference table in the docs uses; rows of other tables are prose, not keys.</summary>
    public const string TableHeader = "| Key | Default | Meaning |";

    /// <summary>How the docs write an empty default.</summary>
    public const string EmptyDefault = "*(empty)*";

    /// <summary>
    /// The sample as JSON. Comments are allowed (the configuration provider skips them); trailing commas are not, so
    /// the file stays JSON-with-comments rather than anything the provider happens to accept.
    /// </summary>
    public static JsonObject ReadJsonWithComments(string path) =>
        JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();

    /// <summary>
    /// Every leaf of a configuration file by its configuration path (<c>Connector:Throttle:MaxWait</c>), in file order.
    /// Arrays and empty objects are leaves: their key is what documents the setting.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, JsonNode?>> Leaves(JsonObject root, IReadOnlySet<string>? mapKeys = null)
    {
        var leaves = new List<KeyValuePair<string, JsonNode?>>();
        Visit(root, "");
        return leaves;

        void Visit(JsonObject node, string prefix)
        {
            foreach (var (name, value) in node)
            {
                var path = prefix.Length == 0 ? name : $"{prefix}:{name}";
                // A map's entries are data, not keys (Agreements:Signing:Signatories): the whole object is one leaf.
                if (value is JsonObject { Count: > 0 } child && mapKeys?.Contains(path) != true)
                    Visit(child, path);
                else
                    leaves.Add(new(path, value));
            }
        }
    }

    /// <summary>A leaf as the docs' Default column writes it: strings bare, everything else as JSON.</summary>
    public static string AsDocumented(JsonNode? value) => value switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() is { Length: > 0 } s ? s : EmptyDefault,
        null => EmptyDefault,
        _ => value.ToJsonString(),
    };

    /// <summary>The sample through the same provider the host uses (comments and all), optionally with overrides on top.</summary>
    public static IConfigurationRoot SampleConfiguration(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builder = new ConfigurationBuilder().AddJsonFile(SamplePath, optional: false, reloadOnChange: false);
        if (overrides is not null)
            builder.AddInMemoryCollection(overrides);
        return builder.Build();
    }

    /// <summary>The rows of every <see cref="TableHeader"/> table, with the Default cell unwrapped from its backticks.</summary>
    public static IReadOnlyList<DocumentedKey> DocumentedKeys(out IReadOnlyList<string> malformed)
    {
        var rows = new List<DocumentedKey>();
        var bad = new List<string>();
        var lines = File.ReadAllLines(DocsPath);
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != TableHeader) continue;
            for (i += 2; i < lines.Length && lines[i].StartsWith('|'); i++)
            {
                var cells = lines[i].Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
                var key = cells.Length > 0 ? CodeSpan().Match(cells[0]) : Match.Empty;
                if (cells.Length != 3 || !key.Success)
                {
                    bad.Add($"line {i + 1}: expected | `key` | default | meaning | (a '|' inside a cell splits it): {lines[i]}");
                    continue;
                }
                var defaultCell = CodeSpan().Match(cells[1]) is { Success: true } code ? code.Groups[1].Value : cells[1];
                rows.Add(new DocumentedKey(key.Groups[1].Value, defaultCell, i + 1));
            }
        }
        malformed = bad;
        return rows;
    }

    [GeneratedRegex("^`([^`]+)`$")]
    private static partial Regex CodeSpan();
}
