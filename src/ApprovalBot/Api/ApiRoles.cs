namespace ApprovalBot.Api;

/// <summary>What a key may do. Roles are cumulative: write includes read, admin includes both.</summary>
public static class ApiRoles
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Read, Write, Admin];
}

/// <summary>The authorization policies endpoints ask for with <c>RequireAuthorization(ApiPolicies.Read)</c>.</summary>
public static class ApiPolicies
{
    public const string Read = "api.read";
    public const string Write = "api.write";
    public const string Admin = "api.admin";
}
