using ApprovalBot.Approvals.Cards;
using ApprovalBot.Teams.Cards;

namespace ApprovalBot.Agreements.Negotiation;

/// <summary>The verbs of the negotiation card (<c>cards/agreement-negotiation.json</c>); data <see cref="NegotiationActionData"/>, plus the <c>comment</c> input.</summary>
public static class NegotiationVerbs
{
    public const string Accept = "agreement.negotiation.accept";
    public const string RequestChanges = "agreement.negotiation.requestChanges";
    public const string CommentInput = "comment";
}

/// <summary>What Accept and Request changes send back: the agreement and the negotiation round the card showed.</summary>
public sealed record NegotiationActionData(long AgreementId, int Round);

/// <summary>
/// Data of <see cref="CardTemplates.AgreementNegotiation"/>: one negotiation round, one negotiator's copy: the key
/// terms, the documents (name, size, hash prefix, signed link) and the terms hash it was sent on;
/// <see cref="CanDecide"/> shows the comment box, Accept and Request changes; <see cref="ChangeRequest"/> is the
/// provider's comment once they asked for changes.
/// </summary>
public sealed record NegotiationCardData(
    long AgreementId,
    string Name,
    NoticeTone Tone,
    string Text,
    IReadOnlyList<NoticeFact> Facts,
    IReadOnlyList<ApprovalCardDocument> Documents,
    string TermsHash,
    bool CanDecide,
    NegotiationActionData Action,
    string? ChangeRequest = null,
    string? Error = null,
    string? Notice = null);
