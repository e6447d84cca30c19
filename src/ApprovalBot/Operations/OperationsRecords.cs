namespace ApprovalBot.Operations;

/// <summary>
/// One line of the operations audit trail (table <c>operations_audit</c>): an action taken on the operations page or its
/// API — who, what, on which target, when, and how it ended. Append-only: entries are created here and never changed.
/// The bot's other audit trails belong to an aggregate (an approval's, an escalation's timeline); an operator's retry of
/// a timer or an outbox message belongs to none, so it gets its own.
/// </summary>
public sealed class OperationsAuditEntry
{
    public const int MaxActorLength = 256;
    public const int MaxTargetLength = 256;
    public const int MaxDetailLength = 1024;

    private OperationsAuditEntry() { }

    public long Id { get; private set; }
    public DateTimeOffset At { get; private set; }
    public string Actor { get; private set; } = "";
    /// <summary>
    /// What was asked: <c>timer.retry</c>, <c>outbox.retry</c>, <c>outbox.discard</c>; also <c>privacy.export</c>,
    /// <c>privacy.erase</c> (the admin API, docs/privacy.md) and <c>retention.text</c> (housekeeping).
    /// </summary>
    public string Action { get; private set; } = "";
    /// <summary>What it was asked of: <c>timer escalation/42</c>, <c>outbox 17</c>.</summary>
    public string Target { get; private set; } = "";
    /// <summary><c>done</c>, or <c>refused</c> (the state did not allow it; nothing changed).</summary>
    public string Outcome { get; private set; } = "";
    public string? Detail { get; private set; }

    public static OperationsAuditEntry Record(DateTimeOffset at, string actor, string action, string target, bool done, string? detail)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        return new OperationsAuditEntry
        {
            At = at,
            Actor = Cut(actor, MaxActorLength),
            Action = action,
            Target = Cut(target, MaxTargetLength),
            Outcome = done ? "done" : "refused",
            Detail = detail is null ? null : Cut(detail, MaxDetailLength),
        };
    }

    internal static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}

/// <summary>
/// A durable timer whose handler threw (table <c>timer_failures</c>, one row per kind and subject): the last attempt's
/// error summary, kept in the database rather than in memory so every instance's page shows it, across restarts. Quartz
/// keeps the timer and fires it again under <c>Scheduling:FailedTimerRetryDelay</c>; the row goes when a later fire of the
/// timer succeeds. <see cref="RetriedAt"/>: an operator asked for a retry now.
/// </summary>
public sealed class TimerFailure
{
    public const int MaxKindLength = 150;
    public const int MaxSubjectLength = 150;
    public const int MaxErrorTypeLength = 256;
    public const int MaxErrorLength = 1024;
    public const int MaxInstanceLength = 200;

    private TimerFailure() { }

    public long Id { get; private set; }
    public string Kind { get; private set; } = "";
    public string SubjectId { get; private set; } = "";
    /// <summary>The failed fire's retry attempt as Quartz counts it: 0 for the first fire, n for the n-th retry.</summary>
    public int Attempt { get; private set; }
    /// <summary>How many fires of this timer failed in a row (on any instance).</summary>
    public int Failures { get; private set; }
    public DateTimeOffset DueAt { get; private set; }
    public DateTimeOffset FailedAt { get; private set; }
    public string ErrorType { get; private set; } = "";
    /// <summary>The first line of the exception's message (a summary; the log has the stack trace).</summary>
    public string Error { get; private set; } = "";
    public string Instance { get; private set; } = "";
    public DateTimeOffset? RetriedAt { get; private set; }
    public string? RetriedBy { get; private set; }

    public static TimerFailure Create(string kind, string subjectId, DateTimeOffset dueAt) => new()
    {
        Kind = Cut(kind, MaxKindLength),
        SubjectId = Cut(subjectId, MaxSubjectLength),
        DueAt = dueAt,
    };

    /// <summary>A fire of this timer failed (again): the newest attempt replaces the summary; an earlier retry request is answered.</summary>
    public void Failed(int attempt, DateTimeOffset dueAt, Exception exception, string instance, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Attempt = attempt;
        Failures++;
        DueAt = dueAt;
        FailedAt = at;
        ErrorType = Cut(exception.GetType().FullName ?? exception.GetType().Name, MaxErrorTypeLength);
        Error = Cut(FirstLine(exception.Message), MaxErrorLength);
        Instance = Cut(instance, MaxInstanceLength);
        RetriedAt = null;
        RetriedBy = null;
    }

    /// <summary>An operator asked for the timer to fire now.</summary>
    public void RetryRequested(string by, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        RetriedAt = at;
        RetriedBy = Cut(by, OperationsAuditEntry.MaxActorLength);
    }

    internal static string FirstLine(string text)
    {
        var line = text.AsSpan().TrimStart();
        var end = line.IndexOfAny('\r', '\n');
        return (end < 0 ? line : line[..end]).Trim().ToString();
    }

    private static string Cut(string text, int max) => OperationsAuditEntry.Cut(text, max);
}

/// <summary>
/// One running bot instance as it last said (table <c>bot_instances</c>, keyed by its scheduler instance id): its version
/// (the assembly's informational version), machine, when it started and last checked in. Quartz's own check-in (the
/// clustered store's scheduler state) says whether its scheduler is alive but not which build runs there.
/// </summary>
public sealed class BotInstance
{
    public const int MaxIdLength = 200;
    public const int MaxVersionLength = 128;
    public const int MaxMachineLength = 256;

    private BotInstance() { }

    public string InstanceId { get; private set; } = "";
    public string Version { get; private set; } = "";
    public string Machine { get; private set; } = "";
    public DateTimeOffset StartedAt { get; private set; }
    public DateTimeOffset LastSeenAt { get; private set; }

    public static BotInstance Start(string instanceId, string version, string machine, DateTimeOffset now) => new()
    {
        InstanceId = OperationsAuditEntry.Cut(instanceId, MaxIdLength),
        Version = OperationsAuditEntry.Cut(version, MaxVersionLength),
        Machine = OperationsAuditEntry.Cut(machine, MaxMachineLength),
        StartedAt = now,
        LastSeenAt = now,
    };

    /// <summary>This instance (re)started with the same scheduler instance id (SQLite: one unclustered instance).</summary>
    public void Restarted(string version, string machine, DateTimeOffset now)
    {
        Version = OperationsAuditEntry.Cut(version, MaxVersionLength);
        Machine = OperationsAuditEntry.Cut(machine, MaxMachineLength);
        StartedAt = now;
        LastSeenAt = now;
    }

    public void Seen(DateTimeOffset now) => LastSeenAt = now;
}
