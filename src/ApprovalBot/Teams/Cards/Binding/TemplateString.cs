using System.Text;

namespace ApprovalBot.Teams.Cards.Binding;

/// <summary>One piece of a template string: literal text, or an expression with the source it came from.</summary>
internal readonly record struct StringPart(string? Text, Expr? Expression, string? Source);

/// <summary>How a template string binds.</summary>
internal enum TemplateStringKind
{
    /// <summary>No binding: the string is copied as it is (after escapes, when it contained <c>${</c>).</summary>
    Literal,

    /// <summary>Exactly one <c>${expr}</c> and nothing else: the value keeps its JSON type.</summary>
    Whole,

    /// <summary>Text and expressions: the result is a string.</summary>
    Interpolated,
}

/// <summary>
/// Splits a JSON string of a template into text and <c>${...}</c> expressions the way the official binder's
/// grammar does: only strings containing <c>${</c> are looked at; <c>\$</c> and <c>\`</c> are escapes there
/// (the backslash is dropped); an expression runs to the first <c>}</c> outside a quoted string.
/// Anything the official grammar would treat differently from what a reader expects (a <c>${</c> that does not
/// close on the same line, a backtick, braces inside an expression) is rejected instead of guessed at.
/// </summary>
internal static class TemplateString
{
    public static (TemplateStringKind Kind, IReadOnlyList<StringPart> Parts, string Literal) Parse(string value)
    {
        if (!value.Contains("${", StringComparison.Ordinal))
        {
            return (TemplateStringKind.Literal, [], value);
        }

        var parts = new List<StringPart>();
        var text = new StringBuilder();
        var i = 0;
        while (i < value.Length)
        {
            var c = value[i];
            if (c == '\\' && i + 1 < value.Length && value[i + 1] is '$' or '`')
            {
                text.Append(value[i + 1]);
                i += 2;
                continue;
            }

            if (c == '`')
            {
                throw new UnsupportedExpressionException("a backtick in a string with ${...} bindings is not supported (escape it as \\`)");
            }

            if (c == '$' && i + 1 < value.Length && value[i + 1] == '{')
            {
                var end = FindExpressionEnd(value, i + 2);
                var source = value[(i + 2)..end];
                var trimmed = JsTrim(source);
                if (trimmed.Length == 0)
                {
                    throw new UnsupportedExpressionException("an empty ${} is not supported (escape a literal as \\${)");
                }

                if (text.Length > 0)
                {
                    parts.Add(new StringPart(text.ToString(), null, null));
                    text.Clear();
                }

                parts.Add(new StringPart(null, ExpressionParser.Parse(trimmed), trimmed));
                i = end + 1;
                continue;
            }

            text.Append(c);
            i++;
        }

        if (text.Length > 0)
        {
            parts.Add(new StringPart(text.ToString(), null, null));
        }

        var expressions = parts.Count(p => p.Expression is not null);
        if (expressions == 0)
        {
            return (TemplateStringKind.Literal, [], string.Concat(parts.Select(p => p.Text)));
        }

        // A single expression alone keeps its type, unless it is a bare literal such as ${true} or ${'x'}:
        // the official binder turns those into text, and so do we.
        if (parts.Count == 1 && parts[0].Expression is not ConstantExpr)
        {
            return (TemplateStringKind.Whole, parts, string.Empty);
        }

        return (TemplateStringKind.Interpolated, parts, string.Empty);
    }

    /// <summary>Index of the <c>}</c> that closes an expression starting at <paramref name="start"/>.</summary>
    private static int FindExpressionEnd(string value, int start)
    {
        var i = start;
        while (i < value.Length)
        {
            var c = value[i];
            switch (c)
            {
                case '}':
                    return i;
                case '\'':
                case '"':
                    var close = value.IndexOf(c, i + 1);
                    var backslash = value.IndexOf('\\', i + 1);
                    if (backslash >= 0 && (close < 0 || backslash < close))
                    {
                        // The grammar's escape rules inside string literals are ambiguous; keep literals simple.
                        throw new UnsupportedExpressionException($"backslashes in string literals are not supported in '{value}'");
                    }

                    if (close < 0)
                    {
                        throw new UnsupportedExpressionException($"unterminated string in '{value}'");
                    }

                    i = close + 1;
                    continue;
                case '{':
                case '`':
                case '\r':
                case '\n':
                    throw new UnsupportedExpressionException($"'{Printable(c)}' inside ${{...}} is not supported in '{value}'");
                default:
                    i++;
                    continue;
            }
        }

        throw new UnsupportedExpressionException($"'${{' is never closed in '{value}' (escape a literal as \\${{)");
    }

    private static string Printable(char c) => c switch
    {
        '\r' => "\\r",
        '\n' => "\\n",
        _ => c.ToString(),
    };

    /// <summary>JavaScript's <c>String.prototype.trim()</c> whitespace set.</summary>
    private static string JsTrim(string s)
    {
        static bool IsJsSpace(char c) =>
            c is '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or '\u00a0' or '\u1680' or '\u2028' or '\u2029' or '\u202f'
                or '\u205f' or '\u3000' or '\ufeff' || (c >= '\u2000' && c <= '\u200a');

        var start = 0;
        var end = s.Length;
        while (start < end && IsJsSpace(s[start]))
        {
            start++;
        }

        while (end > start && IsJsSpace(s[end - 1]))
        {
            end--;
        }

        return s[start..end];
    }
}
