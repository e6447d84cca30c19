using System.Collections.Frozen;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace ApprovalBot.Protocol.Auth;

/// <summary>
/// The signing keys and their endorsements from ONE download of the Bot Framework JWKS, so keys and endorsements
/// are always consistent with each other and are refreshed together.
/// </summary>
internal sealed class SigningKeySnapshot
{
    public const string EndorsementsMember = "endorsements";

    private readonly FrozenDictionary<string, SecurityKey[]> _keysById;
    private readonly FrozenDictionary<string, FrozenSet<string>> _endorsementsById;

    private SigningKeySnapshot(FrozenDictionary<string, SecurityKey[]> keysById, FrozenDictionary<string, FrozenSet<string>> endorsementsById, DateTimeOffset fetchedAt)
    {
        _keysById = keysById;
        _endorsementsById = endorsementsById;
        FetchedAt = fetchedAt;
    }

    public DateTimeOffset FetchedAt { get; }

    public int KeyCount => _keysById.Count;

    /// <summary>The keys whose <c>kid</c> equals <paramref name="keyId"/> (ordinal), or none.</summary>
    public IReadOnlyList<SecurityKey> KeysFor(string keyId) => _keysById.TryGetValue(keyId, out var keys) ? keys : [];

    /// <summary>The key's endorsements, or null when the JWK has no usable <c>endorsements</c> entry.</summary>
    public IReadOnlySet<string>? EndorsementsFor(string keyId) => _endorsementsById.GetValueOrDefault(keyId);

    /// <summary>
    /// Builds a snapshot from a JWK set. IdentityModel 8.16 keeps unknown JWK members in
    /// <see cref="JsonWebKey.AdditionalData"/> (a <see cref="JsonElement"/> for <c>endorsements</c>), so keys and
    /// endorsements come from the same parsed document. A <c>kid</c> listed twice is ambiguous and gets no endorsements.
    /// </summary>
    public static SigningKeySnapshot Create(JsonWebKeySet keySet, IEnumerable<SecurityKey> signingKeys, DateTimeOffset fetchedAt)
    {
        ArgumentNullException.ThrowIfNull(keySet);
        ArgumentNullException.ThrowIfNull(signingKeys);

        var keysById = signingKeys
            .Where(k => !string.IsNullOrEmpty(k.KeyId))
            .GroupBy(k => k.KeyId, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

        var endorsements = new Dictionary<string, FrozenSet<string>>(StringComparer.Ordinal);
        foreach (var group in keySet.Keys.Where(k => !string.IsNullOrEmpty(k.Kid)).GroupBy(k => k.Kid, StringComparer.Ordinal))
        {
            if (group.Count() != 1) continue;
            if (ReadEndorsements(group.Single()) is { } set) endorsements[group.Key] = set;
        }

        return new SigningKeySnapshot(keysById, endorsements.ToFrozenDictionary(StringComparer.Ordinal), fetchedAt);
    }

    /// <summary>The <c>endorsements</c> member as a set of strings; null when absent or not an array of strings.</summary>
    internal static FrozenSet<string>? ReadEndorsements(JsonWebKey key)
    {
        if (!key.AdditionalData.TryGetValue(EndorsementsMember, out var value)) return null;
        switch (value)
        {
            case JsonElement { ValueKind: JsonValueKind.Array } array:
                var items = new List<string>();
                foreach (var item in array.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String) return null;
                    items.Add(item.GetString()!);
                }
                return items.ToFrozenSet(StringComparer.Ordinal);
            case IEnumerable<string> strings:
                return strings.ToFrozenSet(StringComparer.Ordinal);
            default:
                return null;
        }
    }
}
