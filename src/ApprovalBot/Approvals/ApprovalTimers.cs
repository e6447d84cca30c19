using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.OrgDirectory;
using ApprovalBot.Scheduling;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Approvals;

/// <summary>
/// Arms a request's next durable timer (its next reminder, else its due time) with its <see cref="ApprovalRequest.Version"/>
/// as the fencing token, or cancels it when nothing is left to wait for. Call only after the change committed (rule 8).
/// </summary>
public sealed class ApprovalTimers(DurableTimers timers)
{
    public const string Kind = "approval";

    public async Task ArmAsync(ApprovalRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var subject = request.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (request.NextTimerAt is { } at)
            await timers.ArmAsync(Kind, subject, at, request.Version, cancellationToken);
        else
            await timers.CancelAsync(Kind, subject, cancellationToken);
    }
}

/// <summary>
/// A fired approval timer: reloads the request, and if the fencing token still matches sends the due reminder to the
/// approvers still waiting, or escalates an overdue stage (to each waiting approver's manager by default), records
/// that on the request, and arms the next timer after the commit. A late, repeated or superseded fire changes
/// nothing; a lost race with a click is retried from the reload.
/// </summary>
public sealed partial class ApprovalTimerHandler(
    BotDbContext db, ApprovalMessages messages, ApprovalTimers timers, IDirectory directory, ApprovalClock clock, ILogger<ApprovalTimerHandler> logger) : ITimerHandler
{
    private const int Attempts = 3;

    public async Task HandleAsync(TimerFire fire, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fire);
        if (!long.TryParse(fire.SubjectId, System.Globalization.CultureInfo.InvariantCulture, out var id)) return;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await HandleOnceAsync(id, fire, cancellationToken);
                return;
            }
            catch (DbUpdateConcurrencyException) when (attempt < Attempts)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task HandleOnceAsync(long id, TimerFire fire, CancellationToken cancellationToken)
    {
        var request = await db.WholeApprovalRequests.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (request is null) return;
        if (request.Version != fire.FencingToken)
        {
            // Superseded: the change that moved the version arms its own timer after its commit. Arm for the current
            // state anyway (idempotent), so that no interleaving of arming, auditing and firing can leave none armed.
            LogStale(logger, id, fire.FencingToken, request.Version);
            await timers.ArmAsync(request, cancellationToken);
            return;
        }

        var now = clock.Now;
        var token = request.Version;
        var seen = request.AuditTrail.Count;
        var changed = false;
        if (request.RemindersDue(now) is { } reminder)
        {
            foreach (var person in reminder.Remind)
                await messages.SendCardAsync(request, person, $"{ApprovalMessages.Subject(id)}:v{token}:reminder{reminder.Number}:to:{person.Value}", cancellationToken);
            changed = request.MarkReminded(token, reminder.Number, now) == TimerResult.Applied;
        }
        else if (request.EscalationDue(now) is { } escalation)
        {
            var notify = await EscalationTargetsAsync(escalation, cancellationToken);
            foreach (var person in notify)
                await messages.SendCardAsync(request, person, $"{ApprovalMessages.Subject(id)}:v{token}:escalation:to:{person.Value}", cancellationToken);
            changed = request.MarkEscalated(token, notify, now) == TimerResult.Applied;
            if (changed)
            {
                var waiting = await DescribeAsync(escalation.Waiting, cancellationToken);
                await messages.TellRequesterAsync(request, $"\u201c{request.Title}\u201d (#{id}) is overdue at stage {escalation.StageNumber}: still waiting for {waiting}. "
                    + (notify.Count > 0 ? $"I escalated it to {await DescribeAsync(notify, cancellationToken)}." : "Nobody to escalate to was found in the directory."),
                    $"{ApprovalMessages.Subject(id)}:v{token}:escalation:requester", cancellationToken);
            }
        }

        if (changed)
        {
            await messages.StageAsync(request, seen, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }
        await timers.ArmAsync(request, cancellationToken);
        LogFired(logger, id, changed, fire.Lateness.TotalMilliseconds);
    }

    /// <summary>Who an overdue stage goes to: the rule's people or group, or each waiting approver's manager.</summary>
    private async Task<IReadOnlyList<PersonId>> EscalationTargetsAsync(EscalationDue due, CancellationToken cancellationToken)
    {
        var result = new List<PersonId>();
        switch (due.Target.Kind)
        {
            case EscalationTargetKind.People:
                result.AddRange(due.Target.PersonIds);
                break;
            case EscalationTargetKind.Group:
                result.AddRange((await directory.GetGroupMembersAsync(due.Target.GroupName!, cancellationToken) ?? []).Select(p => p.Id));
                break;
            default:
                foreach (var person in due.Waiting)
                {
                    if (await directory.GetManagerAsync(person, cancellationToken) is { } manager)
                        result.Add(manager.Id);
                }
                break;
        }
        return [.. result.Distinct().Where(p => !due.Waiting.Contains(p))];
    }

    private async Task<string> DescribeAsync(IEnumerable<PersonId> people, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        foreach (var person in people)
            names.Add((await directory.GetPersonAsync(person, cancellationToken))?.DisplayName ?? person.Value);
        return string.Join(", ", names);
    }

    [LoggerMessage(EventId = 4010, Level = LogLevel.Debug, Message = "Approval timer for request {RequestId} is stale (token {Token}, request at {Version})")]
    private static partial void LogStale(ILogger logger, long requestId, long token, long version);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Information, Message = "Approval timer for request {RequestId} fired (changed: {Changed}, late by {LatenessMs} ms)")]
    private static partial void LogFired(ILogger logger, long requestId, bool changed, double latenessMs);
}

/// <summary>
/// The auditor (rule 8): at start-up and then every <see cref="Every"/>, every request waiting for a timer whose trigger
/// is missing or armed with another fencing token is re-armed (a crash between a commit and its arming), and every
/// Blocked request tries again to start its stage (the directory may have been fixed, or be answering again, since).
/// </summary>
public sealed partial class ApprovalTimerAuditor(IServiceScopeFactory scopes, DurableTimers timers, TimeProvider time, ILogger<ApprovalTimerAuditor> logger, IHostApplicationLifetime lifetime)
    : PeriodicWork(time, logger, lifetime)
{
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(10);

    /// <summary>One pass; returns how many requests were re-armed.</summary>
    public async Task<int> AuditAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var pending = db.WholeApprovalRequests.AsNoTracking().Where(r => r.Status == ApprovalStatus.InProgress);
        var rearmed = await TimerAudit.RearmStaleAsync(
            timers, ApprovalTimers.Kind,
            (after, ct) => pending.Where(r => r.Id > after).OrderBy(r => r.Id).Take(TimerAudit.PageSize).ToListAsync(ct),
            (ids, ct) => pending.Where(r => ids.Contains(r.Id)).ToListAsync(ct),
            r => r.Id, r => (r.NextTimerAt, r.Version), cancellationToken);
        if (rearmed > 0) LogRearmed(logger, rearmed);
        return rearmed + await RetryBlockedAsync(cancellationToken);
    }

    /// <summary>Tries to start the stage of every Blocked request again; returns how many started.</summary>
    public async Task<int> RetryBlockedAsync(CancellationToken cancellationToken)
    {
        List<long> blocked;
        await using (var scope = scopes.CreateAsyncScope())
        {
            blocked = await scope.ServiceProvider.GetRequiredService<BotDbContext>().ApprovalRequests.AsNoTracking()
                .Where(r => r.Status == ApprovalStatus.Blocked).OrderBy(r => r.Id).Select(r => r.Id).Take(500).ToListAsync(cancellationToken);
        }

        var started = 0;
        foreach (var id in blocked)
        {
            await using var scope = scopes.CreateAsyncScope();
            var services = scope.ServiceProvider;
            var db = services.GetRequiredService<BotDbContext>();
            var clock = services.GetRequiredService<ApprovalClock>();
            try
            {
                var request = await db.WholeApprovalRequests.FirstOrDefaultAsync(r => r.Id == id && r.Status == ApprovalStatus.Blocked, cancellationToken);
                if (request is null) continue;
                var seen = request.AuditTrail.Count;
                var (reason, wasWaitingForDirectory) = (request.BlockedReason, request.IsWaitingForDirectory);
                var start = await request.RetryBlockedStageAsync(services.GetRequiredService<IApproverResolver>(), clock.Calendar, clock.Now, cancellationToken);
                // Still blocked: nothing to record, unless it waited for the directory, which now answers, and the stage
                // still cannot start (something to fix now): record that, so the requester hears it. A blocked request
                // that meets an outage keeps its reason (the fix is still needed).
                if (start || (wasWaitingForDirectory && !request.IsWaitingForDirectory && request.BlockedReason != reason))
                {
                    await services.GetRequiredService<ApprovalMessages>().StageAsync(request, seen, cancellationToken);
                    await db.SaveChangesAsync(cancellationToken);
                }
                if (!start && request.IsWaitingForDirectory)
                    break; // the directory is not answering: try the rest on the next pass
                if (!start) continue;
                await services.GetRequiredService<ApprovalTimers>().ArmAsync(request, cancellationToken);
                started++;
            }
            catch (DbUpdateConcurrencyException)
            {
                // Someone else changed it meanwhile; the next pass looks again.
            }
            catch (DirectoryUnavailableException)
            {
                break; // the directory went down while the messages were staged: try the rest on the next pass
            }
        }
        if (started > 0) LogUnblocked(logger, started);
        return started;
    }

    protected override TimeSpan Interval => Every;

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => AuditAsync(cancellationToken);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "Re-armed {Count} approval timer(s) that were missing or stale")]
    private static partial void LogRearmed(ILogger logger, int count);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Information, Message = "Started the waiting stage of {Count} blocked approval request(s)")]
    private static partial void LogUnblocked(ILogger logger, int count);

}
