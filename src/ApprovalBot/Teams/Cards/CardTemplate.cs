using System.Text.Json.Nodes;
using ApprovalBot.Teams.Cards.Binding;

namespace ApprovalBot.Teams.Cards;

/// <summary>The output of binding a template to data.</summary>
/// <param name="Output">The bound JSON (null when the root itself was dropped by <c>$when</c>).</param>
/// <param name="UnresolvedPaths">
/// Paths that resolved to nothing and were therefore printed as <c>${path}</c>, as the official binder does.
/// Sample data must leave this empty; at run time the renderer logs it.
/// </param>
public sealed record CardBindingResult(JsonNode? Output, IReadOnlyList<string> UnresolvedPaths);

/// <summary>
/// A card template parsed once and bound many times. Binding follows the official <c>adaptivecards-templating</c>
/// 2.3.1 (checked by the cross-check tests) for the syntax it supports, and throws
/// <see cref="CardTemplateException"/> for anything else — when parsing for unsupported syntax, when binding for
/// data that the official library would render as nonsense. Data is never parsed: a data string containing
/// <c>${x}</c> appears as exactly that. Thread-safe: a parsed template is immutable.
/// </summary>
public sealed class CardTemplate
{
    private static readonly HashSet<string> ForbiddenKeys = ["$root", "$index", "$host", "$_acTemplateVersion"];

    private readonly TemplateNode _root;

    private CardTemplate(string name, TemplateNode root)
    {
        Name = name;
        _root = root;
    }

    public string Name { get; }

    /// <summary>Parses <paramref name="template"/>. Throws <see cref="CardTemplateException"/> naming the expression at fault.</summary>
    public static CardTemplate Parse(string name, JsonNode template)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(template);
        return new CardTemplate(name, Prepare(name, template, string.Empty));
    }

    /// <summary>Binds the template to <paramref name="data"/> (the <c>$root</c>). The data is not modified.</summary>
    public CardBindingResult Bind(JsonNode? data)
    {
        var run = new BindingRun(Name, JsValue.FromNode(JsValue.Normalise(data)));
        var expanded = _root.Expand(run);
        return new CardBindingResult(expanded.Node, [.. run.Unresolved]);
    }

    private static TemplateNode Prepare(string name, JsonNode? node, string location)
    {
        switch (node)
        {
            case JsonObject obj:
                return PrepareObject(name, obj, location);
            case JsonArray array:
                var items = new List<TemplateNode>(array.Count);
                for (var i = 0; i < array.Count; i++)
                {
                    items.Add(Prepare(name, array[i], $"{location}/{i}"));
                }

                return new ArrayNode(location, items);
            case JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.String:
                return PrepareString(name, value.GetValue<string>(), location);
            default:
                return new LiteralNode(location, node?.DeepClone());
        }
    }

    private static TemplateNode PrepareString(string name, string text, string location)
    {
        (TemplateStringKind Kind, IReadOnlyList<StringPart> Parts, string Literal) parsed;
        try
        {
            parsed = TemplateString.Parse(text);
        }
        catch (UnsupportedExpressionException e)
        {
            throw new CardTemplateException(name, text, $"Card template '{name}' at {Where(location)}: \"{text}\": {e.Message}", e);
        }

        return parsed.Kind switch
        {
            TemplateStringKind.Literal => new LiteralNode(location, JsonValue.Create(parsed.Literal)),
            TemplateStringKind.Whole => new WholeBindingNode(Where(location), parsed.Parts[0].Expression!, parsed.Parts[0].Source!),
            _ => new InterpolationNode(Where(location), parsed.Parts, text),
        };
    }

    private static ObjectNode PrepareObject(string name, JsonObject obj, string location)
    {
        WholeBindingNode? data = null;
        WholeBindingNode? when = null;
        var properties = new List<KeyValuePair<string, TemplateNode>>(obj.Count);
        foreach (var (key, value) in obj)
        {
            var childLocation = $"{location}/{key}";
            if (key is "$data" or "$when")
            {
                var binding = value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String
                    ? PrepareString(name, v.GetValue<string>(), childLocation) as WholeBindingNode
                    : null;
                if (binding is null)
                {
                    throw new CardTemplateException(
                        name,
                        value?.ToJsonString(),
                        $"Card template '{name}' at {Where(childLocation)}: {key} must be one ${{...}} expression, not {value?.ToJsonString() ?? "null"}.");
                }

                if (key == "$data")
                {
                    data = binding;
                }
                else
                {
                    when = binding;
                }

                continue;
            }

            if (ForbiddenKeys.Contains(key))
            {
                throw new CardTemplateException(name, null, $"Card template '{name}' at {Where(childLocation)}: '{key}' is reserved by the templating language.");
            }

            properties.Add(new(key, Prepare(name, value, childLocation)));
        }

        return new ObjectNode(Where(location), properties, data, when);
    }

    private static string Where(string location) => location.Length == 0 ? "/" : location;
}
