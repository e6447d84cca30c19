using ApprovalBot.Api;

namespace ApprovalBot.Approvals.Api;

/// <summary>
/// The approvals endpoints of the REST API (<c>/api/v1</c>): flows, requests, audit trails. Decisions are deliberately
/// not here: an API key is a system, not an approver; people approve in Teams, where the bot knows who clicked.
/// </summary>
public static class ApprovalsApi
{
    public static IEndpointRouteBuilder MapApprovalsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup();

        api.MapGet("/flows", ListFlows.Handle)
            .RequireApiPolicy(ApiPolicies.Read)
            .WithName("ListFlows").WithTags("Approvals")
            .WithSummary("The configured approval flows and their stages.")
            .WithDescription("Each stage: who approves (in words and as a rule), the decision rule, the approver SLA and reminder interval in business hours, and whom an overdue stage escalates to.")
            .Produces<IReadOnlyList<FlowDto>>();

        api.MapPost("/approvals", CreateApprovalRequest.HandleAsync)
            .RequireApiPolicy(ApiPolicies.Write)
            .WithName("CreateApprovalRequest").WithTags("Approvals")
            .WithSummary("Submits a request for approval for a requester, on a flow or to named approvers.")
            .WithDescription("People are given by e-mail address, UPN or Entra object id. Give flow (see /flows) or approvers (with requireAll for 'all', otherwise 'any one'). Links must be absolute https URLs.")
            .Accepts<CreateApprovalRequest.Body>("application/json")
            .Produces<ApprovalDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/approvals", ListApprovalRequests.HandleAsync)
            .RequireApiPolicy(ApiPolicies.Read)
            .WithName("ListApprovalRequests").WithTags("Approvals")
            .WithSummary("Approval requests, newest first, in pages.")
            .WithDescription($"Filters: status (InProgress, ChangesRequested, Blocked, Approved, Rejected); requester and waitingFor (e-mail, UPN or Entra object id). skip ≥ 0; take 1–{Paging.MaxTake} (default {Paging.DefaultTake}).")
            .Produces<PageDto<ApprovalSummaryDto>>()
            .ProducesValidationProblem();

        api.MapGet("/approvals/{id:long}", GetApprovalRequest.HandleAsync)
            .RequireApiPolicy(ApiPolicies.Read)
            .WithName("GetApprovalRequest").WithTags("Approvals")
            .WithSummary("One approval request in full: the stages it follows, every stage run with its seats and decisions, and its outcome.")
            .Produces<ApprovalDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/approvals/{id:long}/audit", ExportAudit.ForRequestAsync)
            .RequireApiPolicy(ApiPolicies.Read)
            .WithName("GetApprovalAudit").WithTags("Audit")
            .WithSummary("The audit trail of one request, as JSON or CSV.")
            .WithDescription("JSON by default; CSV (RFC 4180, with a header row) with format=csv or Accept: text/csv.")
            .Produces<IReadOnlyList<AuditRecordDto>>(StatusCodes.Status200OK, "application/json", AuditCsv.ContentType)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/audit", ExportAudit.ForPeriod)
            .RequireApiPolicy(ApiPolicies.Read)
            .WithName("ExportAudit").WithTags("Audit")
            .WithSummary("The audit trails of all requests in a period, as JSON or CSV, streamed.")
            .WithDescription("from (inclusive) and to (exclusive) are ISO 8601 instants; either may be left out. Ordered by request id and sequence. JSON by default; CSV with format=csv or Accept: text/csv.")
            .Produces<IReadOnlyList<AuditRecordDto>>(StatusCodes.Status200OK, "application/json", AuditCsv.ContentType)
            .ProducesValidationProblem();
        return app;
    }
}
