using System.Globalization;
using System.Text.RegularExpressions;

namespace ApprovalBot.Escalations.Teams;

/// <summary>
/// An escalation as people type it in a command: <c>E-42</c>, <c>E42</c>, <c>e-42</c>, <c>e42</c> or plain <c>42</c>
/// (commands that take one are only about escalations, so the prefix is optional). The card shows <c>E-42</c>.
/// </summary>
public static partial class EscalationReference
{
    /// <summary>
    /// The id <paramref name="text"/> names; false for anything else (other words, zero, a number too long for an id).
    /// <paramref name="prefixRequired"/>: only <c>E-42</c> / <c>E42</c>, where a bare number could mean something else
    /// (<c>escalate</c> also takes an agreement's name, which may begin with a number).
    /// </summary>
    public static bool TryParse(string? text, out long id, bool prefixRequired = false)
    {
        id = 0;
        if (text is null || Pattern().Match(text.Trim()) is not { Success: true } match) return false;
        if (prefixRequired && match.Groups["prefix"].Length == 0) return false;
        return long.TryParse(match.Groups["id"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;
    }

    [GeneratedRegex("^(?<prefix>E-?)?(?<id>[0-9]{1,18})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
