using Stopwatch = System.Diagnostics.Stopwatch;
using System.Diagnostics.Metrics;
using System.Text;
using ApprovalBot.Protocol.Auth;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;

namespace ApprovalBot.Protocol.Diagnostics;

/// <summary>
/// The inbound instruments of the bot's meter (<see cref="MeterName"/>): activities received by type and outcome, refused
/// requests by auth failure reason, and how long commands and card actions take. Created through the host's
/// <see cref="IMeterFactory"/> (so each host's numbers are its own), registered by the host's metrics module; the endpoint
/// and the pipeline find it as an optional service and record nothing without it.
/// Labels carry only bounded values the bot defines: activity types Teams uses, registered command names and card verbs
/// (anything else is <c>other</c>), and <see cref="AuthFailureReason"/> names — never ids, names or text from a person.
/// </summary>
public sealed class ProtocolMetrics
{
    /// <summary>The one meter of the bot; the host's other instruments use the same name (the factory returns one meter).</summary>
    public const string MeterName = "ApprovalBot";

    /// <summary>Bucket bounds (seconds) for request latencies: 5 ms to 10 s.</summary>
    public static readonly IReadOnlyList<double> LatencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>Activity types recorded by name; anything else is <c>other</c>.</summary>
    private static readonly HashSet<string> KnownTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ActivityTypes.Message, ActivityTypes.Invoke, ActivityTypes.ConversationUpdate, ActivityTypes.InstallationUpdate,
        "messageReaction", "messageUpdate", "messageDelete", "typing", "event", "endOfConversation",
    };

    private readonly Counter<long> _received;
    private readonly Counter<long> _authFailures;
    private readonly Counter<long> _unreadable;
    private readonly Histogram<double> _commandDuration;
    private readonly Histogram<double> _cardActionDuration;
    private readonly ActivityRouteTable _routes;

    public ProtocolMetrics(IMeterFactory meterFactory, ActivityRouteTable routes)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _routes = routes;
        var meter = meterFactory.Create(MeterName);
        _received = meter.CreateCounter<long>("approvalbot.activities.received", null,
            "Activities received on /api/messages, by activity type and what became of them.");
        _authFailures = meter.CreateCounter<long>("approvalbot.auth.failures", null,
            "Requests to /api/messages refused by authentication, by reason.");
        _unreadable = meter.CreateCounter<long>("approvalbot.requests.unreadable", null,
            "Requests to /api/messages refused before an activity could be read from them (no activity type to count them under), by reason.");
        var latency = new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets };
        _commandDuration = meter.CreateHistogram("approvalbot.command.duration", "s",
            "Time to handle a typed command, from routing to its reply staged, by command and outcome.", tags: null, advice: latency);
        _cardActionDuration = meter.CreateHistogram("approvalbot.card_action.duration", "s",
            "Time to handle a card button (Action.Execute), from routing to the invoke response, by verb and outcome.", tags: null, advice: latency);
    }

    /// <summary>The request was refused before it reached the pipeline (authentication): counts the reason and the activity.</summary>
    public void AuthFailed(Activity activity, AuthFailureReason reason)
    {
        ArgumentNullException.ThrowIfNull(activity);
        _authFailures.Add(1, new KeyValuePair<string, object?>("reason", SnakeCase(reason.ToString())));
        Received(activity, ActivityOutcomes.Unauthorized);
    }

    /// <summary>
    /// The request was refused before it held a readable activity: <see cref="UnreadableReasons"/> (not JSON, too large,
    /// malformed, no type). Counted apart from the activities, which are labelled by a type these requests do not have.
    /// </summary>
    public void Unreadable(string reason) => _unreadable.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>The request was refused as malformed or unsupported after its type was known.</summary>
    public void Rejected(Activity activity) => Received(activity, ActivityOutcomes.Rejected);

    /// <summary>Starts timing one authenticated activity through the pipeline; dispose the result when it is done.</summary>
    public TurnObservation BeginTurn(Activity activity) => new(this, activity);

    private void Received(Activity activity, string outcome) =>
        _received.Add(1, new KeyValuePair<string, object?>("type", TypeLabel(activity.Type)), new KeyValuePair<string, object?>("outcome", outcome));

    internal void Complete(TurnObservation turn, TimeSpan elapsed)
    {
        Received(turn.Activity, turn.Outcome);
        if (turn.Command is { } command)
            _commandDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("command", command), new KeyValuePair<string, object?>("outcome", turn.Outcome));
        else if (turn.Verb is { } verb)
            _cardActionDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("verb", verb), new KeyValuePair<string, object?>("outcome", turn.Outcome));
    }

    /// <summary>A registered command or verb as its label (lower case); <c>other</c> for anything not registered.</summary>
    internal string RouteLabel(RouteKind kind, string? name) =>
        name is not null && _routes.Find(kind, name) is not null ? name.ToLowerInvariant() : "other";

    private static string TypeLabel(string? type) =>
        type is not null && KnownTypes.Contains(type) ? SnakeCase(type) : "other";

    /// <summary><c>TokenExpired</c> → <c>token_expired</c>, <c>conversationUpdate</c> → <c>conversation_update</c>.</summary>
    public static string SnakeCase(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && name[i - 1] != '_') sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}

/// <summary>The <c>outcome</c> label of <c>approvalbot_activities_received_total</c> and the latency histograms.</summary>
/// <summary>The <c>reason</c> label of <c>approvalbot_requests_unreadable_total</c>.</summary>
public static class UnreadableReasons
{
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string PayloadTooLarge = "payload_too_large";
    public const string Malformed = "malformed";
    public const string NoType = "no_type";
}

public static class ActivityOutcomes
{
    /// <summary>A handler ran and its work was committed.</summary>
    public const string Handled = "handled";

    /// <summary>No handler for it (an event the bot ignores, an unknown card button, a bare activity).</summary>
    public const string Unrouted = "unrouted";

    /// <summary>A redelivery of an activity already processed: nothing done again.</summary>
    public const string Duplicate = "duplicate";

    /// <summary>The sender was over the per-user rate: refused, nothing done.</summary>
    public const string Throttled = "throttled";

    /// <summary>Something the bot depends on was down; the user was told to try later.</summary>
    public const string Outage = "outage";

    /// <summary>The handler threw (answered 500, or 503 when transient).</summary>
    public const string Failed = "failed";

    /// <summary>The caller went away before the answer.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>Refused by authentication (see <c>approvalbot_auth_failures_total</c> for the reason).</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>Refused as malformed or unsupported (4xx) after authentication.</summary>
    public const string Rejected = "rejected";
}

/// <summary>One activity on its way through the pipeline: the pipeline sets what became of it; disposing records it.</summary>
public sealed class TurnObservation : IDisposable
{
    private readonly ProtocolMetrics _metrics;
    private readonly long _started = Stopwatch.GetTimestamp();
    private bool _done;

    internal TurnObservation(ProtocolMetrics metrics, Activity activity)
    {
        _metrics = metrics;
        Activity = activity;
    }

    internal Activity Activity { get; }

    /// <summary>One of <see cref="ActivityOutcomes"/>; <see cref="ActivityOutcomes.Handled"/> unless the pipeline says otherwise.</summary>
    public string Outcome { get; set; } = ActivityOutcomes.Handled;

    internal string? Command { get; private set; }

    internal string? Verb { get; private set; }

    /// <summary>The turn is a command or a card action: its latency is recorded under the registered name.</summary>
    public void Routed(TurnContext turn)
    {
        ArgumentNullException.ThrowIfNull(turn);
        if (turn.Command is not null) Command = _metrics.RouteLabel(RouteKind.Command, turn.Command.Name);
        else if (turn.CardAction?.Action?.Verb is { } verb) Verb = _metrics.RouteLabel(RouteKind.CardAction, verb);
    }

    /// <summary>The pipeline threw: a cancellation is <see cref="ActivityOutcomes.Cancelled"/>, anything else failed.</summary>
    public void Threw(Exception exception) =>
        Outcome = exception is OperationCanceledException ? ActivityOutcomes.Cancelled : ActivityOutcomes.Failed;

    public void Dispose()
    {
        if (_done) return;
        _done = true;
        _metrics.Complete(this, Stopwatch.GetElapsedTime(_started));
    }
}
