using ApprovalBot.Protocol.Connector;
using Microsoft.Extensions.Options;

namespace ApprovalBot.OrgDirectory.Graph;

/// <summary>
/// Microsoft Graph as the directory (section <c>Directory:Graph</c>): the app registration that reads it (client
/// credentials; by default the bot's own, <c>MicrosoftAppId</c>/<c>MicrosoftAppPassword</c>), where Graph and Entra are,
/// how long answers are cached, how throttling is retried, and the Teams app to install proactively. See docs/graph.md.
/// </summary>
public sealed class GraphDirectoryOptions
{
    public const string DefaultBaseUrl = "https://graph.microsoft.com/v1.0";
    public const string DefaultAuthorityHost = "https://login.microsoftonline.com";

    /// <summary>The Entra tenant (id or domain) whose directory is read. Empty: <c>MicrosoftAppTenantId</c>.</summary>
    public string TenantId { get; set; } = string.Empty;

    /// <summary>The app registration (client id) that reads Graph. Empty: the bot's own, <c>MicrosoftAppId</c>.</summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>
    /// That app's client secret — from configuration or the environment only, never from a file in the repository.
    /// Empty: <c>MicrosoftAppPassword</c>, when the client is the bot's own app registration.
    /// </summary>
    public string ClientSecret { get; set; } = string.Empty;

    /// <summary>Graph's root, with the version (a national cloud has its own host).</summary>
    public string BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>Entra's login host for the token (a national cloud has its own).</summary>
    public string AuthorityHost { get; set; } = DefaultAuthorityHost;

    /// <summary>
    /// The id of the bot's app in the organisation's Teams app catalog (<c>/appCatalogs/teamsApps/{id}</c>, not the
    /// manifest id). Set: before messaging someone who never talked to the bot, the bot installs itself for them. Empty: no
    /// proactive installation.
    /// </summary>
    public string TeamsAppCatalogId { get; set; } = string.Empty;

    /// <summary>How long people, managers and group members are cached.</summary>
    public TimeSpan PeopleCacheLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long time zones and automatic-reply (out-of-office) settings are cached.</summary>
    public TimeSpan MailboxSettingsCacheLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long "not found" (no such person, no manager, no such group) is cached.</summary>
    public TimeSpan NotFoundCacheLifetime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Retries of a throttled (429) or unavailable (503, 504) Graph request, honouring Retry-After (0–10).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Base delay of those retries when Graph sends no Retry-After, doubled per retry (whole seconds, 0–180 s).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The longest one directory call may take, retries included; then the directory is unavailable.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>True when a catalog app id is set: the bot installs itself for people it must message.</summary>
    public bool InstallsApp() => !string.IsNullOrWhiteSpace(TeamsAppCatalogId);

    /// <summary>The credentials in effect: these options, else the bot's own app registration.</summary>
    public GraphCredentials Credentials(BotCredentialOptions bot)
    {
        ArgumentNullException.ThrowIfNull(bot);
        var ownClient = string.IsNullOrWhiteSpace(ClientId)
                        || string.Equals(ClientId.Trim(), bot.MicrosoftAppId?.Trim(), StringComparison.OrdinalIgnoreCase);
        var clientId = string.IsNullOrWhiteSpace(ClientId) ? bot.MicrosoftAppId?.Trim() : ClientId.Trim();
        var secret = !string.IsNullOrEmpty(ClientSecret) ? ClientSecret : ownClient ? bot.MicrosoftAppPassword : null;
        var tenant = string.IsNullOrWhiteSpace(TenantId) ? bot.MicrosoftAppTenantId?.Trim() : TenantId.Trim();
        return new GraphCredentials(tenant ?? string.Empty, clientId ?? string.Empty, secret ?? string.Empty);
    }

    /// <summary>The token scope for Graph at <see cref="BaseUrl"/>: its origin with <c>/.default</c>.</summary>
    public string Scope() => new Uri(BaseUrl).GetLeftPart(UriPartial.Authority) + "/.default";
}

/// <summary>The client credentials Graph is read with.</summary>
public sealed record GraphCredentials(string TenantId, string ClientId, string ClientSecret)
{
    /// <summary>Never prints the secret.</summary>
    public override string ToString() => $"tenant {TenantId}, client {ClientId}";
}

/// <summary>Start-up checks of <c>Directory</c>, with messages that name the keys to fix.</summary>
internal sealed class DirectoryOptionsValidator(IOptions<BotCredentialOptions> bot) : IValidateOptions<DirectoryOptions>
{
    private const string G = $"{DirectoryOptions.SectionName}:Graph:";

    public ValidateOptionsResult Validate(string? name, DirectoryOptions options)
    {
        var errors = new List<string>();
        var source = options.Source?.Trim() ?? string.Empty;
        if (!string.Equals(source, DirectoryOptions.FileSource, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(source, DirectoryOptions.GraphSource, StringComparison.OrdinalIgnoreCase))
            errors.Add($"Directory:Source '{options.Source}' is not one of File, Graph.");

        var graph = options.Graph ?? new GraphDirectoryOptions();
        Url(graph.BaseUrl, "BaseUrl", errors);
        Url(graph.AuthorityHost, "AuthorityHost", errors);
        Between(graph.PeopleCacheLifetime, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1), "PeopleCacheLifetime", errors);
        Between(graph.MailboxSettingsCacheLifetime, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1), "MailboxSettingsCacheLifetime", errors);
        Between(graph.NotFoundCacheLifetime, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1), "NotFoundCacheLifetime", errors);
        Between(graph.Timeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10), "Timeout", errors);
        if (graph.MaxRetries is < 0 or > 10)
            errors.Add($"{G}MaxRetries must be 0–10 (Graph's retry handler allows at most 10); it is {graph.MaxRetries}.");
        if (graph.RetryDelay < TimeSpan.Zero || graph.RetryDelay > TimeSpan.FromSeconds(180) || graph.RetryDelay.Ticks % TimeSpan.TicksPerSecond != 0)
            errors.Add($"{G}RetryDelay must be whole seconds from 00:00:00 to 00:03:00; it is {graph.RetryDelay}.");
        if (graph.InstallsApp() && !Guid.TryParse(graph.TeamsAppCatalogId.Trim(), out _))
            errors.Add($"{G}TeamsAppCatalogId '{graph.TeamsAppCatalogId}' is not a catalog app id (a GUID: the id of /appCatalogs/teamsApps/{{id}}, not the manifest id).");

        if (options.UsesGraph())
        {
            var credentials = graph.Credentials(bot.Value);
            if (credentials.TenantId.Length == 0)
                errors.Add($"Directory:Source is Graph but no tenant is set: set {G}TenantId (or MicrosoftAppTenantId) to the tenant whose directory is read.");
            if (credentials.ClientId.Length == 0)
                errors.Add($"Directory:Source is Graph but no app registration is set: set {G}ClientId (or the bot's MicrosoftAppId).");
            if (credentials.ClientSecret.Length == 0)
                errors.Add($"Directory:Source is Graph but no client secret is set: set {G}ClientSecret (from the environment or a secret store; " +
                           "the bot's MicrosoftAppPassword is used only when the client is the bot's own app registration).");
        }
        else if (graph.InstallsApp())
        {
            errors.Add($"{G}TeamsAppCatalogId is set but Directory:Source is not Graph: proactive installation goes through Graph; set Directory:Source to Graph or clear the id.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Url(string? value, string key, List<string> errors)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || !string.IsNullOrEmpty(uri.Query))
            errors.Add($"{G}{key} '{value}' must be an absolute https URL.");
    }

    private static void Between(TimeSpan value, TimeSpan min, TimeSpan max, string key, List<string> errors)
    {
        if (value < min || value > max)
            errors.Add($"{G}{key} must be from {min} to {max}; it is {value}.");
    }
}
