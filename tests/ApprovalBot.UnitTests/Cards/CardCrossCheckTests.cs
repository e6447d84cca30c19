using ApprovalBot.Teams.Cards;
using Microsoft.Extensions.Logging.Abstractions;

namespace ApprovalBot.UnitTests.Cards;

/// <summary>
/// Every template × every sample data file: our binder and the official adaptivecards-templating 2.3.1 produce the
/// same JSON, and the official adaptivecards 3.0.6 parser accepts the card as version 1.5 with no event at all.
/// </summary>
[Collection(OfficialCardLibrariesCollection.Name)]
public class CardCrossCheckTests(OfficialCardLibraries official)
{
    private readonly CardRenderer _renderer = new(NullLogger<CardRenderer>.Instance);

    public static TheoryData<string, string> Samples
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var sample in CardSamples.All)
            {
                data.Add(sample.Template, sample.Variant);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void OurBinder_ProducesTheSameCardAsOfficialTemplating(string template, string variant)
    {
        var sample = CardSamples.Get(template, variant);

        var ours = _renderer.Bind(template, sample.LoadData()).Output;
        var theirs = official.Get(sample.Id);

        Assert.Null(theirs.Error);
        JsonAssert.Equal(theirs.Expanded, ours, $"{sample}: ours vs official");
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void OfficialParser_AcceptsTheCard_AsVersion15_WithNoErrors(string template, string variant)
    {
        var sample = CardSamples.Get(template, variant);

        var theirs = official.Get(sample.Id);

        Assert.Null(theirs.Error);
        Assert.Equal("1.5", theirs.CardVersion);
        Assert.True(
            theirs.CardEvents.Count == 0,
            $"{sample}: the official parser reported:\n" + string.Join('\n', theirs.CardEvents));

        Assert.True(
            theirs.TextChanges.Count == 0,
            $"{sample}: the official renderer would not show these texts literally:\n" + string.Join('\n', theirs.TextChanges));

        // Not asserted: getLastTemplateExpansionWarnings(), which 2.3.1 fills with "Unable to parse the Adaptive
        // Expression" for every $when that is simply false.
    }

    [Fact]
    public void OfficialTextCheck_CatchesDateFunctionsInData_WhenTheRendererDoesNotNeutraliseThem()
    {
        var raw = official.Get(CrossCheckCases.RawHostileWelcomeId);

        var change = Assert.Single(raw.TextChanges);
        Assert.Equal("TextRun", change.Type);
        Assert.Contains("{{DATE(2026-01-01T00:00:00Z)}}", change.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("{{DATE(", change.Displayed, StringComparison.Ordinal);
    }
}
