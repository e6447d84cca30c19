using ApprovalBot.Domain.Breaches;
using ApprovalBot.Domain.Common;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Breaches;

/// <summary>A breach reported against agreement <paramref name="AgreementId"/> by <paramref name="Reporter"/>; <paramref name="ReporterHasCopy"/>: the reporter's answer is a copy of the card (the command), so no copy is sent to them.</summary>
public sealed record ReportBreachInput(long AgreementId, string Summary, PersonId Reporter, bool ReporterHasCopy);

/// <summary>
/// Opens a data-protection incident: snapshots the agreement's data-protection terms (rule 9), saves it and, in the
/// same transaction (the cards need its id), notifies both sides' contacts and records who was notified and who could
/// not be reached; arms its clock after the commit. Throws <see cref="DomainException"/> with a message for the reporter
/// (no such agreement, not Active, no data-protection terms, bad summary); nothing is stored then.
/// </summary>
public sealed partial class ReportBreach(BotDbContext db, BreachMessages messages, BreachTimers timers, TimeProvider time, ILogger<ReportBreach> logger)
{
    public async Task<DataBreach> HandleAsync(ReportBreachInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var agreement = await db.Agreements.AsNoTracking().FirstOrDefaultAsync(a => a.Id == input.AgreementId, cancellationToken)
            ?? throw new DomainException("breach.agreement_not_found", $"There is no agreement #{input.AgreementId}.");
        var breach = DataBreach.Open(agreement, input.Summary, input.Reporter, time.GetUtcNow());

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.DataBreaches.Add(breach);
            await db.SaveChangesAsync(cancellationToken);
            await messages.NotifyOpenedAsync(breach, input.ReporterHasCopy, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await timers.ArmAsync(breach, cancellationToken);
        LogOpened(logger, breach.Id, agreement.Id, input.Reporter.Value, breach.DeadlineAt);
        return breach;
    }

    [LoggerMessage(EventId = 4903, Level = LogLevel.Warning, Message = "Data breach {BreachId} reported against agreement {AgreementId} by {Person}; notification deadline {DeadlineAt:o}")]
    private static partial void LogOpened(ILogger logger, long breachId, long agreementId, string person, DateTimeOffset deadlineAt);
}
