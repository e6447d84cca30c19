using ApprovalBot.Domain.Common;
using ApprovalBot.OrgDirectory;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Teams;

/// <summary>How a person can be reached in Teams right now.</summary>
public abstract record Reach
{
    private Reach() { }

    /// <summary>Their 1:1 chat with the bot is stored: post into it.</summary>
    public sealed record Chat(ConversationReference Conversation) : Reach;

    /// <summary>No chat is stored: open one (bot-protocol.md §3.3) with this user id on this service URL.</summary>
    public sealed record CreateChat(string ServiceUrl, string UserId, string? TenantId) : Reach;

    /// <summary>They cannot be reached; <see cref="Why"/> says why, in words for the requester.</summary>
    public sealed record Unreachable(string Why) : Reach;
}

/// <summary>
/// People as Teams sees them: who sent an activity (their Entra object id, the durable key), their display names and
/// time zones from the directory, their bot-scoped Teams user ids (for <c>refresh.userIds</c>), and how to reach them.
/// Scoped: lookups are cached for one unit of work. What only decorates a card or a message (names, time zones, Teams
/// user id hints) degrades while the directory is not answering (ids instead of names, the default zone); lookups that
/// decide something (<see cref="GetAsync"/>, <see cref="FindAsync"/>) throw <see cref="DirectoryUnavailableException"/>.
/// </summary>
public sealed class TeamsPeople(BotDbContext db, IDirectory directory)
{
    private readonly Dictionary<PersonId, DirectoryPerson?> _people = [];
    private readonly Dictionary<PersonId, Reach> _reach = [];
    private ConversationReference? _latestEndpoint;

    /// <summary>
    /// The person who sent the activity: <c>from.aadObjectId</c> (bot-protocol.md §1.3), else the directory entry whose
    /// Teams user id hint matches <c>from.id</c>. Null for anonymous or unknown users, who cannot take part.
    /// </summary>
    public Task<PersonId?> IdentifyAsync(Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return IdentifyAsync(activity.From, cancellationToken);
    }

    /// <summary>
    /// The person behind a Teams account: its <c>aadObjectId</c> when it carries one, else the Entra object id stored
    /// with a conversation of that Teams user id (someone who has talked to the bot or installed it). Null otherwise. The
    /// <c>mentioned</c> account of an @mention usually carries only the Teams user id and the name, so a mentioned person
    /// is known only once the bot has heard from them.
    /// </summary>
    public async Task<PersonId?> IdentifyAsync(ChannelAccount? account, CancellationToken cancellationToken)
    {
        if (account?.AadObjectId is { Length: > 0 and <= PersonId.MaxLength } aad && !string.IsNullOrWhiteSpace(aad))
            return new PersonId(aad.Trim());
        var userId = account?.Id;
        if (string.IsNullOrWhiteSpace(userId)) return null;
        var stored = await db.ConversationReferences.AsNoTracking()
            .Where(r => r.UserId == userId && r.UserAadObjectId != null)
            .Select(r => r.UserAadObjectId).FirstOrDefaultAsync(cancellationToken);
        return stored is null ? null : new PersonId(stored);
    }

    public async Task<DirectoryPerson?> GetAsync(PersonId id, CancellationToken cancellationToken)
    {
        if (!_people.TryGetValue(id, out var person))
            _people[id] = person = await directory.GetPersonAsync(id, cancellationToken);
        return person;
    }

    /// <summary>The person for display only: null when unknown or while the directory is not answering.</summary>
    private async Task<DirectoryPerson?> ForDisplayAsync(PersonId id, CancellationToken cancellationToken)
    {
        try
        {
            return await GetAsync(id, cancellationToken);
        }
        catch (DirectoryUnavailableException)
        {
            return null;
        }
    }

    /// <summary>A person by e-mail, UPN or Entra object id.</summary>
    public async Task<DirectoryPerson?> FindAsync(string emailUpnOrId, CancellationToken cancellationToken)
    {
        var key = emailUpnOrId.Trim();
        if (key.Length == 0 || key.Length > PersonId.MaxLength) return null;
        return key.Contains('@', StringComparison.Ordinal)
            ? await directory.FindByEmailOrUpnAsync(key, cancellationToken)
            : await GetAsync(new PersonId(key), cancellationToken);
    }

    /// <summary>Display names of everyone named (the id itself for people the directory does not know).</summary>
    public async Task<Func<PersonId, string>> NamesAsync(IEnumerable<PersonId> people, CancellationToken cancellationToken)
    {
        var names = new Dictionary<PersonId, string>();
        foreach (var id in people.Distinct())
            names[id] = (await ForDisplayAsync(id, cancellationToken))?.DisplayName ?? id.Value;
        return id => names.TryGetValue(id, out var name) ? name : id.Value;
    }

    /// <summary>
    /// The person's time zone (the directory's: the file's entry, or Graph's mailbox settings), else
    /// <paramref name="fallback"/> — also while the directory cannot answer, since a time shown in the default zone is
    /// better than no card.
    /// </summary>
    public async Task<TimeZoneInfo> TimeZoneAsync(PersonId? id, TimeZoneInfo fallback, CancellationToken cancellationToken)
    {
        if (id is not { } person) return fallback;
        string? zone;
        try
        {
            zone = await directory.GetTimeZoneAsync(person, cancellationToken);
        }
        catch (DirectoryUnavailableException)
        {
            return fallback;
        }
        return zone is not null && TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var found) ? found : fallback;
    }

    /// <summary>Bot-scoped Teams user ids (<c>29:…</c>) of these people, for <c>refresh.userIds</c>; unknown ones are left out.</summary>
    public async Task<IReadOnlyList<string>> TeamsUserIdsAsync(IReadOnlyList<PersonId> people, CancellationToken cancellationToken)
    {
        if (people.Count == 0) return [];
        var keys = people.Select(p => p.Value).ToList();
        var stored = await db.ConversationReferences.AsNoTracking()
            .Where(r => r.UserAadObjectId != null && keys.Contains(r.UserAadObjectId) && r.UserId != null)
            .Select(r => new { r.UserAadObjectId, r.UserId }).ToListAsync(cancellationToken);
        var result = new List<string>();
        foreach (var person in people)
        {
            var id = stored.FirstOrDefault(s => s.UserAadObjectId == person.Value)?.UserId
                     ?? (await ForDisplayAsync(person, cancellationToken))?.TeamsUserId;
            if (id is not null && !result.Contains(id, StringComparer.Ordinal)) result.Add(id);
        }
        return result;
    }

    /// <summary>
    /// How to reach the person 1:1: their stored personal chat; else open one on the service URL and tenant the bot
    /// last heard from (with their Teams user id hint, or their Entra object id, which Teams accepts once the app is
    /// installed for them); else unreachable, with the reason.
    /// </summary>
    /// <remarks>
    /// Remembered for the unit of work: a decision tells the requester twice (the decision, then the outcome), and each
    /// told them through the same chat. A directory outage is not remembered (the next call asks again).
    /// </remarks>
    public async Task<Reach> ReachAsync(PersonId person, CancellationToken cancellationToken)
    {
        if (_reach.TryGetValue(person, out var known)) return known;
        var (reach, remember) = await FindReachAsync(person, cancellationToken);
        if (remember) _reach[person] = reach;
        return reach;
    }

    private async Task<(Reach Reach, bool Remember)> FindReachAsync(PersonId person, CancellationToken cancellationToken)
    {
        var chats = await db.ConversationReferences
            .Where(r => r.UserAadObjectId == person.Value && r.ConversationType == ConversationTypes.Personal)
            .OrderByDescending(r => r.UpdatedAt).ToListAsync(cancellationToken);
        if (chats.FirstOrDefault(c => c.IsReachable) is { } chat) return (new Reach.Chat(chat), true);
        DirectoryPerson? known = null;
        var directoryDown = false;
        try
        {
            known = await GetAsync(person, cancellationToken);
        }
        catch (DirectoryUnavailableException)
        {
            directoryDown = true; // try their Entra object id: Teams accepts it once the app is installed for them
        }
        if (chats.Count > 0 && known?.TeamsUserId is null)
            return (new Reach.Unreachable($"they removed or blocked the bot ({chats[0].UnreachableReason ?? "unreachable"})"), !directoryDown);
        var any = _latestEndpoint ??= await db.ConversationReferences.AsNoTracking().OrderByDescending(r => r.UpdatedAt).FirstOrDefaultAsync(cancellationToken);
        if (any is null) return (new Reach.Unreachable("nobody has installed the bot yet, so there is no Teams endpoint to reach them on"), !directoryDown);
        if (known is null && chats.Count == 0 && !directoryDown)
            return (new Reach.Unreachable("they are not in the directory and have never talked to the bot"), true);
        return (new Reach.CreateChat(any.ServiceUrl, known?.TeamsUserId ?? person.Value, any.TenantId), !directoryDown);
    }
}
