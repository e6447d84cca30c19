using System.Security.Cryptography;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Agreements.Documents;

/// <summary>
/// Document bytes, content-addressed by SHA-256 (lower-case hex). <see cref="PutAsync"/> is called before the
/// agreement's change is saved: the database store stages its row in the same save; the folder store writes the file
/// at once (an orphan file, should the save fail, is harmless: it is only ever found by its hash).
/// </summary>
public interface IDocumentStore
{
    Task PutAsync(string sha256, byte[] content, CancellationToken cancellationToken);

    /// <summary>The bytes, verified against their hash; null when missing (or altered on disk).</summary>
    Task<byte[]?> GetAsync(string sha256, CancellationToken cancellationToken);
}

/// <summary>Table <c>agreement_document_contents</c>, in the same unit of work as the agreement.</summary>
public sealed class DatabaseDocumentStore(BotDbContext db, TimeProvider time) : IDocumentStore
{
    public async Task PutAsync(string sha256, byte[] content, CancellationToken cancellationToken)
    {
        if (db.DocumentContents.Local.Any(c => c.Sha256 == sha256)) return;
        if (await db.DocumentContents.AsNoTracking().AnyAsync(c => c.Sha256 == sha256, cancellationToken)) return;
        db.DocumentContents.Add(new DocumentContent(sha256, content, time.GetUtcNow()));
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
