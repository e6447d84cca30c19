using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Agreements;

/// <summary>What the signing hash is the SHA-256 of.</summary>
public enum SigningHashSource
{
    /// <summary>The revision's final contract document (its stored SHA-256).</summary>
    FinalContract,

    /// <summary>The revision had no final contract: the SHA-256 of its terms as canonical JSON (UTF-8).</summary>
    Terms,
}

/// <summary>
/// What signing the approved revision takes: who signs (at least one, distinct) and the hash each of them signs,
/// with where it comes from. The host resolves the flow's configured signatories and computes the hash.
/// </summary>
public sealed record SigningRequirement
{
    public SigningRequirement(IEnumerable<PersonId> signatories, string sha256, SigningHashSource source, string? documentName)
    {
        Signatories = Guard.DistinctList(signatories, "The signatories");
        Guard.That(Signatories.Count > 0, "agreement.invalid", "Signing needs at least one signatory.");
        Guard.That(sha256 is { Length: 64 } && sha256.All(Uri.IsHexDigit), "agreement.invalid", "The signing hash is a SHA-256 in hex.");
        Sha256 = sha256.ToLowerInvariant();
        Source = source;
        DocumentName = source == SigningHashSource.FinalContract ? Guard.RequiredText(documentName, "The document's name", DocumentFile.MaxFileNameLength) : null;
    }

    public IReadOnlyList<PersonId> Signatories { get; }

    public string Sha256 { get; }

    public SigningHashSource Source { get; }

    public string? DocumentName { get; }
}

public enum SigningEventKind
{
    /// <summary>A signatory signed: the typed name matched their directory name.</summary>
    Signature,

    /// <summary>Someone who is not a signatory of that round pressed Sign: refused, kept for the audit.</summary>
    RefusedNotSignatory,
}

/// <summary>
/// One signing event on a revision (an electronic acceptance record, not a qualified electronic signature): who (the
/// authenticated Teams user's directory id), when, the hash shown on their card, and the name they typed. Refusals of
/// people who are not signatories are kept too, for the audit.
/// </summary>
public sealed class AgreementSignature
{
    public const int MaxTypedNameLength = 200;

    private AgreementSignature()
    {
        Sha256 = string.Empty;
        TypedName = string.Empty;
    }

    internal AgreementSignature(SigningEventKind kind, int revision, PersonId signer, DateTimeOffset at, string sha256, string typedName)
    {
        Kind = kind;
        Revision = revision;
        Signer = signer;
        At = at;
        Sha256 = sha256;
        TypedName = typedName.Length <= MaxTypedNameLength ? typedName : typedName[..MaxTypedNameLength];
    }

    public long Id { get; private set; }

    public SigningEventKind Kind { get; private set; }

    /// <summary>The revision it was about.</summary>
    public int Revision { get; private set; }

    public PersonId Signer { get; private set; }

    public DateTimeOffset At { get; private set; }

    /// <summary>The SHA-256 the card showed.</summary>
    public string Sha256 { get; private set; }

    /// <summary>What they typed as their full name.</summary>
    public string TypedName { get; private set; }
}

public enum SignOutcome
{
    /// <summary>Recorded; others still have to sign.</summary>
    Accepted,

    /// <summary>Recorded, and it was the last signature: the agreement is Active.</summary>
    Activated,

    /// <summary>They had signed this revision already: nothing changed.</summary>
    AlreadySigned,

    /// <summary>Not a signatory of this revision: nothing changed but the audit record.</summary>
    NotSignatory,

    /// <summary>The typed name is not their directory name: nothing recorded.</summary>
    NameMismatch,

    /// <summary>The card shows another revision or hash than the one awaiting signatures (or none is): nothing changed.</summary>
    StaleCard,
}

/// <summary>What a signing attempt did, with one sentence for the person who pressed Sign.</summary>
public sealed record SignResult(SignOutcome Outcome, string Message)
{
    public bool Recorded => Outcome is SignOutcome.Accepted or SignOutcome.Activated;
}
