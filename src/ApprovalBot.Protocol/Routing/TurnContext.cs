using System.Security.Claims;
using ApprovalBot.Protocol.Schema;

namespace ApprovalBot.Protocol.Routing;

/// <summary>One authenticated inbound activity on its way to a handler.</summary>
public sealed class TurnContext
{
    public required Activity Activity { get; init; }
    public required ClaimsIdentity Identity { get; init; }

    /// <summary>For messages: the text with the bot's mention removed, parsed as a command (null when empty).</summary>
    public CommandLine? Command { get; init; }

    /// <summary>For <c>adaptiveCard/action</c> invokes: the parsed action.</summary>
    public AdaptiveCardInvokeValue? CardAction { get; init; }

    public string ConversationId => Activity.Conversation?.Id ?? "";
    public string ConversationType => Activity.Conversation?.ConversationType ?? ConversationTypes.Personal;
    public bool IsPersonal => string.Equals(ConversationType, ConversationTypes.Personal, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// A handler for one route. Handlers are resolved from the request's service scope, so they may take scoped
/// services (the DbContext). Return an invoke response for invokes; return null otherwise.
/// </summary>
public interface IActivityHandler
{
    ValueTask<InvokeResponse?> HandleAsync(TurnContext turn, CancellationToken cancellationToken);
}

/// <summary>Runs for every authenticated, first-time activity before it is routed (e.g. conversation capture).</summary>
public interface IInboundActivityObserver
{
    ValueTask OnActivityAsync(TurnContext turn, CancellationToken cancellationToken);
}

/// <summary>
/// Marks inbound activities as processed so that a redelivery (same conversation, same id) is processed once.
/// The host implements it on its database: <see cref="BeginAsync"/> says whether the activity is new and stages its
/// marker; <see cref="CompleteAsync"/> commits the marker together with everything the handler staged, and returns
/// false when a concurrent delivery of the same activity committed first (then nothing of this one is kept).
/// </summary>
public interface IInboundActivityLog
{
    ValueTask<bool> BeginAsync(Activity activity, CancellationToken cancellationToken);
    ValueTask<bool> CompleteAsync(Activity activity, CancellationToken cancellationToken);
}
