namespace ApprovalBot.Protocol.Connector;

/// <summary>What happened to one outbound call, classified for the caller (bot-protocol.md §3.6, architecture rule 13).</summary>
public enum ConnectorResultKind
{
    /// <summary>The connector accepted the call (for a send: the message was sent).</summary>
    Succeeded,

    /// <summary>Rate-limited — by the connector (429) or by our own gate — and not retried inline; try again after <see cref="ConnectorResult.RetryAfter"/>.</summary>
    Throttled,

    /// <summary>
    /// The recipient cannot be reached in this conversation: blocked, uninstalled, removed, disabled by the admin, or the
    /// conversation no longer exists. <see cref="ConnectorResult.ErrorCode"/> says which
    /// (<see cref="ConnectorErrorCodes.ConversationNotFound"/> can be cured by creating the conversation again).
    /// </summary>
    RecipientGone,

    /// <summary>The activity to reply to or update does not exist (<c>ActivityNotFoundInConversation</c>): forget its id.</summary>
    ActivityNotFound,

    /// <summary>Anything else. <see cref="ConnectorResult.Retryable"/> tells a transient failure (5xx, 412, timeout, connection) from a permanent one.</summary>
    Failed,
}

/// <summary>
/// The classified outcome of one connector operation. Expected failures are results, never exceptions; only the
/// caller's own cancellation throws.
/// </summary>
public abstract record ConnectorResult
{
    public ConnectorResultKind Kind { get; init; }

    /// <summary>The last HTTP status the connector answered; null when no answer came (timeout, refused, throttled by our gate).</summary>
    public int? StatusCode { get; init; }

    /// <summary>The Teams error code (<c>error.code</c> or sub-code), e.g. <c>ConversationNotFound</c>; null when none.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The connector's error message (never the request body).</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>When to try again: set on Throttled, and on transient failures that carried a Retry-After.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>True when trying the same call later may succeed (Throttled, 412/5xx, timeouts, connection failures).</summary>
    public bool Retryable { get; init; }

    /// <summary>A short human-readable explanation for logs and dead letters (no secrets, no message content).</summary>
    public string? Reason { get; init; }

    /// <summary>The connector's <c>X-Correlating-OperationId</c> of the last answer — quote it to Microsoft support.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>HTTP requests made (0 when refused before sending).</summary>
    public int Attempts { get; init; }

    /// <summary>Time spent waiting in the throttle gate for this operation.</summary>
    public TimeSpan ThrottleWait { get; init; }

    public bool Succeeded => Kind == ConnectorResultKind.Succeeded;
}

/// <summary>Result of send, reply and update.</summary>
public sealed record SendResult : ConnectorResult
{
    public SendResult()
    {
    }

    /// <summary>A result carrying <paramref name="outcome"/>'s classification (kind, status, codes, timings).</summary>
    public SendResult(ConnectorResult outcome)
        : base(outcome)
    {
    }

    /// <summary>The activity id the connector returned (the one to store for later updates); may be null on 202.</summary>
    public string? ActivityId { get; init; }

    public bool IsSent => Kind == ConnectorResultKind.Succeeded;

    public static SendResult Sent(string? activityId) => new() { Kind = ConnectorResultKind.Succeeded, ActivityId = activityId, StatusCode = 201, Attempts = 1 };

    public static SendResult Throttled(TimeSpan retryAfter) =>
        new() { Kind = ConnectorResultKind.Throttled, RetryAfter = retryAfter, StatusCode = 429, ErrorCode = ConnectorErrorCodes.Throttled, Retryable = true, Attempts = 1 };

    public static SendResult RecipientGone(int statusCode, string errorCode) =>
        new() { Kind = ConnectorResultKind.RecipientGone, StatusCode = statusCode, ErrorCode = errorCode, Attempts = 1 };

    public static SendResult ActivityNotFound() =>
        new() { Kind = ConnectorResultKind.ActivityNotFound, StatusCode = 404, ErrorCode = ConnectorErrorCodes.ActivityNotFoundInConversation, Attempts = 1 };

    public static SendResult Failed(int? statusCode, string? errorCode, bool retryable, string? reason = null) =>
        new() { Kind = ConnectorResultKind.Failed, StatusCode = statusCode, ErrorCode = errorCode, Retryable = retryable, Reason = reason, Attempts = statusCode is null ? 0 : 1 };
}

/// <summary>Result of <c>POST v3/conversations</c>.</summary>
public sealed record CreateConversationResult : ConnectorResult
{
    public CreateConversationResult()
    {
    }

    /// <summary>A result carrying <paramref name="outcome"/>'s classification (kind, status, codes, timings).</summary>
    public CreateConversationResult(ConnectorResult outcome)
        : base(outcome)
    {
    }

    /// <summary>The conversation id (for a 1:1 chat <c>a:…</c>): store and reuse it.</summary>
    public string? ConversationId { get; init; }

    /// <summary>Id of the activity posted with the create call, when one was included and the service posted it.</summary>
    public string? ActivityId { get; init; }

    /// <summary>A serviceUrl the connector suggests for this conversation, when it sent one.</summary>
    public string? ServiceUrl { get; init; }
}

/// <summary>Result of a read (one member, a page of members).</summary>
public sealed record ConnectorResult<T> : ConnectorResult
    where T : class
{
    public ConnectorResult()
    {
    }

    /// <summary>A result carrying <paramref name="outcome"/>'s classification (kind, status, codes, timings).</summary>
    public ConnectorResult(ConnectorResult outcome)
        : base(outcome)
    {
    }

    public T? Value { get; init; }
}

/// <summary>Error codes the connector uses that callers act on (bot-protocol.md §3.6). Compare ordinally.</summary>
public static class ConnectorErrorCodes
{
    public const string BadArgument = "BadArgument";
    public const string BotNotRegistered = "BotNotRegistered";
    public const string BotDisabledByAdmin = "BotDisabledByAdmin";
    public const string BotNotInConversationRoster = "BotNotInConversationRoster";
    public const string ConversationBlockedByUser = "ConversationBlockedByUser";
    public const string ForbiddenOperationException = "ForbiddenOperationException";
    public const string InvalidBotApiHost = "InvalidBotApiHost";
    public const string NotEnoughPermissions = "NotEnoughPermissions";
    public const string MessageWritesBlocked = "MessageWritesBlocked";
    public const string ActivityNotFoundInConversation = "ActivityNotFoundInConversation";
    public const string ConversationNotFound = "ConversationNotFound";
    public const string PreconditionFailed = "PreconditionFailed";
    public const string MessageSizeTooBig = "MessageSizeTooBig";
    public const string Throttled = "Throttled";
    public const string ServiceError = "ServiceError";
}
