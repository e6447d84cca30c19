using System.Globalization;
using System.Text.Json.Nodes;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.Agreements.Term;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Agreements.Announcement;

/// <param name="ChannelId">The Teams channel the click came from (null in a 1:1 or group chat).</param>
public sealed record AcknowledgeAnnouncementInput(long AgreementId, int Revision, PersonId By, string? ChannelId);

/// <summary>The answer: <see cref="Card"/> (the announcement with its acknowledgements now) when recorded, else <see cref="Refusal"/>, why nothing was.</summary>
public sealed record AnnouncementAcknowledged(string? Refusal, JsonObject? Card);

/// <summary>
/// Acknowledge on an announcement: records who, in which department's channel, when — once per person (a second click
/// answers that it was recorded before) — and in the same save stages the update of every posted copy, so every
/// department sees every acknowledgement. A click on an announcement that is no longer current (the agreement ended, or
/// a renewal's announcement superseded it), or from outside its channels, gets a clear message and records nothing.
/// </summary>
public sealed class AcknowledgeAnnouncement(BotDbContext db, AnnouncementMessages messages, TermClock clock)
{
    public async Task<AnnouncementAcknowledged> HandleAsync(AcknowledgeAnnouncementInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        for (var attempt = 1; ; attempt++)
        {
            var agreement = await db.Agreements.AsNoTracking().FirstOrDefaultAsync(a => a.Id == input.AgreementId, cancellationToken);
            var announcement = agreement is null ? null : await db.AgreementAnnouncements
                .FirstOrDefaultAsync(a => a.AgreementId == input.AgreementId && a.Revision == input.Revision, cancellationToken);
            if (agreement is null || announcement is null)
                return new AnnouncementAcknowledged("This announcement is not known (any more): nothing was recorded.", null);
            if (messages.StaleReason(agreement, announcement) is { } stale)
                return new AnnouncementAcknowledged($"{stale} Nothing was recorded.", null);

            switch (announcement.Acknowledge(input.By, input.ChannelId, clock.Now))
            {
                case AnnouncementAckOutcome.AlreadyAcknowledged:
                    var mine = announcement.Acknowledgements.First(a => a.By == input.By);
                    return new AnnouncementAcknowledged(
                        $"You acknowledged this announcement already, on {ApprovalCardModel.FormatTime(mine.At, clock.Zone)} in the {mine.Department} channel. Nothing new was recorded.", null);
                case AnnouncementAckOutcome.NotInItsChannels:
                    return new AnnouncementAcknowledged(
                        $"Acknowledge this announcement in one of the departments' channels it was posted to ({string.Join(", ", announcement.Channels.Where(c => c.Reached).Select(c => c.Department))}). Nothing was recorded.", null);
            }

            var card = await messages.CardAsync(agreement, announcement, cancellationToken);
            await messages.UpdateCopiesAsync(agreement, announcement,
                string.Create(CultureInfo.InvariantCulture, $"ack:v{announcement.Version}"), cancellationToken);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return new AnnouncementAcknowledged(null, card);
            }
            catch (DbUpdateException e) when (attempt < 5
                && (e is DbUpdateConcurrencyException || StorageProviders.IsUniqueViolation(e, "announcement_acks", "pk_announcement_acks")))
            {
                // Someone acknowledged at the same time (or the same person's other click won): reload, so the card
                // shows both; the same person's second attempt says it was recorded before.
                db.DiscardForRetry();
            }
        }
    }
}
