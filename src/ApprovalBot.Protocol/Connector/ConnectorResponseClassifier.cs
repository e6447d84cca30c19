using System.Net.Http.Headers;
using System.Text.Json;

namespace ApprovalBot.Protocol.Connector;

/// <summary>How one connector answer is to be treated (bot-protocol.md §3.6).</summary>
internal readonly record struct ErrorClassification(ConnectorResultKind Kind, bool Transient, string? ErrorCode, string? ErrorMessage);

/// <summary>Pure functions: status code + error body → result kind; Retry-After header → delay.</summary>
internal static class ConnectorResponseClassifier
{
    private static readonly string[] RecipientGoneOn403 =
    [
        ConnectorErrorCodes.ConversationBlockedByUser,
        ConnectorErrorCodes.BotNotInConversationRoster,
        ConnectorErrorCodes.MessageWritesBlocked,
        ConnectorErrorCodes.ForbiddenOperationException,
        ConnectorErrorCodes.BotDisabledByAdmin,
    ];

    /// <summary>412, 429, 502, 503 and 504 are worth retrying; nothing else is (400/401/413/500 included).</summary>
    public static bool IsTransientStatus(int status) => status is 412 or 429 or 502 or 503 or 504;

    public static ErrorClassification Classify(int status, string? body)
    {
        if (status is >= 200 and < 300) return new(ConnectorResultKind.Succeeded, false, null, null);

        var (code, subCode, message) = ReadError(body);
        if (status == 429) return new(ConnectorResultKind.Throttled, true, code ?? ConnectorErrorCodes.Throttled, message);
        if (IsTransientStatus(status)) return new(ConnectorResultKind.Failed, true, code, message);

        if (status == 403)
        {
            // MessageWritesBlocked arrives as a sub-code; wherever it is, it names the reason better than the code.
            var gone = RecipientGoneOn403.FirstOrDefault(c => Is(subCode, c))
                       ?? RecipientGoneOn403.FirstOrDefault(c => Is(code, c))
                       ?? (body is not null && body.Contains(ConnectorErrorCodes.MessageWritesBlocked, StringComparison.Ordinal)
                           ? ConnectorErrorCodes.MessageWritesBlocked
                           : null);
            if (gone is not null) return new(ConnectorResultKind.RecipientGone, false, gone, message);
        }
        if (status == 404)
        {
            if (Is(code, ConnectorErrorCodes.ConversationNotFound) || Is(subCode, ConnectorErrorCodes.ConversationNotFound))
                return new(ConnectorResultKind.RecipientGone, false, ConnectorErrorCodes.ConversationNotFound, message);
            if (Is(code, ConnectorErrorCodes.ActivityNotFoundInConversation) || Is(subCode, ConnectorErrorCodes.ActivityNotFoundInConversation))
                return new(ConnectorResultKind.ActivityNotFound, false, ConnectorErrorCodes.ActivityNotFoundInConversation, message);
        }
        return new(ConnectorResultKind.Failed, false, code ?? subCode, message);
    }

    /// <summary>Retry-After as delta-seconds or an HTTP date (relative to <paramref name="now"/>); never negative.</summary>
    public static TimeSpan? ParseRetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        if (header is null) return null;
        if (header.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header.Date is { } date) return date <= now ? TimeSpan.Zero : date - now;
        return null;
    }

    /// <summary>Reads <c>error.code</c>, a sub-code and <c>error.message</c>; tolerant of bodies that are not the documented shape.</summary>
    public static (string? Code, string? SubCode, string? Message) ReadError(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return (null, null, null);
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return (null, null, null);
            var root = doc.RootElement;
            var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? e : root;
            var code = String(error, "code");
            var message = String(error, "message");
            var subCode = String(error, "subCode") ?? String(root, "subCode");
            if (subCode is null && error.TryGetProperty("innerHttpError", out var inner) && inner.ValueKind == JsonValueKind.Object
                && inner.TryGetProperty("body", out var innerBody))
            {
                subCode = innerBody.ValueKind switch
                {
                    JsonValueKind.Object => String(innerBody, "subCode")
                        ?? (innerBody.TryGetProperty("error", out var ie) && ie.ValueKind == JsonValueKind.Object ? String(ie, "subCode") ?? String(ie, "code") : null),
                    _ => null,
                };
            }
            return (code, subCode, message);
        }
        catch (JsonException)
        {
            return (null, null, null);
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString())
            ? v.GetString()
            : null;

    private static bool Is(string? value, string expected) => string.Equals(value, expected, StringComparison.OrdinalIgnoreCase);
}
