namespace ApprovalBot.Teams.Commands;

/// <summary>"Did you mean …?" for a mistyped command: the closest known names by edit distance.</summary>
public static class CommandSuggestions
{
    public static IReadOnlyList<string> Closest(string typed, IEnumerable<string> known, int max = 3)
    {
        var limit = typed.Length <= 4 ? 1 : 2;
        return known
            .Select(name => (name, distance: Distance(typed, name)))
            .Where(x => x.distance <= limit || (typed.Length >= 3 && x.name.StartsWith(typed, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(x => x.distance).ThenBy(x => x.name, StringComparer.Ordinal)
            .Take(max)
            .Select(x => x.name)
            .ToList();
    }

    /// <summary>Optimal string alignment distance (Levenshtein plus adjacent transpositions), case-insensitive.</summary>
    public static int Distance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
