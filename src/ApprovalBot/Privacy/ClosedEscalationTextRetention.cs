using System.Globalization;
using System.Text.Json;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Operations;
using ApprovalBot.Scheduling;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Privacy;

/// <summary>
/// Housekeeping's retention of free text: an escalation closed more than <see cref="PrivacyOptions.ClosedEscalationFreeTextDays"/>
/// days ago loses its description, resolution note and the reasons people wrote in its timeline (replaced by
/// <see cref="Marker"/>) and its survey comments (set to null). Title, priority, states, levels, times, survey scores and
/// the bot's own timeline sentences stay, so KPIs, uptime and listings read the same. Batches of
/// <see cref="PrivacyOptions.RetentionBatchSize"/> escalations, one transaction each, until none is left. Every
/// statement changes only text that is not removed yet, so a second run (or a concurrent one on another instance)
/// finds nothing and counts nothing. A run that removed something records its counts in <c>operations_audit</c>
/// (<c>retention.text</c>, actor <c>housekeeping</c>).
/// </summary>
internal sealed partial class ClosedEscalationTextRetention(
    BotDbContext db, IOptions<PrivacyOptions> options, ILogger<ClosedEscalationTextRetention> logger) : IHousekeepingTask
{
    public const string Marker = "[removed after retention]";
    public const string AuditAction = "retention.text";
    public const string AuditActor = "housekeeping";

    public async Task RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (o.ClosedEscalationFreeTextDays <= 0) return;
        var closedBefore = now - TimeSpan.FromDays(o.ClosedEscalationFreeTextDays);
        var sql = new PersonalSql(db);
        var total = new Counts();
        while (true)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var ids = await db.Escalations.AsNoTracking()
                .Where(e => e.State == EscalationState.Closed && e.ClosedAt < closedBefore
                    && (e.Description != Marker
                        || (e.ResolutionNote != null && e.ResolutionNote != Marker)
                        || e.Timeline.Any(t => t.Reason != null && t.Reason != Marker)
                        || e.SurveyAnswers.Any(a => a.Comment != null)))
                .OrderBy(e => e.Id).Select(e => e.Id).Take(o.RetentionBatchSize).ToListAsync(cancellationToken);
            if (ids.Count == 0) break;

            var inList = string.Join(", ", ids.Select(id => id.ToString(CultureInfo.InvariantCulture)));
            var batch = new Counts
            {
                Escalations = await sql.ExecuteAsync(
                    $"UPDATE \"escalations\" SET \"description\" = {{0}} WHERE \"id\" IN ({inList}) AND \"description\" <> {{0}}", [Marker], cancellationToken),
                ResolutionNotes = await sql.ExecuteAsync(
                    $"UPDATE \"escalations\" SET \"resolution_note\" = {{0}} WHERE \"id\" IN ({inList}) AND \"resolution_note\" IS NOT NULL AND \"resolution_note\" <> {{0}}", [Marker], cancellationToken),
                TimelineReasons = await sql.ExecuteAsync(
                    $"UPDATE \"escalation_timeline\" SET \"reason\" = {{0}} WHERE \"escalation_id\" IN ({inList}) AND \"reason\" IS NOT NULL AND \"reason\" <> {{0}}", [Marker], cancellationToken),
                SurveyComments = await sql.ExecuteAsync(
                    $"UPDATE \"escalation_survey_answers\" SET \"comment\" = NULL WHERE \"escalation_id\" IN ({inList}) AND \"comment\" IS NOT NULL", [], cancellationToken),
            };
            await transaction.CommitAsync(cancellationToken);
            total = total.Add(batch);
            if (ids.Count < o.RetentionBatchSize) break;
        }

        if (total.Sum == 0) return;
        db.OperationsAudit.Add(OperationsAuditEntry.Record(
            now, AuditActor, AuditAction, $"escalations closed before {closedBefore:O}", done: true, JsonSerializer.Serialize(total)));
        await db.SaveChangesAsync(cancellationToken);
        LogRemoved(logger, total.Escalations, total.ResolutionNotes, total.TimelineReasons, total.SurveyComments);
    }

    /// <summary>What one run removed: descriptions, resolution notes, timeline reasons, survey comments (rows changed).</summary>
    internal sealed record Counts
    {
        public int Escalations { get; init; }
        public int ResolutionNotes { get; init; }
        public int TimelineReasons { get; init; }
        public int SurveyComments { get; init; }
        internal int Sum => Escalations + ResolutionNotes + TimelineReasons + SurveyComments;

        internal Counts Add(Counts other) => new()
        {
            Escalations = Escalations + other.Escalations,
            ResolutionNotes = ResolutionNotes + other.ResolutionNotes,
            TimelineReasons = TimelineReasons + other.TimelineReasons,
            SurveyComments = SurveyComments + other.SurveyComments,
        };
    }

    [LoggerMessage(EventId = 3110, Level = LogLevel.Information, Message = "Retention removed the free text of {Escalations} closed escalations ({Notes} resolution notes, {Reasons} timeline reasons, {Comments} survey comments)")]
    private static partial void LogRemoved(ILogger logger, int escalations, int notes, int reasons, int comments);
}
