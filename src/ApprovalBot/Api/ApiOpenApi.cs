using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ApprovalBot.Api;

/// <summary>The OpenAPI document <c>v1</c>: only <c>/api/v1/*</c>, with the ApiKey security scheme on every secured operation.</summary>
internal static class ApiOpenApi
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";

    public static void Configure(OpenApiOptions options)
    {
        options.ShouldInclude = d => d.RelativePath?.StartsWith("api/v1/", StringComparison.OrdinalIgnoreCase) == true;
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "ApprovalBot API";
            document.Info.Version = "v1";
            document.Info.Description =
                "REST API of the ApprovalBot Teams bot for other systems. Authenticate with an API key sent as "
                + $"`{ApiKeyAuthenticationHandler.HeaderName}: <key>` (or `Authorization: ApiKey <key>`). "
                + "Errors are RFC 7807 problem details (application/problem+json).";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthenticationHandler.HeaderName,
                Description = "An API key from the bot's configuration (Api:Keys). Also accepted as `Authorization: ApiKey <key>`. "
                              + "Roles: read (GET), write (create and change; includes read), admin (operations; includes both).",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var policies = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>()
                .Select(a => a.Policy).OfType<string>().Distinct().ToList();
            if (policies.Count == 0) return Task.CompletedTask;
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, context.Document)] = [],
            });
            operation.Description = string.IsNullOrEmpty(operation.Description)
                ? $"Requires policy {string.Join(", ", policies)}."
                : $"{operation.Description} Requires policy {string.Join(", ", policies)}.";
            return Task.CompletedTask;
        });
    }
}
