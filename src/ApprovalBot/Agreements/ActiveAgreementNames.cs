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

    /// <summary>
    /// When nothing Active is called <paramref name="typed"/> but an Expired or Terminated agreement is (any case): why it
    /// cannot be used, with its status and since when; else null.
    /// </summary>
    public static async Task<string?> EndedProblemAsync(BotDbContext db, string typed, TimeZoneInfo fallbackZone, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var name = (typed ?? string.Empty).Trim().ToLowerInvariant();
        if (name.Length == 0) return null;
#pragma warning disable CA1304, CA1311, CA1862 // translated to SQL lower(), on both providers
        var ended = await db.Agreements.AsNoTracking()
            .Where(a => (a.Status == AgreementStatus.Expired || a.Status == AgreementStatus.Terminated) && a.Name.ToLower() == name)
            .OrderByDescending(a => a.Id).FirstOrDefaultAsync(cancellationToken);
#pragma warning restore CA1304, CA1311, CA1862
        return ended is null ? null : $"Agreement '{ended.Name}' {ended.EndedDescription(fallbackZone)}: it is no longer in force, so new escalations against it (and terminations) are refused; open escalations run to closure.";
    }
}
