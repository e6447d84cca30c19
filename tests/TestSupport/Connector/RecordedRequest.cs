using System.Text.Json.Nodes;
using ApprovalBot.Protocol.Schema;

namespace ApprovalBot.TestSupport.Connector;

/// <summary>The Connector v3 operation a request addressed.</summary>
public enum FakeOperation
{
    Unknown,
    CreateConversation,
    SendToConversation,
    ReplyToActivity,
    UpdateActivity,
    DeleteActivity,
    GetMember,
    GetMembers,
    GetPagedMembers,

    /// <summary><c>GET v3/teams/{teamId}/conversations</c>; the request's <see cref="RecordedRequest.ConversationId"/> is the team id.</summary>
    GetTeamChannels,
}

/// <summary>One request the fake connector received, as it arrived.</summary>
public sealed class RecordedRequest
{
    private int _responseStatus;

    public required int Sequence { get; init; }
    public required string Method { get; init; }

    /// <summary>The request target exactly as sent, still percent-encoded (e.g. <c>/v3/conversations/a%3A1/activities</c>).</summary>
    public required string RawTarget { get; init; }

    /// <summary>The raw path (no query).</summary>
    public required string RawPath { get; init; }

    /// <summary>The query string without <c>?</c>, still encoded; empty when none.</summary>
    public required string RawQuery { get; init; }

    public required FakeOperation Operation { get; init; }

    /// <summary>Decoded conversation id from the path (for <see cref="FakeOperation.GetTeamChannels"/> the team id), or null.</summary>
    public string? ConversationId { get; init; }

    /// <summary>Decoded activity id from the path (reply/update/delete), or null.</summary>
    public string? ActivityId { get; init; }

    /// <summary>Decoded member id from the path (get member), or null.</summary>
    public string? MemberId { get; init; }

    /// <summary>The whole Authorization header, or null.</summary>
    public string? Authorization { get; init; }

    /// <summary>The bearer token from the Authorization header, or null.</summary>
    public string? BearerToken => Authorization is { } a && a.StartsWith("Bearer ", StringComparison.Ordinal) ? a["Bearer ".Length..] : null;

    public string? ContentType { get; init; }
    public required string Body { get; init; }

    /// <summary>The body parsed as an activity (send, reply, update), or null.</summary>
    public Activity? Activity { get; init; }

    /// <summary>The body parsed as JSON, for asserting fields the schema does not name.</summary>
    public JsonNode? Json { get; init; }

    /// <summary>The body parsed as conversation parameters (create), or null.</summary>
    public ConversationParameters? ConversationParameters { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The status the fake answered with (0 until it answered, or when the client gave up first).</summary>
    public int ResponseStatus
    {
        get => Volatile.Read(ref _responseStatus);
        internal set => Volatile.Write(ref _responseStatus, value);
    }

    public string? Query(string name)
    {
        foreach (var pair in RawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var i = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(i < 0 ? pair : pair[..i]);
            if (string.Equals(key, name, StringComparison.Ordinal)) return i < 0 ? string.Empty : Uri.UnescapeDataString(pair[(i + 1)..]);
        }
        return null;
    }

    public override string ToString() => $"#{Sequence} {Method} {RawTarget} → {ResponseStatus}";
}

/// <summary>A message the bot posted, as it stands now (after updates), for assertions like "updated in place".</summary>
public sealed record FakeMessage(
    string ConversationId,
    string ActivityId,
    string? ReplyToId,
    Activity Current,
    IReadOnlyList<Activity> Versions,
    bool Deleted,
    DateTimeOffset PostedAt)
{
    public int UpdateCount => Versions.Count - 1;
}
