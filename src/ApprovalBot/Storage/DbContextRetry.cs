using ApprovalBot.Teams;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Storage;

/// <summary>Helpers for use cases that retry after losing an optimistic-concurrency race.</summary>
public static class DbContextRetry
{
    /// <summary>
    /// Forgets everything the context tracks except the turn's redelivery marker (<see cref="ProcessedActivity"/>),
    /// so a use case can reload and try again and still commit the marker with its final attempt.
    /// </summary>
    public static void DiscardForRetry(this BotDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.Entity is not ProcessedActivity).ToList())
            entry.State = EntityState.Detached;
    }

    /// <summary>Runs <paramref name="attempt"/> until it commits without a concurrency conflict, at most <paramref name="attempts"/> times.</summary>
    public static async Task<T> RetryOnConflictAsync<T>(this BotDbContext db, Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken, int attempts = 4)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(attempt);
        for (var i = 1; ; i++)
        {
            try
            {
                return await attempt(cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (i < attempts)
            {
                db.DiscardForRetry();
            }
        }
    }
}
