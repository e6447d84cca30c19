using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ApprovalBot.Teams.Cards.Binding;

internal enum JsKind
{
    Undefined,
    Null,
    Boolean,
    Number,
    String,
    Array,
    Object,
}

/// <summary>
/// A data value as the official JavaScript binder sees it: JSON plus <c>undefined</c>, every number a double.
/// Arrays and objects keep a reference to the data's <see cref="JsonNode"/>; nothing here mutates data.
/// </summary>
internal readonly struct JsValue
{
    private readonly object? _ref;
    private readonly double _number;
    private readonly bool _boolean;

    private JsValue(JsKind kind, object? reference = null, double number = 0, bool boolean = false)
    {
        Kind = kind;
        _ref = reference;
        _number = number;
        _boolean = boolean;
    }

    public JsKind Kind { get; }

    public static JsValue Undefined => default;

    public static JsValue Null => new(JsKind.Null);

    public static JsValue True => new(JsKind.Boolean, boolean: true);

    public static JsValue False => new(JsKind.Boolean, boolean: false);

    public static JsValue Of(bool value) => value ? True : False;

    public static JsValue Of(double value) => new(JsKind.Number, number: value);

    public static JsValue Of(string value) => new(JsKind.String, value);

    public bool IsNullish => Kind is JsKind.Undefined or JsKind.Null;

    public bool AsBoolean => _boolean;

    public double AsNumber => _number;

    public string AsString => (string)_ref!;

    public JsonArray AsArray => (JsonArray)_ref!;

    public JsonObject AsObject => (JsonObject)_ref!;

    /// <summary>Wraps a data node. Data must have been normalised (<see cref="Normalise"/>) so values are element-backed.</summary>
    public static JsValue FromNode(JsonNode? node) => node switch
    {
        null => Null,
        JsonObject o => new JsValue(JsKind.Object, o),
        JsonArray a => new JsValue(JsKind.Array, a),
        JsonValue v => FromJsonValue(v),
        _ => throw new InvalidOperationException("Unknown JSON node type."),
    };

    private static JsValue FromJsonValue(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => Of(value.GetValue<string>()),
        JsonValueKind.Number => Of(double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)),
        JsonValueKind.True => True,
        JsonValueKind.False => False,
        JsonValueKind.Null => Null,
        _ => throw new InvalidOperationException($"Unexpected JSON value kind {value.GetValueKind()}."),
    };

    /// <summary>
    /// A deep copy of <paramref name="node"/> in which every value is backed by a parsed JSON element, so
    /// that callers may pass nodes built from any CLR value and the binder still reads them one way.
    /// </summary>
    public static JsonNode? Normalise(JsonNode? node) => node is null ? null : JsonNode.Parse(node.ToJsonString());

    /// <summary>JavaScript truthiness as the expression library uses it: only false, null and undefined are false.</summary>
    public bool IsLogicTrue => Kind switch
    {
        JsKind.Boolean => _boolean,
        JsKind.Undefined or JsKind.Null => false,
        _ => true,
    };

    /// <summary>JavaScript <c>!value</c> truthiness (0, NaN and "" are falsy too).</summary>
    public bool IsJsFalsy => Kind switch
    {
        JsKind.Undefined or JsKind.Null => true,
        JsKind.Boolean => !_boolean,
        JsKind.Number => _number == 0 || double.IsNaN(_number),
        JsKind.String => AsString.Length == 0,
        _ => false,
    };

    /// <summary>The value as it lands in the bound card.</summary>
    public JsonNode? ToNode() => Kind switch
    {
        JsKind.Null => null,
        JsKind.Boolean => JsonValue.Create(_boolean),
        JsKind.Number => JsonValue.Create(_number),
        JsKind.String => JsonValue.Create(AsString),
        JsKind.Array => AsArray.DeepClone(),
        JsKind.Object => AsObject.DeepClone(),
        _ => throw new InvalidOperationException("undefined has no JSON form."),
    };

    /// <summary>Short description for error messages.</summary>
    public string Describe() => Kind switch
    {
        JsKind.Undefined => "undefined",
        JsKind.Null => "null",
        JsKind.Boolean => _boolean ? "true" : "false",
        JsKind.Number => JsNumberFormat.ToJsString(_number),
        JsKind.String => "'" + AsString + "'",
        JsKind.Array => "an array",
        _ => "an object",
    };
}
