namespace ApprovalBot.Api;

/// <summary>What a key may do. Roles are cumulative: write includes read, admin includes both.</summary>
public static class ApiRoles
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Read, Write, Admin];
}

/// <summary>The authorization policies endpoints ask for with <c>RequireApiPolicy(ApiPolicies.Read)</c>.</summary>
public static class ApiPolicies
{
    public const string Read = "api.read";
    public const string Write = "api.write";
    public const string Admin = "api.admin";
}

public static class ApiEndpointConventions
{
    /// <summary>
    /// Requires the API policy and declares, for the OpenAPI document, the two answers every API endpoint can give
    /// because of it: 401 (no or an unknown key) and 403 (the key lacks the role), both problem details.
    /// </summary>
    public static RouteHandlerBuilder RequireApiPolicy(this RouteHandlerBuilder builder, string policy) =>
        builder.RequireAuthorization(policy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
