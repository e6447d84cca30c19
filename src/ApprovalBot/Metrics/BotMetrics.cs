using System.Diagnostics.Metrics;
using ApprovalBot.Protocol.Connector;
using ApprovalBot.Protocol.Diagnostics;
using ApprovalBot.Scheduling;
using ApprovalBot.Teams.Outbox;

namespace ApprovalBot.Metrics;

/// <summary>
/// The host's instruments on the bot's meter (the inbound ones are <see cref="ProtocolMetrics"/>): outbound sends by
/// classified result, the throttle gate's waits, timer lateness, and the gauges read from the database
/// (<see cref="MetricsGauges"/>: outbox depth and oldest age, armed timers, open escalations, approvals waiting).
/// docs/metrics.md lists every metric with its labels. Labels hold only values the bot defines (operation and result
/// names, timer kinds, support levels, SLA states, configured stage names) — never ids, names or text from people.
/// </summary>
public sealed class BotMetrics
{
    /// <summary>Bucket bounds (seconds) for timer lateness: 50 ms to 10 min (Quartz's idle wait and misfires are seconds to minutes).</summary>
    public static readonly IReadOnlyList<double> LatenessBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    private readonly Counter<long> _sends;
    private readonly Counter<long> _givenUp;
    private readonly Histogram<double> _lateness;

    public BotMetrics(IMeterFactory meterFactory, MetricsGauges gauges, ConnectorThrottleGate? gate = null)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(gauges);
        var meter = meterFactory.Create(ProtocolMetrics.MeterName);
        _sends = meter.CreateCounter<long>("approvalbot.outbound.sends", null,
            "Outbox sends to the Teams connector, by operation and classified result (one per attempt).");
        _givenUp = meter.CreateCounter<long>("approvalbot.outbox.given_up", null,
            "Outbox messages given up (the recipient is gone, the activity to update no longer exists, or the attempts ran out), by operation.");
        _lateness = meter.CreateHistogram("approvalbot.timer.lateness", "s",
            "How late durable timers fired after their deadline, by timer kind.", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatenessBuckets });

        if (gate is not null)
        {
            meter.CreateObservableCounter("approvalbot.throttle.waits", () => gate.WaitedRequests, null,
                "Outbound connector calls that had to wait in the throttle gate.");
            meter.CreateObservableCounter("approvalbot.throttle.wait", () => gate.TotalWaitTime.TotalSeconds, "s",
                "Time outbound connector calls spent waiting in the throttle gate.");
            meter.CreateObservableCounter("approvalbot.throttle.deferrals", () => gate.DeferredRequests, null,
                "Outbound connector calls the throttle gate turned away (the wait would have exceeded Connector:Throttle:MaxWait).");
        }

        meter.CreateObservableGauge("approvalbot.outbox.pending", () => gauges.Current is { } s ? [new Measurement<long>(s.OutboxPending)] : Array.Empty<Measurement<long>>(),
            null, "Outbox messages not yet sent or given up (due now, waiting for a retry, or waiting for their card's post).");
        meter.CreateObservableGauge("approvalbot.outbox.oldest_pending_age", () => gauges.Current is { } s ? [new Measurement<double>(s.OldestPendingAgeSeconds)] : Array.Empty<Measurement<double>>(),
            "s", "Age of the oldest pending outbox message (0 when none is pending).");
        meter.CreateObservableGauge("approvalbot.timers.armed",
            () => gauges.Current?.ArmedTimers.Select(kv => new Measurement<long>(kv.Value, new KeyValuePair<string, object?>("kind", kv.Key))) ?? [],
            null, "Durable timers armed in the scheduler's store, by kind.");
        meter.CreateObservableGauge("approvalbot.escalations.open",
            () => gauges.Current?.OpenEscalations.Select(e => new Measurement<long>(e.Count,
                new KeyValuePair<string, object?>("level", e.Level), new KeyValuePair<string, object?>("sla_state", e.SlaState))) ?? [],
            null, "Escalations not yet resolved or closed, by support level and SLA state.");
        meter.CreateObservableGauge("approvalbot.approvals.waiting",
            () => gauges.Current?.ApprovalsWaiting.Select(kv => new Measurement<long>(kv.Value, new KeyValuePair<string, object?>("stage", kv.Key))) ?? [],
            null, "Approval requests waiting for a decision, by the stage they are in.");
    }

    /// <summary>The outbox dispatcher classified one send.</summary>
    public void Sent(OutboxOperation operation, ConnectorResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _sends.Add(1, new KeyValuePair<string, object?>("operation", ProtocolMetrics.SnakeCase(operation.ToString())),
            new KeyValuePair<string, object?>("result", ResultLabel(result)));
    }

    /// <summary>The outbox gave a message up: it will not be sent unless an operator retries it (<c>/ops</c>).</summary>
    public void GivenUp(OutboxOperation operation) =>
        _givenUp.Add(1, new KeyValuePair<string, object?>("operation", ProtocolMetrics.SnakeCase(operation.ToString())));

    /// <summary>A durable timer fired (whatever its handler then does).</summary>
    public void TimerFired(TimerFire fire)
    {
        ArgumentNullException.ThrowIfNull(fire);
        _lateness.Record(Math.Max(0, fire.Lateness.TotalSeconds), new KeyValuePair<string, object?>("kind", fire.Kind));
    }

    /// <summary>sent, throttled, recipient_gone, activity_not_found, failed_transient or failed.</summary>
    public static string ResultLabel(ConnectorResult result) => result switch
    {
        null => throw new ArgumentNullException(nameof(result)),
        { Kind: ConnectorResultKind.Succeeded } => "sent",
        { Kind: ConnectorResultKind.Throttled } => "throttled",
        { Kind: ConnectorResultKind.RecipientGone } => "recipient_gone",
        { Kind: ConnectorResultKind.ActivityNotFound } => "activity_not_found",
        { Retryable: true } => "failed_transient",
        _ => "failed",
    };
}
