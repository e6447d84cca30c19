using ApprovalBot.Approvals.Api;
using ApprovalBot.Digests.Subscriptions;
using ApprovalBot.Domain.Digests;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using Microsoft.EntityFrameworkCore;
using ApprovalBot.Scheduling;

namespace ApprovalBot.Digests.Api;

/// <summary>
/// <c>GET /api/v1/digests/deliveries?recipient=&amp;skip=&amp;take=</c>: a recipient's deliveries (every subscription it
/// had: there is one per recipient), newest period first, with acknowledgements and the outbox's send state.
/// </summary>
internal static class ListDigestDeliveries
{
    public static async Task<IResult> HandleAsync(string? recipient, int? skip, int? take, BotDbContext db, TeamsPeople people, CancellationToken cancellationToken)
    {
        var input = new ApiInput(people);
        var (s, t) = Paging.Read(skip, take, input);
        var text = recipient?.Trim();
        if (string.IsNullOrEmpty(text)) input.Error("recipient", "recipient is required: a person (e-mail, UPN or Entra object id) or a Teams channel id (19:…).");
        if (input.HasErrors) return input.Problem();

        DigestRecipientKind kind;
        string id;
        if (text!.StartsWith("19:", StringComparison.Ordinal))
            (kind, id) = (DigestRecipientKind.Channel, text);
        else
            (kind, id) = (DigestRecipientKind.Person, (await people.FindAsync(text, cancellationToken))?.Id.Value ?? text);
        var subscription = await db.DigestSubscriptions.AsNoTracking()
            .FirstOrDefaultAsync(x => x.RecipientKind == kind && x.RecipientId == id, cancellationToken);
        if (subscription is null) return ApiResults.NotFound($"'{text}' has no digest subscription.");

        var query = db.DigestDeliveries.AsNoTracking().Where(d => d.SubscriptionId == subscription.Id);
        var total = await query.CountAsync(cancellationToken);
        var page = await query.OrderByDescending(d => d.Period).Skip(s).Take(t).ToListAsync(cancellationToken);
        var keys = page.Select(d => DeliverDigest.DedupeKey(d.SubscriptionId, d.Period)).ToList();
        var sent = await db.OutboxMessages.AsNoTracking().Where(m => keys.Contains(m.DedupeKey))
            .Select(m => new { m.DedupeKey, m.Status }).ToListAsync(cancellationToken);
        var names = await people.NamesAsync(page.SelectMany(d => d.Acknowledgements.Select(a => a.By)).Append(subscription.Subscriber), cancellationToken);
        var zone = ZonedCron.ZoneOrUtc(subscription.TimeZoneId);

        return Results.Ok(new PageDto<DigestDeliveryDto>([.. page.Select(d => new DigestDeliveryDto(
            d.Id, d.SubscriptionId, new DigestRecipientDto(d.RecipientKind.ToString(), d.RecipientId),
            new DigestPersonDto(d.Subscriber.Value, names(d.Subscriber)),
            d.Period.ToUniversalTime(), $"{DigestFooter.Time(d.Period, zone, withDate: true)} {subscription.TimeZoneId}", d.At.ToUniversalTime(),
            d.Status.ToString(), d.Note,
            sent.FirstOrDefault(m => m.DedupeKey == DeliverDigest.DedupeKey(d.SubscriptionId, d.Period))?.Status.ToString(),
            [.. d.Acknowledgements.OrderBy(a => a.At).Select(a => new DigestAcknowledgementDto(new DigestPersonDto(a.By.Value, names(a.By)), a.At.ToUniversalTime()))]))],
            total, s, t));
    }
}
