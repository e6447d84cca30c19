using System.Text.Json.Nodes;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Escalations.Cards;
using ApprovalBot.Teams.Cards;
using ApprovalBot.UnitTests.Approvals.Cards;
using ApprovalBot.UnitTests.Cards;
using ApprovalBot.UnitTests.Domain.Approvals;
using Microsoft.Extensions.Logging.Abstractions;
using static ApprovalBot.UnitTests.Domain.Escalations.EscalationSamples;
using static ApprovalBot.UnitTests.Escalations.Cards.EscalationCardScenarios;

namespace ApprovalBot.UnitTests.Escalations.Cards;

/// <summary>The list, "who" and form cards of escalations: their models, and the templates bound to them.</summary>
public class EscalationReadingCardsTests
{
    private static readonly CardRenderer Renderer = new(NullLogger<CardRenderer>.Instance);
    private readonly EscalationCards _cards = new(Renderer);
    private readonly EscalationFormCards _forms = new(Renderer);

    private static List<string> ExecuteVerbs(JsonNode card) =>
        [.. CardJson.Elements(card).Where(e => e.Type == "Action.Execute").Select(e => e.Element["verb"]!.GetValue<string>())];

    private static Escalation Opened(string title, Priority priority = Priority.P2, DateTimeOffset? at = null) =>
        Escalation.Open(Policy(priority), title, null, Reporter, at ?? Monday9);

    [Fact]
    public void Standing_IsBreached_WhenNobodyAcknowledgedWithinTheResponseTarget()
    {
        Assert.Equal(SlaStanding.OnTrack, EscalationListModel.Standing(OpenAtL1(), Mon(9, 30)));
        Assert.Equal(SlaStanding.AtRisk, EscalationListModel.Standing(OpenAtL1(), Mon(9, 45)));
        Assert.Equal(SlaStanding.Breached, EscalationListModel.Standing(OpenAtL1(), Mon(10, 1)));
    }

    [Fact]
    public void Standing_IsAtRisk_From75PercentOfTheResolutionTime_AndBreachedAt100()
    {
        Assert.Equal(SlaStanding.OnTrack, EscalationListModel.Standing(Acknowledged(), Mon(14, 59)));
        Assert.Equal(SlaStanding.AtRisk, EscalationListModel.Standing(Acknowledged(), Mon(15)));
        Assert.Equal(SlaStanding.Breached, EscalationListModel.Standing(Breached(), Mon(17, 1)));
    }

    [Fact]
    public void MostUrgentFirst_PutsBreachedThenAtRiskThenTheEarliestDeadline_AndPausedOnesLast()
    {
        var late = Opened("due later", Priority.P3);
        var held = Acknowledged();
        held.Hold(Agent, "Waiting for the customer.", Mon(9, 40));
        var soon = Acknowledged();
        var risky = Opened("at risk", at: Mon(9)); // response 45 of 60 min at 09:45
        var breached = Opened("breached", at: Monday9.AddDays(-3)); // Friday 09:00: 8 h 50 min of business time by now

        var ordered = EscalationListModel.MostUrgentFirst([late, held, soon, risky, breached], Mon(9, 50));

        Assert.Equal(["breached", "at risk", "Mail server down", "due later", "Mail server down"], ordered.Select(e => e.Title));
        Assert.Same(held, ordered[^1]);
    }

    [Fact]
    public void RenderList_ShowsEachRowWithItsStandingAndOpenButton_AndCountsTheRest()
    {
        var escalations = Enumerable.Range(1, EscalationListModel.MaxRows + 3).Select(i => Opened($"Problem {i}")).ToList();

        var card = _cards.RenderList("Open escalations", escalations, Mon(9, 30));

        var opens = CardJson.Elements(card).Where(e => e.Type == "Action.Execute").ToList();
        Assert.Equal(EscalationListModel.MaxRows, opens.Count);
        Assert.All(opens, o => Assert.Equal(EscalationVerbs.Open, o.Element["verb"]!.GetValue<string>()));
        JsonAssert.Equal(JsonNode.Parse("""{"escalationId":0}"""), opens[0].Element["data"], "open data");
        var texts = CardReading.TextRuns(card);
        Assert.Contains("and 3 more", texts);
        Assert.Contains("Problem 1", texts);
        Assert.Contains(" · P2 · ", texts);
        Assert.Contains(" · L1 · Open", texts);
        Assert.Contains(" · 7 h 30 min left", texts);
        Assert.Equal(EscalationListModel.MaxRows, texts.Count(t => t == "On track"));
    }

    [Fact]
    public void BuildList_SaysBreachedWithTheOverrun_AndPausedWhileOnHold()
    {
        var held = OnHold();

        var data = EscalationListModel.Build("x", [Breached(), held], Mon(9, 30, days: 1));

        Assert.Equal((true, false, "over by 30 min"), (data.Items[0].Breached, data.Items[0].AtRisk, data.Items[0].Remaining));
        Assert.Equal("On hold", data.Items[1].State);
        Assert.EndsWith("· paused (on hold)", data.Items[1].Remaining, StringComparison.Ordinal);
        Assert.Null(data.More);
    }

    [Fact]
    public void RenderList_ShowsFewerRows_WhenTheCardWouldExceedTheBudget()
    {
        var small = new EscalationCards(new CardRenderer(NullLogger<CardRenderer>.Instance, 8 * 1024));
        var escalations = Enumerable.Range(1, 40).Select(i => Opened(new string('x', Escalation.MaxTitleLength))).ToList();

        var card = small.RenderList("Open escalations", escalations, Mon(9, 30));

        Assert.InRange(CardRenderer.MeasureBytes(card), 1, 8 * 1024);
        var shown = CardJson.Elements(card).Count(e => e.Type == "Action.Execute");
        Assert.InRange(shown, 1, EscalationListModel.MaxRows - 1);
        Assert.Contains($"and {40 - shown} more", CardReading.TextRuns(card));
    }

    [Fact]
    public void RenderList_SaysSo_WhenThereIsNothing()
    {
        var card = _cards.RenderList("Your active escalations (0)", [], Mon(9));

        Assert.DoesNotContain(CardJson.Elements(card), e => e.Type == "Action.Execute");
        Assert.Contains(CardJson.Elements(card), e => e.Type == "TextBlock" && e.Element["text"]!.GetValue<string>() == "No escalations to show.");
    }

    [Fact]
    public void BuildWho_ListsEachLevelsContacts_MarksWhereOpenEscalationsAre_AndTheProvidersContacts()
    {
        var agreement = ActiveAgreement();
        var raised = RaisedToL2();

        var data = EscalationWhoModel.Build(agreement, [raised, OpenAtL1()], p => ApprovalScenarios.Names.TryGetValue(p, out var n) ? n : p.Value,
            id => id == "19:mgmt@thread.tacv2" ? "Contoso › Management" : null);

        Assert.Equal(["L1", "L2", "L3"], data.Levels.Select(l => l.Level));
        Assert.Equal(("nobody by name", "a Teams channel"), (data.Levels[0].People, data.Levels[0].Channel));
        Assert.Equal(ApprovalScenarios.Names[People.Leo], data.Levels[1].People);
        Assert.Null(data.Levels[1].Channel);
        Assert.Equal("Contoso › Management", data.Levels[2].Channel);
        Assert.Single(data.Levels[0].Escalations);
        Assert.Single(data.Levels[1].Escalations);
        Assert.Empty(data.Levels[2].Escalations);
        Assert.Equal("2 open escalations: E-0 at L2, E-0 at L1.", data.Summary);
        var pat = Assert.Single(data.ProviderContacts);
        Assert.Equal(("Pat Provider", "Account manager", "pat@contoso.example · +1 555 0100"), (pat.Name, pat.Role, pat.Reach));
        Assert.Equal("Contoso IT Services", data.ProviderName);
    }

    [Fact]
    public void RenderWho_GivesEachOpenEscalationAnOpenButton_AndSaysWhenThereAreNone()
    {
        var busy = _cards.RenderWho(EscalationWhoModel.Build(ActiveAgreement(), [OpenAtL1()], p => p.Value, _ => null));
        var quiet = _cards.RenderWho(EscalationWhoModel.Build(ActiveAgreement(), [], p => p.Value, _ => null));

        Assert.Equal([EscalationVerbs.Open], ExecuteVerbs(busy));
        Assert.Contains("Here now: ", CardReading.TextRuns(busy));
        Assert.Empty(ExecuteVerbs(quiet));
        Assert.Contains("No open escalations.", CardReading.TextRuns(quiet));
    }

    private static readonly IReadOnlyList<EscalationFormAgreement> Agreements = [new(7, "Contoso help desk"), new(9, "Fabrikam field service")];

    [Fact]
    public void ValidateForm_ReportsEveryProblemAtOnce()
    {
        var values = new EscalationFormValues("8", "P7", null, new string('x', Escalation.MaxDescriptionLength + 1));

        var errors = EscalationForm.Validate(values, Agreements);

        Assert.Equal(
            [EscalationFormFields.Agreement, EscalationFormFields.Description, EscalationFormFields.Priority, EscalationFormFields.Title],
            errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("not active", errors[EscalationFormFields.Agreement], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("P1", Priority.P1)]
    [InlineData("p4", Priority.P4)]
    [InlineData("P5", null)]
    [InlineData("P", null)]
    public void PriorityOf_ReadsP1ToP4(string typed, Priority? expected) =>
        Assert.Equal(expected, EscalationForm.PriorityOf(new EscalationFormValues(null, typed, null, null)));

    [Fact]
    public void ValidateForm_AcceptsAnActiveAgreementAPriorityAndATitle()
    {
        var values = EscalationForm.Parse(System.Text.Json.JsonSerializer.SerializeToElement(new { agreement = "9", priority = "P2", title = "  Mail down ", description = "" }));

        Assert.Empty(EscalationForm.Validate(values, Agreements));
        Assert.Equal((9L, Priority.P2, "Mail down", (string?)null), (EscalationForm.AgreementId(values, Agreements), EscalationForm.PriorityOf(values), values.Title, values.Description));
    }

    [Fact]
    public void RenderForm_KeepsTheValues_AndShowsEachErrorUnderItsField()
    {
        var values = new EscalationFormValues("9", "P7", "Mail down", "Since 9:00");
        var card = _forms.Render(Agreements, values, EscalationForm.Validate(values, Agreements));

        Assert.Equal([EscalationFormFields.Agreement, EscalationFormFields.Priority, EscalationFormFields.Title, EscalationFormFields.Description], CardReading.InputIds(card));
        Assert.Equal("9", CardJson.Elements(card).Single(e => e.Type == "Input.ChoiceSet" && e.Element["id"]!.GetValue<string>() == EscalationFormFields.Agreement).Element["value"]!.GetValue<string>());
        Assert.Equal("Mail down", CardReading.Input(card, EscalationFormFields.Title)["value"]!.GetValue<string>());
        Assert.Equal("Since 9:00", CardReading.Input(card, EscalationFormFields.Description)["value"]!.GetValue<string>());
        var texts = CardReading.TextRuns(card);
        Assert.Contains("The priority is P1, P2, P3 or P4.", texts);
        Assert.Contains(EscalationFormCardData.CorrectTheFields, texts);
        Assert.Equal([EscalationVerbs.Submit], CardReading.Verbs(card));
    }

    [Fact]
    public void RenderForm_SaysSo_WhenNoAgreementIsActive()
    {
        var card = _forms.Render([]);

        Assert.DoesNotContain(EscalationFormFields.Agreement, CardReading.InputIds(card));
        Assert.Contains(EscalationFormCardData.NoAgreements, CardReading.TextRuns(card));
    }

    [Fact]
    public void ReadingTemplates_UseExactlyTheVerbsOfEscalationVerbs()
    {
        string[] Literal(string template) =>
            [.. CardJson.Elements(CardRenderer.LoadTemplateJson(template)).Where(e => e.Type == "Action.Execute").Select(e => e.Element["verb"]!.GetValue<string>()).Distinct()];

        Assert.Equal([EscalationVerbs.Open], Literal(CardTemplates.EscalationList));
        Assert.Equal([EscalationVerbs.Open], Literal(CardTemplates.EscalationWho));
        Assert.Equal([EscalationVerbs.Submit], Literal(CardTemplates.EscalationForm));
    }
}
