using Microsoft.Extensions.Options;

namespace ApprovalBot.Operations;

/// <summary>The operations page (<c>/ops</c>) and its API (<c>/api/v1/ops</c>). Section <c>Operations</c>.</summary>
public sealed class OperationsOptions
{
    public const string SectionName = "Operations";

    /// <summary>
    /// The Entra object ids (GUIDs) of the people who may open the operations page with their Teams tab sign-in
    /// (<c>Dashboard:AppIdUri</c> must be set for that). Empty: only API keys with the admin role (and local development
    /// on loopback).
    /// </summary>
    public IList<string> Administrators { get; set; } = [];

    /// <summary>How many recent timer fires (and misfires) each instance keeps in memory for the page (10–10,000).</summary>
    public int RecentFires { get; set; } = 200;

    /// <summary>How often each instance records that it is running, and its version (00:00:05–01:00:00).</summary>
    public TimeSpan InstanceCheckInInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many seconds the page waits before it reloads itself (5–3600).</summary>
    public int RefreshSeconds { get; set; } = 10;

    internal bool IsAdministrator(string? objectId) =>
        objectId is not null && Guid.TryParse(objectId, out var id) && Administrators.Any(a => Guid.TryParse(a, out var admin) && admin == id);
}

/// <summary>Refuses, at start-up, administrators that are not object ids and out-of-range numbers.</summary>
internal sealed class OperationsOptionsValidator : IValidateOptions<OperationsOptions>
{
    public ValidateOptionsResult Validate(string? name, OperationsOptions options)
    {
        const string S = OperationsOptions.SectionName;
        var errors = new List<string>();
        if (options.Administrators.Any(a => !Guid.TryParse(a, out _)))
            errors.Add($"{S}:Administrators must hold Entra object ids (GUIDs), one per entry.");
        if (options.RecentFires is < 10 or > 10_000) errors.Add($"{S}:RecentFires must be between 10 and 10000.");
        if (options.InstanceCheckInInterval < TimeSpan.FromSeconds(5) || options.InstanceCheckInInterval > TimeSpan.FromHours(1))
            errors.Add($"{S}:InstanceCheckInInterval must be between 00:00:05 and 01:00:00.");
        if (options.RefreshSeconds is < 5 or > 3600) errors.Add($"{S}:RefreshSeconds must be between 5 and 3600.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
