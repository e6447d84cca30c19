using System.Security.Claims;
using ApprovalBot.Api;
using ApprovalBot.Approvals.Api;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Privacy.Api;

/// <summary>
/// <c>/api/v1/people/{id}/export</c> and <c>/api/v1/people/{id}/erasure</c>: one person's data, for the admin role only.
/// The id is an Entra object id, an e-mail address or a UPN (an object id the directory no longer knows is accepted).
/// Both are audited in <c>operations_audit</c> under the API key's name (<c>api:&lt;name&gt;</c>).
/// </summary>
public static class PrivacyApi
{
    public sealed record ErasureBody(string? Reason);

    public sealed record ErasureDto(
        string Pseudonym, DateTimeOffset At, int Total, IReadOnlyDictionary<string, int> Counts, long AuditId,
        IReadOnlyList<long> AwaitingDecision, IReadOnlyList<long> OpenEscalations);

    public static IEndpointRouteBuilder MapPrivacyApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup();
        api.MapGet("/people/{id}/export", ExportAsync)
            .RequireApiPolicy(ApiPolicies.Admin)
            .WithName("ExportPersonalData").WithTags("Personal data")
            .WithSummary("Everything the bot stores about one person, table by table (audited).")
            .WithDescription("id: Entra object id, e-mail address or UPN. Rows naming the person, rows of their personal chats, and rows whose text mentions their id, addresses, name or Teams ids.")
            .Produces<PersonalDataExport>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/people/{id}/erasure", EraseAsync)
            .RequireApiPolicy(ApiPolicies.Admin)
            .WithName("ErasePersonalData").WithTags("Personal data")
            .WithSummary("Erases one person: their chats and digest deleted, their text removed, their ids replaced by a stable pseudonym; one pseudonymous audit record.")
            .WithDescription($"Body: {{ \"reason\": \"…\" }} (required, at most {ErasePersonalData.MaxReasonLength} characters). Never refused for open work: the answer lists approvals that were awaiting the person's decision and open escalations they reported or were assigned, for an admin to reassign. A second erasure changes nothing. 503 without Privacy:PseudonymKey.")
            .Accepts<ErasureBody>("application/json")
            .Produces<ErasureDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static string Caller(ClaimsPrincipal user) => "api:" + (user.Identity?.Name ?? "unknown");

    private static IResult Unknown(string id) =>
        ApiResults.NotFound($"Nobody in the directory has the address '{id.Trim()}'; give the person's Entra object id.");

    private static Task<IResult> ExportAsync(
        string id, DataSubjects subjects, ExportPersonalData export, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        ApiResults.GuardAsync(async () =>
        {
            var subject = await subjects.FindAsync(id, cancellationToken);
            if (subject is null) return Unknown(id);
            return Results.Ok(await export.HandleAsync(subject, Caller(user), cancellationToken));
        });

    private static Task<IResult> EraseAsync(
        string id, ErasureBody? body, DataSubjects subjects, ErasePersonalData erase, IOptions<PrivacyOptions> options,
        ClaimsPrincipal user, CancellationToken cancellationToken) =>
        ApiResults.GuardAsync(async () =>
        {
            if (string.IsNullOrEmpty(options.Value.PseudonymKey))
            {
                return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service Unavailable",
                    detail: "Erasure needs Privacy:PseudonymKey (at least 32 characters) in configuration; nothing was changed.");
            }
            var reason = body?.Reason?.Trim();
            if (string.IsNullOrEmpty(reason)) return ApiProblems.Validation("reason", "reason is required: why this person's data is erased.");
            if (reason.Length > ErasePersonalData.MaxReasonLength)
                return ApiProblems.Validation("reason", $"reason must be at most {ErasePersonalData.MaxReasonLength} characters.");
            var subject = await subjects.FindAsync(id, cancellationToken);
            if (subject is null) return Unknown(id);
            var result = await erase.HandleAsync(new ErasureInput(subject, reason, Caller(user)), cancellationToken);
            return Results.Ok(new ErasureDto(
                result.Pseudonym, result.At, result.Total, result.Counts, result.AuditId, result.AwaitingDecision, result.OpenEscalations));
        });
}
