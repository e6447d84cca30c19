using ApprovalBot.Domain.Digests;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using Microsoft.EntityFrameworkCore;
using ApprovalBot.Scheduling;

namespace ApprovalBot.Digests.Subscriptions;

/// <summary>
/// <c>digest status</c>: the recipient's subscription in words — the schedule, the zone, the next delivery in the
/// recipient's local time — and its last <see cref="LastDeliveries"/> deliveries with who acknowledged them, when.
/// Reads only.
/// </summary>
public sealed class DescribeDigestSubscription(BotDbContext db, TeamsPeople people)
{
    public const int LastDeliveries = 5;

    public async Task<string> HandleAsync(DigestRecipient recipient, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        var whose = recipient.Kind == DigestRecipientKind.Channel ? "This channel has" : "You have";
        var subscription = await db.DigestSubscriptions.AsNoTracking()
            .FirstOrDefaultAsync(s => s.RecipientKind == recipient.Kind && s.RecipientId == recipient.Id, cancellationToken);
        if (subscription is null)
            return $"{whose} no digest subscription. Subscribe with digest daily 08:00 or digest weekly mon 09:00.";

        var zone = ZonedCron.ZoneOrUtc(subscription.TimeZoneId);
        var names = await people.NamesAsync([subscription.Subscriber], cancellationToken);
        var lines = new List<string>();
        if (subscription.IsActive)
        {
            var view = recipient.Kind == DigestRecipientKind.Channel ? $" ({names(subscription.Subscriber)}'s view)" : "";
            var gets = recipient.Kind == DigestRecipientKind.Channel ? "This channel gets the digest" : "You get your digest";
            lines.Add($"{gets} {subscription.Schedule.Describe()}{view}, in {subscription.TimeZoneId} ({Source(subscription.ZoneSource)}).");
            lines.Add($"Next delivery: {DigestFooter.Time(subscription.NextDueAt!.Value, zone, withDate: true)} {subscription.TimeZoneId}.");
        }
        else
        {
            lines.Add($"{whose} no active digest subscription: it was stopped on {DigestFooter.Time(subscription.StoppedAt!.Value, zone, withDate: true)} {subscription.TimeZoneId}.");
        }

        var deliveries = await db.DigestDeliveries.AsNoTracking()
            .Where(d => d.SubscriptionId == subscription.Id)
            .OrderByDescending(d => d.Period).Take(LastDeliveries).ToListAsync(cancellationToken);
        if (deliveries.Count == 0)
        {
            lines.Add("No digest has been delivered yet.");
            return string.Join("\n", lines);
        }

        var readers = await people.NamesAsync(deliveries.SelectMany(d => d.Acknowledgements.Select(a => a.By)), cancellationToken);
        lines.Add("Last deliveries:");
        foreach (var delivery in deliveries)
        {
            var when = DigestFooter.Time(delivery.Period, zone, withDate: true);
            var read = delivery.Status == DigestDeliveryStatus.Unreachable
                ? $"not delivered: {delivery.Note}"
                : delivery.Acknowledgements.Count == 0
                    ? "not acknowledged yet"
                    : "acknowledged by " + string.Join(", ", delivery.Acknowledgements.OrderBy(a => a.At).Select(a => $"{readers(a.By)} at {DigestFooter.Time(a.At, zone, withDate: true)}"));
            lines.Add($"- {when}: {read}");
        }
        return string.Join("\n", lines);
    }

    private static string Source(DigestZoneSource source) => source switch
    {
        DigestZoneSource.Directory => "the directory's time zone",
        DigestZoneSource.TeamsClient => "the Teams client's time zone",
        _ => "UTC: no time zone was known",
    };
}
