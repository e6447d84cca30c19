using System.Globalization;

namespace ApprovalBot.Teams.Cards.Binding;

/// <summary>The text inside <c>${...}</c> is not in the subset this binder supports, or not valid at all.</summary>
internal sealed class UnsupportedExpressionException(string message) : Exception(message);

/// <summary>
/// Parses the inside of one <c>${...}</c> into an <see cref="Expr"/>. Supported: data paths (<c>a.b</c>,
/// <c>$root.x</c>, <c>$data</c>, <c>$index</c>), string/number/true/false/null literals, parentheses,
/// <c>! == != &lt; &lt;= &gt; &gt;= &amp;&amp; ||</c> and the functions count, length, exists, empty, if, not.
/// Precedence follows the Adaptive Expressions grammar (highest first): unary, equality, comparison, and, or —
/// so <c>a &lt; b == c</c> means <c>a &lt; (b == c)</c> there and here. Everything else is rejected at parse time.
/// </summary>
internal sealed class ExpressionParser
{
    private enum TokenKind
    {
        End,
        Number,
        String,
        Identifier,
        Symbol,
    }

    private readonly record struct Token(TokenKind Kind, string Text, int Position);

    private static readonly string[] Symbols =
    [
        // Longest first so that the lexer takes the longest match, as ANTLR does.
        "==", "!=", "<>", "<=", ">=", "&&", "||", "??", "=>",
        "!", "<", ">", "(", ")", ",", ".", "+", "-", "*", "/", "%", "^", "&", "?", ":", "[", "]", "{", "}",
    ];

    // "<>" lexes as "not equal" in the official grammar but has no evaluator there ("Unknown function <>").
    private static readonly HashSet<string> UnsupportedSymbols =
        ["<>", "+", "-", "*", "/", "%", "^", "&", "??", "?", ":", "[", "]", "{", "}", "=>"];

    private readonly string _source;
    private readonly List<Token> _tokens;
    private int _next;

    private ExpressionParser(string source)
    {
        _source = source;
        _tokens = Tokenize(source);
    }

    public static Expr Parse(string source)
    {
        var parser = new ExpressionParser(source);
        var expr = parser.ParseOr();
        if (parser.Peek.Kind != TokenKind.End)
        {
            throw parser.Error($"unexpected '{parser.Peek.Text}'");
        }

        return expr;
    }

    private Token Peek => _tokens[_next];

    private Token Take() => _tokens[_next++];

    private bool TakeSymbol(string symbol)
    {
        if (Peek.Kind == TokenKind.Symbol && Peek.Text == symbol)
        {
            _next++;
            return true;
        }

        return false;
    }

    private UnsupportedExpressionException Error(string what) =>
        new($"{what} at position {Peek.Position} in '{_source}'");

    private Expr ParseOr()
    {
        var left = ParseAnd();
        while (TakeSymbol("||"))
        {
            left = new OrExpr(left, ParseAnd());
        }

        return left;
    }

    private Expr ParseAnd()
    {
        var left = ParseComparison();
        while (TakeSymbol("&&"))
        {
            left = new AndExpr(left, ParseComparison());
        }

        return left;
    }

    private Expr ParseComparison()
    {
        var left = ParseEquality();
        while (true)
        {
            ComparisonOperator op;
            if (TakeSymbol("<"))
            {
                op = ComparisonOperator.Less;
            }
            else if (TakeSymbol("<="))
            {
                op = ComparisonOperator.LessOrEqual;
            }
            else if (TakeSymbol(">"))
            {
                op = ComparisonOperator.Greater;
            }
            else if (TakeSymbol(">="))
            {
                op = ComparisonOperator.GreaterOrEqual;
            }
            else
            {
                return left;
            }

            left = new CompareExpr(left, ParseEquality(), op, _source);
        }
    }

    private Expr ParseEquality()
    {
        var left = ParseUnary();
        while (true)
        {
            if (TakeSymbol("=="))
            {
                left = new EqualsExpr(left, ParseUnary(), negate: false);
            }
            else if (TakeSymbol("!="))
            {
                left = new EqualsExpr(left, ParseUnary(), negate: true);
            }
            else
            {
                RejectUnsupportedOperator();
                return left;
            }
        }
    }

    private void RejectUnsupportedOperator()
    {
        if (Peek.Kind == TokenKind.Symbol && UnsupportedSymbols.Contains(Peek.Text))
        {
            throw Error($"operator '{Peek.Text}' is not supported");
        }
    }

    private Expr ParseUnary()
    {
        if (TakeSymbol("!"))
        {
            return new NotExpr(ParseUnary());
        }

        RejectUnsupportedOperator();
        return ParsePrimary();
    }

    private Expr ParsePrimary()
    {
        var token = Take();
        switch (token.Kind)
        {
            case TokenKind.Number:
                return new ConstantExpr(JsValue.Of(double.Parse(token.Text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture)));
            case TokenKind.String:
                return new ConstantExpr(JsValue.Of(token.Text));
            case TokenKind.Symbol when token.Text == "(":
                var inner = ParseOr();
                if (!TakeSymbol(")"))
                {
                    throw Error("expected ')'");
                }

                return inner;
            case TokenKind.Identifier:
                return ParseIdentifier(token);
            case TokenKind.End:
                _next--;
                throw Error("unexpected end of expression");
            default:
                _next--;
                throw Error($"unexpected '{token.Text}'");
        }
    }

    private Expr ParseIdentifier(Token first)
    {
        if (Peek.Kind == TokenKind.Symbol && Peek.Text == "(")
        {
            _next++;
            var args = new List<Expr>();
            if (!TakeSymbol(")"))
            {
                do
                {
                    args.Add(ParseOr());
                }
                while (TakeSymbol(","));

                if (!TakeSymbol(")"))
                {
                    throw Error("expected ')'");
                }
            }

            var call = MakeFunction(first.Text, args);
            if (Peek.Kind == TokenKind.Symbol && Peek.Text is "." or "(")
            {
                throw Error("member access or calls on a function result are not supported");
            }

            return call;
        }

        switch (first.Text)
        {
            case "true":
            case "false":
            case "null":
                if (Peek.Kind == TokenKind.Symbol && Peek.Text == ".")
                {
                    throw Error($"member access on '{first.Text}' is not supported");
                }

                return new ConstantExpr(first.Text switch
                {
                    "true" => JsValue.True,
                    "false" => JsValue.False,
                    _ => JsValue.Null,
                });
            case "undefined":
                throw Error("'undefined' is not supported");
        }

        var segments = new List<string> { first.Text };
        if (first.Text.StartsWith('$'))
        {
            var lower = first.Text.ToLowerInvariant();
            if (lower is not ("$root" or "$data" or "$index"))
            {
                throw Error($"'{first.Text}' is not supported (only $root, $data and $index)");
            }
        }

        while (TakeSymbol("."))
        {
            var member = Take();
            if (member.Kind != TokenKind.Identifier)
            {
                _next--;
                throw Error("expected a property name after '.'");
            }

            segments.Add(member.Text);
        }

        if (Peek.Kind == TokenKind.Symbol && Peek.Text == "(")
        {
            throw Error($"function '{string.Join('.', segments)}' is not supported");
        }

        return new AccessorExpr(segments);
    }

    private Expr MakeFunction(string name, List<Expr> args)
    {
        void Arity(int n)
        {
            if (args.Count != n)
            {
                throw Error($"{name}() takes {n} argument{(n == 1 ? string.Empty : "s")}, not {args.Count}");
            }
        }

        void NotANonStringConstant()
        {
            // The official validator rejects literal arguments of the wrong type when it parses.
            if (args[0] is ConstantExpr { Value.Kind: not JsKind.String })
            {
                throw Error($"{name}() needs a string or a data path");
            }
        }

        switch (name)
        {
            case "count":
                Arity(1);
                NotANonStringConstant();
                return new CountExpr(args[0], _source);
            case "length":
                Arity(1);
                NotANonStringConstant();
                return new LengthExpr(args[0], _source);
            case "exists":
                Arity(1);
                return new ExistsExpr(args[0]);
            case "empty":
                Arity(1);
                return new EmptyExpr(args[0]);
            case "not":
                Arity(1);
                return new NotExpr(args[0]);
            case "if":
                Arity(3);
                return new IfExpr(args[0], args[1], args[2]);
            default:
                throw Error($"function '{name}' is not supported");
        }
    }

    private static List<Token> Tokenize(string source)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < source.Length)
        {
            var c = source[i];
            if (c is ' ' or '\t' or '\u00a0' or '\ufeff')
            {
                i++;
                continue;
            }

            var start = i;
            if (char.IsAsciiDigit(c))
            {
                while (i < source.Length && char.IsAsciiDigit(source[i]))
                {
                    i++;
                }

                if (i + 1 < source.Length && source[i] == '.' && char.IsAsciiDigit(source[i + 1]))
                {
                    i++;
                    while (i < source.Length && char.IsAsciiDigit(source[i]))
                    {
                        i++;
                    }
                }

                tokens.Add(new Token(TokenKind.Number, source[start..i], start));
                continue;
            }

            if (char.IsAsciiLetter(c) || c is '_' or '$')
            {
                i++;
                while (i < source.Length && (char.IsAsciiLetterOrDigit(source[i]) || source[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Identifier, source[start..i], start));
                continue;
            }

            if (c is '\'' or '"')
            {
                var close = source.IndexOf(c, i + 1);
                if (close < 0)
                {
                    throw new UnsupportedExpressionException($"unterminated string at position {start} in '{source}'");
                }

                var text = source[(i + 1)..close];
                if (text.Contains('\\', StringComparison.Ordinal))
                {
                    // The grammar's escape rules inside string literals are ambiguous; keep literals simple.
                    throw new UnsupportedExpressionException($"backslashes in string literals are not supported in '{source}'");
                }

                tokens.Add(new Token(TokenKind.String, text, start));
                i = close + 1;
                continue;
            }

            var symbol = Symbols.FirstOrDefault(s => string.CompareOrdinal(source, i, s, 0, s.Length) == 0);
            if (symbol is null)
            {
                throw new UnsupportedExpressionException($"unexpected character '{c}' at position {start} in '{source}'");
            }

            tokens.Add(new Token(TokenKind.Symbol, symbol, start));
            i += symbol.Length;
        }

        tokens.Add(new Token(TokenKind.End, "end of expression", source.Length));
        return tokens;
    }
}
