using System.Security.Claims;
using ApprovalBot.Api;
using ApprovalBot.Approvals.Api;
using ApprovalBot.Teams;

namespace ApprovalBot.Escalations.Api;

/// <summary>
/// The escalations endpoints of the REST API (<c>/api/v1/escalations</c>): open, read, list, and the eight actions.
/// Unlike approval decisions, acting on an escalation is offered: a ticketing system mirrors what its people do. The
/// key acts on behalf of the person each call names (<c>reporter</c>, <c>actor</c>); the domain still decides whether
/// that person may act, and every call is logged with the key's name.
/// </summary>
public static class EscalationsApi
{
    public static IEndpointRouteBuilder MapEscalationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup();

        api.MapPost("/escalations", CreateEscalation.HandleAsync)
            .RequireApiPolicy(ApiPolicies.Write)
            .WithName("OpenEscalation").WithTags("Escalations")
            .WithSummary("Opens an escalation against an Active agreement on behalf of a reporter; L1 is notified in Teams.")
            .WithDescription("agreementId, or agreementName (the exact name, any case); priority P1–P4; title; description (optional); reporter (e-mail, UPN or Entra object id). The API key acts on behalf of the reporter. An agreement that is not Active: 409.")
            .Accepts<CreateEscalation.Body>("application/json")
            .Produces<EscalationDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/escalations", ListEscalations.HandleAsync)
            .RequireApiPolicy(ApiPolicies.Read)
            .WithName("ListEscalations").WithTags("Escalations")
            .WithSummary("Escalations, newest first, in pages.")
            .WithDescription($"Filters: state (Open, Acknowledged, OnHold, Resolved, Closed), agreementId, level (L1, L2, L3), priority (P1–P4), breached (true: the response or resolution clock has used its whole target now; false: neither has). skip ≥ 0; take 1–{Paging.MaxTake} (default {Paging.DefaultTake}).")
            .Produces<PageDto<EscalationSummaryDto>>()
            .ProducesValidationProblem();

        api.MapGet("/escalations/{id:long}", GetEscalation.HandleAsync)
            .RequireApiPolicy(ApiPolicies.Read)
            .WithName("GetEscalation").WithTags("Escalations")
            .WithSummary("One escalation: its fields, both SLA clocks now with their due times, the resolution warnings, holds, the policy snapshot (targets, calendar, levels) and the timeline.")
            .Produces<EscalationDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        foreach (var spec in ApplyEscalationAction.Actions)
        {
            var needs = spec switch
            {
                { TextField: { } field } => $"Body: actor and {field}.",
                { TakesAssignee: true } => "Body: actor and assignee (e-mail, UPN or Entra object id).",
                _ => "Body: actor.",
            };
            api.MapPost($"/escalations/{{id:long}}/{spec.Segment}",
                    (long id, ApplyEscalationAction.Body body, ActOnEscalation act, TeamsPeople people, TimeProvider time, ClaimsPrincipal user, ILoggerFactory loggers, CancellationToken cancellationToken) =>
                        ApplyEscalationAction.HandleAsync(spec, id, body, act, people, time, user, loggers, cancellationToken))
                .RequireApiPolicy(ApiPolicies.Write)
                .WithName(spec.Action == EscalationAction.Escalate ? "EscalateToNextLevel" : $"{spec.Action}Escalation").WithTags("Escalations")
                .WithSummary(spec.Summary)
                .WithDescription($"{needs} actor (e-mail, UPN or Entra object id) is the person the API key acts for: a current-level contact, the assignee or the reporter (channel membership cannot be checked through the API). A person who may not act: 403 with code escalation.forbidden; an action the state does not allow: 409 with the domain's code (escalation.transition, …); nothing changes either way. Answers the escalation as GET does.")
                .Accepts<ApplyEscalationAction.Body>("application/json")
                .Produces<EscalationDto>()
                .ProducesValidationProblem()
                .ProducesProblem(StatusCodes.Status404NotFound)
                .ProducesProblem(StatusCodes.Status409Conflict);
        }

        return app;
    }
}
