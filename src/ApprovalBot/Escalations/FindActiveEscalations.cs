using ApprovalBot.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Escalations.Cards;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Escalations;

/// <summary>Which active escalations to list.</summary>
public abstract record EscalationFilter
{
    private EscalationFilter()
    {
    }

    /// <summary>Where the person is the reporter, the assignee or a contact of the current level.</summary>
    public sealed record Mine(PersonId Person) : EscalationFilter;

    /// <summary>Every active one (Open, Acknowledged, On hold).</summary>
    public sealed record Open : EscalationFilter;

    /// <summary>Active ones whose response or resolution target is missed.</summary>
    public sealed record Breached : EscalationFilter;

    /// <summary>Active ones against one agreement.</summary>
    public sealed record OfAgreement(long AgreementId) : EscalationFilter;
}

/// <summary>
/// The active escalations a filter selects, most urgent first (<see cref="EscalationListModel.MostUrgentFirst"/>).
/// Reads only; the SLA standing is taken at the clock's now.
/// </summary>
public sealed class FindActiveEscalations(BotDbContext db, ApprovalClock clock)
{
    public async Task<IReadOnlyList<Escalation>> HandleAsync(EscalationFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = db.Escalations.AsNoTracking()
            .Where(e => e.State == EscalationState.Open || e.State == EscalationState.Acknowledged || e.State == EscalationState.OnHold);
        if (filter is EscalationFilter.OfAgreement agreement) query = query.Where(e => e.AgreementId == agreement.AgreementId);
        var active = await query.ToListAsync(cancellationToken);
        var now = clock.Now;
        IEnumerable<Escalation> selected = filter switch
        {
            EscalationFilter.Mine mine => active.Where(e => e.Reporter == mine.Person || e.Assignee == mine.Person || e.CurrentContacts.People.Contains(mine.Person)),
            EscalationFilter.Breached => active.Where(e => e.IsSlaBreached(now)),
            _ => active,
        };
        return EscalationListModel.MostUrgentFirst(selected, now);
    }
}
