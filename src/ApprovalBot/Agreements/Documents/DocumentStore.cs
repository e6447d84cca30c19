using System.Security.Cryptography;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Agreements.Documents;

/// <summary>
/// Document bytes, content-addressed by SHA-256 (lower-case hex). <see cref="PutAsync"/> is called before the
/// agreement's change is saved and stores the bytes at once if they are not stored yet: the database store inserts its
/// row "if absent", the folder store writes the file. Two uploads of the same bytes at the same moment both succeed
/// and share one copy. An orphan copy, should the agreement's save then fail, is harmless: it is only ever found by its
/// hash, and the same bytes uploaded again use it.
/// </summary>
public interface IDocumentStore
{
    Task PutAsync(string sha256, byte[] content, CancellationToken cancellationToken);

    /// <summary>The bytes, verified against their hash; null when missing (or altered on disk).</summary>
    Task<byte[]?> GetAsync(string sha256, CancellationToken cancellationToken);
}

/// <summary>
/// Table <c>agreement_document_contents</c>, one row per hash. The row is inserted with <c>ON CONFLICT DO NOTHING</c>
/// (the same text on SQLite and PostgreSQL) rather than staged in the agreement's save: two uploads of the same bytes
/// at once (to two agreements, or two clicks) would otherwise both stage the row and the second save would fail on
/// the primary key. Inside a transaction it joins it; otherwise it commits on its own, before the agreement's save.
/// </summary>
public sealed class DatabaseDocumentStore(BotDbContext db, TimeProvider time) : IDocumentStore
{
    public async Task PutAsync(string sha256, byte[] content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (db.DocumentContents.Local.Any(c => c.Sha256 == sha256)) return;
        if (await db.DocumentContents.AsNoTracking().AnyAsync(c => c.Sha256 == sha256, cancellationToken)) return;
        // The instant as the model stores it (Unix milliseconds on SQLite, UTC on PostgreSQL): raw SQL bypasses the converters.
        var storedAt = db.Model.FindEntityType(typeof(DocumentContent))!.FindProperty(nameof(DocumentContent.StoredAt))!.GetTypeMapping().Converter is { } converter
            ? converter.ConvertToProvider(time.GetUtcNow())!
            : time.GetUtcNow();
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO \"agreement_document_contents\" (\"sha256\", \"content\", \"size_bytes\", \"stored_at\") VALUES ({sha256}, {content}, {content.LongLength}, {storedAt}) ON CONFLICT DO NOTHING",
            cancellationToken);
    }

    public async Task<byte[]?> GetAsync(string sha256, CancellationToken cancellationToken)
    {
        var content = await db.DocumentContents.AsNoTracking().Where(c => c.Sha256 == sha256).Select(c => c.Content).FirstOrDefaultAsync(cancellationToken);
        return content is not null && DocumentHashes.Matches(content, sha256) ? content : null;
    }
}

/// <summary>One file per hash under <c>Agreements:Documents:Folder</c>: <c>ab/abcdef…</c>. Written to a temporary name, then moved.</summary>
public sealed class FolderDocumentStore(IOptions<DocumentsOptions> options) : IDocumentStore
{
    private readonly string _root = Path.GetFullPath((options ?? throw new ArgumentNullException(nameof(options))).Value.Folder ?? ".");

    public async Task PutAsync(string sha256, byte[] content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var path = PathOf(sha256);
        if (File.Exists(path)) return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temporary, content, cancellationToken);
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary); // the same bytes arrived at the same time
        }
    }

    public async Task<byte[]?> GetAsync(string sha256, CancellationToken cancellationToken)
    {
        var path = PathOf(sha256);
        if (!File.Exists(path)) return null;
        var content = await File.ReadAllBytesAsync(path, cancellationToken);
        return DocumentHashes.Matches(content, sha256) ? content : null;
    }

    private string PathOf(string sha256)
    {
        if (!DocumentHashes.IsSha256(sha256)) throw new ArgumentException("Not a SHA-256 in lower-case hex.", nameof(sha256));
        return Path.Combine(_root, sha256[..2], sha256);
    }
}

internal static class DocumentHashes
{
    public static bool IsSha256(string? value) => value is { Length: 64 } && value.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    public static bool Matches(byte[] content, string sha256) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(content), Convert.FromHexString(sha256));
}
