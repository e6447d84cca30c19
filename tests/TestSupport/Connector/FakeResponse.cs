using System.Globalization;

namespace ApprovalBot.TestSupport.Connector;

/// <summary>What the fake connector does instead of its normal work for one scripted call.</summary>
public sealed record FakeResponse
{
    public int StatusCode { get; init; }

    /// <summary>Teams error code put in <c>{"error":{"code":…}}</c>; null for no error body.</summary>
    public string? ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }

    /// <summary>Body sent as-is instead of the error body.</summary>
    public string? RawBody { get; init; }

    /// <summary>Retry-After header value, verbatim (seconds or an HTTP date).</summary>
    public string? RetryAfter { get; init; }

    /// <summary>Wait this long (real time) before answering — longer than the client's attempt timeout simulates a hang.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>After <see cref="Delay"/>, do the normal work (record the message) instead of answering with the scripted status.</summary>
    public bool ThenProcessNormally { get; init; }

    public static FakeResponse Throttled(TimeSpan? retryAfter = null) => new()
    {
        StatusCode = 429, ErrorCode = "Throttled", ErrorMessage = "Too many requests", RetryAfter = Seconds(retryAfter),
    };

    public static FakeResponse ThrottledUntil(DateTimeOffset date) => new()
    {
        StatusCode = 429, ErrorCode = "Throttled", ErrorMessage = "Too many requests", RetryAfter = date.ToString("R", CultureInfo.InvariantCulture),
    };

    public static FakeResponse ServiceUnavailable(TimeSpan? retryAfter = null) => new() { StatusCode = 503, RetryAfter = Seconds(retryAfter) };

    public static FakeResponse BadGateway() => Error(502, "ServiceError", "Dependency failed");

    public static FakeResponse GatewayTimeout() => new() { StatusCode = 504 };

    public static FakeResponse PreconditionFailed() => Error(412, "PreconditionFailed", "Conflicting operation on the conversation");

    public static FakeResponse ConversationNotFound() => Error(404, "ConversationNotFound", "Conversation not found.");

    public static FakeResponse ActivityNotFound() => Error(404, "ActivityNotFoundInConversation", "Activity not found in conversation.");

    public static FakeResponse BlockedByUser() => Error(403, "ConversationBlockedByUser", "User blocked the conversation with the bot.");

    public static FakeResponse Forbidden(string code) => Error(403, code, "Forbidden");

    public static FakeResponse Unauthorized() => Error(401, "BotNotRegistered", "Authorization has been denied for this request.");

    public static FakeResponse Error(int statusCode, string? code = null, string? message = null) =>
        new() { StatusCode = statusCode, ErrorCode = code, ErrorMessage = message };

    /// <summary>Answer normally, but only after <paramref name="delay"/> (real time).</summary>
    public static FakeResponse Delayed(TimeSpan delay) => new() { StatusCode = 0, Delay = delay, ThenProcessNormally = true };

    private static string? Seconds(TimeSpan? value) =>
        value is { } v ? ((long)Math.Ceiling(v.TotalSeconds)).ToString(CultureInfo.InvariantCulture) : null;
}
