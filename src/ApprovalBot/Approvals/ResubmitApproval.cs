using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Approvals;

/// <summary>The request after a resubmission attempt, and the reason when it was not accepted.</summary>
public sealed record ResubmitApprovalResult(ApprovalRequest? Request, string? Error);

/// <summary>
/// The requester answers a request for changes (a request about anything but an agreement; agreements are revised
/// and resubmitted through <c>SubmitAgreement</c>): a new revision restarts at the stage that asked for changes.
/// </summary>
public sealed class ResubmitApproval(BotDbContext db, IApproverResolver resolver, ApprovalClock clock, ApprovalMessages messages, ApprovalTimers timers)
{
    public Task<ResubmitApprovalResult> HandleAsync(long requestId, PersonId actor, string? comment, CancellationToken cancellationToken) =>
        db.RetryOnConflictAsync(async ct =>
        {
            var request = await db.WholeApprovalRequests.FirstOrDefaultAsync(r => r.Id == requestId, ct);
            if (request is null) return new ResubmitApprovalResult(null, null);
            if (request.Subject.Kind == ApprovalSubjectKind.Agreement)
                return new ResubmitApprovalResult(request, $"Revise the agreement and resubmit it: agreement submit {request.Subject.Id}.");
            var seen = request.AuditTrail.Count;
            try
            {
                await request.ResubmitAsync(actor, new Resubmission(comment), resolver, clock.Calendar, clock.Now, ct);
            }
            catch (DomainException e)
            {
                return new ResubmitApprovalResult(request, e.Message);
            }
            await messages.StageAsync(request, seen, ct);
            await db.SaveChangesAsync(ct);
            await timers.ArmAsync(request, ct);
            return new ResubmitApprovalResult(request, null);
        }, cancellationToken);
}
