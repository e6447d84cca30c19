using System.Globalization;
using System.Text.Json.Nodes;
using ApprovalBot.Approvals;
using ApprovalBot.Digests.Cards;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Digests;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using Microsoft.EntityFrameworkCore;
using ApprovalBot.Scheduling;

namespace ApprovalBot.Digests.Subscriptions;

/// <param name="ChannelId">The Teams channel the click came from (null in a 1:1 or group chat).</param>
public sealed record AcknowledgeDigestInput(long DeliveryId, PersonId By, string? ChannelId);

/// <param name="Card">The delivered card with its read receipts now (null when the delivery is unknown or was never sent).</param>
public sealed record DigestAcknowledged(DigestAckOutcome? Outcome, DigestDelivery? Delivery, JsonObject? Card)
{
    /// <summary>Why nothing changed, for the person who clicked; null when acknowledged (now or before).</summary>
    public string? Refusal => Outcome switch
    {
        null => "This digest is not known (any more): nothing was recorded.",
        DigestAckOutcome.NotYours => "This digest is someone else's: only its recipient can acknowledge it. Nothing was recorded.",
        DigestAckOutcome.NotInChannel => "This digest was posted to a channel: acknowledge it there. Nothing was recorded.",
        DigestAckOutcome.NotDelivered => "This digest was never delivered: nothing was recorded.",
        _ => null,
    };
}

/// <summary>
/// Acknowledge on a delivered digest: records who read it, when (once per person: a second click changes nothing), and
/// in the same save stages the update of every posted copy of the card ("Acknowledged by …", or a channel digest's list
/// of readers). A 1:1 digest is acknowledged by its recipient only; a channel digest by anyone in that channel.
/// </summary>
public sealed class AcknowledgeDigest(BotDbContext db, DigestCards cards, TeamsPeople people, global::ApprovalBot.Teams.Outbox.Outbox outbox, ApprovalClock clock)
{
    public async Task<DigestAcknowledged> HandleAsync(AcknowledgeDigestInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        for (var attempt = 1; ; attempt++)
        {
            var delivery = await db.DigestDeliveries.FirstOrDefaultAsync(d => d.Id == input.DeliveryId, cancellationToken);
            if (delivery is null) return new DigestAcknowledged(null, null, null);
            var inItsChannel = delivery.RecipientKind == DigestRecipientKind.Channel && input.ChannelId is { } channel
                && string.Equals(channel, delivery.RecipientId, StringComparison.Ordinal);
            var outcome = delivery.Acknowledge(input.By, inItsChannel, clock.Now);
            if (outcome is DigestAckOutcome.NotYours or DigestAckOutcome.NotInChannel or DigestAckOutcome.NotDelivered)
                return new DigestAcknowledged(outcome, delivery, null);

            var card = await CardAsync(delivery, cancellationToken);
            if (outcome == DigestAckOutcome.AlreadyAcknowledged) return new DigestAcknowledged(outcome, delivery, card);
            if (card is not null)
            {
                await outbox.UpdateCardCopiesAsync(DeliverDigest.Subject(delivery.Id), card,
                    string.Create(CultureInfo.InvariantCulture, $"ack:{delivery.Acknowledgements.Count}"), cancellationToken);
            }
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return new DigestAcknowledged(outcome, delivery, card);
            }
            catch (DbUpdateException e) when (attempt < 3 && StorageProviders.IsUniqueViolation(e, "digest_acknowledgements", "pk_digest_acknowledgements"))
            {
                // The same person's other click won the race (or someone else's update of the card copy): reload.
                db.DiscardForRetry();
            }
        }
    }

    /// <summary>The delivered card drawn again from its kept data, with who has read it now.</summary>
    public async Task<JsonObject?> CardAsync(DigestDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (DigestCards.Read(delivery.CardData) is not { Delivery: { } footer } data) return null;
        var subscription = await db.DigestSubscriptions.AsNoTracking().FirstAsync(s => s.Id == delivery.SubscriptionId, cancellationToken);
        var names = await people.NamesAsync(delivery.Acknowledgements.Select(a => a.By), cancellationToken);
        return cards.Render(data with { Delivery = DigestFooter.Section(delivery, footer.Line, names, ZonedCron.ZoneOrUtc(subscription.TimeZoneId)) });
    }
}
