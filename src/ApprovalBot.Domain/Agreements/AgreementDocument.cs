using System.Globalization;
using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Agreements;

/// <summary>Which document of a revision: at most one of each kind per revision.</summary>
public enum DocumentKind
{
    /// <summary>The preliminary draft of the contract.</summary>
    Draft,

    /// <summary>The final contract.</summary>
    FinalContract,
}

/// <summary>A file as it was received and checked: its name, its verified content type, its size and SHA-256 (lower-case hex).</summary>
public sealed record DocumentFile
{
    public const int MaxFileNameLength = 255;
    public const int MaxContentTypeLength = 100;

    public DocumentFile(string fileName, string contentType, long sizeBytes, string sha256)
    {
        FileName = Guard.RequiredText(fileName, "The file name", MaxFileNameLength);
        ContentType = Guard.RequiredText(contentType, "The content type", MaxContentTypeLength);
        Guard.That(sizeBytes > 0, "document.empty", "The file is empty.");
        Guard.That(sha256 is { Length: 64 } && sha256.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f')), "document.hash", "A SHA-256 is 64 lower-case hex digits.");
        SizeBytes = sizeBytes;
        Sha256 = sha256;
    }

    public string FileName { get; }

    public string ContentType { get; }

    public long SizeBytes { get; }

    public string Sha256 { get; }
}

/// <summary>
/// A document of one agreement revision, pinned by its SHA-256: the bytes live in the document store under that hash,
/// and every decision on the revision records the hashes it was made on. Never changed once added: a new file makes a
/// new document (and, once the revision was submitted, a new revision).
/// </summary>
public sealed class AgreementDocument
{
    private AgreementDocument()
    {
        FileName = string.Empty;
        ContentType = string.Empty;
        Sha256 = string.Empty;
    }

    internal AgreementDocument(DocumentKind kind, DocumentFile file, PersonId by, DateTimeOffset at)
    {
        Kind = kind;
        FileName = file.FileName;
        ContentType = file.ContentType;
        SizeBytes = file.SizeBytes;
        Sha256 = file.Sha256;
        UploadedBy = by;
        UploadedAt = at;
    }

    public long Id { get; private set; }

    public DocumentKind Kind { get; private set; }

    public string FileName { get; private set; }

    public string ContentType { get; private set; }

    public long SizeBytes { get; private set; }

    /// <summary>Lower-case hex.</summary>
    public string Sha256 { get; private set; }

    public PersonId UploadedBy { get; private set; }

    public DateTimeOffset UploadedAt { get; private set; }

    /// <summary>The first 12 hex digits: what cards show.</summary>
    public string ShortHash => Sha256.Length >= 12 ? Sha256[..12] : Sha256;

    internal AgreementDocument Copy() => new()
    {
        Kind = Kind,
        FileName = FileName,
        ContentType = ContentType,
        SizeBytes = SizeBytes,
        Sha256 = Sha256,
        UploadedBy = UploadedBy,
        UploadedAt = UploadedAt,
    };

    /// <summary>"Draft" / "Final contract".</summary>
    public static string KindName(DocumentKind kind) => kind == DocumentKind.FinalContract ? "Final contract" : "Draft";

    /// <summary>"1.2 MB", "830 KB", "512 bytes" (1 KB = 1024 bytes).</summary>
    public static string FormatSize(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
    };

    /// <summary>The hashes a decision is made on, in a stable order: "Draft:&lt;sha256&gt; FinalContract:&lt;sha256&gt;"; null for none.</summary>
    public static string? Fingerprint(IEnumerable<AgreementDocument> documents) => Fingerprint(documents.Select(d => (d.Kind, d.Sha256)));

    /// <inheritdoc cref="Fingerprint(IEnumerable{AgreementDocument})"/>
    public static string? Fingerprint(IEnumerable<(DocumentKind Kind, string Sha256)> documents)
    {
        var parts = documents.OrderBy(d => d.Kind).Select(d => $"{d.Kind}:{d.Sha256}").ToList();
        return parts.Count == 0 ? null : string.Join(' ', parts);
    }
}

/// <summary>What adding a document did.</summary>
public enum DocumentChange
{
    /// <summary>The revision already has this very file as that kind: nothing changed.</summary>
    Unchanged,

    /// <summary>Added to (or replaced in) the current revision, which was not yet submitted.</summary>
    AddedToRevision,

    /// <summary>The current revision was submitted, so the document went into a new revision (not yet submitted).</summary>
    NewRevision,

    /// <summary>The revision in approval was superseded by a new revision with the document; the request restarts from its first stage.</summary>
    NewRevisionInApproval,

    /// <summary>
    /// The revision awaiting signatures was superseded by a new revision with the document, which goes into a new
    /// approval request; the signatures so far do not count.
    /// </summary>
    NewRevisionAwaitingSignatures,
}
