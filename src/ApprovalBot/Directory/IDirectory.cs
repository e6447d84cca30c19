using ApprovalBot.Domain.Common;

namespace ApprovalBot.OrgDirectory;

/// <summary>
/// Who people are, who is whose manager and who is in which group. Implemented by the local directory file
/// (<see cref="JsonFileDirectory"/>) and by Microsoft Graph.
/// <para>
/// "Not found" is a normal answer (null), never an exception. Every method throws
/// <see cref="DirectoryUnavailableException"/> when the directory itself cannot answer (an outage, throttling that
/// outlasted its retries), so a caller can tell "nobody" from "we could not ask".
/// </para>
/// People are keyed by their Entra object id (<see cref="DirectoryPerson.Id"/>), the id that is the same for every bot
/// and for Graph; e-mail addresses, UPNs and group names compare without regard to case.
/// </summary>
public interface IDirectory
{
    /// <summary>The person with this Entra object id, or null when the directory has nobody by that id.</summary>
    Task<DirectoryPerson?> GetPersonAsync(PersonId id, CancellationToken cancellationToken);

    /// <summary>The person whose e-mail address or user principal name is <paramref name="emailOrUpn"/> (any case), or null.</summary>
    Task<DirectoryPerson?> FindByEmailOrUpnAsync(string emailOrUpn, CancellationToken cancellationToken);

    /// <summary>
    /// The person's manager, or null when they have none — or when the person is unknown (Graph answers both with the
    /// same 404; call <see cref="GetPersonAsync"/> to tell them apart).
    /// </summary>
    Task<DirectoryPerson?> GetManagerAsync(PersonId id, CancellationToken cancellationToken);

    /// <summary>
    /// The members of the group with this name (any case), or null when there is no such group. An existing group
    /// with no members gives an empty list.
    /// </summary>
    Task<IReadOnlyList<DirectoryPerson>?> GetGroupMembersAsync(string groupName, CancellationToken cancellationToken);

    /// <summary>The person's IANA time zone id (e.g. <c>Europe/Berlin</c>), or null when unknown or not set.</summary>
    Task<string?> GetTimeZoneAsync(PersonId id, CancellationToken cancellationToken);

    /// <summary>
    /// The person's automatic-reply (out-of-office) setting, or null when the person is unknown. A person whose mailbox
    /// settings say nothing has <see cref="AutomaticReplies.Off"/>.
    /// </summary>
    Task<AutomaticReplies?> GetAutomaticRepliesAsync(PersonId id, CancellationToken cancellationToken);
}

/// <summary>Whether automatic replies are off, on, or on for a scheduled window (Graph's <c>automaticRepliesSetting</c>).</summary>
public enum AutomaticRepliesStatus
{
    Disabled,
    AlwaysEnabled,
    Scheduled,
}

/// <summary>A person's automatic-reply (out-of-office) setting.</summary>
/// <param name="Status">Off, on, or on within <paramref name="ScheduledStart"/>..<paramref name="ScheduledEnd"/>.</param>
/// <param name="ScheduledStart">When a scheduled window begins (UTC offset included); null: already begun.</param>
/// <param name="ScheduledEnd">When a scheduled window ends; null: open-ended.</param>
public sealed record AutomaticReplies(AutomaticRepliesStatus Status, DateTimeOffset? ScheduledStart = null, DateTimeOffset? ScheduledEnd = null)
{
    public static readonly AutomaticReplies Off = new(AutomaticRepliesStatus.Disabled);

    /// <summary>True when automatic replies are on at <paramref name="now"/>.</summary>
    public bool IsOnAt(DateTimeOffset now) => Status switch
    {
        AutomaticRepliesStatus.AlwaysEnabled => true,
        AutomaticRepliesStatus.Scheduled => (ScheduledStart is null || now >= ScheduledStart) && (ScheduledEnd is null || now < ScheduledEnd),
        _ => false,
    };
}

/// <summary>A person as the directory knows them.</summary>
/// <param name="Id">The Entra object id: the durable key, the <see cref="PersonId"/> the domain records.</param>
/// <param name="DisplayName">The name shown on cards.</param>
/// <param name="Email">The primary e-mail address, when known.</param>
/// <param name="UserPrincipalName">The sign-in name (UPN), when known.</param>
/// <param name="TeamsUserId">
/// A hint only: the Teams user id (<c>29:…</c>, or <c>user-id-N</c> in the Agents Playground). It is scoped to one bot,
/// so it is never a key; a stored conversation reference is the authority for reaching someone.
/// </param>
/// <param name="JobTitle">The job title, when known.</param>
/// <param name="TimeZone">The IANA time zone id, when known.</param>
/// <param name="ManagerId">The manager's Entra object id; null when the person has no manager.</param>
public sealed record DirectoryPerson(
    PersonId Id,
    string DisplayName,
    string? Email = null,
    string? UserPrincipalName = null,
    string? TeamsUserId = null,
    string? JobTitle = null,
    string? TimeZone = null,
    PersonId? ManagerId = null)
{
    public override string ToString() => $"{DisplayName} ({Id})";
}

/// <summary>The directory could not answer (outage, throttling, credentials). Distinct from "not found", which is null.</summary>
public sealed class DirectoryUnavailableException : Exception
{
    public DirectoryUnavailableException()
        : this("The directory is unavailable.")
    {
    }

    public DirectoryUnavailableException(string message)
        : base(message)
    {
    }

    public DirectoryUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
