using ApprovalBot.Teams.Cards;
using ApprovalBot.Teams.Cards.Binding;
using Microsoft.Extensions.Logging.Abstractions;

namespace ApprovalBot.UnitTests.Cards;

/// <summary>
/// The user-text rule (cards/README.md): data is untrusted text and may be bound only where Teams shows it as plain
/// text — <c>TextRun.text</c> — or where it is not shown as text at all (<c>$data</c>, <c>$when</c>, an enum such as
/// <c>Container.style</c>, an action's <c>data</c>). TextBlock, FactSet and action titles render markdown (or are
/// reserved for our own words), so they hold template text only.
/// </summary>
public class UserTextRuleTests
{
    /// <summary>(element type, property) pairs a data binding may target. Extend deliberately, with a reason.</summary>
    private static readonly HashSet<(string Type, string Property)> AllowedBindingTargets =
    [
        ("TextRun", "text"),     // rendered as plain text: no markdown, no mentions
        ("Container", "style"),  // an enum; the official parser rejects anything else
        ("Input.Text", "value"),     // a form re-filled with what was typed: an input shows its value as plain text
        ("Input.Date", "value"),     // the same; a date picker shows nothing but a date
        ("Input.Number", "value"),   // the same; a number (the renderer ignores anything else)
        ("Input.ChoiceSet", "value"), // selects choices by value; the value itself is never shown
        ("(Input.ChoiceSet.choices)", "title"), // choices built from data (flow names): shown as plain text
        ("(Input.ChoiceSet.choices)", "value"), // ... and their values, never shown
        ("(AdaptiveCard.refresh)", "userIds"), // Teams user ids to refresh for; never displayed
        ("Action.OpenUrl", "url"), // only URLs the domain validated as absolute https (RequestLink); not displayed as text
    ];

    private readonly CardRenderer _renderer = new(NullLogger<CardRenderer>.Instance);

    public static TheoryData<string> Templates => [.. CardTemplates.All];

    public static TheoryData<string> HostileSamples => [.. CardSamples.All.Where(s => s.IsHostile).Select(s => s.Template)];

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_BindsDataOnlyIntoPlainTextOrUndisplayedProperties(string template)
    {
        var violations = CardJson.Strings(CardRenderer.LoadTemplateJson(template))
            .Where(s => !s.InActionData && TemplateString.Parse(s.Value).Kind != TemplateStringKind.Literal)
            .Where(s => s.Property is not ("$data" or "$when"))
            .Where(s => !AllowedBindingTargets.Contains((s.ElementType ?? string.Empty, s.Property ?? string.Empty)))
            .Select(s => $"{s.Path} ({s.ElementType}.{s.Property}) = \"{s.Value}\"")
            .ToList();

        Assert.True(
            violations.Count == 0,
            $"Template '{template}' binds data into properties that render markdown or are not plain text; use a TextRun:\n" +
            string.Join('\n', violations));
    }

    [Fact]
    public void EveryTemplate_HasAHostileSample()
    {
        var missing = CardTemplates.All.Where(t => !CardSamples.All.Any(s => s.Template == t && s.IsHostile)).ToList();

        Assert.True(missing.Count == 0, "Templates without cards/samples/<template>.hostile.data.json: " + string.Join(", ", missing));
    }

    [Theory]
    [MemberData(nameof(HostileSamples))]
    public void HostileSample_ShowsTemplateSyntaxAndMarkdownLiterally_AndOnlyInTextRuns(string template)
    {
        var sample = CardSamples.Get(template, "hostile");
        var data = sample.LoadData();
        var card = _renderer.Render(template, data);

        var strings = CardJson.Strings(card).ToList();
        var textRuns = strings.Where(s => s.ElementType == "TextRun" && s.Property == "text").Select(s => s.Value).ToList();

        // The reader sees the characters that were typed: no binding, no markdown, no mention.
        Assert.Contains(textRuns, t => t.Contains("${x}", StringComparison.Ordinal));
        Assert.Contains(textRuns, t => t.Contains("**", StringComparison.Ordinal));
        Assert.Contains(textRuns, t => t.Contains("<at>", StringComparison.Ordinal));
        Assert.Contains(textRuns, t => t.Contains("](http://x)", StringComparison.Ordinal));
        Assert.Contains(textRuns, t => t.Contains("{\u2060{DATE(", StringComparison.Ordinal));
        Assert.DoesNotContain(strings, s => s.Value.Contains("{{", StringComparison.Ordinal));

        // Nothing from the data reaches any other displayed property.
        var dataStrings = CardJson.LeafStrings(CardText.NeutraliseStrings(data)).Where(s => s.Length >= 3).Distinct().ToList();
        var leaks = strings
            .Where(s => !s.InActionData && !AllowedBindingTargets.Contains((s.ElementType ?? string.Empty, s.Property ?? string.Empty)))
            .Where(s => dataStrings.Any(d => s.Value.Contains(d, StringComparison.Ordinal)))
            .Select(s => $"{s.Path} ({s.ElementType}.{s.Property}) = \"{s.Value}\"")
            .ToList();
        Assert.True(leaks.Count == 0, "Data text outside TextRuns:\n" + string.Join('\n', leaks));
    }
}
