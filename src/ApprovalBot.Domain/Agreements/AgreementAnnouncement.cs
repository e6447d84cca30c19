using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Agreements;

/// <summary>What an Acknowledge click on an announcement did.</summary>
public enum AnnouncementAckOutcome
{
    Acknowledged,

    /// <summary>The same person acknowledged it before: nothing new is recorded.</summary>
    AlreadyAcknowledged,

    /// <summary>The click came from somewhere the announcement was not posted (a forwarded card, a 1:1 chat).</summary>
    NotInItsChannels,
}

/// <summary>
/// The announcement of an agreement's term coming into force (its activation, or a renewal's), posted to the
/// departments' channels configured when it was made: where it went (or why it did not), and who acknowledged it, in
/// which department's channel, when — once per person. One per (agreement, revision in force).
/// </summary>
public sealed class AgreementAnnouncement
{
    public const int MaxDepartmentLength = 100;
    public const int MaxChannelIdLength = 300;
    public const int MaxReasonLength = 500;

    private readonly List<AnnouncementChannel> _channels = [];
    private readonly List<AnnouncementAcknowledgement> _acknowledgements = [];

    private AgreementAnnouncement()
    {
    }

    public long Id { get; private set; }

    public long AgreementId { get; private set; }

    /// <summary>The revision whose terms came into force.</summary>
    public int Revision { get; private set; }

    /// <summary>A renewed term (an earlier revision was in force before), not the first activation.</summary>
    public bool IsRenewal { get; private set; }

    public DateTimeOffset AnnouncedAt { get; private set; }

    /// <summary>Incremented by every acknowledgement: the concurrency token, so two people acknowledging at once both end up on every copy.</summary>
    public long Version { get; private set; }

    /// <summary>The channels it was meant for, in the configured order, each reached or not (with why).</summary>
    public IReadOnlyList<AnnouncementChannel> Channels => _channels;

    /// <summary>Who acknowledged it, oldest first; one entry per person.</summary>
    public IReadOnlyList<AnnouncementAcknowledgement> Acknowledgements => _acknowledgements;

    public static AgreementAnnouncement Create(long agreementId, int revision, bool isRenewal, DateTimeOffset now) =>
        new() { AgreementId = agreementId, Revision = revision, IsRenewal = isRenewal, AnnouncedAt = now, Version = 1 };

    /// <summary>Records a channel the announcement was posted to (<paramref name="notReachedReason"/> null) or could not reach.</summary>
    public void AddChannel(string department, string channelId, string? notReachedReason)
    {
        var id = Guard.RequiredText(channelId, "The channel id", MaxChannelIdLength);
        if (_channels.Any(c => c.ChannelId == id)) return;
        _channels.Add(new AnnouncementChannel(_channels.Count + 1, Guard.RequiredText(department, "The department", MaxDepartmentLength), id,
            notReachedReason is null ? null : Clip(notReachedReason)));
    }

    /// <summary>
    /// <paramref name="by"/> acknowledged it in <paramref name="channelId"/> (the Teams channel the click came from):
    /// recorded once per person, and only from one of the channels it was posted to.
    /// </summary>
    public AnnouncementAckOutcome Acknowledge(PersonId by, string? channelId, DateTimeOffset now)
    {
        Guard.Person(by, "Who acknowledges");
        if (_acknowledgements.Any(a => a.By.Equals(by))) return AnnouncementAckOutcome.AlreadyAcknowledged;
        var channel = _channels.FirstOrDefault(c => c.Reached && string.Equals(c.ChannelId, channelId, StringComparison.Ordinal));
        if (channel is null) return AnnouncementAckOutcome.NotInItsChannels;
        _acknowledgements.Add(new AnnouncementAcknowledgement(by, channel.Department, channel.ChannelId, now));
        Version++;
        return AnnouncementAckOutcome.Acknowledged;
    }

    private static string Clip(string text) => text.Length <= MaxReasonLength ? text : text[..(MaxReasonLength - 1)] + "…";
}

/// <summary>One department's channel an announcement was meant for; <see cref="NotReachedReason"/> says why it was not posted there.</summary>
public sealed class AnnouncementChannel
{
    private AnnouncementChannel()
    {
        Department = string.Empty;
        ChannelId = string.Empty;
    }

    internal AnnouncementChannel(int position, string department, string channelId, string? notReachedReason)
    {
        Position = position;
        Department = department;
        ChannelId = channelId;
        NotReachedReason = notReachedReason;
    }

    public int Position { get; private set; }

    public string Department { get; private set; }

    public string ChannelId { get; private set; }

    public string? NotReachedReason { get; private set; }

    public bool Reached => NotReachedReason is null;
}

/// <summary>One person's Acknowledge of an announcement: in which department's channel, when.</summary>
public sealed class AnnouncementAcknowledgement
{
    private AnnouncementAcknowledgement()
    {
        Department = string.Empty;
        ChannelId = string.Empty;
    }

    internal AnnouncementAcknowledgement(PersonId by, string department, string channelId, DateTimeOffset at)
    {
        By = by;
        Department = department;
        ChannelId = channelId;
        At = at;
    }

    public PersonId By { get; private set; }

    public string Department { get; private set; }

    public string ChannelId { get; private set; }

    public DateTimeOffset At { get; private set; }
}
