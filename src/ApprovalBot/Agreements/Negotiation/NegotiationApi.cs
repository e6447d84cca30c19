using ApprovalBot.Api;
using ApprovalBot.Approvals.Api;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Agreements.Negotiation;

/// <summary>
/// The negotiation endpoints: <c>GET /api/v1/agreements/{id}/negotiation</c> (the rounds), and the provider's answers
/// <c>POST …/negotiation/{round}/accept</c> and <c>…/request-changes</c>, with the same rules as the card's buttons
/// (<see cref="DecideNegotiation"/>): 200 with the rounds; 400 for a change request without a comment; 409 for a round
/// that is not waiting for the provider or a <c>by</c> who is not one of its negotiators (audited as on the card).
/// </summary>
internal static class NegotiationApi
{
    public sealed record Body(string? By, string? Comment);

    /// <summary>
    /// The agreement's negotiation: <c>state</c> of its current (or signed-off) revision — <c>AwaitingProvider</c>,
    /// <c>PendingFurtherNegotiation</c>, <c>AgreedUpon</c> or <c>None</c> — and every round, oldest first.
    /// </summary>
    public sealed record NegotiationDto(long AgreementId, int Revision, string State, IReadOnlyList<RoundDto> Rounds);

    /// <summary>One round: what was sent (revision, hashes), when and to whom, and the provider's answer.</summary>
    public sealed record RoundDto(
        int Number, int Revision, DateTimeOffset SentAt, IReadOnlyList<string> Negotiators, string? DocumentHashes, string TermsSha256,
        string? Outcome, string? DecidedBy, DateTimeOffset? DecidedAt, string? Comment);

    public static IEndpointRouteBuilder MapNegotiationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup();

        api.MapGet("/agreements/{id:long}/negotiation", GetAsync)
            .RequireApiPolicy(ApiPolicies.Read)
            .WithName("GetAgreementNegotiation").WithTags("Agreements")
            .WithSummary("The negotiation with the provider: each round (revision, sent at, to whom, document and terms hashes, answer) and the state of the current revision.")
            .WithDescription("state: AwaitingProvider (a round waits for the provider), PendingFurtherNegotiation (the provider asked for changes; the new revision is back in review), AgreedUpon (the provider accepted it), None.")
            .Produces<NegotiationDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/agreements/{id:long}/negotiation/{round:int}/accept", (long id, int round, Body body, DecideNegotiation decide, TeamsPeople people, CancellationToken ct) =>
                DecideAsync(id, round, NegotiationDecision.Accept, body, decide, people, ct))
            .RequireApiPolicy(ApiPolicies.Write)
            .WithName("AcceptAgreementNegotiation").WithTags("Agreements")
            .WithSummary("The provider accepts the revision of the open negotiation round: agreed upon; the approval goes on to the next stage.")
            .WithDescription("by: one of the round's negotiators (the provider's contacts reachable in Teams; e-mail, UPN or Entra object id). 409 (code negotiation.stale or negotiation.not_negotiator) when the round is not the one waiting for the provider or by is not its negotiator; the attempt is audited in the agreement's events.")
            .Accepts<Body>("application/json")
            .Produces<NegotiationDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/agreements/{id:long}/negotiation/{round:int}/request-changes", (long id, int round, Body body, DecideNegotiation decide, TeamsPeople people, CancellationToken ct) =>
                DecideAsync(id, round, NegotiationDecision.RequestChanges, body, decide, people, ct))
            .RequireApiPolicy(ApiPolicies.Write)
            .WithName("RequestAgreementNegotiationChanges").WithTags("Agreements")
            .WithSummary("The provider asks for changes (comment required): a new revision, pending further negotiation, goes back to the flow's return stage.")
            .WithDescription("by: one of the round's negotiators; comment: what should change (1–2000 characters). 400 without a comment; 409 as for accept.")
            .Accepts<Body>("application/json")
            .Produces<NegotiationDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<IResult> GetAsync(long id, BotDbContext db, CancellationToken cancellationToken)
    {
        var agreement = await db.Agreements.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        return agreement is null ? ApiResults.NotFound($"There is no agreement {id}.") : Results.Ok(ToDto(agreement));
    }

    private static async Task<IResult> DecideAsync(long id, int round, NegotiationDecision decision, Body body, DecideNegotiation decide, TeamsPeople people, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return await ApiResults.GuardAsync(async () =>
        {
            var input = new ApiInput(people);
            var by = await input.PersonAsync(body.By, "by", required: true, cancellationToken);
            if (input.HasErrors) return input.Problem();
            var result = await decide.HandleAsync(new DecideNegotiationInput(id, round, by!.Value, decision, body.Comment), cancellationToken);
            if (result.Agreement is not { } agreement || result.Result is not { } outcome) return ApiResults.NotFound($"There is no agreement {id}.");
            if (outcome.Recorded) return Results.Ok(ToDto(agreement));
            if (outcome.Outcome is NegotiationResultKind.CommentRequired or NegotiationResultKind.CommentTooLong)
            {
                input.Error("comment", outcome.Message);
                return input.Problem();
            }
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The current state does not allow this.", detail: outcome.Message,
                extensions: new Dictionary<string, object?> { ["code"] = outcome.Code });
        });
    }

    private static NegotiationDto ToDto(Agreement agreement)
    {
        var revision = agreement.ActiveRevisionNumber is { } active && agreement.Status is AgreementStatus.Active or AgreementStatus.Expired or AgreementStatus.Terminated && !agreement.RenewalPending
            ? active
            : agreement.CurrentRevision.Number;
        var state = agreement.OpenNegotiationRound is not null ? "AwaitingProvider"
            : agreement.AgreedUpon(revision) is not null ? "AgreedUpon"
            : agreement.PendingFurtherNegotiation(revision) is not null ? "PendingFurtherNegotiation"
            : "None";
        return new NegotiationDto(agreement.Id, revision, state, [.. agreement.NegotiationRounds.Select(r => new RoundDto(
            r.Number, r.Revision, ApprovalMapping.Utc(r.SentAt), [.. r.Negotiators.Select(p => p.Value)], r.DocumentHashes, r.TermsSha256,
            r.Outcome?.ToString(), r.DecidedBy?.Value, ApprovalMapping.Utc(r.DecidedAt), r.Comment))]);
    }
}
