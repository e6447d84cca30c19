using Microsoft.Extensions.Options;

namespace ApprovalBot.Agreements.Announcement;

/// <summary>Where an agreement coming into force is announced. Section <c>Agreements:Announcement</c>.</summary>
public sealed class AnnouncementOptions
{
    public const string SectionName = "Agreements:Announcement";

    public const int MaxChannels = 50;

    /// <summary>
    /// The departments' channels that get the announcement card when an agreement becomes Active or is renewed, in this
    /// order. Empty: no announcement. (A list, null by default: the configuration binder appends to a list it finds.)
    /// </summary>
    public List<AnnouncementChannelOptions>? Channels { get; set; }

    /// <summary>The channels in force (none when unset).</summary>
    public IReadOnlyList<AnnouncementChannelOptions> EffectiveChannels() => Channels ?? [];

    /// <summary>Why the options are invalid, or null.</summary>
    public string? Problem()
    {
        var channels = EffectiveChannels();
        if (channels.Count > MaxChannels) return $"Agreements:Announcement:Channels lists at most {MaxChannels} channels.";
        foreach (var (channel, index) in channels.Select((c, i) => (c, i)))
        {
            if (string.IsNullOrWhiteSpace(channel.Department) || channel.Department.Trim().Length > Domain.Agreements.AgreementAnnouncement.MaxDepartmentLength)
                return $"Agreements:Announcement:Channels:{index}:Department must be 1 to {Domain.Agreements.AgreementAnnouncement.MaxDepartmentLength} characters.";
            if (string.IsNullOrWhiteSpace(channel.ChannelId) || channel.ChannelId.Trim().Length > Domain.Agreements.AgreementAnnouncement.MaxChannelIdLength)
                return $"Agreements:Announcement:Channels:{index}:ChannelId must be a Teams channel id (19:…@thread.tacv2) of 1 to {Domain.Agreements.AgreementAnnouncement.MaxChannelIdLength} characters.";
        }
        var duplicate = channels.GroupBy(c => c.ChannelId!.Trim(), StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? null : $"Agreements:Announcement:Channels names the channel '{duplicate.Key}' twice.";
    }
}

/// <summary>
/// One department's channel for announcements: the department's name (shown on the card) and the Teams channel id. A
/// record: two entries with the same values are the same entry.
/// </summary>
public sealed record AnnouncementChannelOptions
{
    public string? Department { get; set; }

    /// <summary>The Teams channel id (<c>19:…@thread.tacv2</c>; the General channel's equals the team's id).</summary>
    public string? ChannelId { get; set; }
}

/// <summary>Refuses to start with announcement channels that cannot work, saying which entry is wrong.</summary>
internal sealed class AnnouncementOptionsValidator : IValidateOptions<AnnouncementOptions>
{
    public ValidateOptionsResult Validate(string? name, AnnouncementOptions options) =>
        (options ?? throw new ArgumentNullException(nameof(options))).Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
