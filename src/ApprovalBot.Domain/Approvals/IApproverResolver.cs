using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Approvals;

/// <summary>
/// Turns an <see cref="ApproverRule"/> into people when a stage starts. The host implements it over its directory
/// (Microsoft Graph, or the local directory file). "Nobody found" is an answer, not an exception: return
/// <see cref="ApproverResolution.CannotResolve"/> with a reason the requester can act on. Throw only when the
/// directory itself failed (then the domain method changes nothing and the caller may retry).
/// </summary>
public interface IApproverResolver
{
    ValueTask<ApproverResolution> ResolveAsync(ApproverRule rule, PersonId requester, CancellationToken cancellationToken);
}

/// <summary>The people a rule resolved to, or why it could not be resolved.</summary>
public sealed record ApproverResolution
{
    private ApproverResolution(IReadOnlyList<PersonId> approvers, string? failure)
    {
        Approvers = approvers;
        Failure = failure;
    }

    public IReadOnlyList<PersonId> Approvers { get; }

    /// <summary>Why the rule could not be resolved; null when it was.</summary>
    public string? Failure { get; }

    public bool IsResolved => Failure is null;

    public static ApproverResolution Found(params IEnumerable<PersonId> approvers) => new([.. approvers.Distinct()], null);

    public static ApproverResolution CannotResolve(string why) => new([], Guard.RequiredText(why, "The reason", 500));
}
