using ApprovalBot.Approvals.Api;
using ApprovalBot.Domain.Agreements;

namespace ApprovalBot.Agreements.Api;

/// <summary>An agreement in full: its lifecycle, what its current terms still need, every revision, its approval requests.</summary>
public sealed record AgreementDto(
    long Id,
    string Name,
    string Status,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    int CurrentRevision,
    int? ActiveRevision,
    DateTimeOffset? ActivatedAt,
    DateTimeOffset? ExpiredAt,
    DateTimeOffset? TerminatedAt,
    string? TerminatedBy,
    string? TerminationReason,
    IReadOnlyList<ProblemDto> Problems,
    IReadOnlyList<RevisionDto> Revisions,
    IReadOnlyList<long> ApprovalRequestIds,
    long Version,
    TermStateDto? Term = null);

/// <summary>
/// The end of the term in force (Active and ended agreements with an end date and notice period): the dates, the
/// owners' choice (Renew, LetExpire, Terminate) with who and when, and a scheduled termination's notice date.
/// </summary>
public sealed record TermStateDto(
    DateOnly EndDate,
    DateOnly NoticeDate,
    DateTimeOffset EndsAt,
    string? Choice,
    string? ChoiceBy,
    DateTimeOffset? ChoiceAt,
    DateTimeOffset? TerminationRequestedAt,
    DateTimeOffset? TerminationEffectiveAt);

/// <summary>One revision: its terms, who wrote it, when it was submitted and what was decided (with the decision).</summary>
public sealed record RevisionDto(
    int Number,
    TermsDto Terms,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? SubmittedAt,
    string? SubmittedBy,
    string? Outcome,
    DateTimeOffset? OutcomeAt,
    DecisionDto? Decision);

/// <summary>An agreement in a list.</summary>
public sealed record AgreementSummaryDto(long Id, string Name, string Status, string CreatedBy, DateTimeOffset CreatedAt, int CurrentRevision);

/// <summary>The answer to a submission: the approval request the revision went into.</summary>
public sealed record SubmissionDto(long AgreementId, int Revision, string Status, long ApprovalRequestId);

internal static class AgreementMapping
{
    private static TermStateDto? Term(Agreement agreement)
    {
        var terms = agreement.ActiveRevisionNumber is { } n ? agreement.Revisions.Single(r => r.Number == n).Terms : null;
        if (terms is null || TermSchedule.Of(terms, TimeZoneInfo.Utc) is not { } schedule) return null;
        return new TermStateDto(schedule.EndDate, schedule.NoticeDate, ApprovalMapping.Utc(schedule.EndsAt), agreement.TermChoice?.ToString(),
            agreement.TermChoiceBy?.Value, ApprovalMapping.Utc(agreement.TermChoiceAt), ApprovalMapping.Utc(agreement.TerminationRequestedAt),
            ApprovalMapping.Utc(agreement.TerminationEffectiveAt));
    }

    public static AgreementDto ToDto(this Agreement agreement, IReadOnlyList<long> approvalRequestIds)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        return new AgreementDto(
            agreement.Id, agreement.Name, agreement.Status.ToString(), agreement.CreatedBy.Value, ApprovalMapping.Utc(agreement.CreatedAt),
            agreement.CurrentRevision.Number, agreement.ActiveRevisionNumber, ApprovalMapping.Utc(agreement.ActivatedAt),
            ApprovalMapping.Utc(agreement.ExpiredAt), ApprovalMapping.Utc(agreement.TerminatedAt), agreement.TerminatedBy?.Value, agreement.TerminationReason,
            [.. agreement.Terms.Problems().Select(p => new ProblemDto(ApiResults.TermsField(p.Field), p.Message))],
            [.. agreement.Revisions.Select(r => new RevisionDto(
                r.Number, TermsMapping.ToDto(r.Terms), r.CreatedBy.Value, ApprovalMapping.Utc(r.CreatedAt), ApprovalMapping.Utc(r.UpdatedAt),
                ApprovalMapping.Utc(r.SubmittedAt), r.SubmittedBy?.Value, r.Outcome?.ToString(), ApprovalMapping.Utc(r.OutcomeAt), r.Decision.ToDto()))],
            approvalRequestIds,
            agreement.Version,
            Term(agreement));
    }
}
