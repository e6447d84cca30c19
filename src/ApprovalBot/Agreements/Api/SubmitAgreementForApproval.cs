using System.Security.Claims;
using ApprovalBot.Approvals.Api;
using ApprovalBot.Teams;

namespace ApprovalBot.Agreements.Api;

/// <summary>
/// <c>POST /api/v1/agreements/{id}/submit</c>: puts the current revision into approval through
/// <see cref="SubmitAgreement"/> (a new request from a Draft; the same request again after a request for changes).
/// 202: the approval runs on in Teams; follow it at the request's address. Incomplete terms: 400 with every problem.
/// </summary>
internal static class SubmitAgreementForApproval
{
    public sealed record Body(string? By, string? Comment);

    public static async Task<IResult> HandleAsync(long id, Body body, SubmitAgreement submit, TeamsPeople people, ClaimsPrincipal user, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return await ApiResults.GuardAsync(async () =>
        {
            var input = new ApiInput(people);
            var by = await input.PersonAsync(body.By, "by", required: true, cancellationToken);
            if (input.HasErrors) return input.Problem();

            var (agreement, request) = await submit.HandleAsync(id, by!.Value, body.Comment, cancellationToken);
            if (agreement is null || request is null) return ApiResults.NotFound($"There is no agreement {id}.");
            var logger = loggers.CreateLogger(typeof(SubmitAgreementForApproval));
            var keyName = user.Identity?.Name ?? "";
            ApprovalsApiLog.AgreementSubmitted(logger, keyName, id, request.Id);
            return Results.Accepted($"/api/v1/approvals/{request.Id}",
                new SubmissionDto(agreement.Id, agreement.CurrentRevision.Number, agreement.Status.ToString(), request.Id));
        });
    }
}
