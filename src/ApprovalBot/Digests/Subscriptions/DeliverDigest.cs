using System.Globalization;
using ApprovalBot.Approvals;
using ApprovalBot.Digests.Cards;
using ApprovalBot.Domain.Digests;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using ApprovalBot.Teams.Cards;
using Microsoft.EntityFrameworkCore;
using ApprovalBot.Scheduling;

namespace ApprovalBot.Digests.Subscriptions;

/// <summary>What a digest timer fire did.</summary>
public enum DigestFireOutcome
{
    Delivered,
    Unreachable,
    NotDue,
    StaleToken,
    Stopped,
    Gone,
}

/// <summary>
/// A subscription's timer fired: if the fencing token is current and the next occurrence has come, gathers the
/// subscriber's digest (<see cref="GatherDigest"/>: one set of reads), and in ONE transaction records the delivery for
/// the latest period that has come (unique per subscription and period) and stages the card in the outbox; then, after
/// the commit, arms the next occurrence. Nothing here waits for a send: the outbox dispatcher sends behind its throttle
/// gate. A late, repeated, superseded or concurrent fire delivers nothing twice: the version (concurrency token) or the
/// unique period stops the second, which then only re-arms for the current state.
/// </summary>
public sealed partial class DeliverDigest(
    BotDbContext db, GatherDigest gather, DigestCards cards, TeamsPeople people, DigestTimers timers, global::ApprovalBot.Teams.Outbox.Outbox outbox,
    ApprovalClock clock, ILogger<DeliverDigest> logger)
{
    /// <summary>The card subject of a delivered digest: its posted copy is updated in place on Acknowledge.</summary>
    public static string Subject(long deliveryId) => string.Create(CultureInfo.InvariantCulture, $"digest:{deliveryId}");

    /// <summary>The outbox dedupe key of a period's digest: a second staging of the same period is a no-op there too.</summary>
    public static string DedupeKey(long subscriptionId, DateTimeOffset period) =>
        string.Create(CultureInfo.InvariantCulture, $"digest:{subscriptionId}:{period.ToUnixTimeMilliseconds()}");

    /// <summary>The outbox batch of a period's digests (every subscriber due at that instant): one send to follow on /ops.</summary>
    public static string Batch(DateTimeOffset period) =>
        string.Create(CultureInfo.InvariantCulture, $"digest:{period.ToUnixTimeMilliseconds()}");

    public async Task<DigestFireOutcome> HandleAsync(long subscriptionId, long fencingToken, TimeSpan lateness, CancellationToken cancellationToken)
    {
        DigestSubscription? armAfter = null;
        var outcome = await db.RetryOnConflictAsync(async ct =>
        {
            armAfter = null;
            var subscription = await db.DigestSubscriptions.FirstOrDefaultAsync(s => s.Id == subscriptionId, ct);
            if (subscription is null) return DigestFireOutcome.Gone;
            var now = clock.Now;
            switch (subscription.Check(fencingToken, now))
            {
                case DigestFireCheck.Stopped:
                    return DigestFireOutcome.Stopped;
                case DigestFireCheck.StaleToken:
                    // Superseded (re-subscribed, or delivered by another fire): arm for the current state, idempotent.
                    armAfter = subscription;
                    return DigestFireOutcome.StaleToken;
                case DigestFireCheck.NotDue:
                    armAfter = subscription; // fired early (clock skew between instances)
                    return DigestFireOutcome.NotDue;
            }

            var schedule = subscription.Schedule;
            var zone = ZonedCron.ZoneOrUtc(subscription.TimeZoneId);
            var cron = ZonedCron.Create(schedule.Cron, zone);
            var period = cron.Latest(subscription.NextDueAt!.Value, now) ?? subscription.NextDueAt.Value;
            var next = cron.Next(now)!.Value;
            var target = await TargetAsync(subscription, ct);
            var digest = target.Reachable ? await gather.HandleAsync(subscription.Subscriber, ct) : null;

            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var delivery = subscription.Deliver(period, next, digest is null ? DigestDeliveryStatus.Unreachable : DigestDeliveryStatus.Staged, target.Why, now);
            db.DigestDeliveries.Add(delivery);
            await SaveAsync(ct); // the delivery's id, for the Acknowledge button; the version and the unique period guard here
            if (digest is not null)
            {
                var footer = new DigestDeliverySection(delivery.Id, await DigestFooter.LineAsync(subscription, people, ct), null, true);
                var (card, data) = cards.RenderDelivered(digest, zone, footer);
                delivery.KeepCardData(DigestCards.Keep(data));
                var activity = CardActivities.ToMessage(card);
                var key = DedupeKey(subscription.Id, period);
                var message = target.Channel is { } channel
                    ? await outbox.SendAsync(channel, activity, key, ct, Subject(delivery.Id))
                    : await outbox.SendAsync(target.Person!, activity, key, ct, Subject(delivery.Id), subscription.RecipientId);
                message?.InBatch(Batch(period)); // every digest of this period is one send on the operations page
            }
            await SaveAsync(ct);
            await transaction.CommitAsync(ct);
            armAfter = subscription;
            LogDelivered(logger, subscription.Id, period, digest is null ? "unreachable: " + target.Why : "staged", lateness.TotalMilliseconds);
            return digest is null ? DigestFireOutcome.Unreachable : DigestFireOutcome.Delivered;
        }, cancellationToken);
        if (armAfter is not null) await timers.ArmAsync(armAfter, cancellationToken);
        return outcome;
    }

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e is not DbUpdateConcurrencyException && StorageProviders.IsUniqueViolation(e, "digest_deliveries", "ix_digest_deliveries_subscription_id_period"))
        {
            // Another fire delivered this period first: reload and find the token stale.
            throw new DbUpdateConcurrencyException("The period was delivered by another fire.", e);
        }
    }

    private sealed record Target(Reach? Person, ConversationReference? Channel, string? Why)
    {
        public bool Reachable => Why is null;
    }

    private async Task<Target> TargetAsync(DigestSubscription subscription, CancellationToken cancellationToken)
    {
        if (subscription.RecipientPerson is { } person)
        {
            var reach = await people.ReachAsync(person, cancellationToken);
            return reach is Reach.Unreachable unreachable ? new Target(null, null, unreachable.Why) : new Target(reach, null, null);
        }

        var channelId = subscription.RecipientId;
        var reference = await db.ConversationReferences.AsNoTracking()
            .Where(r => (r.ConversationId == channelId || r.TeamsChannelId == channelId) && r.IsReachable)
            .OrderByDescending(r => r.ConversationId == channelId).ThenByDescending(r => r.UpdatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        return reference is null ? new Target(null, null, "the bot is not installed in that channel's team (or was removed)") : new Target(null, reference, null);
    }

    [LoggerMessage(EventId = 4700, Level = LogLevel.Information, Message = "Digest subscription {SubscriptionId}: period {Period:o} {What}, late by {LatenessMs} ms")]
    private static partial void LogDelivered(ILogger logger, long subscriptionId, DateTimeOffset period, string what, double latenessMs);
}
