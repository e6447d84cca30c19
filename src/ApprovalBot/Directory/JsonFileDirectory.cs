using ApprovalBot.Domain.Common;

namespace ApprovalBot.OrgDirectory;

/// <summary>
/// The directory from a local JSON file (<see cref="DirectoryFile"/>), for development, the Agents Playground and
/// tests. The file is read and validated once, when the directory is first resolved (at start-up, see
/// <see cref="DirectoryModule"/>); edit it and restart the bot to change it.
/// </summary>
internal sealed class JsonFileDirectory : IDirectory
{
    private readonly DirectorySnapshot _snapshot;

    public JsonFileDirectory(DirectorySnapshot snapshot) => _snapshot = snapshot;

    /// <summary>The directory in <paramref name="json"/>; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="DirectoryFileException">The JSON is not a valid directory; every problem is listed.</exception>
    public static JsonFileDirectory FromJson(string json, string source = "(inline)") => new(DirectoryFile.Parse(json, source));

    public int PeopleCount => _snapshot.People.Count;

    public int GroupCount => _snapshot.Groups.Count;

    public Task<DirectoryPerson?> GetPersonAsync(PersonId id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Find(id));
    }

    public Task<DirectoryPerson?> FindByEmailOrUpnAsync(string emailOrUpn, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(string.IsNullOrWhiteSpace(emailOrUpn) ? null : _snapshot.ByAddress(emailOrUpn));
    }

    public Task<DirectoryPerson?> GetManagerAsync(PersonId id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Find(id)?.ManagerId is { } manager ? Find(manager) : null);
    }

    public Task<IReadOnlyList<DirectoryPerson>?> GetGroupMembersAsync(string groupName, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<DirectoryPerson>? members = !string.IsNullOrWhiteSpace(groupName) && _snapshot.Groups.TryGetValue(groupName.Trim(), out var ids)
            ? [.. ids.Select(id => _snapshot.People[id])]
            : null;
        return Task.FromResult(members);
    }

    public Task<string?> GetTimeZoneAsync(PersonId id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Find(id)?.TimeZone);
    }

    public Task<AutomaticReplies?> GetAutomaticRepliesAsync(PersonId id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Find(id) is not { } person ? null : _snapshot.AutomaticReplies.GetValueOrDefault(person.Id, AutomaticReplies.Off));
    }

    private DirectoryPerson? Find(PersonId id) => id.Value is null ? null : _snapshot.People.GetValueOrDefault(id);
}
