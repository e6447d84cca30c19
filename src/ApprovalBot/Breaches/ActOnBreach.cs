using ApprovalBot.Domain.Breaches;
using ApprovalBot.Domain.Common;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Breaches;

public enum BreachAction
{
    Acknowledge,
    Close,
}

/// <summary>An action on incident <paramref name="BreachId"/> by <paramref name="Actor"/> (the card's button, <c>breach close</c>, the API); <paramref name="Note"/> for Close.</summary>
public sealed record ActOnBreachInput(long BreachId, PersonId Actor, BreachAction Action, string? Note = null);

/// <summary>The incident as it is now (null: no such incident), and why nothing changed (<see cref="Refusal"/>, <see cref="RefusalCode"/>) or what happened (<see cref="Notice"/>).</summary>
public sealed record ActOnBreachResult(DataBreach? Breach, string? Refusal = null, string? RefusalCode = null, string? Notice = null);

/// <summary>
/// Acknowledge (a data-protection contact) or Close (the reporter, an oversight owner or a contact, with a note). The
/// domain guards both; a refusal changes nothing and is logged as a warning (who, what, why). Accepted: the event, the
/// updated card copies in one commit, then the clock timer re-armed (closing cancels it).
/// </summary>
public sealed partial class ActOnBreach(BotDbContext db, BreachMessages messages, BreachTimers timers, TimeProvider time, ILogger<ActOnBreach> logger)
{
    public Task<ActOnBreachResult> HandleAsync(ActOnBreachInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return db.RetryOnConflictAsync(ct => AttemptAsync(input, ct), cancellationToken);
    }

    private async Task<ActOnBreachResult> AttemptAsync(ActOnBreachInput input, CancellationToken cancellationToken)
    {
        var breach = await db.DataBreaches.FirstOrDefaultAsync(b => b.Id == input.BreachId, cancellationToken);
        if (breach is null) return new ActOnBreachResult(null);
        var now = time.GetUtcNow();
        string notice;
        try
        {
            if (input.Action == BreachAction.Acknowledge)
            {
                breach.Acknowledge(input.Actor, now);
                notice = $"Acknowledged at {DataBreach.Format(now)}.";
            }
            else
            {
                breach.Close(input.Actor, input.Note ?? "", now);
                notice = $"Closed: the notification clock of {breach.Reference} stopped.";
            }
        }
        catch (DomainException e)
        {
            LogRefused(logger, breach.Id, input.Actor.Value, input.Action, e.Code, e.Message);
            return new ActOnBreachResult(breach, e.Message, e.Code);
        }

        await messages.UpdateCopiesAsync(breach, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await timers.ArmAsync(breach, cancellationToken);
        LogActed(logger, breach.Id, input.Actor.Value, input.Action);
        return new ActOnBreachResult(breach, Notice: notice);
    }

    [LoggerMessage(EventId = 4904, Level = LogLevel.Information, Message = "Data breach {BreachId}: {Person} did {Action}")]
    private static partial void LogActed(ILogger logger, long breachId, string person, BreachAction action);

    [LoggerMessage(EventId = 4905, Level = LogLevel.Warning, Message = "Data breach {BreachId}: {Action} by {Person} refused ({Code}): {Why}")]
    private static partial void LogRefused(ILogger logger, long breachId, string person, BreachAction action, string code, string why);
}
