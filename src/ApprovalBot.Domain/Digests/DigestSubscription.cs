using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Digests;

/// <summary>Who receives a subscribed digest: a person (in their 1:1 chat with the bot) or a Teams channel.</summary>
public enum DigestRecipientKind
{
    Person,
    Channel,
}

/// <summary>Where the time zone of a subscription came from.</summary>
public enum DigestZoneSource
{
    /// <summary>The directory's time zone of the person (the subscriber, for a channel).</summary>
    Directory,

    /// <summary>The Teams client's time zone, sent with the command that subscribed (<c>localTimezone</c>).</summary>
    TeamsClient,

    /// <summary>Neither was known.</summary>
    Utc,
}

/// <summary>
/// A recipient's subscription to the status digest: one per recipient (subscribing again changes it), daily or weekly
/// at a local time in <see cref="TimeZoneId"/>. <see cref="NextDueAt"/> is the next occurrence (the host computes
/// occurrences from <see cref="DigestSchedule.Cron"/> in the zone); <see cref="Version"/> is the concurrency token and the
/// digest timer's fencing token, moved by every change and every delivery. Stopping keeps the row (and its deliveries).
/// </summary>
public sealed class DigestSubscription
{
    public const int MaxRecipientLength = 300;
    public const int MaxZoneLength = 100;

    private DigestSubscription()
    {
        RecipientId = string.Empty;
        TimeZoneId = string.Empty;
    }

    public long Id { get; private set; }

    public DigestRecipientKind RecipientKind { get; private set; }

    /// <summary>The person's id (<see cref="PersonId.Value"/>) or the Teams channel id.</summary>
    public string RecipientId { get; private set; }

    /// <summary>Who subscribed (last): the person themselves, or for a channel the one whose view the channel gets.</summary>
    public PersonId Subscriber { get; private set; }

    public DigestFrequency Frequency { get; private set; }

    public DayOfWeek? Day { get; private set; }

    /// <summary>The local time of day in minutes after midnight.</summary>
    public int MinuteOfDay { get; private set; }

    /// <summary>IANA (or Windows) time-zone id the schedule is read in.</summary>
    public string TimeZoneId { get; private set; }

    public DigestZoneSource ZoneSource { get; private set; }

    public bool IsActive { get; private set; }

    /// <summary>The next occurrence to deliver (null when stopped). A fire before it delivers nothing.</summary>
    public DateTimeOffset? NextDueAt { get; private set; }

    /// <summary>The period (occurrence) of the last delivery, if any.</summary>
    public DateTimeOffset? LastPeriod { get; private set; }

    public long Version { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? StoppedAt { get; private set; }

    public DigestSchedule Schedule => new(Frequency, Day, new TimeOnly(MinuteOfDay / 60, MinuteOfDay % 60));

    /// <summary>The person a 1:1 subscription delivers to; null for a channel.</summary>
    public PersonId? RecipientPerson => RecipientKind == DigestRecipientKind.Person ? new PersonId(RecipientId) : null;

    public static DigestSubscription Create(
        DigestRecipientKind kind, string recipientId, PersonId subscriber, DigestSchedule schedule, string timeZoneId, DigestZoneSource zoneSource,
        DateTimeOffset nextDueAt, DateTimeOffset now)
    {
        Guard.That(Enum.IsDefined(kind), "digest.recipient", "A digest goes to a person or a channel.");
        var recipient = Guard.RequiredText(recipientId, "The digest's recipient", MaxRecipientLength);
        if (kind == DigestRecipientKind.Person) recipient = new PersonId(recipient).Value;
        var subscription = new DigestSubscription
        {
            RecipientKind = kind,
            RecipientId = recipient,
            CreatedAt = now,
        };
        subscription.Apply(subscriber, schedule, timeZoneId, zoneSource, nextDueAt, now);
        return subscription;
    }

    /// <summary>Subscribes again: the new schedule, zone and subscriber replace the old; a stopped subscription resumes.</summary>
    public void Change(PersonId subscriber, DigestSchedule schedule, string timeZoneId, DigestZoneSource zoneSource, DateTimeOffset nextDueAt, DateTimeOffset now) =>
        Apply(subscriber, schedule, timeZoneId, zoneSource, nextDueAt, now);

    /// <summary><c>digest off</c>: no more deliveries until subscribed again.</summary>
    public void Stop(DateTimeOffset now)
    {
        Guard.That(IsActive, "digest.not_subscribed", "The digest subscription is stopped already.");
        IsActive = false;
        NextDueAt = null;
        StoppedAt = now;
        UpdatedAt = now;
        Version++;
    }

    /// <summary>
    /// Whether a timer fire armed with <paramref name="fencingToken"/> should deliver now: the subscription is active,
    /// the token is current, and the next occurrence has come.
    /// </summary>
    public DigestFireCheck Check(long fencingToken, DateTimeOffset now)
    {
        if (!IsActive) return DigestFireCheck.Stopped;
        if (fencingToken != Version) return DigestFireCheck.StaleToken;
        return NextDueAt <= now ? DigestFireCheck.Due : DigestFireCheck.NotDue;
    }

    /// <summary>
    /// Records that the digest of <paramref name="period"/> (the latest occurrence not after now: a missed period is not
    /// delivered after a newer one) was handed over, and moves on to <paramref name="nextDueAt"/>.
    /// </summary>
    public DigestDelivery Deliver(DateTimeOffset period, DateTimeOffset nextDueAt, DigestDeliveryStatus status, string? note, DateTimeOffset now)
    {
        Guard.That(IsActive, "digest.not_subscribed", "A stopped subscription delivers nothing.");
        Guard.That(NextDueAt is { } due && period >= due && period <= now, "digest.period", "A digest is delivered for an occurrence that has come.");
        Guard.That(nextDueAt > period, "digest.period", "The next occurrence must follow the delivered one.");
        LastPeriod = period;
        NextDueAt = nextDueAt;
        UpdatedAt = now;
        Version++;
        return new DigestDelivery(this, period, status, note, now);
    }

    /// <summary>Arms for a later occurrence without delivering (the host found the due one had been delivered already).</summary>
    public void Skip(DateTimeOffset nextDueAt, DateTimeOffset now)
    {
        Guard.That(IsActive, "digest.not_subscribed", "A stopped subscription has no next occurrence.");
        NextDueAt = nextDueAt;
        UpdatedAt = now;
        Version++;
    }

    private void Apply(PersonId subscriber, DigestSchedule schedule, string timeZoneId, DigestZoneSource zoneSource, DateTimeOffset nextDueAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        Guard.That(Enum.IsDefined(zoneSource), "digest.zone", "Unknown time-zone source.");
        Guard.That(nextDueAt > now, "digest.period", "The next occurrence must be in the future.");
        Subscriber = Guard.Person(subscriber, "The subscriber");
        Frequency = schedule.Frequency;
        Day = schedule.Day;
        MinuteOfDay = (schedule.At.Hour * 60) + schedule.At.Minute;
        TimeZoneId = Guard.RequiredText(timeZoneId, "The time zone", MaxZoneLength);
        ZoneSource = zoneSource;
        IsActive = true;
        StoppedAt = null;
        NextDueAt = nextDueAt;
        UpdatedAt = now;
        Version++;
    }
}

/// <summary>What a digest timer fire finds.</summary>
public enum DigestFireCheck
{
    Due,
    NotDue,
    StaleToken,
    Stopped,
}
