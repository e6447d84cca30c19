using ApprovalBot.Agreements.Documents;
using ApprovalBot.Agreements.Negotiation;
using ApprovalBot.Agreements.Signing;
using ApprovalBot.Api;
using ApprovalBot.Approvals.Api;
using ApprovalBot.Uptime.Api;

namespace ApprovalBot.Agreements.Api;

/// <summary>The agreements endpoints of the REST API (<c>/api/v1/agreements</c>).</summary>
public static class AgreementsApi
{
    public static IEndpointRouteBuilder MapAgreementsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup();

        api.MapPost("/agreements", CreateAgreement.HandleAsync)
            .RequireApiPolicy(ApiPolicies.Write)
            .WithName("CreateAgreement").WithTags("Agreements")
            .WithSummary("Creates a draft agreement.")
            .WithDescription("createdBy and every person in the terms: e-mail address, UPN or Entra object id. A draft may be incomplete; the answer's problems list what a submission still needs. A name already in use (any case) is a 409.")
            .Accepts<CreateAgreement.Body>("application/json")
            .Produces<AgreementDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/agreements/import", ImportAgreement.HandleAsync)
            .RequireApiPolicy(ApiPolicies.Write)
            .WithName("ImportAgreement").WithTags("Agreements")
            .WithSummary("Imports a whole agreement from a JSON file (GET's answer, or name, createdBy and terms) as a new draft.")
            .WithDescription("The terms: the top-level terms, else the current revision's from GET's shape (other fields are ignored). They must be complete and valid: otherwise 422 with every problem by field (errors and problems), and nothing is stored. onNameConflict: fail (default, 409 when the name is in use, any case) or rename (the first free \"name (2)\", \"name (3)\", …).")
            .Accepts<ImportAgreement.Body>("application/json")
            .Produces<AgreementDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/agreements", ListAgreements.HandleAsync)
            .RequireApiPolicy(ApiPolicies.Read)
            .WithName("ListAgreements").WithTags("Agreements")
            .WithSummary("Agreements, oldest first, in pages.")
            .WithDescription($"status: Draft, InApproval, ChangesRequested, Rejected, Active, Expired, Terminated. skip ≥ 0; take 1–{Paging.MaxTake} (default {Paging.DefaultTake}).")
            .Produces<PageDto<AgreementSummaryDto>>()
            .ProducesValidationProblem();

        api.MapGet("/agreements/{id:long}", GetAgreement.HandleAsync)
            .RequireApiPolicy(ApiPolicies.Read)
            .WithName("GetAgreement").WithTags("Agreements")
            .WithSummary("One agreement with every revision (terms, author, submission, outcome and decision) and its approval request ids.")
            .Produces<AgreementDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPut("/agreements/{id:long}/terms", ReviseAgreementTerms.HandleAsync)
            .RequireApiPolicy(ApiPolicies.Write)
            .WithName("ReviseAgreementTerms").WithTags("Agreements")
            .WithSummary("Replaces the terms of a draft, or starts a new revision after changes were requested or it was rejected.")
            .WithDescription("by: the author or an oversight owner (e-mail, UPN or Entra object id). 409 while in approval, once active or ended, or when by may not change it.")
            .Accepts<ReviseAgreementTerms.Body>("application/json")
            .Produces<AgreementDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/agreements/{id:long}/submit", SubmitAgreementForApproval.HandleAsync)
            .RequireApiPolicy(ApiPolicies.Write)
            .WithName("SubmitAgreement").WithTags("Agreements")
            .WithSummary("Submits the current revision for approval; answers 202 with the approval request id.")
            .WithDescription("by: the author or an oversight owner, who becomes the requester. A draft starts a new request on the agreement flow; an agreement sent back for changes goes into the same request again. Incomplete terms: 400 listing every problem.")
            .Accepts<SubmitAgreementForApproval.Body>("application/json")
            .Produces<SubmissionDto>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/agreements/{id:long}/termination", Term.TerminateAgreementApi.HandleAsync)
            .RequireApiPolicy(ApiPolicies.Write)
            .WithName("TerminateAgreement").WithTags("Agreements")
            .WithSummary("Terminates an active agreement with notice: it ends at the notice date (today in its time zone + its notice period).")
            .WithDescription("by: an oversight owner of the terms in force or a member of the Management group (e-mail, UPN or Entra object id); reason: one of the agreement's terminationReasons (any case; none listed: any reason). 400 for another reason (extension reasons lists them); 409 when by may not, the agreement is not Active, a renewal is in approval, a termination is already scheduled, or the notice date would fall after the end date.")
            .Accepts<Term.TerminateAgreementApi.Body>("application/json")
            .Produces<Term.TerminateAgreementApi.TerminationDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapSigningMeetingApi();

        api.MapGet("/agreements/{id:long}/announcement", Announcement.GetAnnouncement.HandleAsync)
            .RequireApiPolicy(ApiPolicies.Read)
            .WithName("GetAgreementAnnouncement").WithTags("Agreements")
            .WithSummary("Where the agreement's announcements went and who acknowledged them, newest first.")
            .WithDescription("One announcement per term that came into force (the activation, each approved renewal): every configured department channel with reached (false: notReachedReason says why, e.g. the bot is not installed in that team), and each acknowledgement (by, department, channelId, at). current: the announcement of the term in force. None before the agreement is Active or when Agreements:Announcement:Channels is empty.")
            .Produces<Announcement.GetAnnouncement.AnnouncementsDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/agreements/{id:long}/events", ListAgreementEvents.HandleAsync)
            .RequireApiPolicy(ApiPolicies.Read)
            .WithName("ListAgreementEvents").WithTags("Agreements")
            .WithSummary("The agreement's audit trail, oldest first: end-of-term choices, refusals, renewal outcomes, expiry and termination.")
            .WithDescription("kind: Renew, LetExpire, Terminate (a choice, with its actor), Refused (action: what was tried; code and detail: why nothing changed), RenewalApproved, RenewalRejected, Reinstated (an expired agreement whose renewal was approved afterwards), Expired, Terminated (the term timer; no actor), SentToProvider (a negotiation round opened; no actor), AgreedUpon, ProviderRequestedChanges.")
            .Produces<ListAgreementEvents.EventsDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/agreements/{id:long}/uptime", ReportUptime.HandleAsync)
            .RequireApiPolicy(ApiPolicies.Write)
            .WithName("ReportUptime").WithTags("Agreements")
            .WithSummary("Reports the measured uptime of the agreement (or one of its services) over a period that is over.")
            .WithDescription("from, to: ISO 8601 instants, the period [from, to), to after from, at most 366 days, at or before now. percent: 0–100 with at most 3 decimals. service (optional, ≤ 200 characters; none = the agreement as a whole), note (optional, ≤ 2000). Counted in the uptime KPI (time-weighted). A period overlapping a report already stored for the same service (ignoring case): 409 uptime.overlap. Every invalid field: 400.")
            .Accepts<ReportUptime.Body>("application/json")
            .Produces<UptimeReportDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/agreements/{id:long}/uptime", ListUptime.HandleAsync)
            .RequireApiPolicy(ApiPolicies.Read)
            .WithName("ListUptime").WithTags("Agreements")
            .WithSummary("The agreement's uptime reports overlapping [from, to), oldest period first.")
            .WithDescription("from, to: optional ISO 8601 instants (without an offset: UTC).")
            .Produces<UptimeListDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapAgreementDocuments();
        app.MapNegotiationApi();
        return app;
    }
}
