using System.IO.Compression;
using System.Security.Cryptography;
using ApprovalBot.Domain.Agreements;

namespace ApprovalBot.Agreements.Documents;

/// <summary>The document types the bot knows, recognised by their content (magic bytes, and a DOCX's parts), not by their name.</summary>
public static class DocumentTypes
{
    public const string Pdf = "pdf";
    public const string Docx = "docx";
    public const string PdfMime = "application/pdf";
    public const string DocxMime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    public static readonly IReadOnlyList<string> All = [Pdf, Docx];

    public static string MimeOf(string type) => type == Pdf ? PdfMime : DocxMime;

    /// <summary>
    /// What the bytes are: <c>pdf</c> (they start with <c>%PDF-</c>), <c>docx</c> (a ZIP package with
    /// <c>[Content_Types].xml</c> and <c>word/document.xml</c>), or null with a description of what they are instead.
    /// </summary>
    public static (string? Type, string Description) Sniff(ReadOnlyMemory<byte> content)
    {
        var span = content.Span;
        if (span.StartsWith("%PDF-"u8)) return (Pdf, "a PDF document");
        if (span.StartsWith("PK\u0003\u0004"u8))
        {
            try
            {
                using var zip = new ZipArchive(new MemoryStream(content.ToArray(), writable: false), ZipArchiveMode.Read);
                var names = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
                if (names.Contains("[Content_Types].xml") && names.Contains("word/document.xml")) return (Docx, "a Word document (DOCX)");
                return (null, names.Contains("[Content_Types].xml") ? "an Office file that is not a Word document" : "a ZIP archive");
            }
            catch (InvalidDataException)
            {
                return (null, "a damaged ZIP archive");
            }
        }
        if (span.StartsWith("MZ"u8)) return (null, "a Windows program");
        if (span.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0])) return (null, "an old binary Office file (DOC/XLS); save it as DOCX or PDF");
        if (span.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47]) || span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return (null, "an image");
        return (null, "not a PDF or Word document");
    }
}

/// <summary>Why a file was refused.</summary>
public enum DocumentRefusal
{
    TooLarge,
    ForbiddenType,
    Empty,
}

/// <summary>A file that passed every check, with its bytes (at most MaxBytes), or the refusal with a sentence that says what was wrong.</summary>
public sealed record DocumentCheck(DocumentFile? File, byte[]? Content, DocumentRefusal? Refusal, string? Problem)
{
    public static DocumentCheck Refuse(DocumentRefusal refusal, string problem) => new(null, null, refusal, problem);
}

/// <summary>
/// Reads an uploaded or fetched file with the size limit enforced while reading (never more than MaxBytes + 1 bytes are
/// held), then checks it: not empty, of an allowed type by its content, and with a name and declared type that agree.
/// Stores nothing.
/// </summary>
public sealed class DocumentIntake(Microsoft.Extensions.Options.IOptions<DocumentsOptions> options)
{
    private readonly DocumentsOptions _options = (options ?? throw new ArgumentNullException(nameof(options))).Value;

    public long MaxBytes => _options.MaxBytes;

    public string Limit => AgreementDocument.FormatSize(_options.MaxBytes);

    /// <summary>The refusal for a declared length over the limit (checked before reading anything), or null.</summary>
    public DocumentCheck? CheckDeclaredLength(string fileName, long? length) =>
        length > _options.MaxBytes
            ? DocumentCheck.Refuse(DocumentRefusal.TooLarge, $"'{fileName}' is {AgreementDocument.FormatSize(length.Value)}; the limit is {Limit}. Nothing was stored.")
            : null;

    public async Task<DocumentCheck> ReadAsync(Stream body, string fileName, string? declaredType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var name = Path.GetFileName((fileName ?? "").Trim().Replace('\\', '/'));
        if (name.Length is 0 or > DocumentFile.MaxFileNameLength)
            return DocumentCheck.Refuse(DocumentRefusal.ForbiddenType, $"A document needs a file name of 1–{DocumentFile.MaxFileNameLength} characters. Nothing was stored.");
        var content = await ReadLimitedAsync(body, _options.MaxBytes, cancellationToken);
        if (content is null)
            return DocumentCheck.Refuse(DocumentRefusal.TooLarge, $"'{name}' is larger than the limit of {Limit}. Nothing was stored.");
        return Check(content, name, declaredType);
    }

    /// <summary>Checks bytes already held (at most MaxBytes).</summary>
    public DocumentCheck Check(byte[] content, string name, string? declaredType)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.LongLength > _options.MaxBytes)
            return DocumentCheck.Refuse(DocumentRefusal.TooLarge, $"'{name}' is larger than the limit of {Limit}. Nothing was stored.");
        if (content.Length == 0) return DocumentCheck.Refuse(DocumentRefusal.Empty, $"The file '{name}' is empty (0 bytes): send the document itself. Nothing was stored.");
        var allowed = _options.EffectiveAllowedTypes();
        var accepted = string.Join(" or ", allowed.Select(t => t.ToUpperInvariant()));
        var (type, description) = DocumentTypes.Sniff(content);
        if (type is null || !allowed.Contains(type))
            return DocumentCheck.Refuse(DocumentRefusal.ForbiddenType, $"'{name}' is {description}; only {accepted} documents are accepted. Nothing was stored.");
        if (!name.EndsWith("." + type, StringComparison.OrdinalIgnoreCase))
            return DocumentCheck.Refuse(DocumentRefusal.ForbiddenType, $"'{name}' is {description} but its name does not end in .{type}; rename it and try again. Nothing was stored.");
        var declared = (declaredType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        if (declared.Length > 0 && declared != "application/octet-stream" && declared != DocumentTypes.MimeOf(type))
            return DocumentCheck.Refuse(DocumentRefusal.ForbiddenType, $"'{name}' was sent as {declared} but is {description}. Nothing was stored.");
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        return new DocumentCheck(new DocumentFile(name, DocumentTypes.MimeOf(type), content.LongLength, sha), content, null, null);
    }

    /// <summary>The whole stream, or null as soon as it proves longer than <paramref name="max"/> bytes.</summary>
    public static async Task<byte[]?> ReadLimitedAsync(Stream body, long max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        while (true)
        {
            var read = await body.ReadAsync(chunk, cancellationToken);
            if (read == 0) return buffer.ToArray();
            if (buffer.Length + read > max) return null;
            buffer.Write(chunk, 0, read);
        }
    }
}
