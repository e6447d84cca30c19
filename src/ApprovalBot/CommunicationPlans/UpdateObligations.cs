using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.CommunicationPlans;
using ApprovalBot.Storage;
using Microsoft.Extensions.Options;
using ApprovalBot.Scheduling;

namespace ApprovalBot.CommunicationPlans;

/// <summary>
/// Opens an agreement's next update obligation from its plan in force: due at the cadence's next occurrence after the
/// period's start, closing at the occurrence after that, with today's reminder and escalation settings snapshotted.
/// A plan whose zone or cron cannot be used is logged (once per attempt) and opens nothing: the agreement then has no
/// reminders until its plan is fixed, and nothing crashes.
/// </summary>
public sealed partial class UpdateObligations(BotDbContext db, IOptions<CommunicationPlansOptions> options, ILogger<UpdateObligations> logger)
{
    /// <summary>Adds (unsaved) the obligation whose period opens at <paramref name="opensAt"/>; null when there is none to open.</summary>
    public UpdateObligation? OpenNext(Agreement agreement, DateTimeOffset opensAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        if (agreement.Status != AgreementStatus.Active || agreement.TermsInForce?.CommunicationPlan is not { } plan) return null;
        var schedule = ZonedCron.TryCreate(plan.UpdateCadence.Cron, plan.UpdateCadence.TimeZoneId, out var problem);
        if (schedule is null)
        {
            LogUnusable(logger, agreement.Id, problem!);
            return null;
        }

        if (schedule.Next(opensAt) is not { } due || schedule.Next(due) is not { } closes)
        {
            LogUnusable(logger, agreement.Id, $"the schedule '{plan.UpdateCadence.Cron}' has no further occurrences");
            return null;
        }

        var o = options.Value;
        var obligation = UpdateObligation.Open(agreement.Id, opensAt, due, closes, o.ReminderBefore, o.OverdueEscalationAfter, now);
        db.UpdateObligations.Add(obligation);
        return obligation;
    }

    [LoggerMessage(EventId = 4510, Level = LogLevel.Warning, Message = "Agreement {AgreementId}: its update cadence cannot be scheduled: {Problem}")]
    private static partial void LogUnusable(ILogger logger, long agreementId, string problem);
}
