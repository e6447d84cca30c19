using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Agreements.Documents;

/// <summary>What a download link's check found.</summary>
public enum LinkCheck
{
    Valid,
    Expired,
    Invalid,
}

/// <summary>
/// Short-lived signed download links: a browser opened from a Teams card cannot send an API key, so the link carries
/// its own authority, <c>/documents/{agreementId}/{sha256}?expires={unix seconds}&amp;sig={HMAC-SHA256}</c>, the HMAC
/// over agreement id, document hash and expiry with <c>Agreements:Documents:LinkSigningKey</c>. Bound to one document
/// of one agreement by its hash (the bytes are content-addressed; a card is rendered in the same save as the upload,
/// before the document row has an id): it opens nothing else, and nothing once the agreement has no such document.
/// </summary>
public sealed class DocumentLinks(IOptions<DocumentsOptions> options, TimeProvider time)
{
    public const string PathPrefix = "/documents";
    private readonly DocumentsOptions _options = (options ?? throw new ArgumentNullException(nameof(options))).Value;
    private readonly byte[]? _key = options.Value.SigningKeyBytes();

    /// <summary>True when cards can carry links (a public address and a key are configured).</summary>
    public bool Enabled => _key is not null && !string.IsNullOrWhiteSpace(_options.PublicBaseUrl);

    /// <summary>The absolute link for a card, or null when links are not configured.</summary>
    public string? For(long agreementId, string sha256)
    {
        if (!Enabled) return null;
        return _options.PublicBaseUrl!.TrimEnd('/') + PathAndQuery(agreementId, sha256, time.GetUtcNow() + _options.LinkLifetime);
    }

    /// <summary>The link's path and query, expiring at <paramref name="expires"/> (whole seconds).</summary>
    public string PathAndQuery(long agreementId, string sha256, DateTimeOffset expires)
    {
        var key = _key ?? throw new InvalidOperationException("Agreements:Documents:LinkSigningKey is not configured.");
        var unix = expires.ToUnixTimeSeconds();
        return string.Create(CultureInfo.InvariantCulture, $"{PathPrefix}/{agreementId}/{sha256}?expires={unix}&sig={Sign(key, agreementId, sha256, unix)}");
    }

    /// <summary>Checks a link's signature (in constant time), then its expiry.</summary>
    public LinkCheck Check(long agreementId, string sha256, long expires, string? signature)
    {
        if (_key is not { } key || string.IsNullOrEmpty(signature) || !DocumentHashes.IsSha256(sha256)) return LinkCheck.Invalid;
        var expected = Encoding.ASCII.GetBytes(Sign(key, agreementId, sha256, expires));
        var given = Encoding.ASCII.GetBytes(signature);
        if (!CryptographicOperations.FixedTimeEquals(expected, given)) return LinkCheck.Invalid;
        return time.GetUtcNow().ToUnixTimeSeconds() < expires ? LinkCheck.Valid : LinkCheck.Expired;
    }

    private static string Sign(byte[] key, long agreementId, string sha256, long expires)
    {
        var message = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"approvalbot-document-v1\n{agreementId}\n{sha256}\n{expires}"));
        return Base64Url(HMACSHA256.HashData(key, message));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
