using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Digests;

/// <summary>What happened to a subscribed digest when its period came.</summary>
public enum DigestDeliveryStatus
{
    /// <summary>The card was handed to the outbox (in the same transaction as this row); the outbox sends it.</summary>
    Staged,

    /// <summary>The recipient could not be reached (<see cref="DigestDelivery.Note"/> says why); nothing was sent.</summary>
    Unreachable,
}

/// <summary>What an Acknowledge click did.</summary>
public enum DigestAckOutcome
{
    Acknowledged,
    AlreadyAcknowledged,

    /// <summary>A 1:1 digest acknowledged by someone else than its recipient.</summary>
    NotYours,

    /// <summary>A channel digest acknowledged from outside its channel.</summary>
    NotInChannel,

    /// <summary>The digest was never sent (recipient unreachable).</summary>
    NotDelivered,
}

/// <summary>
/// One subscribed digest for one period: unique per (subscription, period), so a duplicate fire, a restart in the
/// middle of a send or a second instance cannot deliver a period twice. Keeps the card's data as delivered
/// (<see cref="CardData"/>, JSON the host writes and reads) so the card can be redrawn with its read receipts, and who
/// acknowledged it, when.
/// </summary>
public sealed class DigestDelivery
{
    public const int MaxNoteLength = 500;

    private readonly List<DigestAcknowledgement> _acknowledgements = [];

    private DigestDelivery()
    {
        RecipientId = string.Empty;
    }

    internal DigestDelivery(DigestSubscription subscription, DateTimeOffset period, DigestDeliveryStatus status, string? note, DateTimeOffset now)
    {
        SubscriptionId = subscription.Id;
        RecipientKind = subscription.RecipientKind;
        RecipientId = subscription.RecipientId;
        Subscriber = subscription.Subscriber;
        Period = period;
        Status = status;
        Note = note is null ? null : (note.Length > MaxNoteLength ? note[..MaxNoteLength] : note);
        At = now;
    }

    public long Id { get; private set; }

    public long SubscriptionId { get; private set; }

    public DigestRecipientKind RecipientKind { get; private set; }

    public string RecipientId { get; private set; }

    /// <summary>Whose view the digest shows (and who can see the read receipts in <c>digest status</c>).</summary>
    public PersonId Subscriber { get; private set; }

    /// <summary>The occurrence it is for (UTC instant of the local time).</summary>
    public DateTimeOffset Period { get; private set; }

    /// <summary>When it was gathered and handed to the outbox.</summary>
    public DateTimeOffset At { get; private set; }

    public DigestDeliveryStatus Status { get; private set; }

    public string? Note { get; private set; }

    /// <summary>The card's data as delivered (JSON), set once by the host after the row has its id.</summary>
    public string? CardData { get; private set; }

    public IReadOnlyList<DigestAcknowledgement> Acknowledgements => _acknowledgements;

    public void KeepCardData(string json)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(json);
        Guard.That(CardData is null, "digest.card", "The delivered card's data is kept once.");
        CardData = json;
    }

    /// <summary>
    /// Records that <paramref name="by"/> has read the digest. A 1:1 digest only by its recipient; a channel digest by
    /// anyone in that channel (<paramref name="inItsChannel"/>: the click came from the channel it was posted in). A second
    /// acknowledgement by the same person changes nothing.
    /// </summary>
    public DigestAckOutcome Acknowledge(PersonId by, bool inItsChannel, DateTimeOffset now)
    {
        if (Status != DigestDeliveryStatus.Staged) return DigestAckOutcome.NotDelivered;
        if (RecipientKind == DigestRecipientKind.Person && !new PersonId(RecipientId).Equals(by)) return DigestAckOutcome.NotYours;
        if (RecipientKind == DigestRecipientKind.Channel && !inItsChannel) return DigestAckOutcome.NotInChannel;
        if (_acknowledgements.Any(a => a.By.Equals(by))) return DigestAckOutcome.AlreadyAcknowledged;
        _acknowledgements.Add(new DigestAcknowledgement(by, now));
        return DigestAckOutcome.Acknowledged;
    }
}

/// <summary>One person's Acknowledge of one delivered digest.</summary>
public sealed class DigestAcknowledgement
{
    private DigestAcknowledgement()
    {
    }

    internal DigestAcknowledgement(PersonId by, DateTimeOffset at)
    {
        By = by;
        At = at;
    }

    public PersonId By { get; private set; }

    public DateTimeOffset At { get; private set; }
}
