using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace ApprovalBot.TestSupport.Auth;

/// <summary>
/// What to put in a minted channel token. The defaults make a token that the production validator accepts for
/// <see cref="TestTokenIssuer.DefaultAppId"/> and <see cref="TestTokenIssuer.DefaultServiceUrl"/>; each property
/// breaks one rule when changed (use <c>with</c>).
/// </summary>
public sealed record ChannelTokenSpec
{
    public string? Issuer { get; init; } = "https://api.botframework.com";

    /// <summary>One audience value; ignored when <see cref="Audiences"/> is set; null ⇒ no <c>aud</c>.</summary>
    public string? Audience { get; init; } = TestTokenIssuer.DefaultAppId;

    /// <summary>When set, <c>aud</c> is written as this JSON array.</summary>
    public IReadOnlyList<string>? Audiences { get; init; }

    /// <summary>The <c>serviceurl</c> claim; null ⇒ claim omitted.</summary>
    public string? ServiceUrl { get; init; } = TestTokenIssuer.DefaultServiceUrl;

    /// <summary><c>exp</c> relative to the issuer's clock; null ⇒ claim omitted.</summary>
    public TimeSpan? ExpiresIn { get; init; } = TimeSpan.FromHours(1);

    /// <summary><c>nbf</c> relative to the issuer's clock; null ⇒ claim omitted.</summary>
    public TimeSpan? NotBeforeIn { get; init; } = TimeSpan.FromMinutes(-1);

    /// <summary>The key that signs (RS*) — and whose kid goes in the header unless <see cref="KeyId"/> is set.</summary>
    public TestSigningKey? SigningKey { get; init; }

    /// <summary>Overrides the header <c>kid</c>; empty string ⇒ header has no <c>kid</c>.</summary>
    public string? KeyId { get; init; }

    /// <summary><c>RS256</c>, <c>RS384</c>, <c>RS512</c>, <c>none</c> (unsigned), <c>HS256</c> (HMAC over the signing key's public PEM bytes unless <see cref="HmacSecret"/>), or anything else verbatim with an RS256 signature.</summary>
    public string Algorithm { get; init; } = "RS256";

    public byte[]? HmacSecret { get; init; }

    /// <summary>Flips one bit of the signature.</summary>
    public bool TamperSignature { get; init; }

    /// <summary>Channel tokens carry <c>ver</c>/<c>appid</c> too; kept for realism.</summary>
    public string? Version { get; init; } = "1.0";

    /// <summary>Optional <c>tid</c> claim (channel tokens normally have none; the tenant comes from the activity).</summary>
    public string? TenantId { get; init; }

    /// <summary>Extra or replacing payload claims.</summary>
    public IReadOnlyDictionary<string, JsonNode?>? ExtraClaims { get; init; }
}

/// <summary>Mints Bot Framework channel tokens by hand (so every rule can be broken), timed by the given clock.</summary>
public sealed class TestTokenIssuer(TimeProvider timeProvider)
{
    public const string DefaultAppId = "7e5f4d3c-2b1a-4c9d-8e7f-6a5b4c3d2e1f";
    public const string DefaultServiceUrl = "https://smba.trafficmanager.net/amer/";
    public const string DefaultChannelId = "msteams";

    public string Mint(ChannelTokenSpec? spec = null)
    {
        spec ??= new ChannelTokenSpec();
        var key = spec.SigningKey ?? TestSigningKeys.Teams;
        var now = timeProvider.GetUtcNow();

        var header = new JsonObject { ["alg"] = spec.Algorithm, ["typ"] = "JWT" };
        var kid = spec.KeyId ?? key.KeyId;
        if (kid.Length > 0) header["kid"] = kid;

        var payload = new JsonObject();
        if (spec.Issuer is not null) payload["iss"] = spec.Issuer;
        if (spec.Audiences is not null) payload["aud"] = new JsonArray([.. spec.Audiences.Select(a => (JsonNode?)JsonValue.Create(a))]);
        else if (spec.Audience is not null) payload["aud"] = spec.Audience;
        if (spec.ServiceUrl is not null) payload["serviceurl"] = spec.ServiceUrl;
        if (spec.NotBeforeIn is { } nbf) payload["nbf"] = (now + nbf).ToUnixTimeSeconds();
        if (spec.ExpiresIn is { } exp) payload["exp"] = (now + exp).ToUnixTimeSeconds();
        payload["iat"] = now.ToUnixTimeSeconds();
        if (spec.Version is not null) payload["ver"] = spec.Version;
        if (spec.Audience is not null) payload["appid"] = spec.Audience;
        if (spec.TenantId is not null) payload["tid"] = spec.TenantId;
        foreach (var (name, value) in spec.ExtraClaims ?? new Dictionary<string, JsonNode?>())
            payload[name] = value?.DeepClone();

        var signingInput = Encode(header) + "." + Encode(payload);
        var signature = Sign(spec, key, Encoding.ASCII.GetBytes(signingInput));
        if (spec.TamperSignature && signature.Length > 0) signature[^1] ^= 0x01;
        return signingInput + "." + Base64UrlEncoder.Encode(signature);
    }

    /// <summary>The Authorization header value for a minted token.</summary>
    public string MintHeader(ChannelTokenSpec? spec = null) => "Bearer " + Mint(spec);

    private static byte[] Sign(ChannelTokenSpec spec, TestSigningKey key, byte[] input) => spec.Algorithm switch
    {
        "none" => [],
        "HS256" => HMACSHA256.HashData(spec.HmacSecret ?? key.PublicKeyPemBytes, input),
        "RS384" => key.Rsa.SignData(input, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
        "RS512" => key.Rsa.SignData(input, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1),
        _ => key.Rsa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
    };

    private static string Encode(JsonObject json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json.ToJsonString(new JsonSerializerOptions { WriteIndented = false })));
}
