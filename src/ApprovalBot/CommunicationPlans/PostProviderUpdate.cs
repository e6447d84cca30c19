using ApprovalBot.Approvals;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.CommunicationPlans;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.CommunicationPlans;

/// <summary>
/// An update to post on an agreement: by a person in chat (<see cref="Person"/>), or by an API client
/// (<see cref="ApiKey"/>, its key's name; the write role is checked by the API).
/// </summary>
public sealed record PostProviderUpdateInput(long AgreementId, string? Text, PersonId? Person, string? ApiKey = null, string? ByName = null);

/// <summary>Why a post was refused: a stable code (the API maps it to a status) and words for people.</summary>
public sealed record UpdateRefusal(string Code, string Message);

/// <summary>
/// What happened: the obligation the update counted for (null: an additional update, not counted, or refused), the
/// next due time, and why the post could not be delivered to the plan's destination, if it could not (the update is
/// recorded all the same).
/// </summary>
public sealed record PostProviderUpdateResult(
    UpdateRefusal? Refusal, Agreement? Agreement, UpdateObligation? Counted, DateTimeOffset? NextDueAt, string? DeliveryProblem)
{
    public static PostProviderUpdateResult Refused(string code, string message, Agreement? agreement = null) => new(new UpdateRefusal(code, message), agreement, null, null, null);
}

/// <summary>
/// Posts a provider update (issue 5, communication plan): records it against the agreement's open obligation — on time
/// at or before its due time, late after it (an obligation whose period has closed is first recorded as missed and the
/// next one opened) — opens the next obligation, and stages the update card for the plan's destination, all in one save;
/// the timers are re-armed after the commit. An update posted while the obligation of the current period is already met
/// (before its due time) is an additional update: delivered, not counted. Who may post: the provider's points of contact,
/// our points of contact and the oversight owners (by Teams id), and API clients with the write role.
/// </summary>
public sealed class PostProviderUpdate(BotDbContext db, UpdateObligations obligations, PlanMessages messages, PlanTimers timers, ApprovalClock clock)
{
    public async Task<PostProviderUpdateResult> HandleAsync(PostProviderUpdateInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        string text;
        try
        {
            text = UpdateObligation.CheckText(input.Text);
        }
        catch (DomainException e)
        {
            return PostProviderUpdateResult.Refused(e.Code, e.Message);
        }

        var agreement = await db.Agreements.AsNoTracking().FirstOrDefaultAsync(a => a.Id == input.AgreementId, cancellationToken);
        if (agreement is null) return PostProviderUpdateResult.Refused("update.not_found", $"There is no agreement {input.AgreementId}.");
        if (agreement.Status != AgreementStatus.Active || agreement.TermsInForce?.CommunicationPlan is not { } plan)
            return PostProviderUpdateResult.Refused("update.not_active", $"{agreement.Name} is {agreement.Status}: updates are kept only while an agreement is Active.", agreement);
        if (input.Person is { } person && !MayPost(agreement.TermsInForce, person))
            return PostProviderUpdateResult.Refused("update.forbidden",
                $"Only the provider's points of contact, our points of contact and the oversight owners of {agreement.Name} may post its updates.", agreement);
        if (input.Person is null && string.IsNullOrWhiteSpace(input.ApiKey))
            return PostProviderUpdateResult.Refused("update.forbidden", "Who posts the update is unknown.", agreement);
        var by = input.Person is { } p ? p.Value : $"api:{input.ApiKey!.Trim()}";
        var byName = input.ByName ?? by;

        var touched = new List<UpdateObligation>();
        var result = await db.RetryOnConflictAsync(async ct =>
        {
            touched.Clear();
            var now = clock.Now;
            var open = await db.UpdateObligations.Where(o => o.AgreementId == agreement.Id && o.State == UpdateState.Due)
                .OrderBy(o => o.DueAt).FirstOrDefaultAsync(ct);
            open ??= obligations.OpenNext(agreement, now, now);
            while (open is not null && now >= open.ClosesAt)
            {
                open.Miss(now);
                await messages.StageStepsAsync(agreement, open, [UpdateStep.Missed], ct);
                touched.Add(open);
                open = obligations.OpenNext(agreement, open.DueAt, now);
            }

            if (open is null)
                return PostProviderUpdateResult.Refused("update.unschedulable", $"The update cadence of {agreement.Name} cannot be scheduled ('{plan.UpdateCadence.Cron}' in {plan.UpdateCadence.TimeZoneId}); ask its owners to fix the plan.", agreement);

            UpdateObligation? counted = null;
            var next = open;
            if (now >= open.OpensAt)
            {
                open.Post(by, text, now);
                counted = open;
                touched.Add(open);
                next = obligations.OpenNext(agreement, open.DueAt, now);
            }

            if (next is not null) touched.Add(next);
            var problem = await messages.StagePostAsync(agreement, counted, text, byName, now, ct);
            await db.SaveChangesAsync(ct);
            return new PostProviderUpdateResult(null, agreement, counted, next?.DueAt, problem);
        }, cancellationToken);

        foreach (var obligation in touched.Distinct()) await timers.ArmAsync(obligation, cancellationToken);
        return result;
    }

    /// <summary>The provider's and our points of contact (by Teams id) and the oversight owners.</summary>
    public static bool MayPost(AgreementTerms terms, PersonId person)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return terms.CommunicationPlan is { } plan && (PlanMessages.ProviderPeople(plan).Contains(person) || PlanMessages.OurPeople(terms).Contains(person));
    }
}
