using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.Storage;
using ApprovalBot.Teams.Outbox;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Approvals;

/// <summary>
/// A request for approval of anything (not an agreement): on a named flow, or to named people under "any one" or
/// "all" (<paramref name="Approvers"/> with <paramref name="RequireAll"/>; the stage then uses the ad-hoc SLA).
/// </summary>
public sealed record SubmitApprovalInput(
    PersonId Requester,
    string Title,
    string? Details,
    IReadOnlyList<RequestLink> Links,
    string? FlowName,
    IReadOnlyList<PersonId>? Approvers = null,
    bool RequireAll = false,
    string? Reference = null,
    PostedCard? StatusCardAt = null);

/// <summary>A card the bot already posted (e.g. the request form) that becomes the requester's status card.</summary>
public sealed record PostedCard(string ServiceUrl, string ConversationId, string ActivityId);

/// <summary>
/// Creates and starts a request: the flow's stages are snapshotted, stage 1's approvers resolved, and, in one
/// transaction, the request saved (for its id) and the approvers' cards and the requester's status card staged; then
/// the reminder timer is armed. Throws <see cref="DomainException"/> with a message for the requester when the input
/// or the first stage's approvers are not valid; nothing is saved then.
/// </summary>
public sealed class SubmitApproval(BotDbContext db, IApproverResolver resolver, ApprovalClock clock, ApprovalFlows flows, ApprovalMessages messages, ApprovalTimers timers, IOptions<ApprovalsOptions> options)
{
    public async Task<ApprovalRequest> HandleAsync(SubmitApprovalInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var flow = FlowFor(input);
        var request = await ApprovalRequest.SubmitAsync(
            new NewApprovalRequest(input.Title, input.Details, input.Requester, ApprovalSubject.Other(input.Reference), input.Links),
            flow, resolver, clock.Calendar, clock.Now, cancellationToken);
        await SaveNewAsync(db, request, messages, input.StatusCardAt is { } form ? () => db.CardCopies.Add(CardCopy.Create(
            ApprovalMessages.Subject(request.Id), form.ServiceUrl, form.ConversationId, form.ActivityId, clock.Now, input.Requester.Value)) : null,
            cancellationToken, postStatusCard: input.StatusCardAt is null);
        await timers.ArmAsync(request, cancellationToken);
        return request;
    }

    /// <summary>
    /// Saves a new request and, in the same transaction, the messages about it (they need its id); <paramref name="alsoSave"/>
    /// runs between the two saves for changes that need the id too (an agreement's link to its request).
    /// </summary>
    internal static async Task SaveNewAsync(BotDbContext db, ApprovalRequest request, ApprovalMessages messages, Action? alsoSave, CancellationToken cancellationToken, bool postStatusCard = true)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.ApprovalRequests.Add(request);
        await db.SaveChangesAsync(cancellationToken);
        alsoSave?.Invoke();
        await messages.StageAsync(request, 0, cancellationToken, postStatusCard);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private ApprovalFlow FlowFor(SubmitApprovalInput input)
    {
        if (input.Approvers is { Count: > 0 } approvers)
        {
            if (input.FlowName is not null)
                throw new DomainException("request.invalid", "Choose a flow or name the approvers, not both.");
            var o = options.Value;
            return ApprovalFlow.Create("Ad hoc", [new StageDefinition(
                "Approvers", ApproverRule.People(approvers), input.RequireAll ? DecisionRule.All : DecisionRule.Any,
                TimeSpan.FromHours(o.AdHocSlaHours), o.AdHocReminderHours > 0 ? TimeSpan.FromHours(o.AdHocReminderHours) : null)]);
        }

        return flows.Find(input.FlowName)
            ?? throw new DomainException("request.invalid", input.FlowName is null
                ? "Choose a flow or name the approvers."
                : $"There is no flow named '{input.FlowName}'. Flows: {string.Join(", ", flows.Names)}.");
    }
}
