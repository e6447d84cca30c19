using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Approvals;

/// <summary>
/// Turns an <see cref="ApproverRule"/> into people when a stage starts, and says whether an approver is away (out of
/// office) at that moment and who should decide for them. The host implements it over its directory (Microsoft Graph,
/// or the local directory file). "Nobody found" is an answer, not an exception: return
/// <see cref="ApproverResolution.CannotResolve"/> with a reason the requester can act on. When the directory itself
/// cannot answer (an outage, throttling), throw <see cref="ApproversUnavailableException"/>: the stage then waits
/// (the request is Blocked, saying so) and the host tries again later. Any other exception leaves the request unchanged.
/// </summary>
public interface IApproverResolver
{
    ValueTask<ApproverResolution> ResolveAsync(ApproverRule rule, PersonId requester, CancellationToken cancellationToken);

    /// <summary>
    /// Whether <paramref name="approver"/> is away at <paramref name="now"/> (automatic replies on) and who is proposed
    /// to decide for them; null when they are not away (or the resolver does not know absences). The domain checks the
    /// proposal (not the requester, not already an approver of the stage) and records what it did.
    /// </summary>
    ValueTask<ApproverAbsence?> AbsenceAsync(PersonId approver, DateTimeOffset now, CancellationToken cancellationToken) =>
        ValueTask.FromResult<ApproverAbsence?>(null);
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

/// <summary>An approver who is away when their stage starts.</summary>
/// <param name="Why">Why they count as away, for the audit trail (e.g. "automatic replies are on until …").</param>
/// <param name="StandIn">Who is proposed to decide for them (their configured delegate, else their manager); null when nobody.</param>
/// <param name="StandInRole">What the stand-in is to them ("their configured delegate", "their manager"), for the audit trail.</param>
/// <param name="NoStandIn">Why nobody is proposed, when <paramref name="StandIn"/> is null.</param>
public sealed record ApproverAbsence(string Why, PersonId? StandIn, string? StandInRole = null, string? NoStandIn = null);

/// <summary>
/// The directory could not answer while resolving a stage's approvers or their absences (an outage, throttling). The
/// domain turns it into a Blocked request that says so; the host retries the stage later.
/// </summary>
public sealed class ApproversUnavailableException : Exception
{
    public ApproversUnavailableException()
        : this("The directory is not answering.")
    {
    }

    public ApproversUnavailableException(string message)
        : base(message)
    {
    }

    public ApproversUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
