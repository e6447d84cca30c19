using System.Text.Json;
using System.Text.Json.Serialization;

namespace ApprovalBot.Protocol.Schema;

/// <summary>Response of send / reply / update (bot-protocol.md §3.2).</summary>
public sealed class ResourceResponse
{
    [JsonPropertyName("id")] public string? Id { get; set; }
}

/// <summary>Body of <c>POST /v3/conversations</c> (bot-protocol.md §3.3).</summary>
public sealed class ConversationParameters
{
    [JsonPropertyName("isGroup")] public bool? IsGroup { get; set; }
    [JsonPropertyName("bot")] public ChannelAccount? Bot { get; set; }
    [JsonPropertyName("members")] public IList<ChannelAccount>? Members { get; set; }
    [JsonPropertyName("topicName")] public string? TopicName { get; set; }
    [JsonPropertyName("tenantId")] public string? TenantId { get; set; }
    [JsonPropertyName("activity")] public Activity? Activity { get; set; }
    [JsonPropertyName("channelData")] public TeamsChannelData? ChannelData { get; set; }
}

public sealed class ConversationResourceResponse
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("activityId")] public string? ActivityId { get; set; }
    [JsonPropertyName("serviceUrl")] public string? ServiceUrl { get; set; }
}

/// <summary>A roster entry. Rosters say <c>objectId</c> where activities say <c>aadObjectId</c>.</summary>
public sealed class TeamsChannelAccount
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("aadObjectId")] public string? AadObjectId { get; set; }
    [JsonPropertyName("objectId")] public string? ObjectId { get; set; }
    [JsonPropertyName("givenName")] public string? GivenName { get; set; }
    [JsonPropertyName("surname")] public string? Surname { get; set; }
    [JsonPropertyName("email")] public string? Email { get; set; }
    [JsonPropertyName("userPrincipalName")] public string? UserPrincipalName { get; set; }
    [JsonPropertyName("tenantId")] public string? TenantId { get; set; }
    [JsonPropertyName("userRole")] public string? UserRole { get; set; }
    [JsonExtensionData] public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }

    /// <summary>The Entra object id, whichever field carried it.</summary>
    [JsonIgnore] public string? EntraObjectId => ObjectId ?? AadObjectId;
}

public sealed class PagedMembersResult
{
    [JsonPropertyName("continuationToken")] public string? ContinuationToken { get; set; }
    [JsonPropertyName("members")] public IList<TeamsChannelAccount>? Members { get; set; }
}

/// <summary>
/// Response of <c>GET /v3/teams/{teamId}/conversations</c> (bot-protocol.md §3.2): the team's channels the bot may post
/// to. The General channel's id equals the team id and its name is absent or null.
/// </summary>
public sealed class ConversationList
{
    [JsonPropertyName("conversations")] public IList<ChannelInfo>? Conversations { get; set; }
}

/// <summary><c>ErrorResponse</c> carried by 4xx/5xx connector answers (bot-protocol.md §3.2).</summary>
public sealed class ErrorResponse
{
    [JsonPropertyName("error")] public ErrorBody? Error { get; set; }
}

public sealed class ErrorBody
{
    [JsonPropertyName("code")] public string? Code { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    [JsonPropertyName("innerHttpError")] public InnerHttpError? InnerHttpError { get; set; }
    [JsonExtensionData] public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The upstream answer a connector error may wrap (<c>error.innerHttpError</c>).</summary>
public sealed class InnerHttpError
{
    [JsonPropertyName("statusCode")] public int? StatusCode { get; set; }
    [JsonPropertyName("body")] public JsonElement? Body { get; set; }
}
