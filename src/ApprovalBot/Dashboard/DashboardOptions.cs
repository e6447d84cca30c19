using ApprovalBot.Domain.Kpis;
using ApprovalBot.Protocol.Auth;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Dashboard;

/// <summary>The KPI dashboard (<c>/dashboard</c>): the Teams tab's single sign-on and the trend. Section <c>Dashboard</c>.</summary>
public sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    /// <summary>
    /// The Application ID URI of the bot's Entra app registration, <c>api://&lt;host&gt;/&lt;MicrosoftAppId&gt;</c>, as
    /// the manifest's <c>webApplicationInfo.resource</c> says. Empty: no Teams tab sign-in (API keys and local
    /// development only). Needs <c>MicrosoftAppId</c> and at least one allowed tenant.
    /// </summary>
    public string? AppIdUri { get; set; }

    /// <summary>Entra ID's OpenID metadata, whose keys sign the tab tokens. HTTPS (plain HTTP only to a loopback IP, for tests).</summary>
    public string OpenIdMetadataUrl { get; set; } = TeamsTabTokenSettings.DefaultOpenIdMetadataUrl;

    /// <summary>
    /// The tenants whose users may open the dashboard with a tab token. Empty: <c>BotAuthentication:AllowedTenantIds</c>,
    /// else <c>MicrosoftAppTenantId</c>.
    /// </summary>
    public IList<string> AllowedTenantIds { get; set; } = [];

    /// <summary>The scope the token must carry (<c>scp</c>): the one exposed on the app registration.</summary>
    public string RequiredScope { get; set; } = TeamsTabTokenSettings.DefaultScope;

    /// <summary>How many weeks the weekly trend shows, the current one included (1–104).</summary>
    public int TrendWeeks { get; set; } = 12;

    /// <summary>How many months the monthly trend shows, the current one included (1–104).</summary>
    public int TrendMonths { get; set; } = 12;

    /// <summary>The tenants tab tokens may come from, after the fall-backs described at <see cref="AllowedTenantIds"/>.</summary>
    internal static IReadOnlyList<string> EffectiveTenants(DashboardOptions dashboard, BotAuthenticationOptions bot, MicrosoftAppOptions app)
    {
        if (dashboard.AllowedTenantIds.Count > 0) return [.. dashboard.AllowedTenantIds];
        if (bot.AllowedTenantIds.Count > 0) return [.. bot.AllowedTenantIds];
        return string.IsNullOrWhiteSpace(app.MicrosoftAppTenantId) ? [] : [app.MicrosoftAppTenantId];
    }
}

/// <summary>Refuses, at start-up, a tab sign-in that could not work or would let any tenant in.</summary>
internal sealed class DashboardOptionsValidator(IOptions<BotAuthenticationOptions> bot, IOptions<MicrosoftAppOptions> app) : IValidateOptions<DashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardOptions options)
    {
        var errors = new List<string>();
        const string S = DashboardOptions.SectionName;
        if (options.TrendWeeks is < 1 or > KpiTrend.MaxBuckets) errors.Add($"{S}:TrendWeeks must be between 1 and {KpiTrend.MaxBuckets}.");
        if (options.TrendMonths is < 1 or > KpiTrend.MaxBuckets) errors.Add($"{S}:TrendMonths must be between 1 and {KpiTrend.MaxBuckets}.");
        if (options.AllowedTenantIds.Any(t => !Guid.TryParse(t, out _)))
            errors.Add($"{S}:AllowedTenantIds must hold tenant ids (GUIDs).");
        if (string.IsNullOrWhiteSpace(options.RequiredScope) || options.RequiredScope.Contains(' ', StringComparison.Ordinal))
            errors.Add($"{S}:RequiredScope must be one scope name, e.g. {TeamsTabTokenSettings.DefaultScope}.");
        if (!MetadataAddressPolicy.IsAllowed(options.OpenIdMetadataUrl, out var problem))
            errors.Add($"{S}:OpenIdMetadataUrl {problem}.");

        if (!string.IsNullOrEmpty(options.AppIdUri))
        {
            if (!Uri.TryCreate(options.AppIdUri, UriKind.Absolute, out var uri) || uri.Scheme != "api" || options.AppIdUri.Trim() != options.AppIdUri)
                errors.Add($"{S}:AppIdUri must be the Application ID URI, api://<host>/<MicrosoftAppId>.");
            if (string.IsNullOrEmpty(app.Value.MicrosoftAppId))
                errors.Add($"{S}:AppIdUri needs MicrosoftAppId: the Teams tab signs in to the bot's own app registration.");
            if (DashboardOptions.EffectiveTenants(options, bot.Value, app.Value).Count == 0)
                errors.Add($"{S}:AppIdUri needs an allowed tenant: set {S}:AllowedTenantIds (or BotAuthentication:AllowedTenantIds or MicrosoftAppTenantId), so that users of other tenants cannot sign in.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
