using ApprovalBot.Domain.Common;
using Azure.Identity;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using GraphRepliesStatus = Microsoft.Graph.Models.AutomaticRepliesStatus;

namespace ApprovalBot.OrgDirectory.Graph;

/// <summary>
/// The directory from Microsoft Graph (docs/graph.md): people and managers (<c>/users</c>), group members by the group's
/// display name (<c>/groups/{id}/transitiveMembers/microsoft.graph.user</c>, every page), time zones and automatic
/// replies (<c>/users/{id}/mailboxSettings</c>). Answers are cached (<see cref="DirectoryCache"/>); Graph's middleware
/// retries throttling and 503/504 honouring Retry-After. What Graph answers 404 is "not found" (null); everything else
/// that stops an answer — retries exhausted, 5xx, no network, no token, a missing permission — is a
/// <see cref="DirectoryUnavailableException"/> that says what could not be read and why, never with a token.
/// </summary>
internal sealed partial class GraphDirectory(
    GraphClientProvider clients,
    DirectoryCache cache,
    IOptions<DirectoryOptions> options,
    ILogger<GraphDirectory> logger) : IDirectory
{
    /// <summary>The user fields the directory needs, and only those.</summary>
    internal static readonly string[] UserFields = ["id", "displayName", "mail", "userPrincipalName", "jobTitle"];

    private GraphDirectoryOptions Options => options.Value.Graph;

    public Task<DirectoryPerson?> GetPersonAsync(PersonId id, CancellationToken cancellationToken) =>
        Cached($"person:{Key(id.Value)}", Options.PeopleCacheLifetime, () => AskAsync(
            $"person {id}",
            async (graph, ct) => Person(await graph.Users[id.Value].GetAsync(r => r.QueryParameters.Select = UserFields, ct)),
            cancellationToken));

    public Task<DirectoryPerson?> FindByEmailOrUpnAsync(string emailOrUpn, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(emailOrUpn)) return Task.FromResult<DirectoryPerson?>(null);
        var address = emailOrUpn.Trim();
        return Cached($"address:{Key(address)}", Options.PeopleCacheLifetime, () => AskAsync(
            $"the person with address {address}",
            async (graph, ct) =>
            {
                var literal = ODataString(address);
                var found = await graph.Users.GetAsync(r =>
                {
                    r.QueryParameters.Filter = $"mail eq {literal} or userPrincipalName eq {literal}";
                    r.QueryParameters.Select = UserFields;
                    r.QueryParameters.Top = 2;
                }, ct);
                return Person(found?.Value?.FirstOrDefault());
            },
            cancellationToken));
    }

    public Task<DirectoryPerson?> GetManagerAsync(PersonId id, CancellationToken cancellationToken) =>
        Cached($"manager:{Key(id.Value)}", Options.PeopleCacheLifetime, () => AskAsync(
            $"the manager of {id}",
            async (graph, ct) => Person(await graph.Users[id.Value].Manager.GetAsync(r => r.QueryParameters.Select = UserFields, ct) as User),
            cancellationToken));

    public async Task<IReadOnlyList<DirectoryPerson>?> GetGroupMembersAsync(string groupName, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(groupName)) return null;
        var name = groupName.Trim();
        var members = await Cached($"group:{Key(name)}", Options.PeopleCacheLifetime, () => AskAsync(
            $"the members of group '{name}'",
            async (graph, ct) =>
            {
                var groups = await graph.Groups.GetAsync(r =>
                {
                    r.QueryParameters.Filter = $"displayName eq {ODataString(name)}";
                    r.QueryParameters.Select = ["id", "displayName"];
                    r.QueryParameters.Top = 2;
                }, ct);
                var matches = groups?.Value ?? [];
                if (matches.Count == 0 || matches[0].Id is not { } groupId) return null;
                if (matches.Count > 1) LogAmbiguousGroup(logger, name, groupId);
                return new MemberList(await MembersAsync(graph, groupId, ct));
            },
            cancellationToken));
        return members?.People;
    }

    public async Task<string?> GetTimeZoneAsync(PersonId id, CancellationToken cancellationToken) =>
        (await MailboxAsync(id, cancellationToken))?.TimeZone;

    public async Task<AutomaticReplies?> GetAutomaticRepliesAsync(PersonId id, CancellationToken cancellationToken) =>
        (await MailboxAsync(id, cancellationToken))?.Replies;

    /// <summary>Every user in the group, nested groups included, following <c>@odata.nextLink</c> to the last page.</summary>
    private async Task<IReadOnlyList<DirectoryPerson>> MembersAsync(GraphServiceClient graph, string groupId, CancellationToken ct)
    {
        var members = new List<DirectoryPerson>();
        var seen = new HashSet<PersonId>();
        var users = graph.Groups[groupId].TransitiveMembers.GraphUser;
        var page = await users.GetAsync(r =>
        {
            r.QueryParameters.Select = UserFields;
            r.QueryParameters.Top = 999;
        }, ct);
        var pages = 1;
        while (page is not null)
        {
            foreach (var user in page.Value ?? [])
            {
                if (Person(user) is { } person && seen.Add(person.Id))
                {
                    members.Add(person);
                    cache.Set($"person:{Key(person.Id.Value)}", person, Options.PeopleCacheLifetime);
                }
            }
            if (string.IsNullOrEmpty(page.OdataNextLink)) break;
            page = await users.WithUrl(page.OdataNextLink).GetAsync(cancellationToken: ct);
            pages++;
        }
        LogGroupRead(logger, groupId, members.Count, pages);
        return members;
    }

    /// <summary>The person's mailbox settings; null when the person is unknown; no zone and replies off without a mailbox.</summary>
    private Task<Mailbox?> MailboxAsync(PersonId id, CancellationToken cancellationToken) =>
        Cached($"mailbox:{Key(id.Value)}", Options.MailboxSettingsCacheLifetime, async () =>
        {
            var settings = await AskAsync(
                $"the mailbox settings of {id}",
                async (graph, ct) => await graph.Users[id.Value].MailboxSettings.GetAsync(r => r.QueryParameters.Select = ["timeZone", "automaticRepliesSetting"], ct),
                cancellationToken);
            if (settings is not null)
                return new Mailbox(GraphTimeZones.ToIana(settings.TimeZone), Replies(settings.AutomaticRepliesSetting));
            // 404: no such user, or a user without an Exchange Online mailbox (MailboxNotEnabledForRESTAPI).
            return await GetPersonAsync(id, cancellationToken) is null ? null : new Mailbox(null, AutomaticReplies.Off);
        });

    internal static AutomaticReplies Replies(AutomaticRepliesSetting? setting) => setting?.Status switch
    {
        GraphRepliesStatus.AlwaysEnabled => new AutomaticReplies(AutomaticRepliesStatus.AlwaysEnabled),
        GraphRepliesStatus.Scheduled => new AutomaticReplies(
            AutomaticRepliesStatus.Scheduled,
            GraphTimeZones.ToInstant(setting.ScheduledStartDateTime?.DateTime, setting.ScheduledStartDateTime?.TimeZone),
            GraphTimeZones.ToInstant(setting.ScheduledEndDateTime?.DateTime, setting.ScheduledEndDateTime?.TimeZone)),
        _ => AutomaticReplies.Off,
    };

    private static DirectoryPerson? Person(User? user)
    {
        if (user?.Id is not { Length: > 0 and <= PersonId.MaxLength } id || string.IsNullOrWhiteSpace(id)) return null;
        return new DirectoryPerson(
            new PersonId(id),
            string.IsNullOrWhiteSpace(user.DisplayName) ? user.UserPrincipalName ?? id : user.DisplayName.Trim(),
            Email: Optional(user.Mail),
            UserPrincipalName: Optional(user.UserPrincipalName),
            JobTitle: Optional(user.JobTitle));
    }

    private static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>An OData string literal: quoted, with single quotes doubled.</summary>
    internal static string ODataString(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string Key(string value) => value.Trim().ToLowerInvariant();

    private Task<T?> Cached<T>(string key, TimeSpan lifetime, Func<Task<T?>> load) where T : class =>
        cache.GetOrLoadAsync(key, load, lifetime, Options.NotFoundCacheLifetime);

    /// <summary>
    /// One question to Graph: its answer, null for 404 (not found), or <see cref="DirectoryUnavailableException"/>
    /// for anything that kept Graph from answering.
    /// </summary>
    private async Task<T?> AskAsync<T>(string what, Func<GraphServiceClient, CancellationToken, Task<T?>> call, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await call(clients.Create(), cancellationToken);
        }
        catch (ApiException e) when (e.ResponseStatusCode == 404)
        {
            return null;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && Unavailable(what, e, Options.MaxRetries) is { } unavailable)
        {
            LogUnavailable(logger, what, unavailable.Message);
            throw unavailable;
        }
    }

    /// <summary>The exception to throw for a failure of Graph, or null for one that is not Graph's (a bug: let it surface).</summary>
    internal static DirectoryUnavailableException? Unavailable(string what, Exception e, int maxRetries)
    {
        // Graph's retry handler reports exhausted retries as an AggregateException of every failed attempt.
        var failure = e is AggregateException { InnerExceptions: [.., ApiException last] } ? last : e;
        var why = failure switch
        {
            ODataError { ResponseStatusCode: 401 or 403 } o =>
                $"Graph refused it (HTTP {o.ResponseStatusCode} {o.Error?.Code}): check the app's Graph permissions and admin consent (docs/graph.md)",
            ApiException { ResponseStatusCode: 429 } =>
                $"Graph kept throttling it (HTTP 429) through {maxRetries} retries",
            ApiException { ResponseStatusCode: 503 or 504 } a =>
                $"Graph was unavailable (HTTP {a.ResponseStatusCode}) through {maxRetries} retries",
            ODataError o => $"Graph answered HTTP {o.ResponseStatusCode} {o.Error?.Code}",
            ApiException a => $"Graph answered HTTP {a.ResponseStatusCode}",
            AuthenticationFailedException => "no token for Graph could be obtained from Entra ID (check the tenant, client id and secret)",
            HttpRequestException h => $"Graph could not be reached ({h.HttpRequestError})",
            OperationCanceledException => "Graph did not answer in time",
            _ => null,
        };
        return why is null ? null : new DirectoryUnavailableException($"The directory (Microsoft Graph) could not read {what}: {why}.", e);
    }

    private sealed record Mailbox(string? TimeZone, AutomaticReplies Replies);

    private sealed record MemberList(IReadOnlyList<DirectoryPerson> People);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Directory unavailable reading {What}: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string what, string reason);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "More than one Graph group is named '{Name}'; using {GroupId}")]
    private static partial void LogAmbiguousGroup(ILogger logger, string name, string groupId);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Debug, Message = "Read group {GroupId} from Graph: {Members} member(s) over {Pages} page(s)")]
    private static partial void LogGroupRead(ILogger logger, string groupId, int members, int pages);
}
