using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Api;

/// <summary>A configured key as the API knows it: its name, the SHA-256 of the secret, its roles. The secret itself is not kept.</summary>
internal sealed record ApiKey(string Name, byte[] Hash, IReadOnlyList<string> Roles);

/// <summary>
/// The configured keys, hashed once at start-up. A presented key is hashed and compared with every configured hash in
/// constant time (<see cref="CryptographicOperations.FixedTimeEquals"/>), so neither the comparison nor the position of
/// the match tells a caller anything.
/// </summary>
internal sealed class ApiKeyStore
{
    private readonly IReadOnlyList<ApiKey> _keys;

    public ApiKeyStore(IOptions<ApiOptions> options)
    {
        _keys = [.. options.Value.Keys.Select(k => new ApiKey(
            k.Name!.Trim(),
            k.KeyHash is { Length: > 0 } hash ? Convert.FromHexString(hash.Trim()) : Hash(k.Key!),
            [.. k.Roles.Select(r => r.Trim().ToLowerInvariant()).Distinct()]))];
    }

    public IReadOnlyList<ApiKey> All => _keys;

    public ApiKey? Find(string presented)
    {
        var hash = Hash(presented);
        ApiKey? match = null;
        foreach (var key in _keys)
        {
            // No early exit: every configured key is compared.
            if (CryptographicOperations.FixedTimeEquals(key.Hash, hash) && match is null)
                match = key;
        }
        return match;
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>The form <c>KeyHash</c> takes in configuration: lower-case hex, as <c>sha256sum</c> prints it.</summary>
    public static string HashHex(string key) => Convert.ToHexString(Hash(key)).ToLower(CultureInfo.InvariantCulture);
}

/// <summary>Refuses a configuration the API could not use safely, at start-up. Messages name the key, never its secret.</summary>
internal sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public const int MinimumKeyLength = 16;

    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        var errors = new List<string>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Keys.Count; i++)
        {
            var key = options.Keys[i];
            var label = string.IsNullOrWhiteSpace(key.Name) ? $"Api:Keys:{i}" : $"Api key '{key.Name}'";
            if (string.IsNullOrWhiteSpace(key.Name))
                errors.Add($"{label}: Name is required.");
            else if (!names.Add(key.Name.Trim()))
                errors.Add($"{label}: the name is used twice.");

            var hasKey = !string.IsNullOrEmpty(key.Key);
            var hasHash = !string.IsNullOrWhiteSpace(key.KeyHash);
            if (hasKey == hasHash)
                errors.Add($"{label}: set exactly one of Key and KeyHash.");
            else if (hasKey && key.Key!.Length < MinimumKeyLength)
                errors.Add($"{label}: Key must be at least {MinimumKeyLength} characters (generate one with `openssl rand -base64 32`).");
            else if (hasHash && !IsSha256Hex(key.KeyHash!.Trim()))
                errors.Add($"{label}: KeyHash must be the SHA-256 of the key as 64 hexadecimal digits.");

            if (key.Roles.Count == 0)
                errors.Add($"{label}: give it at least one role ({string.Join(", ", ApiRoles.All)}).");
            foreach (var role in key.Roles)
            {
                if (!ApiRoles.All.Contains(role.Trim().ToLowerInvariant()))
                    errors.Add($"{label}: unknown role '{role}' (known: {string.Join(", ", ApiRoles.All)}).");
            }
        }
        if (options.FailureDelay < TimeSpan.Zero || options.FailureDelay > TimeSpan.FromSeconds(10))
            errors.Add("Api:FailureDelay must be between 0 and 10 seconds.");
        if (options.RequestsPerMinute is < 0 or > 1_000_000)
            errors.Add("Api:RequestsPerMinute must be between 0 (no limit) and 1000000.");
        if (options.Burst is < 1 or > 100_000)
            errors.Add("Api:Burst must be between 1 and 100000.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsSha256Hex(string value) => value.Length == 64 && value.All(char.IsAsciiHexDigit);
}
