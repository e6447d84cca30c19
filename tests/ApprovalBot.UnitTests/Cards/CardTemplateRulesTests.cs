using System.Text.Json;
using System.Text.Json.Nodes;
using ApprovalBot.Teams.Cards;
using ApprovalBot.Teams.Cards.Binding;

namespace ApprovalBot.UnitTests.Cards;

/// <summary>House rules for every template that the official parser does not enforce (it accepts an Action.Execute without a verb).</summary>
public class CardTemplateRulesTests
{
    /// <summary>Element and action types a template may use: Adaptive Cards 1.5 types Teams renders. Extend as needed.</summary>
    private static readonly HashSet<string> AllowedTypes =
    [
        "AdaptiveCard", "TextBlock", "RichTextBlock", "TextRun", "Container", "ColumnSet", "Column", "FactSet",
        "Image", "ActionSet", "Action.Execute", "Input.Text", "Input.ChoiceSet", "Input.Toggle", "Input.Date", "Input.Number",
        "Action.ShowCard", "Action.OpenUrl",
    ];

    public static TheoryData<string> Templates => [.. CardTemplates.All];

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_IsAnAdaptiveCard15_WithTheSchema(string template)
    {
        var json = CardRenderer.LoadTemplateJson(template).AsObject();

        Assert.Equal("AdaptiveCard", json["type"]?.GetValue<string>());
        Assert.Equal("1.5", json["version"]?.GetValue<string>());
        Assert.Equal("http://adaptivecards.io/schemas/adaptive-card.json", json["$schema"]?.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_UsesOnlyAllowedTypes(string template)
    {
        var json = CardRenderer.LoadTemplateJson(template);

        var unknown = CardJson.Elements(json).Where(e => !AllowedTypes.Contains(e.Type)).Select(e => $"{e.Path}: {e.Type}").ToList();

        Assert.True(unknown.Count == 0, string.Join('\n', unknown));
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void EveryButton_IsActionExecute_WithALiteralVerbAndTitle(string template)
    {
        var json = CardRenderer.LoadTemplateJson(template);

        foreach (var (path, type, element) in CardJson.Elements(json).Where(e => e.Type.StartsWith("Action.", StringComparison.Ordinal)))
        {
            // Action.ShowCard only reveals a card whose buttons are checked here too; Action.OpenUrl only opens a link
            // from a selectAction (cards/README.md) and never reaches the bot.
            if (type == "Action.ShowCard" || (type == "Action.OpenUrl" && path.EndsWith(".selectAction", StringComparison.Ordinal)))
            {
                Assert.True(IsLiteralText(element["title"]), $"{path}: an action title is our text, not data");
                continue;
            }

            Assert.True(type == "Action.Execute", $"{path}: {type}; buttons are Action.Execute (bot-protocol.md §1.6)");
            Assert.True(IsLiteralText(element["verb"]), $"{path}: an Action.Execute needs a literal verb, or it never reaches the bot");
            Assert.True(IsLiteralText(element["title"]), $"{path}: a button title is our text, not data");
        }
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_ParsesWithOurBinder(string template)
    {
        var parsed = CardTemplate.Parse(template, CardRenderer.LoadTemplateJson(template));

        Assert.Equal(template, parsed.Name);
    }

    private static bool IsLiteralText(JsonNode? node) =>
        node is JsonValue v
        && v.GetValueKind() == JsonValueKind.String
        && v.GetValue<string>().Length > 0
        && TemplateString.Parse(v.GetValue<string>()).Kind == TemplateStringKind.Literal;
}
