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
    /// Requires the API policy, applies the per-key rate limit (<see cref="ApiRateLimitFilter"/>), and declares, for the
    /// OpenAPI document, the answers every API endpoint can give because of them: 401 (no or an unknown key), 403 (the key
    /// lacks the role) and 429 (over the key's rate limit), all problem details.
    /// </summary>
    public static RouteHandlerBuilder RequireApiPolicy(this RouteHandlerBuilder builder, string policy) =>
        builder.RequireAuthorization(policy)
            .AddEndpointFilter<ApiRateLimitFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
}
