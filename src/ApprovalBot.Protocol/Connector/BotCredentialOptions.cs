using Microsoft.Extensions.Options;

namespace ApprovalBot.Protocol.Connector;

/// <summary>How the bot proves who it is to the connector (bot-protocol.md §2.5, §3.1).</summary>
public enum BotAppType
{
    /// <summary>Client secret against the <c>botframework.com</c> tenant (the SDK default).</summary>
    MultiTenant,

    /// <summary>Client secret against the bot's own tenant.</summary>
    SingleTenant,

    /// <summary>A user-assigned managed identity whose client id is the app id; no secret.</summary>
    UserAssignedMsi,
}

/// <summary>
/// The bot's credentials, read from the configuration ROOT with the Bot Framework SDK's key names so an existing
/// appsettings.json or App Service configuration works unchanged: <c>MicrosoftAppId</c>, <c>MicrosoftAppPassword</c>,
/// <c>MicrosoftAppTenantId</c>, <c>MicrosoftAppType</c>. No app id means local development mode: no token is
/// requested or sent and only loopback serviceUrls are called.
/// </summary>
public sealed class BotCredentialOptions
{
    public string? MicrosoftAppId { get; set; }
    public string? MicrosoftAppPassword { get; set; }
    public string? MicrosoftAppTenantId { get; set; }

    /// <summary><c>MultiTenant</c> (default when empty), <c>SingleTenant</c> or <c>UserAssignedMsi</c>; case-insensitive.</summary>
    public string? MicrosoftAppType { get; set; }

    /// <summary>True when no app id is configured: the local development mode (Agents Playground).</summary>
    public bool IsLocalDevelopment => string.IsNullOrWhiteSpace(MicrosoftAppId);

    /// <summary>
    /// The parsed app type; <see cref="BotAppType.MultiTenant"/> when unset. Throws when unknown (the validator reports
    /// it first). A method, not a property, so the configuration binder never evaluates it.
    /// </summary>
    public BotAppType GetAppType() => TryParseAppType(MicrosoftAppType, out var type)
        ? type
        : throw new InvalidOperationException($"MicrosoftAppType '{MicrosoftAppType}' is not one of MultiTenant, SingleTenant, UserAssignedMsi.");

    internal static bool TryParseAppType(string? value, out BotAppType type)
    {
        type = BotAppType.MultiTenant;
        if (string.IsNullOrWhiteSpace(value)) return true;
        // Enum.TryParse would also accept numbers ("1"); only the names are meaningful in configuration.
        foreach (var candidate in Enum.GetValues<BotAppType>())
        {
            if (string.Equals(value.Trim(), candidate.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                type = candidate;
                return true;
            }
        }
        return false;
    }
}

/// <summary>Start-up checks of the credential combinations, with messages that name the keys to fix.</summary>
internal sealed class BotCredentialOptionsValidator : IValidateOptions<BotCredentialOptions>
{
    public ValidateOptionsResult Validate(string? name, BotCredentialOptions options)
    {
        var errors = new List<string>();
        var hasId = !string.IsNullOrWhiteSpace(options.MicrosoftAppId);
        var hasPassword = !string.IsNullOrEmpty(options.MicrosoftAppPassword);
        var hasTenant = !string.IsNullOrWhiteSpace(options.MicrosoftAppTenantId);

        if (!BotCredentialOptions.TryParseAppType(options.MicrosoftAppType, out var type))
        {
            errors.Add($"MicrosoftAppType '{options.MicrosoftAppType}' is not one of MultiTenant, SingleTenant, UserAssignedMsi.");
            return ValidateOptionsResult.Fail(errors);
        }

        if (!hasId)
        {
            // Local development mode. Anything that looks like a half-configured production bot is refused, so the
            // token-less mode cannot be reached by forgetting one key.
            if (hasPassword) errors.Add("MicrosoftAppPassword is set but MicrosoftAppId is empty: set MicrosoftAppId, or remove the password for local development mode.");
            if (type is BotAppType.SingleTenant or BotAppType.UserAssignedMsi)
                errors.Add($"MicrosoftAppType={type} requires MicrosoftAppId.");
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }

        switch (type)
        {
            case BotAppType.MultiTenant:
                if (!hasPassword) errors.Add("MicrosoftAppType=MultiTenant requires MicrosoftAppPassword (the client secret of MicrosoftAppId).");
                break;
            case BotAppType.SingleTenant:
                if (!hasPassword) errors.Add("MicrosoftAppType=SingleTenant requires MicrosoftAppPassword (the client secret of MicrosoftAppId).");
                if (!hasTenant) errors.Add("MicrosoftAppType=SingleTenant requires MicrosoftAppTenantId (the tenant the app registration lives in).");
                break;
            case BotAppType.UserAssignedMsi:
                if (hasPassword) errors.Add("MicrosoftAppType=UserAssignedMsi must not have MicrosoftAppPassword: the managed identity has no secret; remove it.");
                if (!hasTenant) errors.Add("MicrosoftAppType=UserAssignedMsi requires MicrosoftAppTenantId.");
                break;
        }

        if (hasTenant && !IsPlausibleTenant(options.MicrosoftAppTenantId!))
            errors.Add($"MicrosoftAppTenantId '{options.MicrosoftAppTenantId}' is not a tenant id or domain (it becomes a path segment of the authority).");

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    // A tenant id is a GUID or a domain name; it is used as a URL path segment, so nothing else may pass.
    private static bool IsPlausibleTenant(string tenant) =>
        tenant.Length <= 253 && tenant.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.');
}
