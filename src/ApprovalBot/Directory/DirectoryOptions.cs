namespace ApprovalBot.OrgDirectory;

/// <summary>The local directory file. Section <c>Directory</c>.</summary>
public sealed class DirectoryOptions
{
    public const string SectionName = "Directory";

    /// <summary>
    /// The directory JSON file, absolute or relative to the content root. Empty: the sample shipped inside the bot
    /// (<c>src/ApprovalBot/Directory/directory.sample.json</c>), which maps the Agents Playground's mock users.
    /// </summary>
    public string File { get; set; } = string.Empty;
}
