using ApprovalBot.OrgDirectory.Graph;

namespace ApprovalBot.OrgDirectory;

/// <summary>Where the directory comes from: the local file or Microsoft Graph. Section <c>Directory</c>.</summary>
public sealed class DirectoryOptions
{
    public const string SectionName = "Directory";

    /// <summary>The value of <see cref="Source"/> for the local JSON file (the default).</summary>
    public const string FileSource = "File";

    /// <summary>The value of <see cref="Source"/> for Microsoft Graph (<see cref="Graph"/>).</summary>
    public const string GraphSource = "Graph";

    /// <summary><c>File</c> (default): the local JSON file below. <c>Graph</c>: Microsoft Graph (<see cref="Graph"/>). Any case.</summary>
    public string Source { get; set; } = FileSource;

    /// <summary>
    /// The directory JSON file, absolute or relative to the content root. Empty: the sample shipped inside the bot
    /// (<c>src/ApprovalBot/Directory/directory.sample.json</c>), which maps the Agents Playground's mock users.
    /// </summary>
    public string File { get; set; } = string.Empty;

    /// <summary>Microsoft Graph, used when <see cref="Source"/> is <c>Graph</c>. Section <c>Directory:Graph</c>.</summary>
    public GraphDirectoryOptions Graph { get; set; } = new();

    /// <summary>True when <see cref="Source"/> names Graph (any case).</summary>
    public bool UsesGraph() => string.Equals(Source?.Trim(), GraphSource, StringComparison.OrdinalIgnoreCase);
}
