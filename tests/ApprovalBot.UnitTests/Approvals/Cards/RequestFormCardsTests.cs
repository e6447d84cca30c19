using System.Text.Json;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.Teams.Cards;
using ApprovalBot.UnitTests.Agreements.Cards;
using Microsoft.Extensions.Logging.Abstractions;

namespace ApprovalBot.UnitTests.Approvals.Cards;

public class RequestFormCardsTests
{
    private static readonly string[] Flows = ["IT support agreement", "Purchase over 10k"];

    private static readonly string[] InputIds = ["title", "details", "linkTitle", "link", "flow", "approvers", "rule"];

    private readonly RequestFormCards _cards = new(new CardRenderer(NullLogger<CardRenderer>.Instance));

    [Fact]
    public void Render_ShowsAnEmptyForm_WithTheFlowsToChoose_AndTheSubmitButton()
    {
        var card = _cards.Render(Flows);

        Assert.Equal(string.Empty, FormCard.Value(card, RequestFormFields.Title));
        Assert.True(FormCard.Input(card, RequestFormFields.Title)["isRequired"]!.GetValue<bool>());
        Assert.False(string.IsNullOrEmpty(FormCard.Input(card, RequestFormFields.Title)["errorMessage"]?.GetValue<string>()));
        Assert.Equal("any", FormCard.Value(card, RequestFormFields.Rule));
        var choices = FormCard.Input(card, RequestFormFields.Flow)["choices"]!.AsArray().Select(c => c!["value"]!.GetValue<string>());
        Assert.Equal([RequestForm.NoFlow, .. Flows], choices);
        Assert.Null(FormCard.SummaryError(card));
        Assert.All(InputIds, id => Assert.Null(FormCard.ErrorUnder(card, id)));
        var submit = FormCard.Action(card, RequestFormVerbs.Submit);
        Assert.Equal("Action.Execute", submit["type"]!.GetValue<string>());
        Assert.Single(FormCard.Actions(card));
    }

    [Fact]
    public void Render_LeavesOutTheFlowChoice_WhenThereAreNoFlows()
    {
        var card = _cards.Render([]);

        Assert.False(FormCard.HasInput(card, RequestFormFields.Flow));
        Assert.True(FormCard.HasInput(card, RequestFormFields.Approvers));
    }

    [Fact]
    public void Render_RefillsThePreviousValues_AndShowsEachErrorUnderItsField_WithASummaryAtTheTop()
    {
        var values = new RequestFormValues(null, "Ten laptops", "Quote", "http://contoso.example/q.pdf", null, "dana@contoso.example; lee", "all");
        var errors = RequestForm.Validate(values, Flows);

        var card = _cards.Render(Flows, values, errors);

        Assert.Equal("Ten laptops", FormCard.Value(card, RequestFormFields.Details));
        Assert.Equal("Quote", FormCard.Value(card, RequestFormFields.LinkTitle));
        Assert.Equal("http://contoso.example/q.pdf", FormCard.Value(card, RequestFormFields.Link));
        Assert.Equal("dana@contoso.example; lee", FormCard.Value(card, RequestFormFields.Approvers));
        Assert.Equal("all", FormCard.Value(card, RequestFormFields.Rule));
        Assert.Equal(errors[RequestFormFields.Title], FormCard.ErrorUnder(card, RequestFormFields.Title));
        Assert.Equal(errors[RequestFormFields.Link], FormCard.ErrorUnder(card, RequestFormFields.Link));
        Assert.Equal(errors[RequestFormFields.Approvers], FormCard.ErrorUnder(card, RequestFormFields.Approvers));
        Assert.Null(FormCard.ErrorUnder(card, RequestFormFields.Details));
        Assert.Equal(RequestFormCardData.CorrectTheFields, FormCard.SummaryError(card));
    }

    [Fact]
    public void Render_ShowsTheGivenSummaryError_AndErrorsForUnknownFieldsWithIt()
    {
        var errors = new Dictionary<string, string> { ["stage"] = "The flow's first stage has nobody to decide." };

        var card = _cards.Render(Flows, error: "Could not submit.", errors: errors);

        Assert.Equal("Could not submit. The flow's first stage has nobody to decide.", FormCard.SummaryError(card));
    }

    [Fact]
    public void Render_MovesAFlowErrorToTheTop_WhenThereIsNoFlowChoiceToShowItUnder()
    {
        var values = new RequestFormValues("Laptops", null, null, null, "Old flow", null, null);

        var card = _cards.Render([], values, RequestForm.Validate(values, []));

        Assert.Contains("There is no such flow", FormCard.SummaryError(card), StringComparison.Ordinal);
        Assert.False(FormCard.HasInput(card, RequestFormFields.Flow));
    }

    [Fact]
    public void Render_KeepsTypedTemplateSyntaxAndMarkdown_AsPlainValues()
    {
        var values = new RequestFormValues("${x} **bold** <at>Dana</at>", "{{DATE(2026-01-01T00:00:00Z)}}", null, null, null, null, null);

        var card = _cards.Render(Flows, values);

        Assert.Equal("${x} **bold** <at>Dana</at>", FormCard.Value(card, RequestFormFields.Title));
        Assert.Equal(CardText.Neutralise("{{DATE(2026-01-01T00:00:00Z)}}"), FormCard.Value(card, RequestFormFields.Details));
    }

    [Fact]
    public void Render_ThenParse_GivesBackWhatWasTyped()
    {
        var values = new RequestFormValues("Budget {{x}}", "Details", "Quote", "https://contoso.example/q.pdf", "Purchase over 10k", null, "all");
        var card = _cards.Render(Flows, values);

        var submitted = new Dictionary<string, string?>();
        foreach (var id in InputIds)
        {
            submitted[id] = FormCard.Value(card, id);
        }

        Assert.Equal(values, RequestForm.Parse(JsonSerializer.SerializeToElement(submitted)));
    }

    [Fact]
    public void Render_StaysWithinTheBudget_WithLongValuesAndManyFlows()
    {
        var flows = Enumerable.Range(1, 60).Select(i => $"Flow number {i} for a department with a long name").ToList();
        var values = new RequestFormValues(new string('t', 200), new string('d', 4000), new string('l', 200), "https://contoso.example/" + new string('a', 1900), flows[3], null, "any");

        var card = _cards.Render(flows, values, new Dictionary<string, string> { ["details"] = new string('e', 300) });

        Assert.InRange(CardRenderer.MeasureBytes(card), 1, CardRenderer.DefaultMaxCardBytes);
    }
}
