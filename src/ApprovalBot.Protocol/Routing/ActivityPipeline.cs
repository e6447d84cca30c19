using System.Security.Claims;
using System.Text.Json;
using ApprovalBot.Protocol.Diagnostics;
using ApprovalBot.Protocol.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApprovalBot.Protocol.Routing;

/// <summary>
/// What happens to an authenticated activity: redelivery check, observers, route lookup, the handler, commit.
/// Scoped: it runs inside the request's service scope so handlers share one unit of work.
/// </summary>
public sealed partial class ActivityPipeline(
    IServiceProvider services,
    ActivityRouteTable routes,
    IEnumerable<IInboundActivityObserver> observers,
    ILogger<ActivityPipeline> logger,
    IInboundActivityLog? activityLog = null,
    UserTurnLimiter? limiter = null,
    IThrottledTurnReply? throttledReply = null,
    ITurnOutageReply? outageReply = null,
    ProtocolMetrics? metrics = null)
{
    public async ValueTask<InvokeResponse?> ProcessAsync(Activity activity, ClaimsIdentity identity, CancellationToken cancellationToken)
    {
        using var observed = metrics?.BeginTurn(activity);
        try
        {
            return await ProcessTurnAsync(activity, identity, observed, cancellationToken);
        }
        catch (Exception ex)
        {
            observed?.Threw(ex);
            throw;
        }
    }

    private async ValueTask<InvokeResponse?> ProcessTurnAsync(Activity activity, ClaimsIdentity identity, TurnObservation? observed, CancellationToken cancellationToken)
    {
        var isInvoke = activity.IsType(ActivityTypes.Invoke);
        var deduplicate = activityLog is not null && !string.IsNullOrEmpty(activity.Id);
        if (deduplicate && !await activityLog!.BeginAsync(activity, cancellationToken))
        {
            LogDuplicate(logger, activity.Type, activity.Id);
            observed?.Outcome = ActivityOutcomes.Duplicate;
            return isInvoke ? InvokeResponse.Message("This action was already received.") : null;
        }

        var (turn, early) = BuildTurn(activity, identity);
        if (early is not null) observed?.Outcome = ActivityOutcomes.Rejected;
        foreach (var observer in observers)
            await observer.OnActivityAsync(turn, cancellationToken);

        var response = early;
        if (response is null && IsUserTurn(turn) && limiter is not null && UserTurnLimiter.UserOf(activity) is { } user
            && limiter.Admit(user) is { Admitted: false } refusal)
        {
            LogThrottled(logger, activity.Type, user, refusal.RetryAfter.TotalSeconds);
            observed?.Outcome = ActivityOutcomes.Throttled;
            var wait = $"You are sending requests faster than I take them; nothing was done. Try again in {refusal.RetryAfter.TotalSeconds:0} s.";
            if (isInvoke) response = InvokeResponse.Message(wait);
            else if (refusal.FirstRefusal && throttledReply is not null) await throttledReply.ReplyAsync(turn, refusal.RetryAfter, cancellationToken);
        }
        else if (response is null)
        {
            var handlerType = Resolve(turn, out var unrouted);
            if (handlerType is not null)
            {
                var handler = (IActivityHandler)services.GetRequiredService(handlerType);
                observed?.Routed(turn);
                try
                {
                    response = await handler.HandleAsync(turn, cancellationToken);
                }
                catch (Exception ex) when (outageReply?.MessageFor(ex) is not null)
                {
                    // Something the bot depends on is down for a while: say so plainly instead of an error. The handler's
                    // unsaved changes are dropped, so nothing half-done is committed with the reply.
                    var text = outageReply.MessageFor(ex)!;
                    LogOutage(logger, activity.Type, activity.Name, ex.GetType().Name, ex.Message);
                    observed?.Outcome = ActivityOutcomes.Outage;
                    await outageReply.AbandonAsync(turn, text, reply: !isInvoke, cancellationToken);
                    response = isInvoke ? InvokeResponse.Message(text) : null;
                }
            }
            else
            {
                response = unrouted;
                LogUnrouted(logger, activity.Type, activity.Name);
                observed?.Outcome = ActivityOutcomes.Unrouted;
            }
        }

        if (isInvoke) response ??= new InvokeResponse(200, null);
        else response = null;

        if (deduplicate && !await activityLog!.CompleteAsync(activity, cancellationToken))
        {
            LogDuplicate(logger, activity.Type, activity.Id);
            observed?.Outcome = ActivityOutcomes.Duplicate;
            return isInvoke ? InvokeResponse.Message("This action was already received.") : null;
        }
        return response;
    }

    /// <summary>What a person asked for — a command or a card action — as opposed to what Teams tells the bot.</summary>
    private static bool IsUserTurn(TurnContext turn) => turn.Command is not null || turn.CardAction is not null;

    private static (TurnContext Turn, InvokeResponse? Early) BuildTurn(Activity activity, ClaimsIdentity identity)
    {
        if (activity.IsType(ActivityTypes.Message))
        {
            var text = MentionText.StripBotMention(activity);
            var command = CommandLine.Parse(text);
            // A bare @mention (or an empty message) asks what the bot can do.
            if (command is null && !string.IsNullOrWhiteSpace(activity.Text))
                command = CommandLine.Parse("help");
            return (new TurnContext { Activity = activity, Identity = identity, Command = command }, null);
        }

        if (activity.IsType(ActivityTypes.Invoke) && string.Equals(activity.Name, InvokeNames.AdaptiveCardAction, StringComparison.Ordinal))
        {
            AdaptiveCardInvokeValue? value = null;
            try
            {
                value = activity.Value?.Deserialize<AdaptiveCardInvokeValue>(ProtocolJson.Options);
            }
            catch (JsonException)
            {
            }
            catch (InvalidOperationException)
            {
            }
            var turn = new TurnContext { Activity = activity, Identity = identity, CardAction = value };
            if (value?.Action is null)
                return (turn, InvokeResponse.Error(400, "BadRequest", "The card action has no action."));
            if (!string.Equals(value.Action.Type, "Action.Execute", StringComparison.Ordinal))
                return (turn, InvokeResponse.Error(400, "NotSupported", $"Card actions of type '{value.Action.Type}' are not supported."));
            if (string.IsNullOrWhiteSpace(value.Action.Verb))
                return (turn, InvokeResponse.Error(400, "BadRequest", "The card action has no verb."));
            return (turn, null);
        }

        return (new TurnContext { Activity = activity, Identity = identity }, null);
    }

    private Type? Resolve(TurnContext turn, out InvokeResponse? unrouted)
    {
        unrouted = null;
        var activity = turn.Activity;
        if (activity.IsType(ActivityTypes.Message))
        {
            if (turn.Command is null) return null;
            return routes.Find(RouteKind.Command, turn.Command.Name) ?? routes.UnknownCommandHandler;
        }
        if (activity.IsType(ActivityTypes.Invoke))
        {
            if (turn.CardAction?.Action is { } action)
            {
                var handler = routes.Find(RouteKind.CardAction, action.Verb);
                if (handler is null)
                    unrouted = InvokeResponse.Error(400, "UnknownAction", "This card's button is not supported any more. Send 'help' to see what I can do.");
                return handler;
            }
            var invokeHandler = routes.Find(RouteKind.Invoke, activity.Name);
            if (invokeHandler is null)
                unrouted = InvokeResponse.Error(501, "NotImplemented", "This kind of request is not supported by this bot.");
            return invokeHandler;
        }
        return routes.Find(RouteKind.ActivityType, activity.Type);
    }

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "Ignored a redelivered {ActivityType} activity {ActivityId}")]
    private static partial void LogDuplicate(ILogger logger, string? activityType, string? activityId);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Information, Message = "Refused a {ActivityType} activity from {User}: over the per-user rate, admitted again in {RetryAfterSeconds} s")]
    private static partial void LogThrottled(ILogger logger, string? activityType, string user, double retryAfterSeconds);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Warning, Message = "A {ActivityType} activity (name {Name}) met an outage ({Exception}: {Reason}); the user was told to try again later")]
    private static partial void LogOutage(ILogger logger, string? activityType, string? name, string exception, string reason);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Debug, Message = "No route for a {ActivityType} activity (name {Name})")]
    private static partial void LogUnrouted(ILogger logger, string? activityType, string? name);
}
