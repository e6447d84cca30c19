using ApprovalBot.Approvals;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Agreements;

/// <summary>Creates a Draft agreement. Names are unique (any case) so that people can refer to an agreement by name.</summary>
public sealed class CreateAgreementDraft(BotDbContext db, ApprovalClock clock)
{
    public async Task<Agreement> HandleAsync(string name, AgreementTerms terms, PersonId createdBy, CancellationToken cancellationToken)
    {
        var trimmed = (name ?? "").Trim();
        var lower = trimmed.ToLowerInvariant();
#pragma warning disable CA1304, CA1311, CA1862 // translated to SQL lower(), on both providers
        if (trimmed.Length > 0 && await db.Agreements.AnyAsync(a => a.Name.ToLower() == lower, cancellationToken))
#pragma warning restore CA1304, CA1311, CA1862
            throw new DomainException("agreement.duplicate", $"An agreement named '{trimmed}' exists already; choose another name.");
        var agreement = Agreement.CreateDraft(trimmed, terms, createdBy, clock.Now);
        db.Agreements.Add(agreement);
        await db.SaveChangesAsync(cancellationToken);
        return agreement;
    }
}

/// <summary>Replaces the terms of a Draft, or starts a new revision of an agreement sent back or rejected.</summary>
public sealed class ReviseAgreement(BotDbContext db, ApprovalClock clock)
{
    public async Task<Agreement?> HandleAsync(long agreementId, AgreementTerms terms, PersonId by, CancellationToken cancellationToken)
    {
        var agreement = await db.Agreements.FirstOrDefaultAsync(a => a.Id == agreementId, cancellationToken);
        if (agreement is null) return null;
        AgreementAccess.EnsureCanChange(agreement, by);
        agreement.Revise(terms, by, clock.Now);
        await db.SaveChangesAsync(cancellationToken);
        return agreement;
    }
}

/// <summary>
/// Submits an agreement for approval on the agreement flow: a Draft starts a new approval request; an agreement sent
/// back for changes (and revised since) is resubmitted into its request, which restarts at the stage that asked.
/// </summary>
public sealed class SubmitAgreement(BotDbContext db, IApproverResolver resolver, ApprovalClock clock, ApprovalFlows flows, ApprovalMessages messages, ApprovalTimers timers)
{
    public async Task<(Agreement? Agreement, ApprovalRequest? Request)> HandleAsync(long agreementId, PersonId by, string? comment, CancellationToken cancellationToken)
    {
        var agreement = await db.Agreements.FirstOrDefaultAsync(a => a.Id == agreementId, cancellationToken);
        if (agreement is null) return (null, null);
        AgreementAccess.EnsureCanChange(agreement, by);
        ApprovalRequest request;
        if (agreement.Status == AgreementStatus.ChangesRequested)
        {
            request = await db.WholeApprovalRequests.Where(r => r.Subject.Kind == ApprovalSubjectKind.Agreement && r.Subject.Id == agreementId && r.Status == ApprovalStatus.ChangesRequested)
                .OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken)
                ?? throw new DomainException("agreement.transition", "The approval request that asked for changes was not found.");
            var seen = request.AuditTrail.Count;
            await AgreementApproval.ResubmitAsync(agreement, request, by, comment, null, resolver, clock.Calendar, clock.Now, cancellationToken);
            await messages.StageAsync(request, seen, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }
        else
        {
            request = await AgreementApproval.SubmitAsync(agreement, flows.Agreement, by, null, resolver, clock.Calendar, clock.Now, cancellationToken);
            await SubmitApproval.SaveNewAsync(db, request, messages, null, cancellationToken);
        }

        await timers.ArmAsync(request, cancellationToken);
        return (agreement, request);
    }
}

/// <summary>Who may change an agreement: whoever created it, and its oversight owners.</summary>
public static class AgreementAccess
{
    public static bool CanChange(Agreement agreement, PersonId person)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        return agreement.CreatedBy == person || agreement.Terms.OversightOwners.Contains(person);
    }

    public static void EnsureCanChange(Agreement agreement, PersonId person)
    {
        if (!CanChange(agreement, person))
            throw new DomainException("agreement.forbidden", $"Only the agreement's author and its oversight owners can change '{agreement.Name}'.");
    }
}
