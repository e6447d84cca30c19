using System.Security.Claims;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Teams;

namespace ApprovalBot.Approvals.Api;

/// <summary>
/// <c>POST /api/v1/approvals</c>: a request for approval of anything, on a named flow or to named people, submitted
/// for the requester through <see cref="SubmitApproval"/> (the same use case as the chat form). The API key is the
/// system that files it; the requester is the person it names.
/// </summary>
internal static class CreateApprovalRequest
{
    public sealed record Body(
        string? Requester,
        string? Title,
        string? Details,
        IReadOnlyList<LinkDto?>? Links,
        string? Flow,
        IReadOnlyList<string?>? Approvers,
        bool? RequireAll,
        string? Reference);

    public static async Task<IResult> HandleAsync(Body body, SubmitApproval submit, TeamsPeople people, ClaimsPrincipal user, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return await ApiResults.GuardAsync(async () =>
        {
            var input = new ApiInput(people);
            var requester = await input.PersonAsync(body.Requester, "requester", required: true, cancellationToken);
            if (string.IsNullOrWhiteSpace(body.Title)) input.Error("title", "title is required.");
            else if (body.Title.Trim().Length > ApprovalRequest.MaxTitleLength) input.Error("title", $"title must be at most {ApprovalRequest.MaxTitleLength} characters.");
            if (body.Details is { } details && details.Trim().Length > ApprovalRequest.MaxDetailsLength)
                input.Error("details", $"details must be at most {ApprovalRequest.MaxDetailsLength} characters.");
            if (body.Reference is { } reference && reference.Trim().Length > 200) input.Error("reference", "reference must be at most 200 characters.");

            var links = new List<RequestLink>();
            if (body.Links is { Count: > ApprovalRequest.MaxLinks }) input.Error("links", $"A request has at most {ApprovalRequest.MaxLinks} links.");
            for (var i = 0; i < (body.Links?.Count ?? 0); i++)
            {
                var link = body.Links![i];
                if (input.Build($"links[{i}]", () => new RequestLink(link?.Title ?? "", link?.Url ?? "")) is { } built) links.Add(built);
            }

            var hasApprovers = body.Approvers is { Count: > 0 };
            var hasFlow = !string.IsNullOrWhiteSpace(body.Flow);
            if (hasApprovers && hasFlow) input.Error("flow", "Give a flow or approvers, not both.");
            if (!hasApprovers && !hasFlow) input.Error("flow", "Give a flow (see GET /api/v1/flows) or approvers.");
            if (body.RequireAll is true && !hasApprovers) input.Error("requireAll", "requireAll applies to approvers only.");
            var approvers = hasApprovers ? await input.PeopleAsync(body.Approvers, "approvers", cancellationToken) : null;
            if (input.HasErrors) return input.Problem();

            var request = await submit.HandleAsync(new SubmitApprovalInput(
                requester!.Value, body.Title!, body.Details, links, hasFlow ? body.Flow!.Trim() : null, approvers,
                body.RequireAll ?? false, body.Reference), cancellationToken);
            var logger = loggers.CreateLogger(typeof(CreateApprovalRequest));
            var keyName = user.Identity?.Name ?? "";
            ApprovalsApiLog.RequestCreated(logger, keyName, request.Id, request.FlowName);
            return Results.Created($"/api/v1/approvals/{request.Id}", request.ToDto());
        });
    }
}
