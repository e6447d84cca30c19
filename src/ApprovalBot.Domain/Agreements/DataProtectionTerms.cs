using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Agreements;

/// <summary>
/// Who is told of a personal-data breach and how soon (product.md §1, issue 10 "Data protection"): the data-protection
/// contacts on our side and on the provider's (each a <see cref="ContactPoint"/>: a Teams person, an e-mail and/or a
/// phone), and the notification deadline, counted from when a breach is reported (72 hours in the sample, as GDPR
/// Art. 33 asks of a controller). Whole minutes, from <see cref="MinDeadline"/> to <see cref="MaxDeadline"/>.
/// </summary>
public sealed record DataProtectionTerms
{
    public const int MaxContactsPerSide = 20;

    public static readonly TimeSpan MinDeadline = TimeSpan.FromHours(1);

    public static readonly TimeSpan MaxDeadline = TimeSpan.FromDays(30);

    public DataProtectionTerms(IEnumerable<ContactPoint> ourContacts, IEnumerable<ContactPoint> providerContacts, TimeSpan notificationDeadline)
    {
        OurContacts = [.. ourContacts ?? []];
        ProviderContacts = [.. providerContacts ?? []];
        Guard.That(OurContacts.Count > 0 && ProviderContacts.Count > 0, "agreement.invalid", "Name a data-protection contact on each side.");
        Guard.That(OurContacts.Count <= MaxContactsPerSide && ProviderContacts.Count <= MaxContactsPerSide, "agreement.invalid",
            $"At most {MaxContactsPerSide} data-protection contacts on each side.");
        Guard.That(notificationDeadline >= MinDeadline && notificationDeadline <= MaxDeadline, "agreement.invalid",
            "The breach notification deadline is between 1 hour and 30 days.");
        Guard.That(notificationDeadline.Ticks % TimeSpan.TicksPerMinute == 0, "agreement.invalid", "The breach notification deadline is a whole number of minutes.");
        NotificationDeadline = notificationDeadline;
    }

    public IReadOnlyList<ContactPoint> OurContacts { get; }

    public IReadOnlyList<ContactPoint> ProviderContacts { get; }

    /// <summary>How long after a breach is reported both sides' contacts must have been notified (e.g. 72 hours).</summary>
    public TimeSpan NotificationDeadline { get; }
}
