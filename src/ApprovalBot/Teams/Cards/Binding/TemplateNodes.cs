using System.Text;
using System.Text.Json.Nodes;

namespace ApprovalBot.Teams.Cards.Binding;

/// <summary>The result of expanding one node: a JSON value (null = JSON null) or nothing at all.</summary>
internal readonly record struct Expanded(JsonNode? Node, bool IsNothing)
{
    public static Expanded Nothing => new(null, true);

    public static Expanded Of(JsonNode? node) => new(node, false);
}

/// <summary>State of one binding run: data, repetition state, and the template for error messages.</summary>
internal sealed class BindingRun(string templateName, JsValue root) : IEvaluationScope
{
    private readonly List<string> _unresolved = [];

    public string TemplateName { get; } = templateName;

    public JsValue Root { get; } = root;

    public JsValue Data { get; set; } = JsValue.Undefined;

    public JsValue Index { get; set; } = JsValue.Undefined;

    public IReadOnlyList<string> Unresolved => _unresolved;

    public void ReportUnresolved(string path)
    {
        if (!_unresolved.Contains(path))
        {
            _unresolved.Add(path);
        }
    }

    public CardTemplateException Fail(string location, string expression, string problem) =>
        new(TemplateName, expression, $"Card template '{TemplateName}' at {location}: '{expression}': {problem}");
}

/// <summary>A prepared template node. Prepared once per template; expanded once per binding.</summary>
internal abstract class TemplateNode(string location)
{
    /// <summary>A JSON-pointer-like path in the template, for error messages.</summary>
    public string Location { get; } = location;

    public abstract Expanded Expand(BindingRun run);
}

/// <summary>A value without bindings: copied as it is.</summary>
internal sealed class LiteralNode(string location, JsonNode? value) : TemplateNode(location)
{
    public JsonNode? Value { get; } = value;

    public override Expanded Expand(BindingRun run) => Expanded.Of(Value?.DeepClone());
}

/// <summary>A string that is exactly one <c>${expr}</c>: the value keeps its JSON type.</summary>
internal sealed class WholeBindingNode(string location, Expr expr, string source) : TemplateNode(location)
{
    public string Source { get; } = source;

    public Expr Expression { get; } = expr;

    public override Expanded Expand(BindingRun run)
    {
        JsValue value;
        try
        {
            value = Expression.Evaluate(run, substitute: true);
        }
        catch (ExpressionEvaluationException e)
        {
            throw run.Fail(Location, Source, e.Message);
        }

        // Undefined (only an || whose last operand is missing can give it) leaves the property out, as officially.
        return value.Kind == JsKind.Undefined ? Expanded.Nothing : Expanded.Of(value.ToNode());
    }
}

/// <summary>A string mixing text and expressions: always a string.</summary>
internal sealed class InterpolationNode(string location, IReadOnlyList<StringPart> parts, string source) : TemplateNode(location)
{
    public IReadOnlyList<StringPart> Parts { get; } = parts;

    public string Source { get; } = source;

    public override Expanded Expand(BindingRun run)
    {
        var text = new StringBuilder();
        foreach (var part in Parts)
        {
            if (part.Expression is null)
            {
                text.Append(part.Text);
                continue;
            }

            JsValue value;
            try
            {
                value = part.Expression.Evaluate(run, substitute: true);
            }
            catch (ExpressionEvaluationException e)
            {
                // The official binder would print "${...}" here; a card that silently shows an expression is a bug.
                throw run.Fail(Location, part.Source!, e.Message);
            }

            text.Append(value.Kind switch
            {
                JsKind.String => value.AsString,
                JsKind.Number => JsNumberFormat.ToJsString(value.AsNumber),
                JsKind.Boolean => value.AsBoolean ? "true" : "false",
                _ => throw run.Fail(
                    Location,
                    part.Source!,
                    $"evaluated to {value.Describe()}, which cannot be placed in text (the official binder would fail or print nonsense); bind a string, a number or a boolean"),
            });
        }

        return Expanded.Of(JsonValue.Create(text.ToString()));
    }
}

internal sealed class ArrayNode(string location, IReadOnlyList<TemplateNode> items) : TemplateNode(location)
{
    public IReadOnlyList<TemplateNode> Items { get; } = items;

    /// <summary>
    /// Items that expand to JSON null are dropped (an element whose <c>$when</c> is false, a literal null);
    /// items that expand to an array are spliced in (a repeated element, a bound array, a nested array literal).
    /// </summary>
    public override Expanded Expand(BindingRun run)
    {
        var result = new JsonArray();
        foreach (var item in Items)
        {
            var expanded = item.Expand(run);
            if (expanded.IsNothing)
            {
                // The official binder keeps an undefined item, which JSON writes as null.
                result.Add(null);
                continue;
            }

            switch (expanded.Node)
            {
                case null:
                    continue;
                case JsonArray spliced:
                    var children = spliced.ToList();
                    spliced.Clear();
                    foreach (var child in children)
                    {
                        result.Add(child);
                    }

                    break;
                default:
                    result.Add(expanded.Node);
                    break;
            }
        }

        return Expanded.Of(result);
    }
}

/// <summary>
/// An object, possibly with <c>$data</c> (bind to an object, or repeat per array item with <c>$index</c>) and
/// <c>$when</c> (keep only when it evaluates to boolean true, per repetition, after <c>$data</c> is applied).
/// Expands to JSON null when nothing is kept, to the object when one is, to an array when several are.
/// </summary>
internal sealed class ObjectNode(
    string location,
    IReadOnlyList<KeyValuePair<string, TemplateNode>> properties,
    WholeBindingNode? data,
    WholeBindingNode? when) : TemplateNode(location)
{
    public IReadOnlyList<KeyValuePair<string, TemplateNode>> Properties { get; } = properties;

    public WholeBindingNode? DataBinding { get; } = data;

    public WholeBindingNode? WhenBinding { get; } = when;

    public override Expanded Expand(BindingRun run)
    {
        var savedData = run.Data;
        var savedIndex = run.Index;
        try
        {
            var (contexts, repeated) = ResolveContexts(run);
            var kept = new List<JsonObject>();
            for (var i = 0; i < contexts.Count; i++)
            {
                if (repeated)
                {
                    run.Index = JsValue.Of(i);
                }

                if (contexts[i].Kind != JsKind.Undefined)
                {
                    run.Data = contexts[i];
                }

                if (WhenBinding is not null && !IsKept(WhenBinding, run))
                {
                    continue;
                }

                var result = new JsonObject();
                foreach (var (key, node) in Properties)
                {
                    var value = node.Expand(run);
                    if (!value.IsNothing)
                    {
                        result[key] = value.Node;
                    }
                }

                kept.Add(result);
            }

            return kept.Count switch
            {
                0 => Expanded.Of(null),
                1 => Expanded.Of(kept[0]),
                _ => Expanded.Of(new JsonArray([.. kept])),
            };
        }
        finally
        {
            run.Data = savedData;
            run.Index = savedIndex;
        }
    }

    private (IReadOnlyList<JsValue> Contexts, bool Repeated) ResolveContexts(BindingRun run)
    {
        if (DataBinding is null)
        {
            return ([JsValue.Undefined], false);
        }

        JsValue value;
        try
        {
            value = DataBinding.Expression.Evaluate(run, substitute: true);
        }
        catch (ExpressionEvaluationException e)
        {
            throw run.Fail(DataBinding.Location, DataBinding.Source, e.Message);
        }

        switch (value.Kind)
        {
            case JsKind.Array:
                return (value.AsArray.Select(JsValue.FromNode).ToList(), true);
            case JsKind.Object:
                return ([value], false);
            default:
                // The official binder would carry on with a string or null as $data and print "${...}" for every
                // path below it. Fail instead: pass an empty array to render nothing, an object to bind to.
                throw run.Fail(
                    DataBinding.Location,
                    DataBinding.Source,
                    $"$data evaluated to {value.Describe()}; it must be an object or an array (use [] for none)");
        }
    }

    private static bool IsKept(WholeBindingNode when, BindingRun run)
    {
        try
        {
            var value = when.Expression.Evaluate(run, substitute: false);
            return value.Kind == JsKind.Boolean && value.AsBoolean;
        }
        catch (ExpressionEvaluationException)
        {
            // As in the official binder: a $when that fails to evaluate is false.
            return false;
        }
    }
}
