namespace ApprovalBot.Teams.Manifest;

/// <summary>
/// The placeholders in <c>manifest/manifest.json</c>, written <c>{{NAME}}</c> inside JSON strings.
/// manifest/README.md explains each one; a test keeps the template, this list and the README in step.
/// </summary>
internal static class ManifestPlaceholders
{
    /// <summary>The Teams app id (manifest <c>id</c>, Graph <c>externalId</c>); a GUID kept stable across updates.</summary>
    public const string TeamsAppId = "TEAMS_APP_ID";

    /// <summary>The bot's Microsoft App ID (Entra app registration of the Azure Bot): <c>botId</c>, <c>webApplicationInfo.id</c>.</summary>
    public const string MicrosoftAppId = "MICROSOFT_APP_ID";

    /// <summary>The bot's public host name without scheme: <c>validDomains</c>, <c>webApplicationInfo.resource</c> and the tabs' URLs.</summary>
    public const string BotDomain = "BOT_DOMAIN";

    /// <summary>The app package version, MAJOR.MINOR.PATCH.</summary>
    public const string AppVersion = "APP_VERSION";

    public const string DeveloperName = "DEVELOPER_NAME";
    public const string DeveloperWebsiteUrl = "DEVELOPER_WEBSITE_URL";
    public const string DeveloperPrivacyUrl = "DEVELOPER_PRIVACY_URL";
    public const string DeveloperTermsUrl = "DEVELOPER_TERMS_URL";

    public static IReadOnlyList<string> All { get; } =
    [
        TeamsAppId, MicrosoftAppId, BotDomain, AppVersion,
        DeveloperName, DeveloperWebsiteUrl, DeveloperPrivacyUrl, DeveloperTermsUrl,
    ];

    /// <summary>How a placeholder is written in the template.</summary>
    public static string Token(string name) => "{{" + name + "}}";
}
