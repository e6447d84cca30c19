using ApprovalBot.Teams.Cards;

namespace ApprovalBot.Agreements.Signing;

/// <summary>The verb of the signing card (<c>cards/agreement-signing.json</c>); data <see cref="SigningActionData"/>, plus the <c>typedName</c> input.</summary>
public static class SigningVerbs
{
    public const string Sign = "agreement.sign";
    public const string TypedNameInput = "typedName";
}

/// <summary>What Sign sends back: the agreement, and the revision and hash the card showed.</summary>
public sealed record SigningActionData(long AgreementId, int Revision, string Sha256);

/// <summary>One signatory's line: name, and when they signed (empty: not yet).</summary>
public sealed record SignatoryLine(string Name, string State);

/// <summary>
/// Data of <see cref="CardTemplates.AgreementSigning"/>: one agreement's signing, one viewer's copy.
/// <see cref="HashOf"/> says what <see cref="Sha256"/> is the hash of; <see cref="CanSign"/> shows the name box and Sign;
/// <see cref="JoinUrl"/> (the signing meeting's Teams join link, an absolute https URL the domain kept) shows Join.
/// </summary>
public sealed record SigningCardData(
    long AgreementId,
    string Name,
    NoticeTone Tone,
    string Text,
    IReadOnlyList<NoticeFact> Facts,
    string HashOf,
    string Sha256,
    IReadOnlyList<SignatoryLine> Signatories,
    bool CanSign,
    SigningActionData Action,
    string? Error = null,
    string? Notice = null,
    string? JoinUrl = null);
