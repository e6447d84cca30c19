using System.Security.Claims;

namespace ApprovalBot.Api;

/// <summary><c>GET /api/v1/me</c>: who the calling key is. The smallest proof that a key and its roles arrive.</summary>
internal static class GetMe
{
    public sealed record Response(string Name, IReadOnlyList<string> Roles);

    public static Response Handle(ClaimsPrincipal user) =>
        new(user.Identity?.Name ?? "", [.. user.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal)]);
}
