using System.Text.Json.Nodes;

namespace ApprovalBot.Teams.Cards;

/// <summary>One-shot binding for callers that do not keep the parsed template (tests, tools).</summary>
public static class CardTemplateBinder
{
    /// <summary>Parses <paramref name="template"/> and binds it to <paramref name="data"/>.</summary>
    public static CardBindingResult Bind(string templateName, JsonNode template, JsonNode? data) =>
        CardTemplate.Parse(templateName, template).Bind(data);
}
