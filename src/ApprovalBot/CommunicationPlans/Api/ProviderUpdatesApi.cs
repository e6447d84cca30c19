using System.Security.Claims;
using ApprovalBot.Api;
using ApprovalBot.Approvals.Api;
using ApprovalBot.Domain.CommunicationPlans;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.CommunicationPlans.Api;

/// <summary>An update obligation as the API shows it: instants in UTC; <c>state</c> Due, OnTime, Late, Missed or Cancelled.</summary>
public sealed record ProviderUpdateDto(
    long Id, long AgreementId, DateTimeOffset OpensAt, DateTimeOffset DueAt, DateTimeOffset ClosesAt, string State,
    DateTimeOffset? PostedAt, string? PostedBy, string? Text, DateTimeOffset? RemindedAt, DateTimeOffset? OverdueNoticeAt, DateTimeOffset? EscalatedAt);

/// <summary>An agreement's update obligations, newest due time first.</summary>
public sealed record ProviderUpdateListDto(long AgreementId, IReadOnlyList<ProviderUpdateDto> Items);

/// <summary>
/// What a post did: <c>counted</c> is the obligation the update met (null: an additional update, not counted),
/// <c>nextDueAt</c> when the next one is due, <c>deliveryProblem</c> why it could not be delivered to the plan's
/// destination (it is recorded all the same).
/// </summary>
public sealed record PostedUpdateDto(long AgreementId, ProviderUpdateDto? Counted, DateTimeOffset? NextDueAt, string? DeliveryProblem);

/// <summary>The communication plan endpoints: <c>/api/v1/agreements/{id}/updates</c> (list: read; post: write).</summary>
public static class ProviderUpdatesApi
{
    public sealed record Body(string? Text);

    public const int MaxListed = 200;

    public static IEndpointRouteBuilder MapProviderUpdatesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup();
        api.MapGet("/agreements/{id:long}/updates", ListAsync)
            .RequireApiPolicy(ApiPolicies.Read)
            .WithName("ListProviderUpdates").WithTags("Agreements")
            .WithSummary("The agreement's provider update obligations under its communication plan, newest due time first, with their state.")
            .WithDescription($"One item per due occurrence of the plan's update cadence: opensAt, dueAt, closesAt (the next occurrence), state (Due, OnTime, Late, Missed, Cancelled), the update that met it (postedAt, postedBy: a person's Entra object id or api:<key name>, text) and when the reminders went out. At most {MaxListed} items.")
            .Produces<ProviderUpdateListDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/agreements/{id:long}/updates", PostAsync)
            .RequireApiPolicy(ApiPolicies.Write)
            .WithName("PostProviderUpdate").WithTags("Agreements")
            .WithSummary("Posts a provider update on an Active agreement: recorded against the open obligation (on time by its due time, late after), delivered to the plan's destination.")
            .WithDescription($"text: 1–{UpdateObligation.MaxTextLength} characters. Posted by the API key (postedBy api:<key name>). An update while the current period's update is already posted is delivered but not counted (counted null). 400 for bad text, 404 for an unknown agreement, 409 when it is not Active or its cadence cannot be scheduled.")
            .Accepts<Body>("application/json")
            .Produces<PostedUpdateDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    internal static async Task<IResult> ListAsync(long id, BotDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.Agreements.AnyAsync(a => a.Id == id, cancellationToken)) return ApiResults.NotFound($"There is no agreement {id}.");
        var items = await db.UpdateObligations.AsNoTracking().Where(o => o.AgreementId == id)
            .OrderByDescending(o => o.DueAt).Take(MaxListed).ToListAsync(cancellationToken);
        return Results.Ok(new ProviderUpdateListDto(id, [.. items.Select(ToDto)]));
    }

    internal static async Task<IResult> PostAsync(long id, Body body, PostProviderUpdate post, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var key = user.Identity?.Name ?? "api";
        var result = await post.HandleAsync(new PostProviderUpdateInput(id, body.Text, null, key, $"{key} (API)"), cancellationToken);
        if (result.Refusal is { } refusal)
        {
            return refusal.Code switch
            {
                "update.text" => ApiResults.Validation(new Dictionary<string, string[]> { ["text"] = [refusal.Message] }),
                "update.not_found" => ApiResults.NotFound(refusal.Message),
                _ => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The current state does not allow this.", detail: refusal.Message,
                    extensions: new Dictionary<string, object?> { ["code"] = refusal.Code }),
            };
        }

        return Results.Created($"/api/v1/agreements/{id}/updates",
            new PostedUpdateDto(id, result.Counted is { } c ? ToDto(c) : null, result.NextDueAt?.ToUniversalTime(), result.DeliveryProblem));
    }

    internal static ProviderUpdateDto ToDto(UpdateObligation o)
    {
        ArgumentNullException.ThrowIfNull(o);
        return new(o.Id, o.AgreementId, o.OpensAt.ToUniversalTime(), o.DueAt.ToUniversalTime(), o.ClosesAt.ToUniversalTime(), o.State.ToString(),
            o.PostedAt?.ToUniversalTime(), o.PostedBy, o.Text, o.RemindedAt?.ToUniversalTime(), o.OverdueNoticeAt?.ToUniversalTime(), o.EscalatedAt?.ToUniversalTime());
    }
}
