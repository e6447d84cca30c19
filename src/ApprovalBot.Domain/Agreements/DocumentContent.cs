namespace ApprovalBot.Domain.Agreements;

/// <summary>A document's bytes in the database store, content-addressed: the key is their SHA-256 (lower-case hex).</summary>
public sealed class DocumentContent
{
    private DocumentContent()
    {
        Sha256 = string.Empty;
        Content = [];
    }

    public DocumentContent(string sha256, byte[] content, DateTimeOffset storedAt)
    {
        Sha256 = sha256;
        Content = content;
        SizeBytes = content?.LongLength ?? 0;
        StoredAt = storedAt;
    }

    public string Sha256 { get; private set; }

    public byte[] Content { get; private set; }

    public long SizeBytes { get; private set; }

    public DateTimeOffset StoredAt { get; private set; }
}
