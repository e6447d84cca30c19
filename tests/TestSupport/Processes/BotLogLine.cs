using System.Globalization;
using System.Text.Json;

namespace ApprovalBot.TestSupport.Processes;

/// <summary>
/// One line the bot wrote to stdout or stderr. <see cref="BotProcess"/> runs the bot with the console logger's JSON
/// formatter, so a log entry is one line and its fields are parsed here; any other line (a runtime crash report, say)
/// keeps only <see cref="Text"/>.
/// </summary>
public sealed record BotLogLine
{
    private BotLogLine(int index, string stream, string text)
    {
        Index = index;
        Stream = stream;
        Text = text;
    }

    /// <summary>Position among all lines of the process (stdout and stderr together, in arrival order).</summary>
    public int Index { get; }

    /// <summary><c>stdout</c> or <c>stderr</c>.</summary>
    public string Stream { get; }

    /// <summary>The raw line.</summary>
    public string Text { get; }

    public int? EventId { get; private init; }

    public string? Category { get; private init; }

    public string? Level { get; private init; }

    /// <summary>The rendered message.</summary>
    public string? Message { get; private init; }

    /// <summary>The child's own timestamp of the entry (UTC), when it wrote one.</summary>
    public DateTimeOffset? Timestamp { get; private init; }

    /// <summary>The structured state (placeholders and their values as the formatter wrote them), as strings.</summary>
    public IReadOnlyDictionary<string, string?> State { get; private init; } = new Dictionary<string, string?>();

    public bool IsLogEntry => Category is not null;

    /// <summary>True for the entry with this event id logged by this category (event ids are only unique per category).</summary>
    public bool Is(string category, int eventId) =>
        EventId == eventId && string.Equals(Category, category, StringComparison.Ordinal);

    public string? StateValue(string name) => State.TryGetValue(name, out var value) ? value : null;

    public override string ToString() => Message is null ? $"[{Stream}] {Text}" : $"{Level} {Category}[{EventId}] {Message}";

    public static BotLogLine Parse(int index, string stream, string text)
    {
        var line = new BotLogLine(index, stream, text);
        if (!text.StartsWith('{'))
            return line;
        try
        {
            // The JSON formatter's field names are those of this record (Category, EventId, Message, State, Timestamp).
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(nameof(Category), out var category))
                return line;
            var state = new Dictionary<string, string?>(StringComparer.Ordinal);
            if (root.TryGetProperty(nameof(State), out var stateElement) && stateElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in stateElement.EnumerateObject())
                    state[property.Name] = property.Value.ValueKind switch
                    {
                        JsonValueKind.String => property.Value.GetString(),
                        JsonValueKind.Null => null,
                        _ => property.Value.GetRawText(),
                    };
            }
            return line with
            {
                Category = category.GetString(),
                EventId = root.TryGetProperty(nameof(EventId), out var id) && id.TryGetInt32(out var number) ? number : null,
                Level = root.TryGetProperty("LogLevel", out var level) ? level.GetString() : null,
                Message = root.TryGetProperty(nameof(Message), out var message) ? message.GetString() : null,
                Timestamp = root.TryGetProperty(nameof(Timestamp), out var timestamp) && timestamp.GetString() is { } t &&
                            DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                    ? parsed
                    : null,
                State = state,
            };
        }
        catch (JsonException)
        {
            return line;
        }
    }
}
