using System.Text.Json.Nodes;

namespace ApprovalBot.Teams.Cards.Binding;

/// <summary>An expression failed while it ran (as opposed to a template that is malformed).</summary>
internal sealed class ExpressionEvaluationException(string message) : Exception(message);

/// <summary>What an expression can read: the bound data and the repetition state, plus where it reports unresolved paths.</summary>
internal interface IEvaluationScope
{
    JsValue Root { get; }

    /// <summary>The current <c>$data</c>; <see cref="JsValue.Undefined"/> when none was set (then <c>$data</c> is <c>$root</c>).</summary>
    JsValue Data { get; }

    /// <summary>The current <c>$index</c>; <see cref="JsValue.Undefined"/> outside a repeated element.</summary>
    JsValue Index { get; }

    void ReportUnresolved(string path);
}

/// <summary>
/// A parsed <c>${...}</c> expression. <c>substitute</c> mirrors the official binder's "null substitution": when on,
/// a path that resolves to undefined yields the text <c>${path}</c> instead of undefined.
/// </summary>
internal abstract class Expr
{
    public abstract JsValue Evaluate(IEvaluationScope scope, bool substitute);
}

internal sealed class ConstantExpr(JsValue value) : Expr
{
    public JsValue Value { get; } = value;

    public override JsValue Evaluate(IEvaluationScope scope, bool substitute) => Value;
}

/// <summary>A data path such as <c>name</c>, <c>approver.displayName</c>, <c>$root.title</c>, <c>$index</c>.</summary>
internal sealed class AccessorExpr(IReadOnlyList<string> segments) : Expr
{
    public IReadOnlyList<string> Segments { get; } = segments;

    public string Path { get; } = string.Join('.', segments);

    public override JsValue Evaluate(IEvaluationScope scope, bool substitute)
    {
        JsValue current;
        var start = 0;
        var first = Segments[0];
        if (first.StartsWith('$'))
        {
            current = ReadScopeVariable(scope, first);
            start = 1;
        }
        else
        {
            // A path that does not start with '$' is read from $data, which falls back to $root.
            current = scope.Data.Kind == JsKind.Undefined ? scope.Root : scope.Data;
        }

        for (var i = start; i < Segments.Count; i++)
        {
            current = GetProperty(current, Segments[i]);
        }

        if (current.Kind == JsKind.Undefined && substitute)
        {
            scope.ReportUnresolved(Path);
            return JsValue.Of("${" + Path + "}");
        }

        return current;
    }

    private static JsValue ReadScopeVariable(IEvaluationScope scope, string name)
    {
        // The official library looks these up case-insensitively; the parser admits only these three.
        var lower = name.ToLowerInvariant();
        return lower switch
        {
            "$root" => scope.Root,
            "$data" => scope.Data.Kind == JsKind.Undefined ? scope.Root : scope.Data,
            "$index" => scope.Index,
            _ => throw new InvalidOperationException($"Unknown scope variable {name}."),
        };
    }

    /// <summary>
    /// Property lookup as the official library does it: falsy instances give undefined; object keys match
    /// case-insensitively and the first matching key in document order wins; nothing else has named properties.
    /// </summary>
    private static JsValue GetProperty(JsValue instance, string name)
    {
        if (instance.IsJsFalsy || instance.Kind != JsKind.Object)
        {
            return JsValue.Undefined;
        }

        var lower = name.ToLowerInvariant();
        foreach (var (key, value) in instance.AsObject)
        {
            if (string.Equals(key.ToLowerInvariant(), lower, StringComparison.Ordinal))
            {
                return JsValue.FromNode(value);
            }
        }

        return JsValue.Undefined;
    }
}

/// <summary><c>!x</c> and <c>not(x)</c>: true when x is false, null or undefined, or when x fails.</summary>
internal sealed class NotExpr(Expr operand) : Expr
{
    public override JsValue Evaluate(IEvaluationScope scope, bool substitute)
    {
        try
        {
            return JsValue.Of(!operand.Evaluate(scope, substitute: false).IsLogicTrue);
        }
        catch (ExpressionEvaluationException)
        {
            return JsValue.True;
        }
    }
}

/// <summary><c>a &amp;&amp; b</c>: short-circuit; a failing operand counts as false.</summary>
internal sealed class AndExpr(Expr left, Expr right) : Expr
{
    public override JsValue Evaluate(IEvaluationScope scope, bool substitute) =>
        JsValue.Of(Logic.IsTrueOrFalseOnError(left, scope) && Logic.IsTrueOrFalseOnError(right, scope));
}

/// <summary>
/// <c>a || b</c>: true as soon as an operand is true; otherwise — as in the official library — the raw value of the
/// last operand (false, null, or undefined when it failed or is missing), not necessarily a boolean.
/// </summary>
internal sealed class OrExpr(Expr left, Expr right) : Expr
{
    public override JsValue Evaluate(IEvaluationScope scope, bool substitute)
    {
        var last = JsValue.Undefined;
        foreach (var operand in (ReadOnlySpan<Expr>)[left, right])
        {
            try
            {
                last = operand.Evaluate(scope, substitute: false);
            }
            catch (ExpressionEvaluationException)
            {
                last = JsValue.Undefined;
                continue;
            }

            if (last.IsLogicTrue)
            {
                return JsValue.True;
            }
        }

        return last;
    }
}

/// <summary><c>a == b</c> / <c>a != b</c>; a failing operand makes both false.</summary>
internal sealed class EqualsExpr(Expr left, Expr right, bool negate) : Expr
{
    public override JsValue Evaluate(IEvaluationScope scope, bool substitute)
    {
        JsValue l, r;
        try
        {
            l = left.Evaluate(scope, substitute: false);
            r = right.Evaluate(scope, substitute: false);
        }
        catch (ExpressionEvaluationException)
        {
            return JsValue.False;
        }

        var equal = Logic.CommonEquals(l, r);
        return JsValue.Of(negate ? !equal : equal);
    }
}

internal enum ComparisonOperator
{
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// <summary>
/// <c>&lt; &lt;= &gt; &gt;=</c>: false when an operand is null, undefined or fails; numbers with numbers and strings with
/// strings (ordinal, like JavaScript); any other pairing is an error.
/// </summary>
internal sealed class CompareExpr(Expr left, Expr right, ComparisonOperator op, string source) : Expr
{
    public override JsValue Evaluate(IEvaluationScope scope, bool substitute)
    {
        JsValue l, r;
        try
        {
            l = left.Evaluate(scope, substitute: false);
            if (l.IsNullish)
            {
                return JsValue.False;
            }

            r = right.Evaluate(scope, substitute: false);
            if (r.IsNullish)
            {
                return JsValue.False;
            }
        }
        catch (ExpressionEvaluationException)
        {
            return JsValue.False;
        }

        int order;
        if (l.Kind == JsKind.Number && r.Kind == JsKind.Number && !double.IsNaN(l.AsNumber) && !double.IsNaN(r.AsNumber))
        {
            order = l.AsNumber.CompareTo(r.AsNumber);
        }
        else if (l.Kind == JsKind.String && r.Kind == JsKind.String)
        {
            order = string.CompareOrdinal(l.AsString, r.AsString);
        }
        else
        {
            throw new ExpressionEvaluationException($"'{source}': {l.Describe()} and {r.Describe()} are not comparable.");
        }

        return JsValue.Of(op switch
        {
            ComparisonOperator.Less => order < 0,
            ComparisonOperator.LessOrEqual => order <= 0,
            ComparisonOperator.Greater => order > 0,
            _ => order >= 0,
        });
    }
}

/// <summary><c>if(condition, then, else)</c>: a failing or falsy condition picks the else branch; only one branch runs.</summary>
internal sealed class IfExpr(Expr condition, Expr whenTrue, Expr whenFalse) : Expr
{
    public override JsValue Evaluate(IEvaluationScope scope, bool substitute)
    {
        bool take;
        try
        {
            take = condition.Evaluate(scope, substitute: false).IsLogicTrue;
        }
        catch (ExpressionEvaluationException)
        {
            take = false;
        }

        return (take ? whenTrue : whenFalse).Evaluate(scope, substitute);
    }
}

/// <summary><c>exists(x)</c>: x is neither null nor undefined (a failing x gives false).</summary>
internal sealed class ExistsExpr(Expr operand) : Expr
{
    public override JsValue Evaluate(IEvaluationScope scope, bool substitute)
    {
        try
        {
            return JsValue.Of(!operand.Evaluate(scope, substitute: false).IsNullish);
        }
        catch (ExpressionEvaluationException)
        {
            return JsValue.False;
        }
    }
}

/// <summary><c>empty(x)</c>: null, undefined, "", [] or {} (a number, a boolean or a failing x gives false).</summary>
internal sealed class EmptyExpr(Expr operand) : Expr
{
    public override JsValue Evaluate(IEvaluationScope scope, bool substitute)
    {
        JsValue value;
        try
        {
            value = operand.Evaluate(scope, substitute: false);
        }
        catch (ExpressionEvaluationException)
        {
            return JsValue.False;
        }

        return JsValue.Of(value.Kind switch
        {
            JsKind.Undefined or JsKind.Null => true,
            JsKind.String => value.AsString.Length == 0,
            JsKind.Array => value.AsArray.Count == 0,
            JsKind.Object => value.AsObject.Count == 0,
            _ => false,
        });
    }
}

/// <summary>
/// <c>count(x)</c>: UTF-16 length of a string, items of an array, keys of an object; anything else is an error.
/// Like the official binder it evaluates x with substitution on, so <c>count(missing)</c> outside <c>$when</c>
/// counts the characters of <c>${missing}</c>.
/// </summary>
internal sealed class CountExpr(Expr operand, string source) : Expr
{
    public override JsValue Evaluate(IEvaluationScope scope, bool substitute)
    {
        var value = operand.Evaluate(scope, substitute);
        return value.Kind switch
        {
            JsKind.String => JsValue.Of(value.AsString.Length),
            JsKind.Array => JsValue.Of(value.AsArray.Count),
            JsKind.Object => JsValue.Of(value.AsObject.Count),
            _ => throw new ExpressionEvaluationException($"'{source}': count() needs a string, an array or an object, not {value.Describe()}."),
        };
    }
}

/// <summary><c>length(x)</c>: UTF-16 length of a string, 0 for undefined; anything else is an error.</summary>
internal sealed class LengthExpr(Expr operand, string source) : Expr
{
    public override JsValue Evaluate(IEvaluationScope scope, bool substitute)
    {
        var value = operand.Evaluate(scope, substitute);
        return value.Kind switch
        {
            JsKind.String => JsValue.Of(value.AsString.Length),
            JsKind.Undefined => JsValue.Of(0),
            _ => throw new ExpressionEvaluationException($"'{source}': length() needs a string, not {value.Describe()}."),
        };
    }
}

internal static class Logic
{
    /// <summary>JavaScript's <c>Number.EPSILON</c> (2^-52), not .NET's <see cref="double.Epsilon"/>.</summary>
    private const double JsNumberEpsilon = 2.220446049250313E-16;

    public static bool IsTrueOrFalseOnError(Expr expr, IEvaluationScope scope)
    {
        try
        {
            return expr.Evaluate(scope, substitute: false).IsLogicTrue;
        }
        catch (ExpressionEvaluationException)
        {
            return false;
        }
    }

    /// <summary>
    /// Equality as the expression library defines it: null equals undefined; arrays item by item; objects by
    /// deep structural equality; numbers within double epsilon; otherwise same type and value.
    /// </summary>
    public static bool CommonEquals(JsValue a, JsValue b)
    {
        if (a.IsNullish || b.IsNullish)
        {
            return a.IsNullish && b.IsNullish;
        }

        if (a.Kind == JsKind.Array && b.Kind == JsKind.Array)
        {
            var left = a.AsArray;
            var right = b.AsArray;
            if (left.Count != right.Count)
            {
                return false;
            }

            for (var i = 0; i < left.Count; i++)
            {
                if (!CommonEquals(JsValue.FromNode(left[i]), JsValue.FromNode(right[i])))
                {
                    return false;
                }
            }

            return true;
        }

        if (a.Kind == JsKind.Object && b.Kind == JsKind.Object)
        {
            return DeepEquals(a.AsObject, b.AsObject);
        }

        if (a.Kind == JsKind.Number && b.Kind == JsKind.Number)
        {
            return Math.Abs(a.AsNumber - b.AsNumber) < JsNumberEpsilon || a.AsNumber == b.AsNumber;
        }

        if (a.Kind != b.Kind)
        {
            return false;
        }

        return a.Kind switch
        {
            JsKind.Boolean => a.AsBoolean == b.AsBoolean,
            JsKind.String => string.Equals(a.AsString, b.AsString, StringComparison.Ordinal),
            _ => false,
        };
    }

    private static bool DeepEquals(JsonNode? a, JsonNode? b)
    {
        var x = JsValue.FromNode(a);
        var y = JsValue.FromNode(b);
        if (x.Kind != y.Kind)
        {
            return false;
        }

        switch (x.Kind)
        {
            case JsKind.Null:
                return true;
            case JsKind.Boolean:
                return x.AsBoolean == y.AsBoolean;
            case JsKind.Number:
                return x.AsNumber == y.AsNumber;
            case JsKind.String:
                return string.Equals(x.AsString, y.AsString, StringComparison.Ordinal);
            case JsKind.Array:
                var la = x.AsArray;
                var ra = y.AsArray;
                if (la.Count != ra.Count)
                {
                    return false;
                }

                for (var i = 0; i < la.Count; i++)
                {
                    if (!DeepEquals(la[i], ra[i]))
                    {
                        return false;
                    }
                }

                return true;
            default:
                var lo = x.AsObject;
                var ro = y.AsObject;
                if (lo.Count != ro.Count)
                {
                    return false;
                }

                foreach (var (key, value) in lo)
                {
                    if (!ro.TryGetPropertyValue(key, out var other) || !DeepEquals(value, other))
                    {
                        return false;
                    }
                }

                return true;
        }
    }
}
