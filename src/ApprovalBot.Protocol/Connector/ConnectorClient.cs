using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using ApprovalBot.Protocol.Schema;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ApprovalBot.Protocol.Connector;

/// <summary>
/// <see cref="IConnectorClient"/> over <see cref="IHttpClientFactory"/>. Per operation: allow-list check of the
/// serviceUrl → retry pipeline (Polly, on the injected clock) → per attempt: throttle gate, token, one HTTP exchange
/// under a timeout; a 401 refreshes the token once and resends; a 429 holds the gate. The last exchange is classified
/// into a <see cref="ConnectorResult"/>.
/// </summary>
public sealed partial class ConnectorClient : IConnectorClient
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json") { CharSet = "utf-8" };
    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new("application/json");

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly IConnectorTokenProvider _tokens;
    private readonly ConnectorThrottleGate _gate;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConnectorOptions _options;
    private readonly ServiceUrlPolicy _urls;
    private readonly ResiliencePipeline<Exchange> _retry;
    private readonly ResiliencePipeline _attemptTimeout;

    public ConnectorClient(
        IHttpClientFactory httpClientFactory,
        IConnectorTokenProvider tokens,
        ConnectorThrottleGate gate,
        IOptions<ConnectorOptions> options,
        TimeProvider time,
        ILogger<ConnectorClient> logger)
    {
        _httpClientFactory = httpClientFactory;
        _tokens = tokens;
        _gate = gate;
        _time = time;
        _logger = logger;
        _options = options.Value;
        _urls = new ServiceUrlPolicy(tokens.SendsTokens, _options.AdditionalAllowedHosts);
        _retry = BuildRetryPipeline(_options, time, logger);
        _attemptTimeout = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddTimeout(_options.AttemptTimeout)
            .Build();
    }

    public async Task<SendResult> SendToConversationAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        ArgumentNullException.ThrowIfNull(activity);
        var op = new Operation("SendToConversation", HttpMethod.Post, serviceUrl,
            $"v3/conversations/{Escape(conversationId)}/activities", Serialize(activity), ThreadKey(conversationId), ThrottleCategory.Send);
        return ToSendResult(await ExecuteAsync(op, cancellationToken).ConfigureAwait(false));
    }

    public async Task<SendResult> ReplyToActivityAsync(string serviceUrl, string conversationId, string replyToId, Activity activity, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        ArgumentException.ThrowIfNullOrEmpty(replyToId);
        ArgumentNullException.ThrowIfNull(activity);
        var body = ToJsonObject(activity);
        if (body["replyToId"] is null) body["replyToId"] = replyToId;
        var op = new Operation("ReplyToActivity", HttpMethod.Post, serviceUrl,
            $"v3/conversations/{Escape(conversationId)}/activities/{Escape(replyToId)}", Serialize(body), ThreadKey(conversationId), ThrottleCategory.Send);
        return ToSendResult(await ExecuteAsync(op, cancellationToken).ConfigureAwait(false));
    }

    public async Task<SendResult> UpdateActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        ArgumentException.ThrowIfNullOrEmpty(activityId);
        ArgumentNullException.ThrowIfNull(activity);
        // The body names the activity it replaces (as the SDK does); the caller's object is left untouched.
        var body = ToJsonObject(activity);
        body["id"] = activityId;
        var op = new Operation("UpdateActivity", HttpMethod.Put, serviceUrl,
            $"v3/conversations/{Escape(conversationId)}/activities/{Escape(activityId)}", Serialize(body), ThreadKey(conversationId), ThrottleCategory.Send);
        return ToSendResult(await ExecuteAsync(op, cancellationToken).ConfigureAwait(false));
    }

    public async Task<CreateConversationResult> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        // A new channel thread posts into the channel: it spends the channel's budget. A 1:1 chat has no id yet:
        // creates are budgeted per member.
        var throttleKey = parameters.ChannelData?.Channel?.Id is { Length: > 0 } channel
            ? ThreadKey(channel)
            : "create:" + (parameters.Members?.FirstOrDefault()?.Id ?? parameters.TenantId ?? string.Empty);
        var op = new Operation("CreateConversation", HttpMethod.Post, serviceUrl, "v3/conversations",
            JsonSerializer.SerializeToUtf8Bytes(parameters, ProtocolJson.Options), throttleKey, ThrottleCategory.Send);
        var (exchange, call) = await ExecuteAsync(op, cancellationToken).ConfigureAwait(false);
        var fields = Classify(exchange, call);
        ConversationResourceResponse? created = null;
        if (fields.Kind == ConnectorResultKind.Succeeded && !TryParse(exchange.Body, out created))
            fields = fields.Unreadable(op.Name);
        if (fields.Kind == ConnectorResultKind.Succeeded && string.IsNullOrEmpty(created?.Id))
            fields = fields.Unreadable(op.Name);
        return new CreateConversationResult(fields)
        {
            ConversationId = fields.Kind == ConnectorResultKind.Succeeded ? created?.Id : null,
            ActivityId = fields.Kind == ConnectorResultKind.Succeeded ? created?.ActivityId : null,
            ServiceUrl = fields.Kind == ConnectorResultKind.Succeeded ? created?.ServiceUrl : null,
        };
    }

    public async Task<ConnectorResult<TeamsChannelAccount>> GetMemberAsync(string serviceUrl, string conversationId, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var op = new Operation("GetMember", HttpMethod.Get, serviceUrl,
            $"v3/conversations/{Escape(conversationId)}/members/{Escape(userId)}", null, ThreadKey(conversationId), ThrottleCategory.Read);
        return ToReadResult<TeamsChannelAccount>(op, await ExecuteAsync(op, cancellationToken).ConfigureAwait(false));
    }

    public async Task<ConnectorResult<PagedMembersResult>> GetPagedMembersAsync(string serviceUrl, string conversationId, int? pageSize = null, string? continuationToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        var query = new List<string>(2);
        if (pageSize is { } size)
            query.Add("pageSize=" + Math.Clamp(size, ConnectorDefaults.MinPageSize, ConnectorDefaults.MaxPageSize).ToString(CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(continuationToken))
            query.Add("continuationToken=" + Uri.EscapeDataString(continuationToken));
        var path = $"v3/conversations/{Escape(conversationId)}/pagedmembers" + (query.Count > 0 ? "?" + string.Join('&', query) : string.Empty);
        var op = new Operation("GetPagedMembers", HttpMethod.Get, serviceUrl, path, null, ThreadKey(conversationId), ThrottleCategory.Read);
        return ToReadResult<PagedMembersResult>(op, await ExecuteAsync(op, cancellationToken).ConfigureAwait(false));
    }

    public async Task<ConnectorResult<ConversationList>> GetTeamChannelsAsync(string serviceUrl, string teamId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(teamId);
        // A team's id is its General channel's id: reads about the team share that channel's budget.
        var op = new Operation("GetTeamChannels", HttpMethod.Get, serviceUrl,
            $"v3/teams/{Escape(teamId)}/conversations", null, ThreadKey(teamId), ThrottleCategory.Read);
        return ToReadResult<ConversationList>(op, await ExecuteAsync(op, cancellationToken).ConfigureAwait(false));
    }

    // ── the one path every operation takes ────────────────────────────────────────────────────────────────────────

    private async Task<(Exchange Exchange, CallState Call)> ExecuteAsync(Operation op, CancellationToken cancellationToken)
    {
        var call = new CallState(this, op);
        if (!_urls.TryGetBaseUri(op.ServiceUrl, out var baseUri, out var refusal))
        {
            LogRefused(_logger, op.Name, refusal);
            return (Exchange.Refused(refusal), call);
        }
        call.Url = new Uri(baseUri.AbsoluteUri + op.RelativePath, UriKind.Absolute);

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            var exchange = await _retry.ExecuteAsync(
                static (ctx, state) => state.Client.AttemptAsync(state, ctx.CancellationToken), context, call).ConfigureAwait(false);
            return (exchange, call);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Not an expected failure — a bug or an unforeseen exception type. Still a result: the outbox must not crash.
            LogUnexpected(_logger, op.Name, ex);
            return (Exchange.Unexpected(ex.GetType().Name), call);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>One attempt: gate, token, HTTP exchange; on 401 one forced token refresh and one resend.</summary>
    private async ValueTask<Exchange> AttemptAsync(CallState call, CancellationToken cancellationToken)
    {
        var forceRefresh = false;
        while (true)
        {
            var decision = await _gate.WaitAsync(call.Op.ThrottleKey, call.Op.Category, cancellationToken).ConfigureAwait(false);
            call.ThrottleWait += decision.Waited;
            if (!decision.Admitted) return Exchange.Deferred(decision.RetryAfter);

            string? token;
            try
            {
                token = await _tokens.GetTokenAsync(forceRefresh, cancellationToken).ConfigureAwait(false);
            }
            catch (ConnectorTokenException ex)
            {
                return Exchange.TokenFailed(ex.Message, ex.Retryable);
            }

            call.Attempts++;
            var exchange = await SendOnceAsync(call, token, cancellationToken).ConfigureAwait(false);
            LogExchange(_logger, call.Op.Name, call.Attempts, exchange.Status ?? 0, exchange.Kind, exchange.CorrelationId);

            if (exchange is { Kind: ExchangeKind.Answered, Status: 401 } && _tokens.SendsTokens && !call.RefreshedToken)
            {
                call.RefreshedToken = true;
                forceRefresh = true;
                LogRefreshingToken(_logger, call.Op.Name, exchange.CorrelationId);
                continue;
            }
            if (exchange is { Kind: ExchangeKind.Answered, Status: 429 })
                _gate.ReportThrottled(call.Op.ThrottleKey, exchange.RetryAfter ?? _options.BaseDelay);
            return exchange;
        }
    }

    private async ValueTask<Exchange> SendOnceAsync(CallState call, string? token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(call.Op.Method, call.Url);
        request.Headers.Accept.Add(AcceptJson);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (call.Op.Body is { } body)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = JsonContentType;
        }

        var client = _httpClientFactory.CreateClient(ConnectorDefaults.HttpClientName);
        try
        {
            return await _attemptTimeout.ExecuteAsync(
                static async (state, ct) =>
                {
                    using var response = await state.client.SendAsync(state.request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
                    var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                    var correlation = response.Headers.TryGetValues(ConnectorDefaults.CorrelationHeader, out var values) ? values.FirstOrDefault() : null;
                    var retryAfter = ConnectorResponseClassifier.ParseRetryAfter(response.Headers.RetryAfter, state.time.GetUtcNow());
                    return Exchange.Answered((int)response.StatusCode, text, retryAfter, correlation);
                },
                (client, request, time: _time),
                cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException)
        {
            return Exchange.Transient(ExchangeKind.TimedOut, $"no answer within {_options.AttemptTimeout}");
        }
        catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return Exchange.Transient(ExchangeKind.ConnectionFailed, $"connection failed: {ex.HttpRequestError}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient's own timeout or a handler's cancellation — not the caller's: a timeout like any other.
            return Exchange.Transient(ExchangeKind.TimedOut, "the request was cancelled before an answer arrived");
        }
    }

    private static ResiliencePipeline<Exchange> BuildRetryPipeline(ConnectorOptions options, TimeProvider time, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder<Exchange> { TimeProvider = time };
        if (options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<Exchange>
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = options.UseJitter,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, options.MaxInlineRetryAfter)),
                // Retry-After, when the connector sent one, replaces the computed back-off (bot-protocol.md §4.2).
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result is { Kind: ExchangeKind.Answered, RetryAfter: { } retryAfter } ? retryAfter : (TimeSpan?)null),
                OnRetry = args =>
                {
                    LogRetrying(logger, args.AttemptNumber + 1, args.Outcome.Result?.Status ?? 0,
                        args.Outcome.Result?.Kind ?? ExchangeKind.Unexpected, args.RetryDelay, args.Outcome.Result?.CorrelationId);
                    return default;
                },
            });
        }
        return builder.Build();
    }

    /// <summary>Retry 412/429/502/503/504, timeouts and connection failures — unless Retry-After is too long to wait inline.</summary>
    internal static bool ShouldRetry(Outcome<Exchange> outcome, TimeSpan maxInlineRetryAfter)
    {
        if (outcome.Result is not { } e) return false;
        return e.Kind switch
        {
            ExchangeKind.TimedOut or ExchangeKind.ConnectionFailed => true,
            ExchangeKind.TokenFailed => e.Retryable,
            ExchangeKind.Answered when e.Status is { } status && ConnectorResponseClassifier.IsTransientStatus(status) =>
                e.RetryAfter is not { } retryAfter || retryAfter <= maxInlineRetryAfter,
            _ => false,
        };
    }

    // ── classification into results ─────────────────────────────────────────────────────────────────────────────

    private ResultFields Classify(Exchange e, CallState call)
    {
        var fields = new ResultFields { Attempts = call.Attempts, ThrottleWait = call.ThrottleWait, CorrelationId = e.CorrelationId, Reason = e.Reason };
        ResultFields result;
        switch (e.Kind)
        {
            case ExchangeKind.Answered:
                var c = ConnectorResponseClassifier.Classify(e.Status!.Value, e.Body);
                result = fields with
                {
                    Kind = c.Kind,
                    StatusCode = e.Status,
                    ErrorCode = c.ErrorCode,
                    ErrorMessage = c.ErrorMessage,
                    Retryable = c.Kind == ConnectorResultKind.Throttled || c.Transient,
                    // A 429 without Retry-After still needs a time to come back: the longest back-off.
                    RetryAfter = c.Kind == ConnectorResultKind.Throttled ? e.RetryAfter ?? _options.MaxDelay : e.RetryAfter,
                    Reason = c.Kind == ConnectorResultKind.Succeeded ? null : DescribeStatus(e.Status.Value, c.ErrorCode),
                };
                break;
            case ExchangeKind.GateDeferred:
                result = fields with { Kind = ConnectorResultKind.Throttled, Retryable = true, RetryAfter = e.RetryAfter, Reason = "held by the outbound throttle gate; not sent" };
                break;
            case ExchangeKind.TimedOut or ExchangeKind.ConnectionFailed:
                result = fields with { Kind = ConnectorResultKind.Failed, Retryable = true };
                break;
            case ExchangeKind.TokenFailed:
                result = fields with { Kind = ConnectorResultKind.Failed, Retryable = e.Retryable };
                break;
            default: // Refused, Unexpected
                result = fields with { Kind = ConnectorResultKind.Failed, Retryable = false };
                break;
        }
        if (result.Kind != ConnectorResultKind.Succeeded)
            LogOutcome(_logger, call.Op.Name, result.Kind, result.StatusCode ?? 0, result.ErrorCode, result.Retryable, result.Attempts, result.CorrelationId);
        return result;
    }

    private SendResult ToSendResult((Exchange Exchange, CallState Call) done)
    {
        var fields = Classify(done.Exchange, done.Call);
        string? activityId = null;
        // A 2xx whose body cannot be read was still sent: never turn it into a failure that would send it twice.
        if (fields.Kind == ConnectorResultKind.Succeeded && TryParse<ResourceResponse>(done.Exchange.Body, out var resource))
            activityId = resource?.Id;
        return new SendResult(fields) { ActivityId = activityId };
    }

    private ConnectorResult<T> ToReadResult<T>(Operation op, (Exchange Exchange, CallState Call) done)
        where T : class
    {
        var fields = Classify(done.Exchange, done.Call);
        T? value = null;
        if (fields.Kind == ConnectorResultKind.Succeeded && (!TryParse(done.Exchange.Body, out value) || value is null))
            fields = fields.Unreadable(op.Name);
        return new ConnectorResult<T>(fields) { Value = fields.Kind == ConnectorResultKind.Succeeded ? value : null };
    }

    private static string DescribeStatus(int status, string? code) =>
        code is null ? $"connector answered {status}" : $"connector answered {status} {code}";

    private static bool TryParse<T>(string? body, out T? value)
        where T : class
    {
        value = null;
        if (string.IsNullOrWhiteSpace(body)) return false;
        try
        {
            value = JsonSerializer.Deserialize<T>(body, ProtocolJson.Options);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // ── helpers ─────────────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>
    /// The thread a conversation id belongs to for the published limits: a channel is one thread, so every reply chain
    /// in it (<c>19:…@thread.tacv2;messageid=…</c>) shares the channel's budget (bot-protocol.md §4.1).
    /// </summary>
    internal static string ThreadKey(string conversationId)
    {
        var i = conversationId.IndexOf(";messageid=", StringComparison.OrdinalIgnoreCase);
        return i < 0 ? conversationId : conversationId[..i];
    }

    /// <summary>Conversation, activity and user ids are opaque and contain <c>:</c>, <c>@</c>, <c>;</c>: always one escaped path segment.</summary>
    internal static string Escape(string id) => Uri.EscapeDataString(id);

    private static JsonObject ToJsonObject(Activity activity) =>
        JsonSerializer.SerializeToNode(activity, ProtocolJson.Options) as JsonObject ?? new JsonObject();

    private static byte[] Serialize(Activity activity) => JsonSerializer.SerializeToUtf8Bytes(activity, ProtocolJson.Options);

    private static byte[] Serialize(JsonObject body) => JsonSerializer.SerializeToUtf8Bytes(body, ProtocolJson.Options);

    private sealed record Operation(
        string Name, HttpMethod Method, string ServiceUrl, string RelativePath, byte[]? Body, string ThrottleKey, ThrottleCategory Category);

    private sealed class CallState(ConnectorClient client, Operation op)
    {
        public ConnectorClient Client { get; } = client;
        public Operation Op { get; } = op;
        public Uri Url { get; set; } = null!;
        public int Attempts { get; set; }
        public TimeSpan ThrottleWait { get; set; }
        public bool RefreshedToken { get; set; }
    }

    internal enum ExchangeKind { Answered, TimedOut, ConnectionFailed, GateDeferred, TokenFailed, Refused, Unexpected }

    /// <summary>What one attempt came back with, before classification.</summary>
    internal sealed record Exchange(
        ExchangeKind Kind, int? Status = null, string? Body = null, TimeSpan? RetryAfter = null, string? CorrelationId = null,
        string? Reason = null, bool Retryable = false)
    {
        public static Exchange Answered(int status, string body, TimeSpan? retryAfter, string? correlationId) =>
            new(ExchangeKind.Answered, status, body, retryAfter, correlationId);

        public static Exchange Transient(ExchangeKind kind, string reason) => new(kind, Reason: reason, Retryable: true);

        public static Exchange Deferred(TimeSpan retryAfter) => new(ExchangeKind.GateDeferred, RetryAfter: retryAfter, Retryable: true);

        public static Exchange TokenFailed(string reason, bool retryable) => new(ExchangeKind.TokenFailed, Reason: reason, Retryable: retryable);

        public static Exchange Refused(string reason) => new(ExchangeKind.Refused, Reason: "not sent: " + reason);

        public static Exchange Unexpected(string exceptionType) => new(ExchangeKind.Unexpected, Reason: "unexpected " + exceptionType);
    }

    /// <summary>The classified outcome before it becomes a typed result (which copies it through the base record).</summary>
    private sealed record ResultFields : ConnectorResult
    {
        public ResultFields Unreadable(string operation) =>
            this with { Kind = ConnectorResultKind.Failed, Retryable = false, Reason = $"{operation}: the connector's success answer could not be read" };
    }

    [LoggerMessage(EventId = 3301, Level = LogLevel.Warning, Message = "Connector {Operation} not sent: {Reason}")]
    private static partial void LogRefused(ILogger logger, string operation, string reason);

    [LoggerMessage(EventId = 3302, Level = LogLevel.Debug, Message = "Connector {Operation} attempt {Attempt}: {Exchange} {StatusCode}, correlation {CorrelationId}")]
    private static partial void LogExchange(ILogger logger, string operation, int attempt, int statusCode, ExchangeKind exchange, string? correlationId);

    [LoggerMessage(EventId = 3303, Level = LogLevel.Information, Message = "Connector retry {NextAttempt} after {Exchange} {StatusCode} in {Delay}, correlation {CorrelationId}")]
    private static partial void LogRetrying(ILogger logger, int nextAttempt, int statusCode, ExchangeKind exchange, TimeSpan delay, string? correlationId);

    [LoggerMessage(EventId = 3304, Level = LogLevel.Information, Message = "Connector {Operation} answered 401, correlation {CorrelationId}: refreshing the token once")]
    private static partial void LogRefreshingToken(ILogger logger, string operation, string? correlationId);

    [LoggerMessage(EventId = 3305, Level = LogLevel.Warning, Message = "Connector {Operation} ended {Kind} (HTTP {StatusCode} {ErrorCode}, retryable {Retryable}) after {Attempts} attempts, correlation {CorrelationId}")]
    private static partial void LogOutcome(ILogger logger, string operation, ConnectorResultKind kind, int statusCode, string? errorCode, bool retryable, int attempts, string? correlationId);

    [LoggerMessage(EventId = 3306, Level = LogLevel.Error, Message = "Connector {Operation} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, string operation, Exception exception);
}
