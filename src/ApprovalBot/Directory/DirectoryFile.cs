using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ApprovalBot.Domain.Common;

namespace ApprovalBot.OrgDirectory;

/// <summary>
/// The local directory file: its JSON shape, and the checks that run before any of it is used. Every problem is
/// collected and reported together (<see cref="DirectoryFileException"/>), so one edit fixes them all.
/// </summary>
/// <example>
/// <code>
/// { "people": [ { "id": "…", "displayName": "Alex Wilber", "email": "alexw@example.com", "managerId": "…",
///                 "userPrincipalName": "…", "teamsUserId": "user-id-0", "jobTitle": "…", "timeZone": "Europe/Berlin",
///                 "automaticReplies": { "status": "scheduled", "start": "2026-12-07T00:00:00Z", "end": "2026-12-12T00:00:00Z" } } ],
///   "groups": [ { "name": "Legal", "members": [ "…" ] } ] }
/// </code>
/// </example>
internal static class DirectoryFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Parses and validates the file's text; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="DirectoryFileException">The file is not valid; every problem is listed.</exception>
    public static DirectorySnapshot Parse(string json, string source)
    {
        FileModel? model;
        try
        {
            model = JsonSerializer.Deserialize<FileModel>(json, Json);
        }
        catch (JsonException e)
        {
            throw new DirectoryFileException(source, [$"not valid directory JSON: {e.Message}"]);
        }

        if (model is null)
            throw new DirectoryFileException(source, ["the file holds no directory object"]);

        var problems = new List<string>();
        var replies = new Dictionary<PersonId, AutomaticReplies>();
        var people = ValidPeople(model.People ?? [], replies, problems);
        var groups = ValidGroups(model.Groups ?? [], people, problems);
        if (problems.Count > 0)
            throw new DirectoryFileException(source, problems);
        return new DirectorySnapshot(people, groups, replies);
    }

    private static Dictionary<PersonId, DirectoryPerson> ValidPeople(List<PersonModel?> entries, Dictionary<PersonId, AutomaticReplies> replies, List<string> problems)
    {
        var people = new Dictionary<PersonId, DirectoryPerson>();
        var addresses = new Dictionary<string, PersonId>(StringComparer.OrdinalIgnoreCase);
        var teamsIds = new Dictionary<string, PersonId>(StringComparer.OrdinalIgnoreCase);
        var managers = new Dictionary<PersonId, string>();

        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var where = $"people[{i}]";
            if (entry is null)
            {
                problems.Add($"{where} is null");
                continue;
            }

            if (!IsText(entry.Id, PersonId.MaxLength))
            {
                problems.Add($"{where} has no id (the Entra object id, at most {PersonId.MaxLength} characters)");
                continue;
            }

            var id = new PersonId(entry.Id!.Trim());
            where = $"person {id}";
            if (people.ContainsKey(id))
            {
                problems.Add($"{where} is listed more than once (ids compare without regard to case)");
                continue;
            }

            if (!IsText(entry.DisplayName, 256))
                problems.Add($"{where} has no displayName");
            if (entry.TimeZone is not null && !IsIanaTimeZone(entry.TimeZone))
                problems.Add($"{where} has time zone '{entry.TimeZone}', which is not an IANA time zone id known here (e.g. Europe/Berlin)");

            foreach (var (label, address) in new[] { ("e-mail", entry.Email), ("UPN", entry.UserPrincipalName) })
            {
                if (address is null)
                    continue;
                if (!IsText(address, 320) || !address.Contains('@', StringComparison.Ordinal))
                    problems.Add($"{where} has {label} '{address}', which is not an address");
                else if (addresses.TryGetValue(address.Trim(), out var owner) && owner != id)
                    problems.Add($"{where} has {label} '{address}', which {owner} already has (e-mails and UPNs must be unique, in any case)");
                else
                    addresses[address.Trim()] = id;
            }

            if (entry.TeamsUserId is not null)
            {
                if (teamsIds.TryGetValue(entry.TeamsUserId.Trim(), out var owner))
                    problems.Add($"{where} has Teams user id '{entry.TeamsUserId}', which {owner} already has");
                else
                    teamsIds[entry.TeamsUserId.Trim()] = id;
            }

            if (entry.ManagerId is not null)
                managers[id] = entry.ManagerId.Trim();
            if (entry.AutomaticReplies is { } automatic && ValidAutomaticReplies(automatic, where, problems) is { } valid)
                replies[id] = valid;

            people[id] = new DirectoryPerson(
                id,
                entry.DisplayName?.Trim() ?? string.Empty,
                Optional(entry.Email),
                Optional(entry.UserPrincipalName),
                Optional(entry.TeamsUserId),
                Optional(entry.JobTitle),
                Optional(entry.TimeZone),
                null);
        }

        // Managers are linked once every person is known, so a manager may be listed after their reports.
        foreach (var (id, managerText) in managers)
        {
            if (!IsText(managerText, PersonId.MaxLength) || !people.ContainsKey(new PersonId(managerText)))
                problems.Add($"person {id} has manager '{managerText}', who is not in the directory");
            else
                people[id] = people[id] with { ManagerId = new PersonId(managerText) };
        }

        problems.AddRange(ManagerCycles(people));
        return people;
    }

    /// <summary>Each cycle in the manager chains once, as "a → b → a".</summary>
    private static IEnumerable<string> ManagerCycles(Dictionary<PersonId, DirectoryPerson> people)
    {
        var done = new HashSet<PersonId>();
        foreach (var start in people.Keys)
        {
            var path = new List<PersonId>();
            var onPath = new HashSet<PersonId>();
            var current = (PersonId?)start;
            while (current is { } id && !done.Contains(id) && people.TryGetValue(id, out var person))
            {
                if (!onPath.Add(id))
                {
                    var cycle = path.Skip(path.IndexOf(id)).Append(id);
                    yield return $"the manager chain has a cycle: {string.Join(" → ", cycle)}";
                    break;
                }

                path.Add(id);
                current = person.ManagerId;
            }

            done.UnionWith(path);
        }
    }

    private static Dictionary<string, IReadOnlyList<PersonId>> ValidGroups(
        List<GroupModel?> entries, Dictionary<PersonId, DirectoryPerson> people, List<string> problems)
    {
        var groups = new Dictionary<string, IReadOnlyList<PersonId>>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry is null || !IsText(entry.Name, 200))
            {
                problems.Add($"groups[{i}] has no name");
                continue;
            }

            var name = entry.Name!.Trim();
            if (groups.ContainsKey(name))
            {
                problems.Add($"group '{name}' is listed more than once (group names compare without regard to case)");
                continue;
            }

            var members = new List<PersonId>();
            foreach (var member in entry.Members ?? [])
            {
                if (!IsText(member, PersonId.MaxLength) || !people.ContainsKey(new PersonId(member!.Trim())))
                    problems.Add($"group '{name}' has member '{member}', who is not in the directory");
                else if (members.Contains(new PersonId(member.Trim())))
                    problems.Add($"group '{name}' lists member '{member}' more than once");
                else
                    members.Add(new PersonId(member.Trim()));
            }

            groups[name] = members.AsReadOnly();
        }

        return groups;
    }

    /// <summary>
    /// <c>{"status": "disabled" | "alwaysEnabled" | "scheduled", "start": "…", "end": "…"}</c> as Graph's
    /// automaticRepliesSetting: start and end (ISO 8601 with a UTC offset) only for scheduled, the end after the start.
    /// </summary>
    private static AutomaticReplies? ValidAutomaticReplies(AutomaticRepliesModel model, string where, List<string> problems)
    {
        where = $"{where} automaticReplies";
        var count = problems.Count;
        AutomaticRepliesStatus? status = model.Status?.Trim().ToUpperInvariant() switch
        {
            "DISABLED" => AutomaticRepliesStatus.Disabled,
            "ALWAYSENABLED" => AutomaticRepliesStatus.AlwaysEnabled,
            "SCHEDULED" => AutomaticRepliesStatus.Scheduled,
            _ => null,
        };
        if (status is null)
            problems.Add($"{where} has status '{model.Status}'; it must be disabled, alwaysEnabled or scheduled");
        var start = Instant(model.Start, "start");
        var end = Instant(model.End, "end");
        if (status is not null and not AutomaticRepliesStatus.Scheduled && (model.Start is not null || model.End is not null))
            problems.Add($"{where} has a start or end, which only a scheduled status uses");
        if (start is not null && end is not null && end <= start)
            problems.Add($"{where} ends ({model.End}) before it starts ({model.Start})");
        return problems.Count == count ? new AutomaticReplies(status!.Value, start, end) : null;

        DateTimeOffset? Instant(string? text, string name)
        {
            if (text is null) return null;
            if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var local) && local.Kind != DateTimeKind.Unspecified
                && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
                return instant;
            problems.Add($"{where} has {name} '{text}', which is not a date and time with a UTC offset (e.g. 2026-12-07T09:00:00Z or 2026-12-07T09:00:00+01:00)");
            return null;
        }
    }

    private static bool IsText(string? value, int maxLength) =>
        !string.IsNullOrWhiteSpace(value) && value.Trim().Length <= maxLength && !value.Any(char.IsControl);

    private static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>An IANA id this machine knows; Windows ids ("W. Europe Standard Time") are refused so Graph and the file agree.</summary>
    internal static bool IsIanaTimeZone(string id) =>
        TimeZoneInfo.TryConvertIanaIdToWindowsId(id, out _) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);

    private sealed class FileModel
    {
        public List<PersonModel?>? People { get; set; }

        public List<GroupModel?>? Groups { get; set; }

        [JsonPropertyName("$comment")]
        public string? Comment { get; set; }
    }

    private sealed class PersonModel
    {
        public string? Id { get; set; }

        public string? DisplayName { get; set; }

        public string? Email { get; set; }

        public string? UserPrincipalName { get; set; }

        public string? TeamsUserId { get; set; }

        public string? JobTitle { get; set; }

        public string? TimeZone { get; set; }

        public string? ManagerId { get; set; }

        public AutomaticRepliesModel? AutomaticReplies { get; set; }

        [JsonPropertyName("$comment")]
        public string? Comment { get; set; }
    }

    private sealed class AutomaticRepliesModel
    {
        public string? Status { get; set; }

        public string? Start { get; set; }

        public string? End { get; set; }
    }

    private sealed class GroupModel
    {
        public string? Name { get; set; }

        public List<string?>? Members { get; set; }

        [JsonPropertyName("$comment")]
        public string? Comment { get; set; }
    }
}

/// <summary>A validated directory: people by id, e-mail/UPN index, groups by name.</summary>
internal sealed class DirectorySnapshot
{
    private readonly Dictionary<string, DirectoryPerson> _byAddress = new(StringComparer.OrdinalIgnoreCase);

    public DirectorySnapshot(
        IReadOnlyDictionary<PersonId, DirectoryPerson> people,
        IReadOnlyDictionary<string, IReadOnlyList<PersonId>> groups,
        IReadOnlyDictionary<PersonId, AutomaticReplies>? automaticReplies = null)
    {
        People = people;
        Groups = groups;
        AutomaticReplies = automaticReplies ?? new Dictionary<PersonId, AutomaticReplies>();
        foreach (var person in people.Values)
        {
            if (person.Email is not null) _byAddress[person.Email] = person;
            if (person.UserPrincipalName is not null) _byAddress[person.UserPrincipalName] = person;
        }
    }

    public IReadOnlyDictionary<PersonId, DirectoryPerson> People { get; }

    /// <summary>Group name (any case) → member ids, in file order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<PersonId>> Groups { get; }

    /// <summary>People whose file entry sets automatic replies; everyone else has them off.</summary>
    public IReadOnlyDictionary<PersonId, AutomaticReplies> AutomaticReplies { get; }

    public DirectoryPerson? ByAddress(string emailOrUpn) => _byAddress.GetValueOrDefault(emailOrUpn.Trim());
}

/// <summary>The directory file is missing or invalid. The message lists every problem found.</summary>
public sealed class DirectoryFileException : Exception
{
    public DirectoryFileException()
        : this("(unknown)", [])
    {
    }

    public DirectoryFileException(string message)
        : this("(unknown)", [message])
    {
    }

    public DirectoryFileException(string message, Exception innerException)
        : base(message, innerException)
    {
        FileName = "(unknown)";
        Problems = [message];
    }

    public DirectoryFileException(string source, IReadOnlyList<string> problems)
        : base($"The directory file {source} is not valid ({problems.Count} problem(s)):{Environment.NewLine}- " +
               string.Join(Environment.NewLine + "- ", problems))
    {
        FileName = source;
        Problems = problems;
    }

    /// <summary>Which file (path or embedded resource).</summary>
    public string FileName { get; }

    public IReadOnlyList<string> Problems { get; }
}
