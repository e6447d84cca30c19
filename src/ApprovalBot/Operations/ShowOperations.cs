using System.Globalization;
using ApprovalBot.Agreements.Signing;
using ApprovalBot.Agreements.Term;
using ApprovalBot.Approvals;
using ApprovalBot.Breaches;
using ApprovalBot.CommunicationPlans;
using ApprovalBot.Digests.Subscriptions;
using ApprovalBot.Escalations;
using ApprovalBot.Scheduling;
using ApprovalBot.Storage;
using ApprovalBot.Teams.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ApprovalBot.Operations;

/// <summary>
/// The operations page's read (<see cref="OperationsSnapshot"/>). Cheap on purpose, since the page reloads itself every
/// few seconds: the armed timers are counted by kind in one grouped query on Quartz's trigger table and the next due
/// read in one ordered, limited query (Quartz's listing API orders by group and name only); the outbox in a few counts
/// and short lists; labels for at most a page of subjects in one query per kind. Reads only.
/// </summary>
public sealed class ShowOperations(
    BotDbContext db, ScheduledTimers scheduled, TimerKinds kinds, TimerActivity activity, HealthCheckService health, TimeProvider time)
{
    public const int NextDueCount = 50;
    public const int ListCount = 50;
    public const int RecentActionCount = 20;
    private static readonly TimeSpan InstanceMemory = TimeSpan.FromDays(1);

    /// <summary>What each kind of timer does, for the page (kinds not listed here are shown by name).</summary>
    public static readonly IReadOnlyDictionary<string, string> KindDescriptions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [ApprovalTimers.Kind] = "Approval reminder or overdue escalation",
        [EscalationTimers.Kind] = "Escalation response deadline, resolution warning or breach",
        [DigestTimers.Kind] = "Digest delivery",
        [PlanTimers.UpdateKind] = "Communication plan: provider update due",
        [PlanTimers.ReviewKind] = "Communication plan: review reminder",
        [Housekeeping.Kind] = "Housekeeping (old rows)",
    };

    public async Task<OperationsSnapshot> HandleAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var timers = await TimersAsync(cancellationToken);
        var outbox = await OutboxAsync(now, cancellationToken);
        var instances = await InstancesAsync(now, cancellationToken);
        var report = await health.CheckHealthAsync(cancellationToken);
        var checks = report.Entries.Select(e => new HealthView(e.Key, e.Value.Status.ToString(), e.Value.Description)).ToList();
        var actions = await db.OperationsAudit.AsNoTracking().OrderByDescending(a => a.Id).Take(RecentActionCount)
            .Select(a => new AuditView(a.At, a.Actor, a.Action, a.Target, a.Outcome, a.Detail))
            .ToListAsync(cancellationToken);
        return new OperationsSnapshot(now, await scheduled.InstanceIdAsync(cancellationToken), timers, outbox, instances, checks, actions);
    }

    private async Task<TimersView> TimersAsync(CancellationToken cancellationToken)
    {
        var counts = await scheduled.CountByKindAsync(cancellationToken);
        var byKind = counts.ToDictionary(c => c.Kind, StringComparer.Ordinal);
        var armed = kinds.All.Concat(counts.Select(c => c.Kind)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(k => new KindCount(k, KindDescriptions.GetValueOrDefault(k) ?? k,
                byKind.TryGetValue(k, out var c) ? c.Armed : 0, byKind.TryGetValue(k, out var r) ? r.InRetry : 0))
            .ToList();
        var due = await scheduled.NextDueAsync(NextDueCount, cancellationToken);

        var failures = await db.TimerFailures.AsNoTracking().OrderByDescending(f => f.FailedAt).Take(ListCount).ToListAsync(cancellationToken);
        var nextFires = await scheduled.NextFireTimesAsync([.. failures.Select(f => (f.Kind, f.SubjectId))], cancellationToken);

        var labels = await LabelsAsync(due.Select(d => (d.Kind, d.SubjectId)).Concat(failures.Select(f => (f.Kind, f.SubjectId))), cancellationToken);
        return new TimersView(
            armed.Sum(a => a.Armed),
            armed,
            [.. due.Select(d => new DueTimer(d.Kind, d.SubjectId, labels.GetValueOrDefault((d.Kind, d.SubjectId)), d.DueAt, d.RetryAttempt))],
            activity.RecentFires,
            activity.RecentMisfires,
            [.. failures.Select(f => new FailedTimer(f.Kind, f.SubjectId, labels.GetValueOrDefault((f.Kind, f.SubjectId)), f.Attempt, f.Failures, f.DueAt, f.FailedAt,
                f.ErrorType, f.Error, f.Instance, nextFires.TryGetValue((f.Kind, f.SubjectId), out var next) ? next : null, f.RetriedAt, f.RetriedBy))],
            activity.FiredSinceStart,
            activity.MisfiredSinceStart);
    }

    /// <summary>Words for the subjects' ids, one query per kind: the agreement's name, an escalation's priority, an approval's title.</summary>
    private async Task<Dictionary<(string Kind, string SubjectId), string>> LabelsAsync(IEnumerable<(string Kind, string SubjectId)> subjects, CancellationToken cancellationToken)
    {
        var labels = new Dictionary<(string, string), string>();
        foreach (var group in subjects.Distinct().GroupBy(s => s.Kind, StringComparer.Ordinal))
        {
            var ids = group.Select(s => long.TryParse(s.SubjectId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : (long?)null)
                .OfType<long>().Distinct().ToList();
            if (ids.Count == 0) continue;
            var kind = group.Key;
            IEnumerable<(long Id, string Label)> found = kind switch
            {
                EscalationTimers.Kind => (await db.Escalations.AsNoTracking().Where(e => ids.Contains(e.Id))
                        .Select(e => new { e.Id, e.Priority, Agreement = db.Agreements.Where(a => a.Id == e.AgreementId).Select(a => a.Name).FirstOrDefault() })
                        .ToListAsync(cancellationToken))
                    .Select(e => (e.Id, $"Escalation #{e.Id} ({e.Priority}) · {e.Agreement}")),
                ApprovalTimers.Kind => (await db.ApprovalRequests.AsNoTracking().Where(r => ids.Contains(r.Id)).Select(r => new { r.Id, r.Title }).ToListAsync(cancellationToken))
                    .Select(r => (r.Id, $"Approval #{r.Id} · {r.Title}")),
                PlanTimers.UpdateKind => (await db.UpdateObligations.AsNoTracking().Where(o => ids.Contains(o.Id))
                        .Select(o => new { o.Id, Agreement = db.Agreements.Where(a => a.Id == o.AgreementId).Select(a => a.Name).FirstOrDefault() })
                        .ToListAsync(cancellationToken))
                    .Select(o => (o.Id, $"Provider update #{o.Id} · {o.Agreement}")),
                PlanTimers.ReviewKind => (await db.Agreements.AsNoTracking().Where(a => ids.Contains(a.Id)).Select(a => new { a.Id, a.Name }).ToListAsync(cancellationToken))
                    .Select(a => (a.Id, $"Plan review · {a.Name}")),
                DigestTimers.Kind => ids.Select(id => (id, $"Digest subscription #{id}")),
                TermTimers.Kind => (await db.Agreements.AsNoTracking().Where(a => ids.Contains(a.Id)).Select(a => new { a.Id, a.Name }).ToListAsync(cancellationToken))
                    .Select(a => (a.Id, $"Agreement term · {a.Name}")),
                BreachTimers.Kind => (await db.DataBreaches.AsNoTracking().Where(b => ids.Contains(b.Id)).Select(b => new { b.Id, b.AgreementName }).ToListAsync(cancellationToken))
                    .Select(b => (b.Id, $"Data breach B-{b.Id} · {b.AgreementName}")),
                SigningMeetingTimers.ReminderKind => (await db.SigningMeetings.AsNoTracking().Where(m => ids.Contains(m.Id)).Select(m => new { m.Id, m.AgreementName }).ToListAsync(cancellationToken))
                    .Select(m => (m.Id, $"Signing meeting reminder · {m.AgreementName}")),
                SigningMeetingTimers.CalendarKind => (await db.SigningMeetings.AsNoTracking().Where(m => ids.Contains(m.Id)).Select(m => new { m.Id, m.AgreementName }).ToListAsync(cancellationToken))
                    .Select(m => (m.Id, $"Signing meeting calendar event · {m.AgreementName}")),
                _ => [],
            };
            foreach (var (id, label) in found) labels[(kind, id.ToString(CultureInfo.InvariantCulture))] = label;
        }
        return labels;
    }

    private async Task<OutboxView> OutboxAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var pending = db.OutboxMessages.AsNoTracking().Where(m => m.Status == OutboxStatus.Pending);
        var pendingCount = await pending.CountAsync(cancellationToken);
        var oldest = pendingCount == 0 ? null : await pending.OrderBy(m => m.CreatedAt).Select(m => (DateTimeOffset?)m.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        var retrying = pending.Where(m => m.Attempts > 0);
        var inRetryCount = await retrying.CountAsync(cancellationToken);
        var inRetry = await retrying.OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id).Take(ListCount).Select(Entry).ToListAsync(cancellationToken);
        var givenUp = db.OutboxMessages.AsNoTracking().Where(m => m.Status == OutboxStatus.GivenUp);
        var givenUpCount = await givenUp.CountAsync(cancellationToken);
        var givenUpList = await givenUp.OrderByDescending(m => m.Id).Take(ListCount).Select(Entry).ToListAsync(cancellationToken);
        return new OutboxView(pendingCount, inRetryCount, inRetry, givenUpCount, givenUpList, await SendsAsync(now, cancellationToken), oldest);
    }

    private static readonly System.Linq.Expressions.Expression<Func<OutboxMessage, OutboxEntry>> Entry = m =>
        new OutboxEntry(m.Id, m.Operation.ToString(), m.CardSubject, m.Batch, m.Attempts, m.NextAttemptAt, m.LastResult, m.LastError, m.CreatedAt, m.CompletedAt);

    /// <summary>
    /// The batches with messages still pending, each counted in one grouped query: sent / total, and the rate since the
    /// first message of the batch completed, which gives the estimate of what is left.
    /// </summary>
    private async Task<IReadOnlyList<LongSend>> SendsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var open = await db.OutboxMessages.AsNoTracking().Where(m => m.Status == OutboxStatus.Pending && m.Batch != null)
            .Select(m => m.Batch!).Distinct().OrderBy(b => b).Take(ListCount).ToListAsync(cancellationToken);
        if (open.Count == 0) return [];
        var rows = await db.OutboxMessages.AsNoTracking().Where(m => m.Batch != null && open.Contains(m.Batch))
            .GroupBy(m => new { m.Batch, m.Status })
            .Select(g => new { g.Key.Batch, g.Key.Status, Count = g.Count(), Staged = g.Min(m => m.CreatedAt), First = g.Min(m => m.CompletedAt), Last = g.Max(m => m.CompletedAt) })
            .ToListAsync(cancellationToken);
        var sends = new List<LongSend>();
        foreach (var batch in rows.GroupBy(r => r.Batch!, StringComparer.Ordinal))
        {
            int Count(OutboxStatus status) => batch.Where(r => r.Status == status).Sum(r => r.Count);
            var total = batch.Sum(r => r.Count);
            var pending = Count(OutboxStatus.Pending);
            var done = total - pending;
            var first = batch.Where(r => r.First is not null).Select(r => r.First).Min();
            var last = batch.Where(r => r.Last is not null).Select(r => r.Last).Max();
            double? rate = null;
            double? left = null;
            if (first is { } f && done >= 2 && now > f)
            {
                rate = done / (now - f).TotalSeconds;
                left = rate > 0 ? pending / rate : null;
            }
            sends.Add(new LongSend(batch.Key, BatchLabel(batch.Key), total, Count(OutboxStatus.Sent), pending, Count(OutboxStatus.GivenUp),
                done - Count(OutboxStatus.Sent) - Count(OutboxStatus.GivenUp), batch.Min(r => r.Staged), first, last, rate, left));
        }
        return [.. sends.OrderBy(s => s.StagedAt)];
    }

    internal static string BatchLabel(string batch)
    {
        const string Digest = "digest:";
        if (batch.StartsWith(Digest, StringComparison.Ordinal)
            && long.TryParse(batch.AsSpan(Digest.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
            return "Digests due " + DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        return batch;
    }

    private async Task<IReadOnlyList<InstanceView>> InstancesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var nodes = await scheduled.NodesAsync(cancellationToken);
        var since = now - InstanceMemory;
        var known = await db.BotInstances.AsNoTracking().Where(i => i.LastSeenAt >= since).ToListAsync(cancellationToken);
        var byId = known.ToDictionary(i => i.InstanceId, StringComparer.Ordinal);
        var views = nodes.Select(n =>
        {
            byId.Remove(n.InstanceId, out var mine);
            return new InstanceView(n.InstanceId, n.Current, mine?.Version, mine?.Machine, mine?.StartedAt, mine?.LastSeenAt, n.LastCheckIn, n.State);
        }).ToList();
        views.AddRange(byId.Values.OrderBy(i => i.InstanceId, StringComparer.Ordinal)
            .Select(i => new InstanceView(i.InstanceId, false, i.Version, i.Machine, i.StartedAt, i.LastSeenAt, null, "Unknown")));
        return views;
    }
}
