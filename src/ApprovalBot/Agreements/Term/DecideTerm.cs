using ApprovalBot.Approvals;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.OrgDirectory;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Agreements.Term;

public enum TermAction
{
    Renew,
    LetExpire,
    Terminate,
}

/// <summary>A choice about an agreement's end of term, by <paramref name="Actor"/> (the card's buttons, <c>terminate</c>, the API).</summary>
public sealed record DecideTermInput(long AgreementId, PersonId Actor, TermAction Action, string? Reason = null);

/// <summary>
/// The answer: the agreement as it is now (null: no such agreement), why nothing changed (<see cref="Refusal"/>, with
/// <see cref="RefusalCode"/>), or what happened (<see cref="Notice"/>; <see cref="RenewalRequest"/> for a renewal).
/// </summary>
public sealed record DecideTermResult(Agreement? Agreement, string? Refusal, string? RefusalCode = null, string? Notice = null, ApprovalRequest? RenewalRequest = null)
{
    public bool Accepted => Agreement is not null && Refusal is null;
}

/// <summary>
/// Renew / Let expire / Terminate, for the oversight owners of the terms in force and the members of the Management
/// group only (product.md: oversight owners hold the provider to the agreement; management signs agreements off). The
/// domain guards every transition; a refusal changes nothing but the audit trail (<c>agreement_events</c>: who, what,
/// why) and is logged as a warning. Accepted: the change, the updated card copies (and for a renewal the approval request with its messages)
/// in one commit; then the term timer (and the request's) are armed.
/// </summary>
public sealed partial class DecideTerm(
    BotDbContext db, IDirectory directory, IApproverResolver resolver, ApprovalClock approvalClock, ApprovalFlows flows, ApprovalMessages approvalMessages,
    ApprovalTimers approvalTimers, TermMessages messages, TermTimers timers, TermClock clock, IOptions<TermOptions> options, ILogger<DecideTerm> logger)
{
    public Task<DecideTermResult> HandleAsync(DecideTermInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return db.RetryOnConflictAsync(ct => AttemptAsync(input, ct), cancellationToken);
    }

    /// <summary>Whether <paramref name="person"/> may decide the end of <paramref name="agreement"/>'s term.</summary>
    public async Task<bool> MayDecideAsync(Agreement agreement, PersonId person, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        if (TermMessages.Owners(agreement).Contains(person)) return true;
        var management = await directory.GetGroupMembersAsync(BuiltInFlows.ManagementGroup, cancellationToken) ?? [];
        return management.Any(p => p.Id == person);
    }

    private async Task<DecideTermResult> AttemptAsync(DecideTermInput input, CancellationToken cancellationToken)
    {
        var agreement = await db.Agreements.FirstOrDefaultAsync(a => a.Id == input.AgreementId, cancellationToken);
        if (agreement is null) return new DecideTermResult(null, null);
        if (!await MayDecideAsync(agreement, input.Actor, cancellationToken))
            return await RefuseAsync(agreement, input, "agreement.forbidden",
                $"Only the oversight owners of '{agreement.Name}' and Management can renew, let expire or terminate it.", cancellationToken);

        var now = clock.Now;
        ApprovalRequest? renewal = null;
        string notice;
        try
        {
            switch (input.Action)
            {
                case TermAction.Renew:
                    var flow = string.IsNullOrWhiteSpace(options.Value.RenewalFlow) ? flows.Agreement
                        : flows.Find(options.Value.RenewalFlow) ?? throw new DomainException("agreement.renewal_flow",
                            $"The renewal flow '{options.Value.RenewalFlow}' (Agreements:Term:RenewalFlow) is not a flow; flows: {string.Join(", ", flows.Names)}.");
                    renewal = await AgreementApproval.SubmitRenewalAsync(agreement, flow, input.Actor, clock.Zone, resolver, approvalClock.Calendar, now, cancellationToken);
                    notice = $"Renewal started: revision {agreement.CurrentRevision.Number} of {agreement.Name} (the next term) is in approval on the '{flow.Name}' flow.";
                    break;
                case TermAction.LetExpire:
                    agreement.LetExpire(input.Actor, now);
                    notice = $"Recorded: {agreement.Name} is left to expire after {TermDates.Format(agreement.TermsInForce!.EndDate ?? default)}. No more reminders.";
                    break;
                default:
                    var date = agreement.ScheduleTermination(input.Reason ?? "", input.Actor, now, clock.Zone);
                    notice = $"Terminated: {agreement.Name} ends on {TermDates.Format(date)} (reason: {agreement.TerminationReason}).";
                    break;
            }
        }
        catch (DomainException e)
        {
            db.ChangeTracker.Clear();
            return await RefuseAsync(agreement, input, e.Code, e.Message, cancellationToken);
        }

        await messages.UpdateCopiesAsync(agreement, cancellationToken);
        db.AgreementEvents.Add(AgreementEvent.Record(agreement.Id, input.Action switch
        {
            TermAction.Renew => AgreementEventKind.Renew,
            TermAction.LetExpire => AgreementEventKind.LetExpire,
            _ => AgreementEventKind.Terminate,
        }, input.Actor, now, notice));
        if (renewal is not null)
        {
            await SubmitApproval.SaveNewAsync(db, renewal, approvalMessages, null, cancellationToken);
            await approvalTimers.ArmAsync(renewal, cancellationToken);
        }
        else
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        await timers.ArmAsync(agreement, cancellationToken);
        LogDecided(logger, agreement.Id, input.Actor.Value, input.Action, agreement.TerminationReason);
        return new DecideTermResult(agreement, null, Notice: notice, RenewalRequest: renewal);
    }

    /// <summary>Nothing changes but the audit trail: the refusal is stored (<c>agreement_events</c>) and logged.</summary>
    private async Task<DecideTermResult> RefuseAsync(Agreement agreement, DecideTermInput input, string code, string why, CancellationToken cancellationToken)
    {
        LogRefused(logger, agreement.Id, input.Actor.Value, input.Action, code, why);
        db.AgreementEvents.Add(AgreementEvent.Record(agreement.Id, AgreementEventKind.Refused, input.Actor, clock.Now, why, input.Action.ToString(), code));
        await db.SaveChangesAsync(cancellationToken);
        return new DecideTermResult(agreement, why, code);
    }

    [LoggerMessage(EventId = 4804, Level = LogLevel.Information, Message = "Agreement {AgreementId}: {Person} chose {Action} (termination reason: {Reason})")]
    private static partial void LogDecided(ILogger logger, long agreementId, string person, TermAction action, string? reason);

    [LoggerMessage(EventId = 4805, Level = LogLevel.Warning, Message = "Agreement {AgreementId}: {Action} by {Person} refused ({Code}): {Why}")]
    private static partial void LogRefused(ILogger logger, long agreementId, string person, TermAction action, string code, string why);
}
