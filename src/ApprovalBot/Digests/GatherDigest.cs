using ApprovalBot.Agreements;
using ApprovalBot.Approvals;
using ApprovalBot.Approvals.Teams;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.CommunicationPlans;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Escalations;
using ApprovalBot.Kpis;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Digests;

/// <summary>Why an approval request is in someone's digest.</summary>
public enum DigestRole
{
    /// <summary>The person holds an undecided seat of the current stage.</summary>
    Approver,

    /// <summary>The person asked for it.</summary>
    Requester,
}

/// <summary>One approval request whose current stage waits for a decision.</summary>
/// <param name="Age">Since the current stage started.</param>
/// <param name="Blocking">The holders of undecided seats of the current stage, by name.</param>
public sealed record DigestApproval(ApprovalRequest Request, DigestRole Role, TimeSpan Age, IReadOnlyList<string> Blocking);

/// <summary>
/// A person's digest at <see cref="At"/>: waiting approvals (oldest stage first), active escalations (most urgent first,
/// <c>EscalationListModel.MostUrgentFirst</c>) and the KPIs of their agreements over the last 30 days.
/// </summary>
public sealed record Digest(PersonId Person, DateTimeOffset At, IReadOnlyList<DigestApproval> Approvals, IReadOnlyList<Escalation> Escalations, KpiResult Kpis)
{
    /// <summary>Provider updates due before <see cref="DigestProviderUpdate.SoonWindow"/> from now, or overdue (open), overdue first.</summary>
    public IReadOnlyList<DigestProviderUpdate> ProviderUpdates { get; init; } = [];

    /// <summary>No approval waits and no escalation is active (KPIs are context, not work).</summary>
    public bool NothingWaiting => Approvals.Count == 0 && Escalations.Count == 0;

    /// <summary>The person takes part in nothing the digest covers: no approval, no escalation, no agreement, no provider update.</summary>
    public bool IsEmpty => NothingWaiting && Kpis.Agreements.Count == 0 && ProviderUpdates.Count == 0;
}

/// <summary>An open provider update obligation of an agreement the person oversees or is a plan contact of.</summary>
public sealed record DigestProviderUpdate(string AgreementName, UpdateObligation Obligation)
{
    /// <summary>"Due soon": due within this long.</summary>
    public static readonly TimeSpan SoonWindow = TimeSpan.FromDays(1);
}

/// <summary>
/// Gathers one person's own digest (their view; subscriptions and fan-out come later): approval requests in progress
/// where they are the requester or hold an undecided seat of the current stage; active escalations where they are the
/// reporter, the assignee or a contact of the current level (<see cref="EscalationFilter.Mine"/>); KPIs over the last
/// 30 days (<see cref="ComputeKpis"/>) of the Active agreements they oversee or are a level contact of; provider updates
/// due within a day or overdue of the Active agreements they oversee or are a communication plan contact of. Reads only.
/// </summary>
public sealed class GatherDigest(BotDbContext db, TeamsPeople people, FindActiveEscalations escalations, ComputeKpis kpis, ApprovalClock clock)
{
    public async Task<Digest> HandleAsync(PersonId person, CancellationToken cancellationToken)
    {
        var now = clock.Now;
        var approvals = await ApprovalsAsync(person, now, cancellationToken);
        var active = await escalations.HandleAsync(new EscalationFilter.Mine(person), cancellationToken);

        var activeAgreements = await ActiveAgreementNames.ListAsync(db, cancellationToken);
        var updates = await ProviderUpdatesAsync(person, activeAgreements, now, cancellationToken);
        var mine = activeAgreements
            .Where(a => a.TermsInForce is { } terms
                && (terms.OversightOwners.Contains(person) || (terms.Escalation?.Levels.Any(l => l.Contacts.People.Contains(person)) ?? false)))
            .Select(a => a.Id)
            .ToHashSet();
        if (mine.Count == 0) return new Digest(person, now, approvals, active, new KpiResult(null, null, [], null)) { ProviderUpdates = updates }; // no agreement: nothing to compute
        var all = await kpis.HandleAsync(new ComputeKpisInput(null, null), cancellationToken);
        var ours = all with { Agreements = [.. all.Agreements.Where(r => r.AgreementId is { } id && mine.Contains(id))] };
        return new Digest(person, now, approvals, active, ours) { ProviderUpdates = updates };
    }

    /// <summary>
    /// Open update obligations due within <see cref="DigestProviderUpdate.SoonWindow"/> or overdue, of the Active agreements
    /// whose oversight owners or plan contacts (either side, by Teams id) include the person; overdue first, then by due time.
    /// </summary>
    private async Task<IReadOnlyList<DigestProviderUpdate>> ProviderUpdatesAsync(PersonId person, IReadOnlyList<Domain.Agreements.Agreement> active, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var names = active
            .Where(a => a.TermsInForce is { CommunicationPlan: { } plan } terms
                && (terms.OversightOwners.Contains(person) || plan.OurContacts.Concat(plan.ProviderContacts).Any(c => c.Person == person)))
            .ToDictionary(a => a.Id, a => a.Name);
        if (names.Count == 0) return [];
        var ids = names.Keys.ToList();
        var soon = now + DigestProviderUpdate.SoonWindow;
        var open = await db.UpdateObligations.AsNoTracking()
            .Where(o => o.State == UpdateState.Due && o.DueAt < soon && ids.Contains(o.AgreementId))
            .ToListAsync(cancellationToken);
        return [.. open.OrderBy(o => o.DueAt > now).ThenBy(o => o.DueAt).ThenBy(o => o.Id).Select(o => new DigestProviderUpdate(names[o.AgreementId], o))];
    }

    private async Task<IReadOnlyList<DigestApproval>> ApprovalsAsync(PersonId person, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var deciding = await ApprovalsCommandHandler.WaitingForAsync(db, person, cancellationToken);
        var requested = await db.WholeApprovalRequests.AsNoTracking()
            .Where(r => r.Status == ApprovalStatus.InProgress && r.Requester == person)
            .ToListAsync(cancellationToken);
        var found = deciding.Select(r => (Request: r, Role: DigestRole.Approver))
            .Concat(requested.Where(r => deciding.All(d => d.Id != r.Id)).Select(r => (Request: r, Role: DigestRole.Requester)))
            .Where(x => x.Request.CurrentStage is not null)
            .OrderBy(x => x.Request.CurrentStage!.StartedAt)
            .ThenBy(x => x.Request.Id)
            .ToList();
        var names = await people.NamesAsync(found.SelectMany(x => x.Request.WaitingFor), cancellationToken);
        return [.. found.Select(x => new DigestApproval(x.Request, x.Role, now - x.Request.CurrentStage!.StartedAt, [.. x.Request.WaitingFor.Select(names)]))];
    }
}
