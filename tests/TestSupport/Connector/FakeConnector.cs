using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ApprovalBot.Protocol.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApprovalBot.TestSupport.Connector;

/// <summary>
/// A Bot Connector v3 service on a real Kestrel listener at <c>127.0.0.1:0</c>: create conversation, send, reply,
/// update, delete, get member, members, paged members and a team's channels. It records every request (raw target, decoded ids,
/// Authorization header, parsed body, time) and keeps the posted messages with their current content.
/// Failures are scripted per call: <see cref="Enqueue"/> a <see cref="FakeResponse"/> for the next N matching calls.
/// Point the bot at <see cref="ServiceUrl"/>; it accepts any path prefix before <c>v3/</c> (like <c>/teams/</c>).
/// </summary>
public sealed class FakeConnector : IAsyncDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    private readonly WebApplication _app;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<(Func<RecordedRequest, bool> Predicate, TaskCompletionSource<RecordedRequest> Done)> _waiters = [];
    private readonly List<Script> _scripts = [];
    private readonly Dictionary<string, ConversationState> _conversations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _personalByMember = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<ChannelInfo>> _teamChannels = new(StringComparer.Ordinal);
    private Func<string?, bool>? _acceptToken;
    private Func<RecordedRequest, FakeResponse?>? _admission;
    private long _nextId;
    private int _sequence;

    private FakeConnector(WebApplication app, TimeProvider time)
    {
        _app = app;
        _time = time;
    }

    /// <summary><c>http://127.0.0.1:{port}/</c> — what an inbound activity's serviceUrl would carry.</summary>
    public string ServiceUrl { get; private set; } = string.Empty;

    public int Port { get; private set; }

    /// <summary>Starts the fake. <paramref name="time"/> stamps requests and messages (the real clock when omitted).</summary>
    public static async Task<FakeConnector> StartAsync(TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
#pragma warning disable RS0030 // A fake over real HTTP lives on the real clock unless a test gives it another.
        var fake = new FakeConnector(app, time ?? TimeProvider.System);
#pragma warning restore RS0030
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.Port = new Uri(address).Port;
        fake.ServiceUrl = $"http://127.0.0.1:{fake.Port}/";
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    // ── scripting ───────────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>
    /// The next <paramref name="times"/> calls that match (optionally only for <paramref name="conversationId"/> and/or
    /// <paramref name="operation"/>) get <paramref name="response"/> instead of the normal answer. Scripts are used in
    /// the order they were added.
    /// </summary>
    public void Enqueue(FakeResponse response, int times = 1, string? conversationId = null, FakeOperation? operation = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        lock (_lock) _scripts.Add(new Script(response, times, conversationId, operation));
    }

    /// <summary>Answer 401 to any request whose bearer token <paramref name="isValid"/> rejects (null when there is none).</summary>
    public void RequireBearerToken(Func<string?, bool> isValid)
    {
        lock (_lock) _acceptToken = isValid;
    }

    /// <summary>
    /// Asks <paramref name="admission"/> about every authenticated request before any script or normal work: a response
    /// it returns is the answer (a 429 from a rate limiter, say), null lets the request through. See
    /// <see cref="TeamsRateLimiter"/>.
    /// </summary>
    public void Admit(Func<RecordedRequest, FakeResponse?> admission)
    {
        lock (_lock) _admission = admission;
    }

    /// <summary>Accept only tokens <paramref name="entra"/> issued and has not revoked.</summary>
    public void RequireTokensFrom(FakeEntraTokenEndpoint entra) =>
        RequireBearerToken(t => t is not null && entra.IsValidToken(t, ApprovalBot.Protocol.Connector.MsalConnectorTokenProvider.BotFrameworkScope));

    /// <summary>The roster of a conversation (creates the conversation when it does not exist).</summary>
    public void SetMembers(string conversationId, IEnumerable<TeamsChannelAccount> members)
    {
        lock (_lock) Conversation(conversationId).Members = members.ToList();
    }

    /// <summary>
    /// The channels <c>GET v3/teams/{teamId}/conversations</c> lists for <paramref name="teamId"/>, in this order, as Teams
    /// does: the General channel (its id is the team id) with no name, then the named channels. Called again, it
    /// replaces the list (a channel created or deleted). A team never given answers 403 BotNotInConversationRoster,
    /// as Teams does for a team the bot is not in.
    /// </summary>
    public void SetTeamChannels(string teamId, IEnumerable<(string Id, string? Name)> channels)
    {
        ArgumentNullException.ThrowIfNull(channels);
        lock (_lock) _teamChannels[teamId] = [.. channels.Select(c => new ChannelInfo { Id = c.Id, Name = c.Name })];
    }

    // ── assertions ──────────────────────────────────────────────────────────────────────────────────────────────

    public IReadOnlyList<RecordedRequest> Requests
    {
        get { lock (_lock) return _requests.ToList(); }
    }

    /// <summary>Completes with the first recorded request (already received or still to come) that matches.</summary>
    public Task<RecordedRequest> WaitForAsync(Func<RecordedRequest, bool> predicate, TimeSpan? timeout = null)
    {
        TaskCompletionSource<RecordedRequest> done;
        lock (_lock)
        {
            var existing = _requests.FirstOrDefault(predicate);
            if (existing is not null) return Task.FromResult(existing);
            done = new TaskCompletionSource<RecordedRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((predicate, done));
        }
        return WaitOrExplainAsync(done.Task, timeout ?? DefaultWait);
    }

    /// <summary>Completes when <paramref name="count"/> requests matching <paramref name="predicate"/> have arrived.</summary>
    public async Task<IReadOnlyList<RecordedRequest>> WaitForCountAsync(int count, Func<RecordedRequest, bool> predicate, TimeSpan? timeout = null)
    {
        var seen = new HashSet<int>();
        var result = new List<RecordedRequest>();
        while (result.Count < count)
        {
            var next = await WaitForAsync(r => predicate(r) && !seen.Contains(r.Sequence), timeout);
            seen.Add(next.Sequence);
            result.Add(next);
        }
        return result;
    }

    /// <summary>
    /// Drops every recorded request and every conversation with its messages, so that a long test (thousands of activities)
    /// measures the bot's memory and not the fake's record of it. Sequence numbers go on counting.
    /// </summary>
    public void ForgetHistory()
    {
        lock (_lock)
        {
            _requests.Clear();
            _conversations.Clear();
        }
    }

    /// <summary>Conversation ids the fake knows (created, or first seen in a send).</summary>
    public IReadOnlyList<string> ConversationIds
    {
        get { lock (_lock) return _conversations.Keys.ToList(); }
    }

    /// <summary>The messages posted to <paramref name="conversationId"/>, oldest first, each with its current content.</summary>
    public IReadOnlyList<FakeMessage> GetMessages(string conversationId)
    {
        lock (_lock)
        {
            if (!_conversations.TryGetValue(conversationId, out var c)) return [];
            return c.Messages.Select(m => new FakeMessage(
                conversationId, m.Id, m.ReplyToId,
                ProtocolJson.Deserialize<Activity>(m.Versions[^1])!,
                m.Versions.Select(v => ProtocolJson.Deserialize<Activity>(v)!).ToList(),
                m.Deleted, m.PostedAt)).ToList();
        }
    }

    /// <summary>One posted message by id, or null.</summary>
    public FakeMessage? GetMessage(string conversationId, string activityId) =>
        GetMessages(conversationId).FirstOrDefault(m => m.ActivityId == activityId);

    private static async Task<RecordedRequest> WaitOrExplainAsync(Task<RecordedRequest> task, TimeSpan timeout)
    {
        try
        {
            return await task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The fake connector received no matching request within {timeout}.");
        }
    }

    // ── the service ─────────────────────────────────────────────────────────────────────────────────────────────

    private async Task HandleAsync(HttpContext context)
    {
        var request = await RecordAsync(context);
        context.Response.Headers["X-Correlating-OperationId"] = "fake-" + request.Sequence.ToString(CultureInfo.InvariantCulture);

        Func<string?, bool>? acceptToken;
        lock (_lock) acceptToken = _acceptToken;
        if (acceptToken is not null && !acceptToken(request.BearerToken))
        {
            await AnswerAsync(context, request, FakeResponse.Unauthorized());
            return;
        }

        Func<RecordedRequest, FakeResponse?>? admission;
        lock (_lock) admission = _admission;
        if (admission?.Invoke(request) is { } refused)
        {
            await AnswerAsync(context, request, refused);
            return;
        }

        var script = TakeScript(request);
        if (script is not null)
        {
            if (script.Delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(script.Delay, _time, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return; // the client gave up first, as intended
                }
            }
            if (!script.ThenProcessNormally)
            {
                await AnswerAsync(context, request, script.Response);
                return;
            }
        }

        var (status, body) = Process(request);
        request.ResponseStatus = status;
        context.Response.StatusCode = status;
        if (body is not null)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(body.ToJsonString(), Encoding.UTF8);
        }
    }

    private static async Task AnswerAsync(HttpContext context, RecordedRequest request, FakeResponse response)
    {
        request.ResponseStatus = response.StatusCode;
        context.Response.StatusCode = response.StatusCode;
        if (response.RetryAfter is not null) context.Response.Headers.RetryAfter = response.RetryAfter;
        var body = response.RawBody ?? (response.ErrorCode is null && response.ErrorMessage is null
            ? null
            : new JsonObject { ["error"] = new JsonObject { ["code"] = response.ErrorCode, ["message"] = response.ErrorMessage } }.ToJsonString());
        if (body is not null)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(body, Encoding.UTF8);
        }
    }

    private async Task<RecordedRequest> RecordAsync(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var q = raw.IndexOf('?', StringComparison.Ordinal);
        var rawPath = q < 0 ? raw : raw[..q];
        var rawQuery = q < 0 ? string.Empty : raw[(q + 1)..];

        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var (operation, conversationId, activityId, memberId) = Route(context.Request.Method, rawPath);

        JsonNode? json = null;
        Activity? activity = null;
        ConversationParameters? parameters = null;
        if (body.Length > 0)
        {
            try
            {
                json = JsonNode.Parse(body);
                if (operation is FakeOperation.SendToConversation or FakeOperation.ReplyToActivity or FakeOperation.UpdateActivity)
                    activity = ProtocolJson.Deserialize<Activity>(body);
                if (operation == FakeOperation.CreateConversation)
                    parameters = ProtocolJson.Deserialize<ConversationParameters>(body);
            }
            catch (JsonException)
            {
                // recorded as text; the handler answers 400
            }
        }

        RecordedRequest request;
        List<TaskCompletionSource<RecordedRequest>> matched;
        lock (_lock)
        {
            request = new RecordedRequest
            {
                Sequence = ++_sequence,
                Method = context.Request.Method,
                RawTarget = raw,
                RawPath = rawPath,
                RawQuery = rawQuery,
                Operation = operation,
                ConversationId = conversationId,
                ActivityId = activityId,
                MemberId = memberId,
                Authorization = context.Request.Headers.Authorization.FirstOrDefault(),
                ContentType = context.Request.ContentType,
                Body = body,
                Json = json,
                Activity = activity,
                ConversationParameters = parameters,
                ReceivedAt = _time.GetUtcNow(),
            };
            _requests.Add(request);
            matched = [];
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Predicate(request)) continue;
                matched.Add(_waiters[i].Done);
                _waiters.RemoveAt(i);
            }
        }
        foreach (var done in matched) done.TrySetResult(request);
        return request;
    }

    private Script? TakeScript(RecordedRequest request)
    {
        lock (_lock)
        {
            var script = _scripts.FirstOrDefault(s =>
                (s.ConversationId is null || string.Equals(s.ConversationId, request.ConversationId, StringComparison.Ordinal))
                && (s.Operation is null || s.Operation == request.Operation));
            if (script is null) return null;
            if (--script.Remaining == 0) _scripts.Remove(script);
            return script;
        }
    }

    /// <summary>Maps the raw path (anything before <c>v3/</c> is a base path) to an operation and its decoded ids.</summary>
    private static (FakeOperation, string?, string?, string?) Route(string method, string rawPath)
    {
        var segments = rawPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var v3 = Array.IndexOf(segments, "v3");
        if (v3 >= 0 && method == "GET" && segments.Length == v3 + 4 && segments[v3 + 1] == "teams" && segments[v3 + 3] == "conversations")
            return (FakeOperation.GetTeamChannels, Uri.UnescapeDataString(segments[v3 + 2]), null, null);
        if (v3 < 0 || v3 + 1 >= segments.Length || segments[v3 + 1] != "conversations") return (FakeOperation.Unknown, null, null, null);
        var s = segments[(v3 + 2)..].Select(Uri.UnescapeDataString).ToArray();
        return (method, s.Length) switch
        {
            ("POST", 0) => (FakeOperation.CreateConversation, null, null, null),
            ("POST", 2) when s[1] == "activities" => (FakeOperation.SendToConversation, s[0], null, null),
            ("POST", 3) when s[1] == "activities" => (FakeOperation.ReplyToActivity, s[0], s[2], null),
            ("PUT", 3) when s[1] == "activities" => (FakeOperation.UpdateActivity, s[0], s[2], null),
            ("DELETE", 3) when s[1] == "activities" => (FakeOperation.DeleteActivity, s[0], s[2], null),
            ("GET", 2) when s[1] == "members" => (FakeOperation.GetMembers, s[0], null, null),
            ("GET", 3) when s[1] == "members" => (FakeOperation.GetMember, s[0], null, s[2]),
            ("GET", 2) when s[1] == "pagedmembers" => (FakeOperation.GetPagedMembers, s[0], null, null),
            _ => (FakeOperation.Unknown, s.Length > 0 ? s[0] : null, null, null),
        };
    }

    private (int Status, JsonNode? Body) Process(RecordedRequest r)
    {
        lock (_lock)
        {
            switch (r.Operation)
            {
                case FakeOperation.CreateConversation:
                    return Create(r);
                case FakeOperation.SendToConversation or FakeOperation.ReplyToActivity:
                    if (r.Activity is null) return Error(400, "BadArgument", "The body is not an activity.");
                    var id = Post(r.ConversationId!, r.Body, r.Operation == FakeOperation.ReplyToActivity ? r.ActivityId : null);
                    return (201, new JsonObject { ["id"] = id });
                case FakeOperation.UpdateActivity:
                {
                    if (r.Activity is null) return Error(400, "BadArgument", "The body is not an activity.");
                    var message = Find(r.ConversationId!, r.ActivityId!);
                    if (message is null) return Error(404, "ActivityNotFoundInConversation", "Activity not found in conversation.");
                    message.Versions.Add(r.Body);
                    return (200, new JsonObject { ["id"] = message.Id });
                }
                case FakeOperation.DeleteActivity:
                {
                    var message = Find(r.ConversationId!, r.ActivityId!);
                    if (message is null) return Error(404, "ActivityNotFoundInConversation", "Activity not found in conversation.");
                    message.Deleted = true;
                    return (200, null);
                }
                case FakeOperation.GetMember:
                {
                    var member = Conversation(r.ConversationId!).Members.FirstOrDefault(m =>
                        string.Equals(m.Id, r.MemberId, StringComparison.OrdinalIgnoreCase)
                        || string.Equals(m.EntraObjectId, r.MemberId, StringComparison.OrdinalIgnoreCase)
                        || string.Equals(m.UserPrincipalName, r.MemberId, StringComparison.OrdinalIgnoreCase));
                    return member is null
                        ? Error(404, "MemberNotFoundInConversation", "The member was not found in the conversation.")
                        : (200, JsonSerializer.SerializeToNode(member, ProtocolJson.Options));
                }
                case FakeOperation.GetMembers:
                    return (200, JsonSerializer.SerializeToNode(Conversation(r.ConversationId!).Members, ProtocolJson.Options));
                case FakeOperation.GetPagedMembers:
                    return Page(r);
                case FakeOperation.GetTeamChannels:
                    return _teamChannels.TryGetValue(r.ConversationId!, out var channels)
                        ? (200, new JsonObject { ["conversations"] = JsonSerializer.SerializeToNode(channels, ProtocolJson.Options) })
                        : Error(403, "BotNotInConversationRoster", "The bot is not part of the conversation roster.");
                default:
                    return Error(404, "NotFound", "Unknown route.");
            }
        }
    }

    private (int, JsonNode?) Create(RecordedRequest r)
    {
        var p = r.ConversationParameters;
        if (p is null) return Error(400, "BadArgument", "The body is not conversation parameters.");
        string conversationId;
        string? channel = p.ChannelData?.Channel?.Id;
        if (p.IsGroup == true && channel is not null)
        {
            // New channel thread: the root post's id becomes part of the thread's conversation id.
            var rootId = NewActivityId();
            conversationId = $"{channel};messageid={rootId}";
            var conversation = Conversation(conversationId);
            if (p.Activity is not null)
                conversation.Messages.Add(new MessageState(rootId, null, ProtocolJson.Serialize(p.Activity), _time.GetUtcNow()));
            return (201, new JsonObject { ["id"] = conversationId, ["activityId"] = rootId });
        }

        var member = p.Members?.FirstOrDefault()?.Id;
        if (string.IsNullOrEmpty(member)) return Error(400, "BadArgument", "A 1:1 conversation needs one member.");
        // Creating a 1:1 chat again returns the existing one, as Teams does.
        if (!_personalByMember.TryGetValue(member, out var existing))
        {
            existing = "a:1" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            _personalByMember[member] = existing;
        }
        conversationId = existing;
        var c = Conversation(conversationId);
        if (c.Members.Count == 0) c.Members.Add(new TeamsChannelAccount { Id = member, TenantId = p.TenantId });
        var response = new JsonObject { ["id"] = conversationId };
        if (p.Activity is not null) response["activityId"] = Post(conversationId, ProtocolJson.Serialize(p.Activity), null);
        return (201, response);
    }

    private (int, JsonNode?) Page(RecordedRequest r)
    {
        var members = Conversation(r.ConversationId!).Members;
        var size = int.TryParse(r.Query("pageSize"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var requested)
            ? Math.Clamp(requested, 50, 500)
            : 200;
        var start = 0;
        if (r.Query("continuationToken") is { } token)
        {
            if (!token.StartsWith("page:", StringComparison.Ordinal) || !int.TryParse(token[5..], NumberStyles.Integer, CultureInfo.InvariantCulture, out start))
                return Error(400, "BadArgument", "Unknown continuation token.");
        }
        var page = members.Skip(start).Take(size).ToList();
        var next = start + page.Count;
        var body = new JsonObject { ["members"] = JsonSerializer.SerializeToNode(page, ProtocolJson.Options) };
        if (next < members.Count) body["continuationToken"] = "page:" + next.ToString(CultureInfo.InvariantCulture);
        return (200, body);
    }

    private string Post(string conversationId, string activityJson, string? replyToId)
    {
        var id = NewActivityId();
        Conversation(conversationId).Messages.Add(new MessageState(id, replyToId, activityJson, _time.GetUtcNow()));
        return id;
    }

    private MessageState? Find(string conversationId, string activityId) =>
        _conversations.TryGetValue(conversationId, out var c) ? c.Messages.FirstOrDefault(m => m.Id == activityId) : null;

    // Teams activity ids look like "1:1a2b…" or "1716…": a colon keeps the escaping honest.
    private string NewActivityId() => "1:" + Interlocked.Increment(ref _nextId).ToString("x6", CultureInfo.InvariantCulture);

    private ConversationState Conversation(string id)
    {
        if (!_conversations.TryGetValue(id, out var c))
        {
            c = new ConversationState();
            _conversations[id] = c;
        }
        return c;
    }

    private static (int, JsonNode?) Error(int status, string code, string message) =>
        (status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } });

    private sealed class Script(FakeResponse response, int times, string? conversationId, FakeOperation? operation)
    {
        public int Remaining { get; set; } = times;
        public string? ConversationId { get; } = conversationId;
        public FakeOperation? Operation { get; } = operation;
        public FakeResponse Response { get; } = response;
        public TimeSpan Delay => Response.Delay;
        public bool ThenProcessNormally => Response.ThenProcessNormally;
    }

    private sealed class ConversationState
    {
        public List<TeamsChannelAccount> Members { get; set; } = [];
        public List<MessageState> Messages { get; } = [];
    }

    private sealed class MessageState(string id, string? replyToId, string json, DateTimeOffset postedAt)
    {
        public string Id { get; } = id;
        public string? ReplyToId { get; } = replyToId;
        public List<string> Versions { get; } = [json];
        public bool Deleted { get; set; }
        public DateTimeOffset PostedAt { get; } = postedAt;
    }
}
