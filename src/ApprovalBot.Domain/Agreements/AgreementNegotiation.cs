using System.Globalization;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Calendars;
using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Agreements;

/// <summary>What the provider answered in a negotiation round.</summary>
public enum NegotiationOutcome
{
    /// <summary>The provider accepted the revision: it is "Agreed upon", and the approval continues.</summary>
    Accepted,

    /// <summary>The provider asked for changes: a new revision, "Pending further negotiation", goes back through the flow.</summary>
    ChangesRequested,

    /// <summary>
    /// Closed without an answer: a document changed while the round waited for the provider, so a new revision (the
    /// revision sent plus one) replaced the one sent and the approval restarted from its first stage.
    /// </summary>
    Superseded,
}

/// <summary>The two buttons of the negotiation card.</summary>
public enum NegotiationDecision
{
    Accept,
    RequestChanges,
}

/// <summary>
/// One round of negotiation with the provider: the revision sent (after the flow's negotiation stage approved it),
/// when and to whom (the provider's contacts reachable in Teams), the document hashes and the terms hash it was sent
/// on, and the provider's answer (who, when, and the comment of a change request). Rounds are numbered 1, 2, 3, … per
/// agreement; a change request ends a round, and the next round starts when the new revision is approved again.
/// </summary>
public sealed class NegotiationRound
{
    public const int MaxCommentLength = ApprovalRequest.MaxCommentLength;

    private NegotiationRound()
    {
        Negotiators = [];
        TermsSha256 = string.Empty;
    }

    internal NegotiationRound(int number, int revision, IReadOnlyList<PersonId> negotiators, string? documentHashes, string termsSha256, DateTimeOffset sentAt)
    {
        Number = number;
        Revision = revision;
        Negotiators = negotiators;
        DocumentHashes = documentHashes;
        TermsSha256 = termsSha256;
        SentAt = sentAt;
    }

    public long Id { get; private set; }

    /// <summary>1, 2, 3, … within the agreement.</summary>
    public int Number { get; private set; }

    /// <summary>The agreement revision sent to the provider.</summary>
    public int Revision { get; private set; }

    public DateTimeOffset SentAt { get; private set; }

    /// <summary>Who may answer for the provider (each got the card).</summary>
    public IReadOnlyList<PersonId> Negotiators { get; private set; }

    /// <summary>The revision's document hashes when sent ("Draft:&lt;sha256&gt; FinalContract:&lt;sha256&gt;"); null when it had none.</summary>
    public string? DocumentHashes { get; private set; }

    /// <summary>The SHA-256 of the revision's terms as canonical JSON (lower-case hex), as sent.</summary>
    public string TermsSha256 { get; private set; }

    /// <summary>The provider's answer, or <see cref="NegotiationOutcome.Superseded"/>; null while the round waits for it.</summary>
    public NegotiationOutcome? Outcome { get; private set; }

    /// <summary>Who answered for the provider; null while open and for a superseded round (nobody answered).</summary>
    public PersonId? DecidedBy { get; private set; }

    /// <summary>When the provider answered, or when the round was superseded.</summary>
    public DateTimeOffset? DecidedAt { get; private set; }

    /// <summary>What the provider asked to change (required for a change request).</summary>
    public string? Comment { get; private set; }

    internal void Decide(NegotiationOutcome outcome, PersonId by, string? comment, DateTimeOffset now)
    {
        if (Outcome is { } already)
            throw new DomainException("agreement.transition", $"Negotiation round {Number} is already closed ({already}).");
        Outcome = outcome;
        DecidedBy = by;
        DecidedAt = now;
        Comment = comment;
    }

    /// <summary>The revision sent was replaced (its documents changed) before the provider answered: closed, nobody's answer.</summary>
    internal void Supersede(DateTimeOffset now)
    {
        if (Outcome is { } already)
            throw new DomainException("agreement.transition", $"Negotiation round {Number} is already closed ({already}); only an open round is superseded.");
        Outcome = NegotiationOutcome.Superseded;
        DecidedAt = now;
    }
}

/// <summary>What a provider's click did (or why it did nothing).</summary>
public enum NegotiationResultKind
{
    /// <summary>Recorded: "Agreed upon"; the approval continues with the next stage.</summary>
    Accepted,

    /// <summary>Recorded: a new revision, pending further negotiation, went back to the return stage.</summary>
    ChangesRequested,

    /// <summary>The card shows a round that is not waiting for the provider (answered, superseded, or none is open): nothing changed.</summary>
    StaleCard,

    /// <summary>The person is not one of the round's negotiators: nothing changed but the audit record.</summary>
    NotNegotiator,

    /// <summary>A change request without a comment: nothing changed.</summary>
    CommentRequired,

    /// <summary>A comment over <see cref="NegotiationRound.MaxCommentLength"/> characters: nothing changed.</summary>
    CommentTooLong,
}

/// <summary>What a negotiation click did, with one sentence for the person who clicked.</summary>
public sealed record NegotiationResult(NegotiationResultKind Outcome, string Message)
{
    public bool Recorded => Outcome is NegotiationResultKind.Accepted or NegotiationResultKind.ChangesRequested;

    /// <summary>A stable code for a refusal (audit and API): <c>negotiation.stale</c>, <c>negotiation.not_negotiator</c>, …; null when recorded.</summary>
    public string? Code => Outcome switch
    {
        NegotiationResultKind.StaleCard => "negotiation.stale",
        NegotiationResultKind.NotNegotiator => "negotiation.not_negotiator",
        NegotiationResultKind.CommentRequired => "negotiation.comment_required",
        NegotiationResultKind.CommentTooLong => "negotiation.comment_too_long",
        _ => null,
    };
}

/// <summary>
/// Negotiation with the provider: the provider's answer to the revision an approval request holds for them
/// (<see cref="ApprovalStatus.AwaitingProvider"/>) keeps the agreement and its request in step. Each method checks
/// everything that can be refused before it changes either aggregate; a refusal changes neither.
/// </summary>
public static class AgreementNegotiation
{
    /// <summary>
    /// The provider accepts round <paramref name="round"/>: "Agreed upon" is recorded (who, when) and the request
    /// continues with the stage after the negotiation stage.
    /// </summary>
    public static async Task<NegotiationResult> AcceptAsync(
        Agreement agreement,
        ApprovalRequest? request,
        int round,
        PersonId actor,
        IApproverResolver resolver,
        IBusinessCalendar calendar,
        DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        if (agreement.CheckNegotiation(round, actor, NegotiationDecision.Accept, null) is { } refusal) return refusal;
        var held = Held(agreement, request);
        await held.ContinueAfterProviderAsync(actor, resolver, calendar, now, cancellationToken);
        agreement.RecordNegotiationAccepted(actor, now);
        return new NegotiationResult(NegotiationResultKind.Accepted, string.Create(CultureInfo.InvariantCulture,
            $"Accepted: revision {agreement.CurrentRevision.Number} of '{agreement.Name}' is agreed upon. It goes on to stage {held.CurrentStageNumber} ({held.Stages[held.CurrentStageNumber - 1].Name})."));
    }

    /// <summary>
    /// The provider asks for changes in round <paramref name="round"/> (<paramref name="comment"/> required): the
    /// revision sent is recorded as "changes requested" with the comment, a new revision (same terms and documents)
    /// marked "Pending further negotiation" goes into the request, which restarts at stage
    /// <paramref name="returnStageNumber"/>; no decision made on the earlier revision from that stage on carries over.
    /// </summary>
    public static async Task<NegotiationResult> RequestChangesAsync(
        Agreement agreement,
        ApprovalRequest? request,
        int round,
        PersonId actor,
        string? comment,
        int returnStageNumber,
        IApproverResolver resolver,
        IBusinessCalendar calendar,
        DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        if (agreement.CheckNegotiation(round, actor, NegotiationDecision.RequestChanges, comment) is { } refusal) return refusal;
        var held = Held(agreement, request);
        var text = comment!.Trim();
        var decided = new RequestOutcome(DecisionKind.RequestChanges, actor, null, text, now, held.Revision, held.CurrentStageNumber);
        await held.RestartForProviderChangesAsync(actor, agreement.CurrentRevision.Number + 1, returnStageNumber, text,
            agreement.CurrentRevision.DocumentFingerprint, resolver, calendar, now, cancellationToken);
        agreement.RecordNegotiationChanges(actor, text, held, decided, now);
        return new NegotiationResult(NegotiationResultKind.ChangesRequested, string.Create(CultureInfo.InvariantCulture,
            $"Your change request is recorded. Revision {agreement.CurrentRevision.Number} of '{agreement.Name}', pending further negotiation, goes back to stage {returnStageNumber} ({held.Stages[returnStageNumber - 1].Name}); a new card comes to you when it is sent to the provider again."));
    }

    private static ApprovalRequest Held(Agreement agreement, ApprovalRequest? request)
    {
        if (request is null || request.Subject.Kind != ApprovalSubjectKind.Agreement || request.Subject.Id != agreement.Id
            || request.Subject.Revision != agreement.CurrentRevision.Number)
            throw new DomainException("agreement.wrong_request", $"No approval request holds revision {agreement.CurrentRevision.Number} of agreement {agreement.Id} for the provider.");
        if (request.Status != ApprovalStatus.AwaitingProvider)
            throw new DomainException("agreement.request_state", $"The approval request is {request.Status}, not awaiting the provider.");
        return request;
    }
}
