using System.Text.Json.Nodes;

namespace ApprovalBot.UnitTests.Cards;

/// <summary>
/// Proves that the behaviours pinned in <see cref="BinderCases"/> are the official library's: each conformance case
/// expands to the same JSON in adaptivecards-templating 2.3.1, and each documented divergence does what we say.
/// </summary>
[Collection(OfficialCardLibrariesCollection.Name)]
public class BinderConformanceTests(OfficialCardLibraries official)
{
    public static TheoryData<string> ConformanceNames => CardTemplateBinderTests.ConformanceNames;

    public static TheoryData<string> DivergentNames => CardTemplateBinderTests.DivergentNames;

    [Theory]
    [MemberData(nameof(ConformanceNames))]
    public void OfficialTemplating_ProducesTheDocumentedOutput_ForEachConformanceCase(string name)
    {
        var c = BinderCases.Conformance.Single(x => x.Name == name);

        var result = official.Get(c.Id);

        Assert.Null(result.Error);
        JsonAssert.Equal(JsonNode.Parse(c.Expected), result.Expanded, c.Name);
    }

    [Theory]
    [MemberData(nameof(DivergentNames))]
    public void OfficialTemplating_BehavesAsDocumented_WhereOurBinderThrows(string name)
    {
        var c = BinderCases.Divergent.Single(x => x.Name == name);

        var result = official.Get(c.Id);

        if (c.OfficialErrorContains is not null)
        {
            Assert.NotNull(result.Error);
            Assert.Contains(c.OfficialErrorContains, result.Error, StringComparison.Ordinal);
        }
        else
        {
            Assert.Null(result.Error);
            JsonAssert.Equal(JsonNode.Parse(c.OfficialExpected!), result.Expanded, c.Name);
        }
    }

    [Fact]
    public void OfficialLibraries_AreThePinnedVersions()
    {
        _ = official.Get(BinderCases.Conformance[0].Id);

        Assert.Equal("2.3.1", official.Versions?["adaptivecards-templating"]?.GetValue<string>());
        Assert.Equal("3.0.6", official.Versions?["adaptivecards"]?.GetValue<string>());
    }
}
