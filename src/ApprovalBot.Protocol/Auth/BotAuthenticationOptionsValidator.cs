using Microsoft.Extensions.Options;

namespace ApprovalBot.Protocol.Auth;

/// <summary>
/// Start-up checks for inbound authentication settings. Pure: the same inputs always give the same answer.
/// Refusing bad settings at start-up is what keeps local development mode from being reached by accident.
/// </summary>
public static class BotAuthenticationOptionsValidator
{
    public static readonly TimeSpan MaximumClockSkew = TimeSpan.FromMinutes(10);

    /// <summary>All problems found, empty when the settings are usable.</summary>
    public static IReadOnlyList<string> Validate(MicrosoftAppOptions app, BotAuthenticationOptions auth)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(auth);
        var failures = new List<string>();

        var appId = app.MicrosoftAppId;
        if (appId is { Length: > 0 } && (string.IsNullOrWhiteSpace(appId) || appId.Trim().Length != appId.Length))
            failures.Add("MicrosoftAppId must not be blank or carry leading/trailing whitespace (leave it empty only for local development).");

        if (string.IsNullOrEmpty(appId) && (!string.IsNullOrEmpty(app.MicrosoftAppType) || !string.IsNullOrEmpty(app.MicrosoftAppTenantId)))
            failures.Add("MicrosoftAppId is empty but MicrosoftAppType/MicrosoftAppTenantId are set: refusing to start in local development mode with half a bot identity.");

        if (!string.IsNullOrEmpty(app.MicrosoftAppType)
            && !MicrosoftAppOptions.KnownAppTypes.Contains(app.MicrosoftAppType, StringComparer.OrdinalIgnoreCase))
            failures.Add("MicrosoftAppType must be one of: " + string.Join(", ", MicrosoftAppOptions.KnownAppTypes) + ".");

        if (!MetadataAddressPolicy.IsAllowed(auth.OpenIdMetadataUrl, out var problem))
            failures.Add($"{BotAuthenticationOptions.SectionName}:OpenIdMetadataUrl {problem}.");

        if (auth.AllowedTenantIds is null || auth.AllowedTenantIds.Any(string.IsNullOrWhiteSpace))
            failures.Add($"{BotAuthenticationOptions.SectionName}:AllowedTenantIds must not contain blank entries.");

        if (auth.ClockSkew < TimeSpan.Zero || auth.ClockSkew > MaximumClockSkew)
            failures.Add($"{BotAuthenticationOptions.SectionName}:ClockSkew must be between 00:00:00 and {MaximumClockSkew}.");

        RequirePositive(failures, auth.MetadataRefreshInterval, nameof(auth.MetadataRefreshInterval));
        RequirePositive(failures, auth.MinimumKeyRefreshInterval, nameof(auth.MinimumKeyRefreshInterval));
        RequirePositive(failures, auth.MetadataRetryInterval, nameof(auth.MetadataRetryInterval));
        RequirePositive(failures, auth.MetadataFetchTimeout, nameof(auth.MetadataFetchTimeout));
        return failures;
    }

    private static void RequirePositive(List<string> failures, TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
            failures.Add($"{BotAuthenticationOptions.SectionName}:{name} must be positive.");
    }

    /// <summary>Adapter for <c>ValidateOnStart</c>: validates <see cref="BotAuthenticationOptions"/> together with the app identity.</summary>
    internal sealed class ForOptions(IOptions<MicrosoftAppOptions> app) : IValidateOptions<BotAuthenticationOptions>
    {
        public ValidateOptionsResult Validate(string? name, BotAuthenticationOptions options)
        {
            var failures = BotAuthenticationOptionsValidator.Validate(app.Value, options);
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
