using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Api;

/// <summary>
/// The REST API for other systems (<c>/api/v1/*</c>): API-key authentication, role policies, problem details, the
/// OpenAPI document and its explorer page. Features add their endpoints to <see cref="MapApiGroup"/>'s group.
/// The ApiKey scheme applies only where an endpoint asks for an <see cref="ApiPolicies"/> policy: there is no default or
/// fallback policy, so <c>/api/messages</c> keeps its own Bot Framework auth untouched.
/// </summary>
public static class ApiModule
{
    public const string BasePath = "/api/v1";
    public const string DocsPath = "/api/docs";

    public static IHostApplicationBuilder AddApi(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<ApiOptions>().Bind(builder.Configuration.GetSection(ApiOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<ApiRateLimiter>();

        services.AddAuthentication()
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicies.Read, p => RequireRoles(p, ApiRoles.Read, ApiRoles.Write, ApiRoles.Admin))
            .AddPolicy(ApiPolicies.Write, p => RequireRoles(p, ApiRoles.Write, ApiRoles.Admin))
            .AddPolicy(ApiPolicies.Admin, p => RequireRoles(p, ApiRoles.Admin));

        services.AddProblemDetails(o => o.CustomizeProblemDetails = ApiProblems.Customize);
        services.AddOpenApi(ApiOpenApi.DocumentName, ApiOpenApi.Configure);
        return builder;
    }

    private static void RequireRoles(Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder policy, params string[] roles) =>
        policy.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser().RequireRole(roles);

    public static WebApplication MapApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<IOptions<ApiOptions>>().Value;
        var anonymousDocs = options.DocsAccess == ApiDocsAccess.Open
            || (options.DocsAccess == ApiDocsAccess.Auto && app.Environment.IsDevelopment());
        LogConfiguration(app, options, anonymousDocs);

        // Errors under /api/v1 are problem details: an unhandled exception is a 500 without a stack trace (in
        // Development the developer exception page, added by the host, shows it instead); an empty error status
        // (a parameter that does not bind, say) gets a problem body.
        app.UseWhen(IsApi, api =>
        {
            if (!app.Environment.IsDevelopment()) api.UseExceptionHandler();
            api.UseStatusCodePages();
        });

        var openApi = app.MapOpenApi(ApiOpenApi.DocumentPath.Replace("v1", "{documentName}", StringComparison.Ordinal));
        if (!anonymousDocs) openApi.RequireAuthorization(ApiPolicies.Read);
        app.MapGet(DocsPath, () => Results.Content(ApiDocsPage.Html, "text/html; charset=utf-8"))
            .ExcludeFromDescription();

        var api = app.MapApiGroup();
        api.MapGet("/me", GetMe.Handle)
            .RequireApiPolicy(ApiPolicies.Read)
            .WithName("GetMe").WithTags("Identity")
            .WithSummary("The calling API key: its name and roles.")
            .Produces<GetMe.Response>();
        api.MapGet("/conversations", ListConversations.HandleAsync)
            .RequireApiPolicy(ApiPolicies.Read)
            .WithName("ListConversations").WithTags("Conversations")
            .WithSummary("Conversations the bot can reach (stored conversation references), oldest first, paged.")
            .WithDescription($"Filter with type (personal, channel, groupChat). limit is 1–{ListConversations.MaxLimit} (default {ListConversations.DefaultLimit}); pass nextCursor back as cursor for the next page.")
            .Produces<ListConversations.Page>()
            .ProducesValidationProblem();
        api.MapGet("/admin/keys", ListApiKeys.Handle)
            .RequireApiPolicy(ApiPolicies.Admin)
            .WithName("ListApiKeys").WithTags("Administration")
            .WithSummary("The configured API keys by name and roles; never their secrets.")
            .Produces<IReadOnlyList<ListApiKeys.Item>>();

        // Unknown addresses under /api/v1 are a 404 problem, not an empty 404.
        app.MapFallback(BasePath + "/{**path}", (HttpContext http) =>
                ApiProblems.NotFound($"There is no API operation at {http.Request.Method} {http.Request.Path}."))
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>The <c>/api/v1</c> route group; features map their endpoints on it (and pick an <see cref="ApiPolicies"/> policy each).</summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder endpoints) => endpoints.MapGroup(BasePath);

    private static bool IsApi(HttpContext http) => http.Request.Path.StartsWithSegments(BasePath, StringComparison.OrdinalIgnoreCase);

    private static void LogConfiguration(WebApplication app, ApiOptions options, bool anonymousDocs)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiModule));
        ApiLog.Configured(logger, options.Keys.Count, anonymousDocs ? "open" : "requires the read role");
        if (app.Environment.IsDevelopment()) return;
        foreach (var key in options.Keys.Where(k => !string.IsNullOrEmpty(k.Key)))
            ApiLog.PlainKeyOutsideDevelopment(logger, key.Name ?? "");
    }
}
