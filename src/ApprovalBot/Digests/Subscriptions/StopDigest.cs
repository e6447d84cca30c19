using ApprovalBot.Approvals;
using ApprovalBot.Domain.Digests;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Digests.Subscriptions;

/// <summary><c>digest off</c>: stops the recipient's subscription (the row and its deliveries stay) and cancels its timer.</summary>
public sealed class StopDigest(BotDbContext db, DigestTimers timers, ApprovalClock clock)
{
    /// <returns>The stopped subscription, or null when the recipient has no active one.</returns>
    public async Task<DigestSubscription?> HandleAsync(DigestRecipient recipient, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        var stopped = await db.RetryOnConflictAsync(async ct =>
        {
            var subscription = await db.DigestSubscriptions.FirstOrDefaultAsync(s => s.RecipientKind == recipient.Kind && s.RecipientId == recipient.Id && s.IsActive, ct);
            if (subscription is null) return null;
            subscription.Stop(clock.Now);
            await db.SaveChangesAsync(ct);
            return subscription;
        }, cancellationToken);
        if (stopped is not null) await timers.ArmAsync(stopped, cancellationToken);
        return stopped;
    }
}
