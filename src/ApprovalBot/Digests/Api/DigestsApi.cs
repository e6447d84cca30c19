using ApprovalBot.Api;
using ApprovalBot.Approvals.Api;

namespace ApprovalBot.Digests.Api;

/// <summary>The digest endpoints of the REST API (<c>/api/v1/digests</c>), read role.</summary>
public static class DigestsApi
{
    public static IEndpointRouteBuilder MapDigestsApi(this IEndpointRouteBuilder app)
    {
        app.MapApiGroup().MapGet("/digests/deliveries", ListDigestDeliveries.HandleAsync)
            .RequireApiPolicy(ApiPolicies.Read)
            .WithName("ListDigestDeliveries").WithTags("Digests")
            .WithSummary("The subscribed digests delivered to one recipient, newest period first, with who acknowledged each and when.")
            .WithDescription($"recipient (required): a person (e-mail, UPN or Entra object id) or a Teams channel id (19:…). A recipient with no subscription (active or stopped): 404. skip ≥ 0; take 1–{Paging.MaxTake} (default {Paging.DefaultTake}). status is Staged (handed to the outbox; sent says what the outbox did: Pending, Sent, GivenUp, or null once pruned) or Unreachable (note says why; nothing was sent). Times are UTC; periodLocal is the period in the subscription's time zone.")
            .Produces<PageDto<DigestDeliveryDto>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}

/// <summary>One delivered digest.</summary>
/// <param name="Period">The occurrence it is for (UTC).</param>
/// <param name="PeriodLocal">"8 Dec 2026 08:00 Europe/Berlin".</param>
/// <param name="DeliveredAt">When it was gathered and handed to the outbox.</param>
/// <param name="Sent">The outbox's state of the card: Pending, Sent, GivenUp; null when unreachable or pruned.</param>
public sealed record DigestDeliveryDto(
    long Id, long SubscriptionId, DigestRecipientDto Recipient, DigestPersonDto Subscriber, DateTimeOffset Period, string PeriodLocal,
    DateTimeOffset DeliveredAt, string Status, string? Note, string? Sent, IReadOnlyList<DigestAcknowledgementDto> Acknowledgements);

/// <summary>kind Person or Channel; id the person's id or the channel id.</summary>
public sealed record DigestRecipientDto(string Kind, string Id);

public sealed record DigestPersonDto(string Id, string Name);

/// <summary>Who acknowledged, when (UTC).</summary>
public sealed record DigestAcknowledgementDto(DigestPersonDto By, DateTimeOffset At);
