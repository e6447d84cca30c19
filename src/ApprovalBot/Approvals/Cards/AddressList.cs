using ApprovalBot.Domain.Common;

namespace ApprovalBot.Approvals.Cards;

/// <summary>
/// A list of people typed as text: e-mail addresses or UPNs separated by <c>,</c> or <c>;</c> (line breaks count as
/// separators too, since people paste lists). Used by the request form's approvers and the agreement form's oversight owners.
/// </summary>
internal static class AddressList
{
    private static readonly char[] Separators = [',', ';', '\n', '\r'];

    /// <summary>The entries in the order typed: trimmed, blanks dropped, duplicates (ignoring case) dropped.</summary>
    public static IReadOnlyList<string> Split(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? []
            : [.. text.Split(Separators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <summary>
    /// Whether <paramref name="entry"/> looks like an e-mail address or UPN: <c>local@domain.tld</c>, one <c>@</c>, no
    /// spaces or mail-header punctuation, and short enough to be a <see cref="PersonId"/>. The directory decides whether
    /// the person exists; this only catches typing mistakes early.
    /// </summary>
    public static bool LooksLikeAddress(string entry)
    {
        if (entry.Length > PersonId.MaxLength || entry.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '(' or ')' or '[' or ']' or ',' or ';' or ':' or '"' or '\\'))
        {
            return false;
        }

        var at = entry.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != entry.LastIndexOf('@'))
        {
            return false;
        }

        var domain = entry[(at + 1)..];
        return domain.Contains('.', StringComparison.Ordinal)
            && !domain.StartsWith('.') && !domain.EndsWith('.')
            && !domain.Contains("..", StringComparison.Ordinal);
    }

    /// <summary>
    /// Checks a typed list: at most <paramref name="max"/> entries, each looking like an address. Returns the message
    /// for the field, or null when the list is fine (an empty list is fine here; whether one is needed is the form's call).
    /// </summary>
    public static string? Problem(string? text, int max, string what)
    {
        var entries = Split(text);
        if (entries.Count > max)
        {
            return $"Name at most {max} {what}; this lists {entries.Count}.";
        }

        var invalid = entries.Where(e => !LooksLikeAddress(e)).ToList();
        if (invalid.Count > 0)
        {
            const int Shown = 3;
            var listed = string.Join(", ", invalid.Take(Shown)) + (invalid.Count > Shown ? $" and {invalid.Count - Shown} more" : string.Empty);
            return $"Use e-mail addresses, separated by , or ; — not an address: {listed}.";
        }

        return null;
    }
}
