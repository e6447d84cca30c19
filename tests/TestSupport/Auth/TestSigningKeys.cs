using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace ApprovalBot.TestSupport.Auth;

/// <summary>An RSA signing key as the Bot Framework JWKS publishes it: a key id plus an optional endorsements list.</summary>
public sealed class TestSigningKey
{
    private readonly RSA _rsa;

    public TestSigningKey(string keyId, IReadOnlyList<string>? endorsements, int keySizeInBits = 2048)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        KeyId = keyId;
        Endorsements = endorsements;
        _rsa = RSA.Create(keySizeInBits);
    }

    public string KeyId { get; }

    /// <summary>Null ⇒ the JWK has no <c>endorsements</c> member at all.</summary>
    public IReadOnlyList<string>? Endorsements { get; }

    internal RSA Rsa => _rsa;

    /// <summary>The public key as PEM bytes (what an algorithm-confusion attacker would use as an HMAC secret).</summary>
    public byte[] PublicKeyPemBytes => System.Text.Encoding.UTF8.GetBytes(_rsa.ExportSubjectPublicKeyInfoPem());

    /// <summary>The same key pair under another key id and endorsements (e.g. to publish a key whose kid differs from the token's).</summary>
    public TestSigningKey WithEndorsements(IReadOnlyList<string>? endorsements) => new(KeyId, endorsements, _rsa);

    private TestSigningKey(string keyId, IReadOnlyList<string>? endorsements, RSA rsa)
    {
        KeyId = keyId;
        Endorsements = endorsements;
        _rsa = rsa;
    }

    /// <summary>The public JWK, as served in <c>keys</c> of the JWKS.</summary>
    public JsonObject ToJwk()
    {
        var p = _rsa.ExportParameters(includePrivateParameters: false);
        var jwk = new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = KeyId,
            ["n"] = Base64UrlEncoder.Encode(p.Modulus),
            ["e"] = Base64UrlEncoder.Encode(p.Exponent),
        };
        if (Endorsements is not null)
            jwk["endorsements"] = new JsonArray([.. Endorsements.Select(e => (JsonNode?)JsonValue.Create(e))]);
        return jwk;
    }
}

/// <summary>Well-known test keys (generated once per test process; never persisted).</summary>
public static class TestSigningKeys
{
    private static readonly Lazy<TestSigningKey> s_teams = new(() => new("teams-key-1", ["msteams", "skype"]));
    private static readonly Lazy<TestSigningKey> s_rotated = new(() => new("teams-key-2", ["msteams"]));
    private static readonly Lazy<TestSigningKey> s_unendorsed = new(() => new("no-endorsements", null));
    private static readonly Lazy<TestSigningKey> s_skypeOnly = new(() => new("skype-only", ["skype"]));
    private static readonly Lazy<TestSigningKey> s_unpublished = new(() => new("never-published", ["msteams"]));

    /// <summary>The usual key: endorsed for msteams and skype.</summary>
    public static TestSigningKey Teams => s_teams.Value;

    /// <summary>A second msteams key, for rotation.</summary>
    public static TestSigningKey Rotated => s_rotated.Value;

    /// <summary>Published with no <c>endorsements</c> member (emulator/skill-style).</summary>
    public static TestSigningKey Unendorsed => s_unendorsed.Value;

    /// <summary>Endorsed, but not for msteams.</summary>
    public static TestSigningKey SkypeOnly => s_skypeOnly.Value;

    /// <summary>A key the login service never publishes (tokens signed with it have an unknown kid).</summary>
    public static TestSigningKey Unpublished => s_unpublished.Value;

    /// <summary>The default published set: Teams, Unendorsed and SkypeOnly.</summary>
    public static IReadOnlyList<TestSigningKey> DefaultPublished => [Teams, Unendorsed, SkypeOnly];
}
