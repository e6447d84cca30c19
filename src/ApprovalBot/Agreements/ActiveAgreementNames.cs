using ApprovalBot.Domain.Agreements;
using ApprovalBot.Storage;
using ApprovalBot.Teams.Commands;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Agreements;

/// <summary>
/// Finds an Active agreement by the name someone typed in chat, forgivingly: the exact name in any case, else the
/// names that begin with it (in any case). Every command that takes an agreement name uses this one rule.
/// </summary>
public static class ActiveAgreementNames
{
    /// <summary>Every Active agreement, by name.</summary>
    public static async Task<IReadOnlyList<Agreement>> ListAsync(BotDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var active = await db.Agreements.AsNoTracking().Where(a => a.Status == AgreementStatus.Active).ToListAsync(cancellationToken);
        return [.. active.OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>The Active agreements <paramref name="typed"/> may mean: one is a match, several are the choices, none is none.</summary>
    public static async Task<IReadOnlyList<Agreement>> FindAsync(BotDbContext db, string typed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return Match(await ListAsync(db, cancellationToken), typed);
    }

    /// <summary>Those of <paramref name="agreements"/> named <paramref name="typed"/> (any case), else those whose name begins with it, by name.</summary>
    public static IReadOnlyList<Agreement> Match(IEnumerable<Agreement> agreements, string typed)
    {
        ArgumentNullException.ThrowIfNull(agreements);
        var name = (typed ?? string.Empty).Trim();
        if (name.Length == 0) return [];
        var all = agreements.ToList();
        var exact = all.Where(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
        return exact.Count > 0 ? exact : [.. all.Where(a => a.Name.StartsWith(name, StringComparison.OrdinalIgnoreCase)).OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>Why <paramref name="found"/> is not exactly one agreement, in words for the person who typed <paramref name="typed"/>; null when it is.</summary>
    public static string? Problem(string typed, IReadOnlyList<Agreement> found)
    {
        ArgumentNullException.ThrowIfNull(found);
        return found.Count switch
        {
            1 => null,
            0 => $"No active agreement is called '{HelpCards.Quote(typed)}'.",
            _ => $"'{HelpCards.Quote(typed)}' could be {string.Join(", ", found.Take(5).Select(a => a.Name))}{(found.Count > 5 ? ", …" : string.Empty)}. Which one?",
        };
    }
}
