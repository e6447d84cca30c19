using ApprovalBot.Approvals;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Storage;
using ApprovalBot.Teams.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Escalations;

/// <summary>
/// An escalation against an Active agreement, at a priority, reported by someone. <paramref name="CardAt"/>: a card the
/// bot already posted (the escalation form) that becomes a copy of the escalation's card, seen by
/// <paramref name="CardViewer"/> (null: a shared copy, as in a channel).
/// </summary>
public sealed record OpenEscalationInput(
    long AgreementId, Priority Priority, string Title, string? Description, PersonId Reporter, PostedCard? CardAt = null, PersonId? CardViewer = null);

/// <summary>
/// Opens an escalation: snapshots the agreement's policy for the priority (rule 9), saves it and, in the same
/// transaction (the cards need its id), stages L1's notification; arms its first deadline after the commit. Throws
/// <see cref="DomainException"/> with a message for the reporter (agreement not found or not Active, bad input).
/// </summary>
public sealed class OpenEscalation(
    BotDbContext db, EscalationMessages messages, EscalationTimers timers, ApprovalClock clock, IOptions<EscalationsOptions> options)
{
    public async Task<Escalation> HandleAsync(OpenEscalationInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var agreement = await db.Agreements.AsNoTracking().FirstOrDefaultAsync(a => a.Id == input.AgreementId, cancellationToken)
            ?? throw new DomainException("escalation.agreement_not_found", $"There is no agreement #{input.AgreementId}.");
        var escalation = Escalation.Open(EscalationPolicy.From(agreement, input.Priority, options.Value.ReopenWindow), input.Title, input.Description, input.Reporter, clock.Now);

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.Escalations.Add(escalation);
            await db.SaveChangesAsync(cancellationToken);
            if (input.CardAt is { } posted)
            {
                db.CardCopies.Add(CardCopy.Create(EscalationMessages.Subject(escalation.Id), posted.ServiceUrl, posted.ConversationId, posted.ActivityId, clock.Now, input.CardViewer?.Value));
            }

            await messages.StageAsync(escalation, [escalation.OpeningNotification()], cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await timers.ArmAsync(escalation, cancellationToken);
        return escalation;
    }
}
