namespace ApprovalBot.Api;

/// <summary><c>GET /api/v1/admin/keys</c>: the configured keys by name and roles (admin only). Secrets and hashes are never shown.</summary>
internal static class ListApiKeys
{
    public sealed record Item(string Name, IReadOnlyList<string> Roles);

    public static IReadOnlyList<Item> Handle(ApiKeyStore keys) => [.. keys.All.Select(k => new Item(k.Name, k.Roles))];
}
