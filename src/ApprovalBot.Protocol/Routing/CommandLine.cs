namespace ApprovalBot.Protocol.Routing;

/// <summary>
/// A command as typed: the verb (first word, lower-cased) and the rest, split into arguments. Quotes group words
/// (<c>"Contoso IT"</c>); the raw remainder is kept for free-text arguments such as titles and reasons.
/// </summary>
public sealed record CommandLine(string Name, string Arguments, IReadOnlyList<string> Tokens)
{
    public static CommandLine? Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0) return null;
        // Teams may prefix a slash when a command is picked from a menu in some clients; accept it.
        if (trimmed[0] == '/') trimmed = trimmed[1..].TrimStart();
        if (trimmed.Length == 0) return null;
        var end = 0;
        while (end < trimmed.Length && !char.IsWhiteSpace(trimmed[end])) end++;
        var name = trimmed[..end].ToLowerInvariant();
        var arguments = trimmed[end..].Trim();
        return new CommandLine(name, arguments, Tokenize(arguments));
    }

    public static IReadOnlyList<string> Tokenize(string arguments)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < arguments.Length)
        {
            while (i < arguments.Length && char.IsWhiteSpace(arguments[i])) i++;
            if (i >= arguments.Length) break;
            var quote = arguments[i] is '"' or '\u201C' or '\u201D' ? arguments[i] : '\0';
            if (quote != '\0')
            {
                var start = ++i;
                while (i < arguments.Length && arguments[i] is not ('"' or '\u201C' or '\u201D')) i++;
                tokens.Add(arguments[start..i]);
                if (i < arguments.Length) i++;
            }
            else
            {
                var start = i;
                while (i < arguments.Length && !char.IsWhiteSpace(arguments[i])) i++;
                tokens.Add(arguments[start..i]);
            }
        }
        return tokens;
    }
}
