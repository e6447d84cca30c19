using Microsoft.IdentityModel.Protocols;

namespace ApprovalBot.TestSupport.Auth;

/// <summary>
/// An <see cref="IDocumentRetriever"/> that serves the login documents from memory (no I/O), counting fetches.
/// Point <c>BotAuthentication:OpenIdMetadataUrl</c> at <see cref="MetadataUrl"/>.
/// </summary>
public sealed class InMemoryBotFrameworkLogin : IDocumentRetriever
{
    public const string MetadataUrl = "https://login.test.invalid" + BotFrameworkLoginDocuments.MetadataPath;
    public const string KeysUrl = "https://login.test.invalid" + BotFrameworkLoginDocuments.KeysPath;

    private readonly Lock _gate = new();
    private IReadOnlyList<TestSigningKey> _keys;
    private int _metadataFetches;
    private int _keyFetches;

    public InMemoryBotFrameworkLogin(IEnumerable<TestSigningKey>? keys = null) => _keys = [.. keys ?? TestSigningKeys.DefaultPublished];

    /// <summary>When true every fetch fails as an unreachable server would.</summary>
    public bool Unreachable { get; set; }

    public int MetadataFetches => Volatile.Read(ref _metadataFetches);

    public int KeyFetches => Volatile.Read(ref _keyFetches);

    /// <summary>Replaces the published keys (key rotation).</summary>
    public void Publish(params TestSigningKey[] keys)
    {
        lock (_gate) { _keys = keys; }
    }

    public Task<string> GetDocumentAsync(string address, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        if (address == MetadataUrl) Interlocked.Increment(ref _metadataFetches);
        else if (address == KeysUrl) Interlocked.Increment(ref _keyFetches);
        else throw new IOException($"No document at {address}.");

        if (Unreachable) throw new IOException($"Connection refused: {address}.");
        if (address == MetadataUrl) return Task.FromResult(BotFrameworkLoginDocuments.Metadata(KeysUrl));
        lock (_gate) { return Task.FromResult(BotFrameworkLoginDocuments.KeySet(_keys)); }
    }
}
