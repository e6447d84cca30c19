using System.Text.Json;

namespace ApprovalBot.Teams.Manifest;

/// <summary>A command the manifest offers in the compose box; picking it inserts <see cref="Title"/> as text.</summary>
internal sealed record ManifestCommand(string Title, string Description);

/// <summary>One <c>commandLists</c> entry of the bot: the scopes it shows in and its commands, in menu order.</summary>
internal sealed record ManifestCommandList(IReadOnlyList<string> Scopes, IReadOnlyList<ManifestCommand> Commands);

/// <summary>
/// The bot commands the embedded manifest advertises. Tests compare <see cref="Titles"/> with the bot's command
/// registry, so that the menu never offers a command the bot does not understand.
/// </summary>
internal static class ManifestCommands
{
    private static readonly Lazy<IReadOnlyList<ManifestCommandList>> EmbeddedLists =
        new(() => Parse(ManifestTemplate.LoadEmbedded().ManifestJson));

    /// <summary>The command lists of the embedded manifest template.</summary>
    public static IReadOnlyList<ManifestCommandList> Lists => EmbeddedLists.Value;

    /// <summary>Every command title in the embedded manifest, once each, in order of first appearance.</summary>
    public static IReadOnlyList<string> Titles => TitlesOf(Lists);

    public static IReadOnlyList<string> TitlesOf(IEnumerable<ManifestCommandList> lists) =>
        lists.SelectMany(l => l.Commands).Select(c => c.Title).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>Reads <c>bots[0].commandLists</c> of a manifest (template or filled); none when it has no bot.</summary>
    public static IReadOnlyList<ManifestCommandList> Parse(string manifestJson)
    {
        using var document = JsonDocument.Parse(manifestJson);
        if (!document.RootElement.TryGetProperty("bots", out var bots) || bots.ValueKind != JsonValueKind.Array
            || bots.GetArrayLength() == 0 || !bots[0].TryGetProperty("commandLists", out var lists))
        {
            return [];
        }

        return lists.EnumerateArray()
            .Select(list => new ManifestCommandList(
                list.GetProperty("scopes").EnumerateArray().Select(s => s.GetString() ?? "").ToList(),
                list.GetProperty("commands").EnumerateArray()
                    .Select(c => new ManifestCommand(
                        c.GetProperty("title").GetString() ?? "",
                        c.TryGetProperty("description", out var d) ? d.GetString() ?? "" : ""))
                    .ToList()))
            .ToList();
    }
}
