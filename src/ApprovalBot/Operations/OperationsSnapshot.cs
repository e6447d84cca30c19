namespace ApprovalBot.Operations;

/// <summary>
/// Everything <c>/ops</c> shows, as <c>GET /api/v1/ops</c> returns it: the timers, the outbox, the instances, health,
/// and the latest operator actions. Instants are UTC.
/// </summary>
public sealed record OperationsSnapshot(
    DateTimeOffset At,
    string Instance,
    TimersView Timers,
    OutboxView Outbox,
    IReadOnlyList<InstanceView> Instances,
    IReadOnlyList<HealthView> Health,
    IReadOnlyList<AuditView> RecentActions);

/// <param name="Armed">Armed timers by kind: every kind the bot registers, none left out when it has no timer.</param>
/// <param name="NextDue">The next <see cref="ShowOperations.NextDueCount"/> to fire, soonest first.</param>
/// <param name="RecentFires">This instance's latest fires, newest first (in memory: see <see cref="TimerActivity"/>).</param>
/// <param name="Misfires">This instance's latest misfires, newest first.</param>
/// <param name="Failed">Timers whose last fire failed (every instance's), newest first.</param>
public sealed record TimersView(
    int Total,
    IReadOnlyList<KindCount> Armed,
    IReadOnlyList<DueTimer> NextDue,
    IReadOnlyList<TimerFireRecord> RecentFires,
    IReadOnlyList<TimerMisfireRecord> Misfires,
    IReadOnlyList<FailedTimer> Failed,
    long FiredSinceStart,
    long MisfiredSinceStart);

/// <param name="InRetry">Of <paramref name="Armed"/>, those waiting to be fired again after a failure.</param>
public sealed record KindCount(string Kind, string Description, int Armed, int InRetry);

/// <param name="Label">What the subject is, in words (an escalation's priority and agreement, an approval's title), when known.</param>
/// <param name="RetryAttempt">0, or the retry this fire will be after failures.</param>
public sealed record DueTimer(string Kind, string SubjectId, string? Label, DateTimeOffset DueAt, int RetryAttempt);

/// <param name="Attempt">The failed fire's retry attempt (0: the first fire).</param>
/// <param name="Failures">Failed fires in a row.</param>
/// <param name="NextRetryAt">When Quartz fires it again; null when no trigger is left (the retries ran out, or it was cancelled).</param>
public sealed record FailedTimer(
    string Kind, string SubjectId, string? Label, int Attempt, int Failures, DateTimeOffset DueAt, DateTimeOffset FailedAt,
    string ErrorType, string Error, string Instance, DateTimeOffset? NextRetryAt, DateTimeOffset? RetriedAt, string? RetriedBy);

/// <param name="InRetry">Pending messages that failed at least once, next attempt soonest first (at most <see cref="ShowOperations.ListCount"/>).</param>
/// <param name="GivenUp">Given-up messages, newest first (at most <see cref="ShowOperations.ListCount"/>); Retry or Discard each.</param>
/// <param name="Sends">Batches (one fire's messages to many, e.g. a digest's period) with messages still pending.</param>
public sealed record OutboxView(
    int Pending, int InRetryCount, IReadOnlyList<OutboxEntry> InRetry, int GivenUpCount, IReadOnlyList<OutboxEntry> GivenUp,
    IReadOnlyList<LongSend> Sends, DateTimeOffset? OldestPendingSince);

/// <param name="CardSubject">What the message is about (<c>approval:12</c>, <c>digest:7</c>), when it carries a card.</param>
/// <param name="LastResult">The last attempt's classified result (Throttled, RecipientGone, Failed, …).</param>
public sealed record OutboxEntry(
    long Id, string Operation, string? CardSubject, string? Batch, int Attempts, DateTimeOffset NextAttemptAt, string? LastResult,
    string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt);

/// <param name="RatePerSecond">Messages completed per second since the first one was (null until two are).</param>
/// <param name="SecondsLeft">Pending messages at that rate (null while there is no rate).</param>
public sealed record LongSend(
    string Batch, string Label, int Total, int Sent, int Pending, int GivenUp, int Other, DateTimeOffset StagedAt,
    DateTimeOffset? FirstCompletedAt, DateTimeOffset? LastCompletedAt, double? RatePerSecond, double? SecondsLeft);

/// <param name="SchedulerCheckIn">The scheduler's last check-in to the clustered store (null when it is not clustered).</param>
/// <param name="SchedulerState">Alive, Overdue or Failed as Quartz judges the check-ins; Unknown for an instance only the bot's own table knows.</param>
/// <param name="LastSeenAt">The instance's own last check-in (<c>Operations:InstanceCheckInInterval</c>).</param>
public sealed record InstanceView(
    string InstanceId, bool Current, string? Version, string? Machine, DateTimeOffset? StartedAt, DateTimeOffset? LastSeenAt,
    DateTimeOffset? SchedulerCheckIn, string SchedulerState);

public sealed record HealthView(string Name, string Status, string? Description);

public sealed record AuditView(DateTimeOffset At, string Actor, string Action, string Target, string Outcome, string? Detail);
