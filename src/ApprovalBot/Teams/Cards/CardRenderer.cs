using System.Collections.Concurrent;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ApprovalBot.Teams.Cards;

/// <summary>
/// The one place that turns a template name and data into an Adaptive Card (architecture rule 12). Templates
/// are read from the host assembly's embedded resources <c>cards/&lt;name&gt;.json</c> — never from the working
/// directory — parsed once and cached. Data strings pass through <see cref="CardText.Neutralise"/> before binding
/// (so <c>{{DATE(...)}}</c> typed by a user stays text). Every rendered card is checked: an <c>AdaptiveCard</c> of version 1.5
/// (the most Teams renders), and at most <see cref="MaxCardBytes"/> bytes of UTF-8 JSON; a card over budget throws
/// <see cref="CardTooLargeException"/> (no silent trimming: the caller pages or shortens its data).
/// </summary>
public sealed partial class CardRenderer
{
    /// <summary>Card version every template must declare (bot-protocol.md §7 item 8).</summary>
    public const string CardVersion = "1.5";

    /// <summary>Default size budget: well under the ~28 KB limit some Teams paths have (bot-protocol.md §7 item 7).</summary>
    public const int DefaultMaxCardBytes = 24 * 1024;

    private const string ResourcePrefix = "cards/";

    /// <summary>How data objects become template data: camelCase names, no nulls, enums as camelCase strings.</summary>
    public static readonly JsonSerializerOptions DataJsonOptions = CreateDataJsonOptions();

    private static readonly JsonSerializerOptions CardJsonOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly ConcurrentDictionary<string, Lazy<CardTemplate>> _templates = new(StringComparer.Ordinal);
    private readonly ILogger<CardRenderer> _logger;

    public CardRenderer(ILogger<CardRenderer> logger)
        : this(logger, DefaultMaxCardBytes)
    {
    }

    public CardRenderer(ILogger<CardRenderer> logger, int maxCardBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCardBytes);
        _logger = logger;
        MaxCardBytes = maxCardBytes;
    }

    /// <summary>The size budget of one rendered card, in bytes of UTF-8 JSON.</summary>
    public int MaxCardBytes { get; }

    /// <summary>Names of all templates embedded in the host (resources <c>cards/*.json</c>).</summary>
    public static IReadOnlyList<string> EmbeddedTemplateNames() =>
        [.. typeof(CardRenderer).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..^".json".Length])
            .Order(StringComparer.Ordinal)];

    /// <summary>The raw JSON of an embedded template (a fresh copy).</summary>
    public static JsonNode LoadTemplateJson(string templateName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(templateName);
        var resource = ResourcePrefix + templateName + ".json";
        using var stream = typeof(CardRenderer).Assembly.GetManifestResourceStream(resource)
            ?? throw new CardTemplateException(templateName, null, $"No card template '{templateName}': resource '{resource}' is not embedded in the host.");
        return JsonNode.Parse(stream)
            ?? throw new CardTemplateException(templateName, null, $"Card template '{templateName}' is empty.");
    }

    /// <summary>The parsed template, loaded and parsed on first use.</summary>
    public CardTemplate GetTemplate(string templateName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(templateName);
        return _templates
            .GetOrAdd(templateName, name => new Lazy<CardTemplate>(() => CardTemplate.Parse(name, LoadTemplateJson(name))))
            .Value;
    }

    /// <summary>Renders <paramref name="templateName"/> with a data object (serialised with <see cref="DataJsonOptions"/>).</summary>
    public JsonObject Render(string templateName, object? data) =>
        Render(templateName, data is null ? null : JsonSerializer.SerializeToNode(data, data.GetType(), DataJsonOptions));

    /// <summary>
    /// Renders <paramref name="templateName"/> with the data <paramref name="build"/> makes for at most
    /// <paramref name="items"/> listed items; while the card is over budget (<see cref="CardTooLargeException"/>), builds
    /// it again with half as many, down to <paramref name="fewest"/> (whose card is rendered whatever its size, and may
    /// throw). For cards whose lists say how many they leave out.
    /// </summary>
    public JsonObject RenderShrinking(string templateName, int items, int fewest, Func<int, object> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        for (var count = Math.Max(items, fewest); ; count = Math.Max(count / 2, fewest))
        {
            try
            {
                return Render(templateName, build(count));
            }
            catch (CardTooLargeException) when (count > fewest)
            {
                // Too many bytes: fewer items (the card's counts and "and N more" say what is left out).
            }
        }
    }

    /// <summary>
    /// Binds <paramref name="templateName"/> to <paramref name="data"/> exactly as <see cref="Render(string, JsonNode?)"/>
    /// does — data strings first pass through <see cref="CardText.Neutralise"/> — but without the card checks.
    /// </summary>
    public CardBindingResult Bind(string templateName, JsonNode? data) =>
        GetTemplate(templateName).Bind(CardText.NeutraliseStrings(data));

    /// <summary>Renders <paramref name="templateName"/> with JSON data.</summary>
    public JsonObject Render(string templateName, JsonNode? data)
    {
        var result = Bind(templateName, data);
        if (result.UnresolvedPaths.Count > 0)
        {
            Log.UnresolvedPaths(_logger, templateName, string.Join(", ", result.UnresolvedPaths));
        }

        if (result.Output is not JsonObject card)
        {
            throw new CardTemplateException(templateName, null, $"Card template '{templateName}' did not produce a JSON object.");
        }

        CheckCard(templateName, card, MaxCardBytes);
        return card;
    }

    /// <summary>The size of <paramref name="card"/> as it goes on the wire, in bytes of UTF-8 JSON.</summary>
    public static int MeasureBytes(JsonNode card) => Encoding.UTF8.GetByteCount(card.ToJsonString(CardJsonOptions));

    /// <summary>Throws unless <paramref name="card"/> is an AdaptiveCard of version 1.5 within <paramref name="maxCardBytes"/>.</summary>
    internal static void CheckCard(string templateName, JsonObject card, int maxCardBytes)
    {
        var type = (card["type"] as JsonValue)?.TryGetValue<string>(out var t) == true ? t : null;
        if (!string.Equals(type, "AdaptiveCard", StringComparison.Ordinal))
        {
            throw new CardTemplateException(templateName, null, $"Card template '{templateName}' produced type '{type}', not 'AdaptiveCard'.");
        }

        var version = (card["version"] as JsonValue)?.TryGetValue<string>(out var v) == true ? v : null;
        if (!string.Equals(version, CardVersion, StringComparison.Ordinal))
        {
            throw new CardTemplateException(templateName, null, $"Card template '{templateName}' has version '{version}'; Teams cards must be version {CardVersion}.");
        }

        var bytes = MeasureBytes(card);
        if (bytes > maxCardBytes)
        {
            throw new CardTooLargeException(templateName, bytes, maxCardBytes);
        }
    }

    private static JsonSerializerOptions CreateDataJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4101, Level = LogLevel.Warning,
            Message = "Card template {Template} printed unresolved data paths literally: {Paths}")]
        public static partial void UnresolvedPaths(ILogger logger, string template, string paths);
    }
}

/// <summary>A rendered card is over the renderer's size budget.</summary>
public sealed class CardTooLargeException : Exception
{
    public CardTooLargeException(string templateName, int bytes, int budget)
        : base($"Card '{templateName}' is {bytes} bytes of JSON, over the budget of {budget} bytes; shorten or page its data.")
    {
        TemplateName = templateName;
        Bytes = bytes;
        Budget = budget;
    }

    public CardTooLargeException()
        : this(string.Empty, 0, 0)
    {
    }

    public CardTooLargeException(string message)
        : base(message)
    {
        TemplateName = string.Empty;
    }

    public CardTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
        TemplateName = string.Empty;
    }

    public string TemplateName { get; }

    public int Bytes { get; }

    public int Budget { get; }
}
