using System.Text.Json;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Operations;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Privacy;

public sealed record ErasureInput(DataSubject Subject, string Reason, string Caller);

/// <summary>
/// The erasure's answer. <see cref="AwaitingDecision"/>: approval requests that were waiting for the person's decision
/// (their seat now holds the pseudonym, so an admin should reassign or cancel them); <see cref="OpenEscalations"/>:
/// open escalations they were assigned to or reported. Erasure does not refuse because of them: the right to erasure
/// does not wait for a workflow, and refusing would leave the person's data in place.
/// </summary>
public sealed record ErasureResult(
    string Pseudonym, DateTimeOffset At, IReadOnlyDictionary<string, int> Counts, long AuditId,
    IReadOnlyList<long> AwaitingDecision, IReadOnlyList<long> OpenEscalations)
{
    public int Total => Counts.Values.Sum();
}

/// <summary>
/// Erases one person: first each feature's <see cref="IPersonalData.BeforeErasureAsync"/> (stopping their digest, which
/// cancels its timer, through the feature's use case), then in one transaction every registered table's
/// <see cref="PersonalTable"/> steps (their chats' rows deleted, their free text removed, their ids and keys replaced by
/// the pseudonym) and one <c>operations_audit</c> row (<c>privacy.erase</c>): who asked (the API key's name), when,
/// the reason (with the person's keys replaced), the counts per table and the pseudonym — never the person's id or
/// name. Every step only changes what still names the person, so a second erasure changes nothing and records zeros.
/// These are data-management rewrites like housekeeping: no state, level, score or time changes, so KPIs, listings and
/// timers read the same records as before.
/// </summary>
public sealed class ErasePersonalData(BotDbContext db, IEnumerable<IPersonalData> contributors, TimeProvider time)
{
    public const string AuditAction = "privacy.erase";
    public const int MaxReasonLength = 500;

    public async Task<ErasureResult> HandleAsync(ErasureInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var subject = input.Subject;
        var pseudonym = subject.Pseudonym ?? throw new InvalidOperationException("Erasure needs Privacy:PseudonymKey.");
        var (awaiting, escalations) = await OpenWorkAsync(subject, cancellationToken);
        var all = contributors.ToList();
        foreach (var contributor in all)
            await contributor.BeforeErasureAsync(subject, cancellationToken);

        var sql = new PersonalSql(db);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var table in all.SelectMany(c => c.Tables))
            counts[table.Name] = counts.GetValueOrDefault(table.Name) + await PersonalTableSql.EraseAsync(sql, table, subject, pseudonym, cancellationToken);

        var reason = subject.Mentions.OrderByDescending(m => m.Length)
            .Aggregate(input.Reason.Trim(), (text, key) => text.Replace(key, pseudonym, StringComparison.OrdinalIgnoreCase));
        var detail = AuditDetail.Json(reason, counts.Where(c => c.Value > 0).ToDictionary(c => c.Key, c => c.Value));
        var audit = OperationsAuditEntry.Record(now, input.Caller, AuditAction, pseudonym, done: true, detail);
        db.OperationsAudit.Add(audit);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ErasureResult(pseudonym, now, counts, audit.Id, awaiting, escalations);
    }

    private sealed record AuditDetail(string Reason, Dictionary<string, int> Counts)
    {
        /// <summary>The detail as JSON that fits the audit row: the reason is shortened (never the counts) rather than the JSON cut.</summary>
        public static string Json(string reason, Dictionary<string, int> counts)
        {
            while (true)
            {
                var json = JsonSerializer.Serialize(new AuditDetail(reason, counts));
                if (json.Length <= OperationsAuditEntry.MaxDetailLength || reason.Length == 0) return json;
                reason = reason[..(reason.Length * 9 / 10)];
            }
        }
    }

    private async Task<(List<long> Awaiting, List<long> Escalations)> OpenWorkAsync(DataSubject subject, CancellationToken cancellationToken)
    {
        var w = subject.Id;
        var awaiting = await db.ApprovalRequests.AsNoTracking()
            .Where(r => r.Status == ApprovalStatus.InProgress && r.StageRuns.Any(run => run.Status == StageRunStatus.InProgress
                && run.Seats.Any(seat => seat.Decision == null && (seat.Delegate == w || (seat.Delegate == null && seat.Owner == w)))))
            .OrderBy(r => r.Id).Select(r => r.Id).ToListAsync(cancellationToken);
        var escalations = await db.Escalations.AsNoTracking()
            .Where(e => e.State != EscalationState.Closed && e.State != EscalationState.Resolved && (e.Assignee == w || e.Reporter == w))
            .OrderBy(e => e.Id).Select(e => e.Id).ToListAsync(cancellationToken);
        return (awaiting, escalations);
    }
}
