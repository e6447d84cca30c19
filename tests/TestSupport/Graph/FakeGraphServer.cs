using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ApprovalBot.TestSupport.Connector;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApprovalBot.TestSupport.Graph;

/// <summary>A user in the fake Graph: directory fields, manager, and mailbox settings.</summary>
public sealed record FakeGraphUser(string Id, string DisplayName, string? Mail = null, string? UserPrincipalName = null, string? JobTitle = null)
{
    public string? ManagerId { get; init; }

    /// <summary>False: a user without an Exchange Online mailbox (mailboxSettings answers 404 MailboxNotEnabledForRESTAPI).</summary>
    public bool HasMailbox { get; init; } = true;

    /// <summary>The mailbox's <c>timeZone</c> as Graph gives it: a Windows name (the default format) or an IANA id.</summary>
    public string? TimeZone { get; init; } = "UTC";

    /// <summary>The mailbox's <c>automaticRepliesSetting</c> JSON; null: disabled.</summary>
    public JsonObject? AutomaticReplies { get; init; }
}

/// <summary>
/// A calendar event in a user's mailbox in the fake Graph: its id, owner, the JSON as created (then patched), its Teams
/// join URL (when created as an online meeting), the create's transactionId, and whether it was cancelled.
/// </summary>
public sealed record FakeGraphEvent(string Id, string UserId, JsonObject Json, string? JoinUrl, string? TransactionId)
{
    public bool Cancelled { get; set; }

    public int Patches { get; set; }
}

/// <summary>One request the fake Graph received.</summary>
/// <param name="Elapsed">When it arrived, on a real stopwatch started with the server (to measure retry waits).</param>
public sealed record FakeGraphRequest(string Method, string Path, string Query, string? Body, bool Authorized, TimeSpan Elapsed)
{
    /// <summary><c>METHOD /path?query</c> with the query decoded, as a test asserts it.</summary>
    public string Line => $"{Method} {Path}{Uri.UnescapeDataString(Query)}";

    public override string ToString() => Line;
}

/// <summary>
/// Microsoft Graph v1.0 on a real Kestrel HTTPS listener at <c>127.0.0.1:0</c> (self-signed certificate, trusted only
/// in the test's DI): users (by id or UPN, and <c>$filter</c> by mail/UPN), managers (404 <c>Request_ResourceNotFound</c>
/// for none), groups by display name, transitive user members in pages of <see cref="PageSize"/> linked by
/// <c>@odata.nextLink</c>, mailbox settings, and the bot's installation for a user (201, then 409) with its chat. It
/// speaks Graph's JSON (<c>@odata.context</c>, <c>value</c>, error bodies), calendar events (create with a
/// transactionId, patch, cancel; <see cref="Events"/>), accepts only bearer tokens the fake Entra
/// issued for Graph's scope, can be scripted to fail (429 with Retry-After, 503), and records every request.
/// </summary>
public sealed class FakeGraphServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FakeEntraTokenEndpoint _entra;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, FakeGraphUser> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(string Id, string Name, List<string> Members)> _groups = [];
    private readonly HashSet<string> _installedFor = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<FakeGraphRequest> _requests = [];
    private readonly List<Failure> _failures = [];
    private readonly List<FakeGraphEvent> _events = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly string _thumbprint;

    private FakeGraphServer(WebApplication app, X509Certificate2 certificate, FakeEntraTokenEndpoint entra)
    {
        _app = app;
        _entra = entra;
        Certificate = certificate;
        _thumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256);
    }

    public X509Certificate2 Certificate { get; }

    /// <summary><c>https://127.0.0.1:{port}/v1.0</c> — the value for <c>Directory:Graph:BaseUrl</c>.</summary>
    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>The token scope the bot asks for (derived from the base URL, as for graph.microsoft.com).</summary>
    public string Scope { get; private set; } = string.Empty;

    /// <summary>Members per page of a group's transitive members.</summary>
    public int PageSize { get; set; } = 2;

    /// <summary>The bot's app in the organisation's app catalog (what <c>Directory:Graph:TeamsAppCatalogId</c> names).</summary>
    public string AppCatalogId { get; } = "8c3f2a1e-7b6d-4e5f-9a0b-1c2d3e4f5a6b";

    public IReadOnlyList<FakeGraphRequest> Requests
    {
        get { lock (_lock) return _requests.ToList(); }
    }

    public static async Task<FakeGraphServer> StartAsync(FakeEntraTokenEndpoint entra)
    {
        ArgumentNullException.ThrowIfNull(entra);
        var certificate = FakeEntraTokenEndpoint.CreateCertificate("CN=ApprovalBot fake Graph");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var fake = new FakeGraphServer(app, certificate, entra);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var origin = $"https://127.0.0.1:{new Uri(address).Port}";
        fake.BaseUrl = origin + "/v1.0";
        fake.Scope = origin + "/.default";
        entra.AcceptScope(fake.Scope);
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificate.Dispose();
    }

    public FakeGraphServer AddUser(FakeGraphUser user)
    {
        lock (_lock) _users[user.Id] = user;
        return this;
    }

    /// <summary>The calendar events created so far (a snapshot), oldest first.</summary>
    public IReadOnlyList<FakeGraphEvent> Events
    {
        get { lock (_lock) return _events.ToList(); }
    }

    /// <summary>Adds a group; returns its id.</summary>
    public string AddGroup(string displayName, params string[] memberIds)
    {
        var id = Guid.NewGuid().ToString();
        lock (_lock) _groups.Add((id, displayName, memberIds.ToList()));
        return id;
    }

    /// <summary>Marks the bot's app as already installed for the user (the install then answers 409).</summary>
    public void MarkInstalled(string userId)
    {
        lock (_lock) _installedFor.Add(userId);
    }

    public bool IsInstalledFor(string userId)
    {
        lock (_lock) return _installedFor.Contains(userId);
    }

    /// <summary>The 1:1 chat between the user and the bot, as Graph names it.</summary>
    public static string ChatIdFor(string userId) => $"19:{userId}_bot@unq.gbl.spaces";

    /// <summary>
    /// The next <paramref name="times"/> requests whose path contains <paramref name="pathContains"/> (any, if null)
    /// get <paramref name="status"/> with a Graph error body (and <c>Retry-After</c> when given).
    /// </summary>
    public void Fail(int status, int times, TimeSpan? retryAfter = null, string? pathContains = null, string? code = null)
    {
        lock (_lock) _failures.Add(new Failure(status, code ?? DefaultCode(status), retryAfter, pathContains) { Remaining = times });
    }

    /// <summary>Removes every scripted failure not yet used.</summary>
    public void Heal()
    {
        lock (_lock) _failures.Clear();
    }

    /// <summary>Configuration for a bot that reads this fake as its directory (tokens from <paramref name="entra"/>'s app).</summary>
    public Dictionary<string, string?> BotConfiguration(bool installApp = false) => new()
    {
        ["Directory:Source"] = "Graph",
        ["Directory:Graph:BaseUrl"] = BaseUrl,
        ["Directory:Graph:AuthorityHost"] = _entra.AuthorityHost,
        ["Directory:Graph:TenantId"] = "contoso.test",
        ["Directory:Graph:ClientId"] = _entra.ClientId,
        ["Directory:Graph:ClientSecret"] = _entra.ClientSecret,
        ["Directory:Graph:TeamsAppCatalogId"] = installApp ? AppCatalogId : "",
    };

    /// <summary>Graph's and its token's HttpClients (and only they) trust this fake's and the fake Entra's certificates.</summary>
    public void Trust(IServiceCollection services)
    {
        services.AddHttpClient(ApprovalBot.OrgDirectory.Graph.GraphClientProvider.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => TrustingHandler(_thumbprint));
        services.AddHttpClient(ApprovalBot.OrgDirectory.Graph.GraphClientProvider.TokenHttpClientName).ConfigurePrimaryHttpMessageHandler(_entra.CreateTrustingHandler);
    }

    private static SocketsHttpHandler TrustingHandler(string thumbprint) => new()
    {
        AllowAutoRedirect = false,
        SslOptions =
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && string.Equals(certificate.GetCertHashString(HashAlgorithmName.SHA256), thumbprint, StringComparison.OrdinalIgnoreCase),
        },
    };

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        string? body = null;
        if (request.ContentLength is > 0 || request.Headers.ContainsKey("Transfer-Encoding"))
            body = await new StreamReader(request.Body).ReadToEndAsync();
        var header = request.Headers.Authorization.ToString();
        var authorized = header.StartsWith("Bearer ", StringComparison.Ordinal) && _entra.IsValidToken(header["Bearer ".Length..], Scope);
        var path = request.Path.Value ?? string.Empty;
        lock (_lock) _requests.Add(new FakeGraphRequest(request.Method, path, request.QueryString.Value ?? string.Empty, body, authorized, _clock.Elapsed));

        if (!authorized)
        {
            await ErrorAsync(context, 401, "InvalidAuthenticationToken", "Access token is empty or invalid.");
            return;
        }
        if (TakeFailure(path) is { } failure)
        {
            if (failure.RetryAfter is { } wait)
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await ErrorAsync(context, failure.Status, failure.Code, "Scripted failure.");
            return;
        }
        if (!path.StartsWith("/v1.0/", StringComparison.Ordinal))
        {
            await ErrorAsync(context, 400, "BadRequest", "Invalid version.");
            return;
        }

        var segments = path["/v1.0/".Length..].Split('/').Select(Uri.UnescapeDataString).ToArray();
        var get = HttpMethods.IsGet(request.Method);
        await (segments switch
        {
            ["users"] when get => UsersByFilterAsync(context),
            ["users", var id] when get => UserAsync(context, id),
            ["users", var id, "manager"] when get => ManagerAsync(context, id),
            ["users", var id, "mailboxSettings"] when get => MailboxAsync(context, id),
            ["users", var id, "teamwork", "installedApps"] when HttpMethods.IsPost(request.Method) => InstallAsync(context, id, body),
            ["users", var id, "teamwork", "installedApps"] when get => InstallationsAsync(context, id),
            ["users", var id, "teamwork", "installedApps", var installation, "chat"] when get => ChatAsync(context, id, installation),
            ["users", var id, "events"] when HttpMethods.IsPost(request.Method) => CreateEventAsync(context, id, body),
            ["users", var id, "events", var eventId] when HttpMethods.IsPatch(request.Method) => PatchEventAsync(context, id, eventId, body),
            ["users", var id, "events", var eventId, "cancel"] when HttpMethods.IsPost(request.Method) => CancelEventAsync(context, id, eventId),
            ["groups"] when get => GroupsAsync(context),
            // The SDK writes the cast short ("graph.user"); Graph's documentation the long way. Graph takes both.
            ["groups", var id, "transitiveMembers", "microsoft.graph.user" or "graph.user"] when get => MembersAsync(context, id),
            _ => ErrorAsync(context, 400, "BadRequest", $"The fake Graph does not serve {request.Method} {path}."),
        });
    }

    private Task UserAsync(HttpContext context, string id) => FindUser(id) is { } user
        ? JsonAsync(context, 200, WithContext(UserJson(user), "users/$entity"))
        : NotFoundAsync(context, id);

    private Task UsersByFilterAsync(HttpContext context)
    {
        var filter = context.Request.Query["$filter"].ToString();
        var literal = Literal(filter);
        if (literal is null || !filter.Contains("mail eq", StringComparison.Ordinal))
            return ErrorAsync(context, 400, "Request_UnsupportedQuery", "Unsupported query.");
        List<FakeGraphUser> found;
        lock (_lock)
            found = _users.Values.Where(u => string.Equals(u.Mail, literal, StringComparison.OrdinalIgnoreCase)
                                             || string.Equals(u.UserPrincipalName, literal, StringComparison.OrdinalIgnoreCase)).ToList();
        return JsonAsync(context, 200, Collection("users", found.Select(UserJson)));
    }

    private Task ManagerAsync(HttpContext context, string id)
    {
        if (FindUser(id) is not { } user) return NotFoundAsync(context, id);
        if (user.ManagerId is null || FindUser(user.ManagerId) is not { } manager) return NotFoundAsync(context, "manager");
        var json = WithContext(UserJson(manager), "directoryObjects/$entity");
        json["@odata.type"] = "#microsoft.graph.user";
        return JsonAsync(context, 200, json);
    }

    private Task MailboxAsync(HttpContext context, string id)
    {
        if (FindUser(id) is not { } user)
            return ErrorAsync(context, 404, "ResourceNotFound", "User not found");
        if (!user.HasMailbox)
            return ErrorAsync(context, 404, "MailboxNotEnabledForRESTAPI", "The mailbox is either inactive, soft-deleted, or is hosted on-premise.");
        var replies = (JsonObject?)user.AutomaticReplies?.DeepClone() ?? new JsonObject { ["status"] = "disabled" };
        return JsonAsync(context, 200, new JsonObject
        {
            ["@odata.context"] = $"{BaseUrl}/$metadata#users('{id}')/mailboxSettings",
            ["timeZone"] = user.TimeZone,
            ["automaticRepliesSetting"] = replies,
        });
    }

    private Task GroupsAsync(HttpContext context)
    {
        var filter = context.Request.Query["$filter"].ToString();
        var name = Literal(filter);
        if (name is null || !filter.StartsWith("displayName eq", StringComparison.Ordinal))
            return ErrorAsync(context, 400, "Request_UnsupportedQuery", "Unsupported query.");
        List<JsonNode> found;
        lock (_lock)
            found = _groups.Where(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase))
                .Select(g => (JsonNode)new JsonObject { ["id"] = g.Id, ["displayName"] = g.Name }).ToList();
        return JsonAsync(context, 200, Collection("groups", found));
    }

    private Task MembersAsync(HttpContext context, string groupId)
    {
        List<FakeGraphUser> members;
        lock (_lock)
        {
            var group = _groups.FirstOrDefault(g => g.Id == groupId);
            if (group.Id is null) return NotFoundAsync(context, groupId);
            members = group.Members.Select(FindUser).OfType<FakeGraphUser>().ToList();
        }
        var skip = int.TryParse(context.Request.Query["$skiptoken"], CultureInfo.InvariantCulture, out var s) ? s : 0;
        var page = members.Skip(skip).Take(PageSize).ToList();
        var json = Collection("users", page.Select(UserJson));
        if (skip + PageSize < members.Count)
            json["@odata.nextLink"] = $"{BaseUrl}{context.Request.Path.Value![5..]}?$skiptoken={skip + PageSize}";
        return JsonAsync(context, 200, json);
    }

    private Task InstallAsync(HttpContext context, string userId, string? body)
    {
        if (FindUser(userId) is null) return NotFoundAsync(context, userId);
        var bind = body is null ? null : JsonNode.Parse(body)?["teamsApp@odata.bind"]?.GetValue<string>();
        if (bind != $"{BaseUrl}/appCatalogs/teamsApps/{AppCatalogId}")
            return ErrorAsync(context, 400, "BadRequest", $"teamsApp@odata.bind must name the catalog app; it is '{bind}'.");
        lock (_lock)
        {
            if (!_installedFor.Add(userId))
                return ErrorAsync(context, 409, "Conflict", "App is already installed.");
        }
        context.Response.StatusCode = 201;
        return Task.CompletedTask;
    }

    private Task InstallationsAsync(HttpContext context, string userId)
    {
        var filter = context.Request.Query["$filter"].ToString();
        var expand = context.Request.Query["$expand"].ToString();
        if (expand != "teamsApp" || !filter.StartsWith("teamsApp/id eq", StringComparison.Ordinal))
            return ErrorAsync(context, 400, "BadRequest", "Expected $expand=teamsApp and $filter=teamsApp/id eq '…'.");
        var installed = IsInstalledFor(userId) && Literal(filter) == AppCatalogId;
        var items = installed
            ? new[] { (JsonNode)new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph.userScopeTeamsAppInstallation",
                ["id"] = InstallationId(userId),
                ["teamsApp"] = new JsonObject { ["id"] = AppCatalogId, ["externalId"] = "approvalbot", ["displayName"] = "ApprovalBot", ["distributionMethod"] = "organization" },
            } }
            : [];
        return JsonAsync(context, 200, Collection($"users('{userId}')/teamwork/installedApps(teamsApp())", items));
    }

    private Task ChatAsync(HttpContext context, string userId, string installation)
    {
        if (!IsInstalledFor(userId) || installation != InstallationId(userId)) return NotFoundAsync(context, installation);
        return JsonAsync(context, 200, new JsonObject
        {
            ["@odata.context"] = $"{BaseUrl}/$metadata#chats/$entity",
            ["id"] = ChatIdFor(userId),
            ["chatType"] = "oneOnOne",
        });
    }

    /// <summary>
    /// <c>POST /users/{id}/events</c>: 201 with the event (id, and for an online meeting <c>onlineMeeting.joinUrl</c>). A
    /// second create with the same <c>transactionId</c> for the same user answers the first event, as Graph does.
    /// </summary>
    private Task CreateEventAsync(HttpContext context, string userId, string? body)
    {
        if (FindUser(userId) is not { } user) return NotFoundAsync(context, userId);
        if (body is null || JsonNode.Parse(body) is not JsonObject json)
            return ErrorAsync(context, 400, "BadRequest", "An event needs a JSON body.");
        var transactionId = json["transactionId"]?.GetValue<string>();
        FakeGraphEvent created;
        lock (_lock)
        {
            var existing = transactionId is null ? null : _events.FirstOrDefault(e => e.UserId == user.Id && e.TransactionId == transactionId);
            if (existing is null)
            {
                var id = $"AAMkAD{Guid.NewGuid():N}";
                var online = json["isOnlineMeeting"]?.GetValue<bool>() == true;
                existing = new FakeGraphEvent(id, user.Id, json, online ? $"https://teams.microsoft.com/l/meetup-join/19%3ameeting_{id}%40thread.v2/0" : null, transactionId);
                _events.Add(existing);
            }
            created = existing;
        }
        return JsonAsync(context, 201, EventJson(created));
    }

    private Task PatchEventAsync(HttpContext context, string userId, string eventId, string? body)
    {
        if (body is null || JsonNode.Parse(body) is not JsonObject patch)
            return ErrorAsync(context, 400, "BadRequest", "A patch needs a JSON body.");
        FakeGraphEvent? found;
        var owner = FindUser(userId)?.Id;
        lock (_lock)
        {
            found = _events.FirstOrDefault(e => e.Id == eventId && owner == e.UserId);
            if (found is not null)
            {
                foreach (var (key, value) in patch) found.Json[key] = value?.DeepClone();
                found.Patches++;
            }
        }
        return found is null ? NotFoundAsync(context, eventId) : JsonAsync(context, 200, EventJson(found));
    }

    private Task CancelEventAsync(HttpContext context, string userId, string eventId)
    {
        var owner = FindUser(userId)?.Id;
        lock (_lock)
        {
            var found = _events.FirstOrDefault(e => e.Id == eventId && owner == e.UserId);
            if (found is null) return NotFoundAsync(context, eventId);
            found.Cancelled = true;
        }
        context.Response.StatusCode = 202;
        return Task.CompletedTask;
    }

    private JsonObject EventJson(FakeGraphEvent e)
    {
        var json = new JsonObject { ["@odata.context"] = $"{BaseUrl}/$metadata#users('{e.UserId}')/events/$entity", ["id"] = e.Id };
        lock (_lock)
        {
            foreach (var (key, value) in e.Json)
            {
                if (key != "id") json[key] = value?.DeepClone();
            }
        }
        if (e.JoinUrl is { } join) json["onlineMeeting"] = new JsonObject { ["joinUrl"] = join };
        return json;
    }

    private static string InstallationId(string userId) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{userId}##app"));

    private FakeGraphUser? FindUser(string idOrUpn)
    {
        lock (_lock)
            return _users.GetValueOrDefault(idOrUpn)
                   ?? _users.Values.FirstOrDefault(u => string.Equals(u.UserPrincipalName, idOrUpn, StringComparison.OrdinalIgnoreCase));
    }

    private Failure? TakeFailure(string path)
    {
        lock (_lock)
        {
            var failure = _failures.FirstOrDefault(f => f.Remaining > 0 && (f.PathContains is null || path.Contains(f.PathContains, StringComparison.Ordinal)));
            if (failure is null) return null;
            failure.Remaining--;
            return failure;
        }
    }

    /// <summary>The first OData string literal in a filter, with doubled quotes undone.</summary>
    private static string? Literal(string filter)
    {
        var match = Regex.Match(filter, "'((?:[^']|'')*)'");
        return match.Success ? match.Groups[1].Value.Replace("''", "'", StringComparison.Ordinal) : null;
    }

    private static JsonObject UserJson(FakeGraphUser user) => new()
    {
        ["id"] = user.Id,
        ["displayName"] = user.DisplayName,
        ["mail"] = user.Mail,
        ["userPrincipalName"] = user.UserPrincipalName,
        ["jobTitle"] = user.JobTitle,
    };

    private JsonObject WithContext(JsonObject json, string entity)
    {
        var result = new JsonObject { ["@odata.context"] = $"{BaseUrl}/$metadata#{entity}" };
        foreach (var (key, value) in json) result[key] = value?.DeepClone();
        return result;
    }

    private JsonObject Collection(string entitySet, IEnumerable<JsonNode> items) => new()
    {
        ["@odata.context"] = $"{BaseUrl}/$metadata#{entitySet}",
        ["value"] = new JsonArray(items.ToArray()),
    };

    private static Task NotFoundAsync(HttpContext context, string what) =>
        ErrorAsync(context, 404, "Request_ResourceNotFound", $"Resource '{what}' does not exist or one of its queried reference-property objects are not present.");

    private static async Task ErrorAsync(HttpContext context, int status, string code, string message) =>
        await JsonAsync(context, status, new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["innerError"] = new JsonObject { ["request-id"] = Guid.NewGuid().ToString(), ["client-request-id"] = Guid.NewGuid().ToString() },
            },
        });

    private static async Task JsonAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    private static string DefaultCode(int status) => status switch
    {
        429 => "TooManyRequests",
        503 => "serviceNotAvailable",
        504 => "UnknownError",
        _ => "generalException",
    };

    private sealed record Failure(int Status, string Code, TimeSpan? RetryAfter, string? PathContains)
    {
        public int Remaining { get; set; }
    }
}
