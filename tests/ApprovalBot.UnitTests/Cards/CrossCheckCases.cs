using System.Text.Json.Nodes;
using ApprovalBot.Teams.Cards;

namespace ApprovalBot.UnitTests.Cards;

/// <summary>Everything the official libraries are asked about, in one batch.</summary>
internal static class CrossCheckCases
{
    public const string RawHostileWelcomeId = "raw:welcome.hostile";

    public static IReadOnlyList<OfficialCase> All()
    {
        var cases = new List<OfficialCase>();
        var embedded = CardRenderer.EmbeddedTemplateNames();
        foreach (var sample in CardSamples.All.Where(s => embedded.Contains(s.Template)))
        {
            // The data as the renderer binds it: both binders get the same input.
            cases.Add(new OfficialCase(sample.Id, CardRenderer.LoadTemplateJson(sample.Template), CardText.NeutraliseStrings(sample.LoadData()), Validate: true));
        }

        // The hostile welcome without the renderer's preparation: proves the official text check would catch {{DATE(...)}}.
        cases.Add(new OfficialCase(RawHostileWelcomeId, CardRenderer.LoadTemplateJson(CardTemplates.Welcome), CardSamples.Get(CardTemplates.Welcome, "hostile").LoadData(), Validate: true));

        foreach (var c in BinderCases.Conformance)
        {
            cases.Add(new OfficialCase(c.Id, JsonNode.Parse(c.Template)!, c.Data is null ? null : JsonNode.Parse(c.Data), Validate: false));
        }

        foreach (var c in BinderCases.Divergent)
        {
            cases.Add(new OfficialCase(c.Id, JsonNode.Parse(c.Template)!, c.Data is null ? null : JsonNode.Parse(c.Data), Validate: false));
        }

        return cases;
    }
}
