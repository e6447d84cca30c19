using System.Globalization;
using ApprovalBot.Digests.Cards;
using ApprovalBot.Domain.Digests;
using ApprovalBot.Teams;

namespace ApprovalBot.Digests.Subscriptions;

/// <summary>The words of a subscribed digest's footer: the schedule line and who has read it.</summary>
public static class DigestFooter
{
    /// <summary>Most readers named on a channel digest; the rest are counted.</summary>
    public const int MaxReaders = 10;

    /// <summary>"Daily digest · 08:00 Europe/Berlin" (a channel's adds "· for this channel, as Alex Wilber sees it").</summary>
    public static async Task<string> LineAsync(DigestSubscription subscription, TeamsPeople people, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(people);
        var line = Schedule(subscription);
        if (subscription.RecipientKind == DigestRecipientKind.Channel)
            line += " · for this channel, as " + (await people.NamesAsync([subscription.Subscriber], cancellationToken))(subscription.Subscriber) + " sees it";
        return line;
    }

    /// <summary>"Daily digest · 08:00 Europe/Berlin" or "Weekly digest, Mondays · 09:00 America/New_York".</summary>
    public static string Schedule(DigestSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var schedule = subscription.Schedule;
        var how = schedule.Frequency == DigestFrequency.Daily ? "Daily digest" : $"Weekly digest, {schedule.Day}s";
        return $"{how} · {DigestSchedule.Time(schedule.At)} {subscription.TimeZoneId}";
    }

    /// <summary>The footer with who has read the delivery now; Acknowledge stays on a channel digest and on an unread 1:1 one.</summary>
    public static DigestDeliverySection Section(DigestDelivery delivery, string line, Func<Domain.Common.PersonId, string> names, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(names);
        var acks = delivery.Acknowledgements.OrderBy(a => a.At).ToList();
        string? readers = null;
        if (acks.Count > 0 && delivery.RecipientKind == DigestRecipientKind.Person)
            readers = $"Acknowledged by {names(acks[0].By)}, {Time(acks[0].At, zone, withDate: true)}";
        else if (acks.Count > 0)
        {
            var shown = acks.Take(MaxReaders).Select(a => $"{names(a.By)} ({Time(a.At, zone, withDate: false)})").ToList();
            readers = "Read by " + string.Join(", ", shown) + (acks.Count > shown.Count ? string.Create(CultureInfo.InvariantCulture, $" and {acks.Count - shown.Count} more") : "");
        }
        return new DigestDeliverySection(delivery.Id, line, readers, delivery.RecipientKind == DigestRecipientKind.Channel || acks.Count == 0);
    }

    /// <summary>"8 Dec 2026 08:05" or "8 Dec 08:05" in the zone.</summary>
    public static string Time(DateTimeOffset at, TimeZoneInfo zone, bool withDate) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString(withDate ? "d MMM yyyy HH:mm" : "d MMM HH:mm", CultureInfo.InvariantCulture);
}
