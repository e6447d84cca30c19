using ApprovalBot.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Digests;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;
using ApprovalBot.Scheduling;

namespace ApprovalBot.Digests.Subscriptions;

/// <summary>Who a digest goes to: a person (their id) or a Teams channel (its channel id).</summary>
public sealed record DigestRecipient(DigestRecipientKind Kind, string Id);

public sealed record SubscribeToDigestInput(DigestRecipient Recipient, PersonId Subscriber, DigestSchedule Schedule, DigestZone Zone);

/// <param name="Changed">The recipient had a subscription (active or stopped) that this one replaced.</param>
public sealed record DigestSubscribed(DigestSubscription Subscription, bool Changed);

/// <summary>
/// <c>digest daily 08:00</c> / <c>digest weekly mon 09:00</c>: creates the recipient's one subscription or changes it
/// (a new schedule, zone or subscriber; a stopped one resumes), with its next occurrence after now, and arms its timer
/// after the commit. Two subscribes at once for a new recipient: the unique key keeps one row, the loser retries as a change.
/// </summary>
public sealed class SubscribeToDigest(BotDbContext db, DigestTimers timers, ApprovalClock clock)
{
    public async Task<DigestSubscribed> HandleAsync(SubscribeToDigestInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var result = await db.RetryOnConflictAsync(async ct =>
        {
            var now = clock.Now;
            var next = ZonedCron.Create(input.Schedule.Cron, input.Zone.Zone).Next(now)!.Value;
            var existing = await db.DigestSubscriptions.FirstOrDefaultAsync(
                s => s.RecipientKind == input.Recipient.Kind && s.RecipientId == input.Recipient.Id, ct);
            if (existing is not null)
            {
                existing.Change(input.Subscriber, input.Schedule, input.Zone.Zone.Id, input.Zone.Source, next, now);
                await db.SaveChangesAsync(ct);
                return new DigestSubscribed(existing, true);
            }

            var created = DigestSubscription.Create(input.Recipient.Kind, input.Recipient.Id, input.Subscriber, input.Schedule, input.Zone.Zone.Id, input.Zone.Source, next, now);
            db.DigestSubscriptions.Add(created);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (e is not DbUpdateConcurrencyException && StorageProviders.IsUniqueViolation(e, "digest_subscriptions", "ix_digest_subscriptions_recipient_kind_recipient_id"))
            {
                throw new DbUpdateConcurrencyException("Someone subscribed this recipient at the same moment; change theirs.", e);
            }
            return new DigestSubscribed(created, false);
        }, cancellationToken);
        await timers.ArmAsync(result.Subscription, cancellationToken);
        return result;
    }
}
