namespace ApprovalBot.Teams.Manifest;

/// <summary>
/// What fills the manifest placeholders, as the operator typed it; <see cref="ManifestPackager"/> validates it.
/// </summary>
internal sealed record ManifestValues
{
    public required string TeamsAppId { get; init; }
    public required string MicrosoftAppId { get; init; }
    public required string BotDomain { get; init; }
    public required string Version { get; init; }
    public required string DeveloperName { get; init; }
    public required string WebsiteUrl { get; init; }
    public required string PrivacyUrl { get; init; }
    public required string TermsOfUseUrl { get; init; }

    public IReadOnlyDictionary<string, string> ByPlaceholder() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [ManifestPlaceholders.TeamsAppId] = TeamsAppId,
        [ManifestPlaceholders.MicrosoftAppId] = MicrosoftAppId,
        [ManifestPlaceholders.BotDomain] = BotDomain,
        [ManifestPlaceholders.AppVersion] = Version,
        [ManifestPlaceholders.DeveloperName] = DeveloperName,
        [ManifestPlaceholders.DeveloperWebsiteUrl] = WebsiteUrl,
        [ManifestPlaceholders.DeveloperPrivacyUrl] = PrivacyUrl,
        [ManifestPlaceholders.DeveloperTermsUrl] = TermsOfUseUrl,
    };
}
