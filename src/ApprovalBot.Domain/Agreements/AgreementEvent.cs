using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Agreements;

/// <summary>What an <see cref="AgreementEvent"/> records.</summary>
public enum AgreementEventKind
{
    /// <summary>An oversight owner or Management chose Renew (a renewal revision went into approval).</summary>
    Renew,

    /// <summary>Chose to let the agreement expire at its end date.</summary>
    LetExpire,

    /// <summary>Gave notice: the agreement ends at its notice date.</summary>
    Terminate,

    /// <summary>A choice (Renew, Let expire, Terminate) that was refused and changed nothing: who, what, the code and why.</summary>
    Refused,

    /// <summary>The renewal's approval request was approved: the next term is in force.</summary>
    RenewalApproved,

    /// <summary>The renewal was rejected or sent back for changes: the agreement runs on to its end date.</summary>
    RenewalRejected,

    /// <summary>The end of the term passed without renewal.</summary>
    Expired,

    /// <summary>The notice date of a termination came.</summary>
    Terminated,

    /// <summary>An Expired agreement whose renewal was approved afterwards is Active again on its next term.</summary>
    Reinstated,

    /// <summary>A negotiation round opened: the revision went to the provider's negotiators (the detail: round, revision, to whom, hashes).</summary>
    SentToProvider,

    /// <summary>A negotiator accepted the revision for the provider: "Agreed upon".</summary>
    AgreedUpon,

    /// <summary>A negotiator asked for changes: a new revision, pending further negotiation, went back to the return stage.</summary>
    ProviderRequestedChanges,

    /// <summary>A document changed while a round waited for the provider: the round closed without an answer (the actor: who added the document).</summary>
    NegotiationSuperseded,
}

/// <summary>
/// One entry of an agreement's audit trail (table <c>agreement_events</c>): the end-of-term choices with who and when,
/// the refusals that changed nothing (who tried what, and why not), what the term timers and the renewal did, and the
/// negotiation with the provider (rounds sent, answers, refused clicks).
/// Append-only.
/// </summary>
public sealed class AgreementEvent
{
    public const int MaxDetailLength = 2000;
    public const int MaxCodeLength = 64;

    private AgreementEvent()
    {
    }

    public long Id { get; private set; }

    public long AgreementId { get; private set; }

    public DateTimeOffset At { get; private set; }

    public AgreementEventKind Kind { get; private set; }

    /// <summary>Who acted; null for what the bot did on its own (expiry at the end date).</summary>
    public PersonId? Actor { get; private set; }

    /// <summary>For <see cref="AgreementEventKind.Refused"/>: what was tried (Renew, LetExpire, Terminate).</summary>
    public string? Action { get; private set; }

    /// <summary>For a refusal: the machine-readable reason (<c>agreement.forbidden</c>, <c>agreement.termination_reason</c>…).</summary>
    public string? Code { get; private set; }

    /// <summary>The words people saw (a refusal's message, the termination reason, the revision decided).</summary>
    public string? Detail { get; private set; }

    public static AgreementEvent Record(long agreementId, AgreementEventKind kind, PersonId? actor, DateTimeOffset at, string? detail = null, string? action = null, string? code = null) =>
        new()
        {
            AgreementId = agreementId,
            Kind = kind,
            Actor = actor,
            At = at,
            Detail = detail is { Length: > MaxDetailLength } ? detail[..(MaxDetailLength - 1)] + "…" : detail,
            Action = action,
            Code = code is { Length: > MaxCodeLength } ? code[..MaxCodeLength] : code,
        };
}
