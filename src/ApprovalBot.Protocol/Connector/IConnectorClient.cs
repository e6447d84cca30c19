using ApprovalBot.Protocol.Schema;

namespace ApprovalBot.Protocol.Connector;

/// <summary>
/// Outbound calls to the Bot Connector v3 REST API (bot-protocol.md §3.2). Every call goes through one throttle gate
/// and one retry pipeline, attaches the bot's token only to allow-listed hosts, and returns a classified result:
/// expected failures never throw, only the caller's cancellation does. <paramref name="serviceUrl"/> arguments are
/// the serviceUrl stored from an authenticated inbound activity (or the global proactive endpoint).
/// </summary>
public interface IConnectorClient
{
    /// <summary><c>POST v3/conversations/{conversationId}/activities</c>.</summary>
    Task<SendResult> SendToConversationAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken = default);

    /// <summary><c>POST v3/conversations/{conversationId}/activities/{replyToId}</c>; the body's <c>replyToId</c> is set when empty.</summary>
    Task<SendResult> ReplyToActivityAsync(string serviceUrl, string conversationId, string replyToId, Activity activity, CancellationToken cancellationToken = default);

    /// <summary><c>PUT v3/conversations/{conversationId}/activities/{activityId}</c>; the body's <c>id</c> is set to <paramref name="activityId"/>.</summary>
    Task<SendResult> UpdateActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken = default);

    /// <summary><c>POST v3/conversations</c> — for a proactive 1:1 chat, or a new channel thread.</summary>
    Task<CreateConversationResult> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken = default);

    /// <summary><c>GET v3/conversations/{conversationId}/members/{userId}</c>; <paramref name="userId"/> may be a <c>29:</c> id, UPN or Entra object id.</summary>
    Task<ConnectorResult<TeamsChannelAccount>> GetMemberAsync(string serviceUrl, string conversationId, string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>GET v3/conversations/{conversationId}/pagedmembers</c>; <paramref name="pageSize"/> is clamped to 50–500 as the
    /// service does (null leaves the service default); pass the previous page's continuation token to go on.
    /// </summary>
    Task<ConnectorResult<PagedMembersResult>> GetPagedMembersAsync(string serviceUrl, string conversationId, int? pageSize = null, string? continuationToken = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>GET v3/teams/{teamId}/conversations</c> — the channels of a team the bot is installed in (Teams only). The
    /// bot may post to each (send to conversation id = channel id, on the team's serviceUrl), whether or not it has
    /// received an activity from that channel.
    /// </summary>
    Task<ConnectorResult<ConversationList>> GetTeamChannelsAsync(string serviceUrl, string teamId, CancellationToken cancellationToken = default);
}

/// <summary>Names the host (and tests) use to configure the HTTP clients of the connector.</summary>
public static class ConnectorDefaults
{
    /// <summary>The <see cref="IHttpClientFactory"/> client for connector calls (no auto-redirect, no HttpClient timeout: the pipeline times attempts).</summary>
    public const string HttpClientName = "ApprovalBot.Connector";

    /// <summary>The <see cref="IHttpClientFactory"/> client MSAL uses for Entra ID and managed identity endpoints.</summary>
    public const string TokenHttpClientName = "ApprovalBot.Connector.Token";

    public const string CorrelationHeader = "X-Correlating-OperationId";

    public const int MinPageSize = 50;
    public const int MaxPageSize = 500;
}
