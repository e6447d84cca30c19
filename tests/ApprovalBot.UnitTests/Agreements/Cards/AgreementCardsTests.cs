using System.Text.Json;
using System.Text.Json.Nodes;
using ApprovalBot.Agreements.Cards;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;
using ApprovalBot.Teams.Cards;
using ApprovalBot.UnitTests.Cards;
using Microsoft.Extensions.Logging.Abstractions;

namespace ApprovalBot.UnitTests.Agreements.Cards;

public class AgreementCardsTests
{
    private readonly AgreementCards _cards = new(new CardRenderer(NullLogger<CardRenderer>.Instance));

    private static AgreementCardContext Context(Agreement agreement, bool canSubmit = false, bool canEdit = false, long? requestId = null, string? error = null, string? notice = null) =>
        new(agreement, AgreementStates.NameOf, canSubmit, canEdit, requestId, error, notice);

    private static string AllText(JsonObject card) => string.Join('\n', FormCard.TextRuns(card).Concat(FormCard.TextBlocks(card)));

    // The form

    [Fact]
    public void RenderForm_ForANewAgreement_IsEmpty_WithOnlyTheNameRequired_AndCreates()
    {
        var card = _cards.RenderForm();

        Assert.Equal(string.Empty, FormCard.Value(card, AgreementFormFields.Name));
        Assert.Null(FormCard.Value(card, AgreementFormFields.Amount));
        var required = CardJson.Elements(card).Where(e => e.Element["isRequired"]?.GetValue<bool>() == true).Select(e => e.Element["id"]!.GetValue<string>());
        Assert.Equal([AgreementFormFields.Name], required);
        Assert.False(string.IsNullOrEmpty(FormCard.Input(card, AgreementFormFields.Name)["errorMessage"]?.GetValue<string>()));
        var create = Assert.Single(FormCard.Actions(card));
        Assert.Equal(AgreementVerbs.Create, create["verb"]!.GetValue<string>());
        Assert.Contains("New IT support agreement", FormCard.TextBlocks(card));
    }

    [Fact]
    public void RenderForm_ForEditing_IsPrefilled_AndRevisesWithTheAgreementAndRevision_OrCancels()
    {
        var values = AgreementForm.FromTerms("Contoso support 2026", SampleTerms.Complete(), AgreementStates.EmailOf);

        var card = _cards.RenderForm(values, agreementId: 42, revision: 2);

        Assert.Equal("Contoso support 2026", FormCard.Value(card, AgreementFormFields.Name));
        Assert.Equal("DataBackupAndRecovery,HelpDesk,Other", FormCard.Value(card, AgreementFormFields.Services));
        Assert.Equal("Both", FormCard.Value(card, AgreementFormFields.Coverage));
        Assert.Equal("2026-02-01", FormCard.Value(card, AgreementFormFields.StartDate));
        Assert.Equal("2027-01-31", FormCard.Value(card, AgreementFormFields.EndDate));
        Assert.Equal("MonthlyRetainer", FormCard.Value(card, AgreementFormFields.Pricing));
        Assert.Equal(JsonValueKind.Number, FormCard.Input(card, AgreementFormFields.Amount)["value"]!.GetValueKind());
        Assert.Equal(4500d, FormCard.Input(card, AgreementFormFields.Amount)["value"]!.GetValue<double>());
        Assert.Equal("EUR", FormCard.Value(card, AgreementFormFields.Currency));
        Assert.Equal("alice@contoso.example; carol@contoso.example", FormCard.Value(card, AgreementFormFields.Oversight));
        var revise = FormCard.Action(card, AgreementVerbs.Revise);
        Assert.Equal(42, revise["data"]!["agreementId"]!.GetValue<double>());
        Assert.Equal(2, revise["data"]!["revision"]!.GetValue<double>());
        var cancel = FormCard.Action(card, AgreementVerbs.Show);
        Assert.Equal("none", cancel["associatedInputs"]!.GetValue<string>());
        Assert.Equal(42, cancel["data"]!["agreementId"]!.GetValue<double>());
        Assert.DoesNotContain(FormCard.Actions(card), a => a["verb"]!.GetValue<string>() == AgreementVerbs.Create);
    }

    [Fact]
    public void RenderForm_Revises_WithoutARevision_WhenNoneIsGiven()
    {
        var card = _cards.RenderForm(agreementId: 42);

        var revise = FormCard.Action(card, AgreementVerbs.Revise);
        Assert.Equal(42, revise["data"]!["agreementId"]!.GetValue<double>());
        Assert.Null(revise["data"]!["revision"]);
    }

    [Fact]
    public void RenderForm_ThenParse_GivesBackWhatWasPrefilled()
    {
        var values = AgreementForm.FromTerms("Contoso support 2026", SampleTerms.Complete(), AgreementStates.EmailOf);
        var card = _cards.RenderForm(values, agreementId: 42, revision: 1);

        var submitted = new JsonObject();
        foreach (var (_, _, element) in CardJson.Elements(card).Where(e => e.Type.StartsWith("Input.", StringComparison.Ordinal)))
        {
            submitted[element["id"]!.GetValue<string>()] = element["value"] is JsonValue v ? JsonValue.Create(v.GetValueKind() == JsonValueKind.Number ? v.ToJsonString() : v.GetValue<string>()) : null;
        }

        Assert.Equal(values, AgreementForm.Parse(JsonSerializer.SerializeToElement(submitted)));
    }

    [Fact]
    public void RenderForm_RefillsThePreviousValues_AndShowsEveryErrorUnderItsField()
    {
        var values = new AgreementFormValues("Contoso", new string('p', 201), "HelpDesk", "Printers", "Neither", "2026-02-01", "2026-01-01", "Hourly", "-5", "EURO", "carol");
        var errors = AgreementForm.Validate(values);

        var card = _cards.RenderForm(values, errors, agreementId: 42, revision: 1);

        Assert.Equal(AgreementFormCardData.CorrectTheFields, FormCard.SummaryError(card));
        foreach (var (field, message) in errors)
        {
            Assert.Equal(message, FormCard.ErrorUnder(card, field));
        }

        Assert.Null(FormCard.ErrorUnder(card, AgreementFormFields.Name));
        Assert.Equal("Printers", FormCard.Value(card, AgreementFormFields.OtherServices));
        Assert.Equal("2026-01-01", FormCard.Value(card, AgreementFormFields.EndDate));
        Assert.Equal("carol", FormCard.Value(card, AgreementFormFields.Oversight));
        Assert.Null(FormCard.Value(card, AgreementFormFields.Amount)); // a negative amount is not re-filled; its error says why
    }

    [Fact]
    public void RenderForm_LeavesADateThatIsNotADateOutOfTheDatePicker()
    {
        var card = _cards.RenderForm(new AgreementFormValues("Contoso", null, null, null, null, "soon", null, null, null, null, null));

        Assert.Equal(string.Empty, FormCard.Value(card, AgreementFormFields.StartDate));
    }

    [Fact]
    public void RenderForm_ShowsTheGivenError_AtTheTop()
    {
        var card = _cards.RenderForm(error: "Someone else changed this agreement; here it is again.");

        Assert.Equal("Someone else changed this agreement; here it is again.", FormCard.SummaryError(card));
    }

    [Fact]
    public void FormTemplate_OffersExactlyTheDomainsServicesCoverageAndPricing()
    {
        var card = _cards.RenderForm();

        IEnumerable<string> Choices(string id) => FormCard.Input(card, id)["choices"]!.AsArray().Select(c => c!["value"]!.GetValue<string>());
        Assert.Equal(Enum.GetNames<ServiceKind>(), Choices(AgreementFormFields.Services));
        Assert.Equal(Enum.GetNames<SupportCoverage>(), Choices(AgreementFormFields.Coverage));
        Assert.Equal(Enum.GetNames<PricingStructure>(), Choices(AgreementFormFields.Pricing));
        Assert.True(FormCard.Input(card, AgreementFormFields.Services)["isMultiSelect"]!.GetValue<bool>());
        Assert.Equal("Input.Date", FormCard.Input(card, AgreementFormFields.StartDate)["type"]!.GetValue<string>());
        Assert.Equal("Input.Number", FormCard.Input(card, AgreementFormFields.Amount)["type"]!.GetValue<string>());
    }

    // The agreement card

    [Fact]
    public void Render_ACompleteDraft_ShowsItsTerms_AndSubmitAndEdit()
    {
        var card = _cards.Render(Context(AgreementStates.Draft(), canSubmit: true, canEdit: true));
        var text = AllText(card);

        Assert.Contains("Contoso support 2026", FormCard.TextRuns(card));
        Assert.Contains("Draft", FormCard.TextRuns(card));
        Assert.Contains(" · revision 1", FormCard.TextRuns(card));
        Assert.Contains("Contoso IT Services", FormCard.TextRuns(card));
        Assert.Contains("2026-02-01 to 2027-01-31", FormCard.TextRuns(card));
        Assert.Contains("Data backup and recovery, Help desk, Other: Printer fleet care", FormCard.TextRuns(card));
        Assert.Contains("Hardware and software", FormCard.TextRuns(card));
        Assert.Contains("Monthly retainer, 4,500 EUR", FormCard.TextRuns(card));
        Assert.Contains("3 months", FormCard.TextRuns(card));
        Assert.Contains("Alice Requester, Carol Director", FormCard.TextRuns(card));
        Assert.DoesNotContain("Still needed", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Approval request #", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Not given yet", text, StringComparison.Ordinal);
        Assert.Equal([AgreementVerbs.Submit, AgreementVerbs.Edit], FormCard.Actions(card).Select(a => a["verb"]!.GetValue<string>()));
        Assert.All(FormCard.Actions(card), a =>
        {
            Assert.Equal(AgreementStates.Id, a["data"]!["agreementId"]!.GetValue<double>());
            Assert.Equal(1, a["data"]!["revision"]!.GetValue<double>());
        });
    }

    [Fact]
    public void Render_ShowsTheServiceLevelTable_P1ToP4_WithTheAroundTheClockFlag()
    {
        var data = AgreementCards.Data(Context(AgreementStates.Draft()));

        Assert.Equal(
            [
                new AgreementSlaRow("P1", "15 min", "4 h", "24×7"),
                new AgreementSlaRow("P2", "1 h", "8 h", "Business hours"),
                new AgreementSlaRow("P3", "4 h", "2 d", "Business hours"),
                new AgreementSlaRow("P4", "8 h", "5 d", "Business hours"),
            ],
            data.ServiceLevels);
        var runs = FormCard.TextRuns(_cards.Render(Context(AgreementStates.Draft())));
        Assert.Contains("24×7", runs);
        Assert.Contains("15 min", runs);
    }

    [Fact]
    public void Render_ShowsTheEscalationLevels_WithTheirContactsByName()
    {
        var data = AgreementCards.Data(Context(AgreementStates.Draft()));

        Assert.Equal(
            [
                new AgreementEscalationRow("L1", "First-line support", "Teams channel"),
                new AgreementEscalationRow("L2", "Technical support", "Leo Legal"),
                new AgreementEscalationRow("L3", "Management support", "Mia Management, Teams channel"),
            ],
            data.Escalation);
        Assert.Contains("Mia Management, Teams channel", FormCard.TextRuns(_cards.Render(Context(AgreementStates.Draft()))));
    }

    [Fact]
    public void Render_AnIncompleteDraft_ListsEveryProblem_AndMarksTheMissingTerms()
    {
        var agreement = AgreementStates.Draft(new AgreementTerms { ProviderName = "Contoso" });

        var card = _cards.Render(Context(agreement, canEdit: true, notice: "Saved as a draft."));

        var runs = FormCard.TextRuns(card);
        Assert.All(agreement.Terms.Problems(), p => Assert.Contains("• " + p.Message, runs));
        Assert.Contains("Still needed before it can be submitted", FormCard.TextBlocks(card));
        Assert.Contains("Not given yet", FormCard.TextBlocks(card));
        Assert.Contains("Saved as a draft.", runs);
        Assert.Equal([AgreementVerbs.Edit], FormCard.Actions(card).Select(a => a["verb"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Render_InApproval_ShowsTheRequest_AndNoButtonsItWasNotGiven()
    {
        var (agreement, _) = await AgreementStates.InApprovalAsync();

        var card = _cards.Render(Context(agreement, requestId: 17));

        var runs = FormCard.TextRuns(card);
        Assert.Contains("In approval", runs);
        Assert.Contains("Approval request #17", runs);
        Assert.Contains("Revision 1 was submitted on 2026-01-05.", runs);
        Assert.Empty(FormCard.Actions(card));
    }

    [Fact]
    public async Task Render_ChangesRequested_ShowsWhoAskedAndTheirComment()
    {
        var (agreement, _) = await AgreementStates.ChangesRequestedAsync("Add the warranty terms");

        var card = _cards.Render(Context(agreement, canEdit: true, requestId: 17));

        var runs = FormCard.TextRuns(card);
        Assert.Contains("Changes requested", runs);
        Assert.Contains("Changes requested by Bob Manager on 2026-01-05.", runs);
        Assert.Contains("Add the warranty terms", runs);
        Assert.Equal("warning", FirstContainerStyle(card));
    }

    [Fact]
    public async Task Render_Rejected_ShowsWhoRejected_InAttentionColour()
    {
        var (agreement, _) = await AgreementStates.RejectedAsync();

        var card = _cards.Render(Context(agreement, canEdit: true));

        Assert.Contains("Rejected by Bob Manager on 2026-01-05.", FormCard.TextRuns(card));
        Assert.Contains("Too expensive", FormCard.TextRuns(card));
        Assert.Equal("attention", FirstContainerStyle(card));
    }

    [Fact]
    public async Task Render_Active_ShowsTheSignOff_AndEarlierRevisionsWithTheirOutcome()
    {
        var (agreement, _) = await AgreementStates.ActiveAsync();

        var card = _cards.Render(Context(agreement, requestId: 17));

        var runs = FormCard.TextRuns(card);
        Assert.Contains("Active", runs);
        Assert.Contains(" · revision 2", runs);
        Assert.Contains("Signed off by Mia Management on 2026-01-05.", runs);
        Assert.Contains("Revision 1: changes requested by Bob Manager on 2026-01-05", runs);
        Assert.Contains("Add the warranty terms", runs);
        Assert.Contains("Contoso IT Services Ltd", runs);
        Assert.Contains("Earlier revisions", FormCard.TextBlocks(card));
        Assert.Equal("good", FirstContainerStyle(card));
        Assert.Empty(FormCard.Actions(card));
    }

    [Fact]
    public async Task Render_Terminated_ShowsWhoEndedItAndWhy()
    {
        var (agreement, _) = await AgreementStates.ActiveAsync();
        agreement.Terminate("Provider went out of business", People.Carol, new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero));

        var runs = FormCard.TextRuns(_cards.Render(Context(agreement)));

        Assert.Contains("Terminated", runs);
        Assert.Contains("Terminated by Carol Director on 2026-06-01.", runs);
        Assert.Contains("Provider went out of business", runs);
    }

    [Fact]
    public async Task Render_ActiveWithATerminationScheduled_ShowsWhoWhenAndWhy()
    {
        var (agreement, _) = await AgreementStates.ActiveAsync();
        agreement.ScheduleTermination("provider insolvency", People.Carol, new DateTimeOffset(2026, 6, 15, 10, 0, 0, TimeSpan.Zero), TimeZoneInfo.Utc);

        var runs = FormCard.TextRuns(_cards.Render(Context(agreement)));

        Assert.Contains("Active", runs);
        Assert.Contains("Terminated by Carol Director with effect from 2026-09-15.", runs);
        Assert.Contains("Provider insolvency", runs);
    }

    [Fact]
    public async Task Render_ActiveLeftToExpire_SaysUntilWhen()
    {
        var (agreement, _) = await AgreementStates.ActiveAsync();
        agreement.LetExpire(People.Carol, new DateTimeOffset(2026, 10, 2, 9, 0, 0, TimeSpan.Zero));

        Assert.Contains("Active; left to expire after 2027-01-31.", FormCard.TextRuns(_cards.Render(Context(agreement))));
    }

    [Fact]
    public void Render_ShowsTheErrorAtTheTop()
    {
        var card = _cards.Render(Context(AgreementStates.Draft(), error: "It changed since you opened it."));

        Assert.Equal("It changed since you opened it.", FormCard.SummaryError(card));
    }

    [Fact]
    public async Task Render_ListsOnlyTheLatestEarlierRevisions_AndShortensTheirComments()
    {
        var (agreement, request) = await AgreementStates.ChangesRequestedAsync(new string('c', 2000));
        var directory = Domain.Approvals.FakeDirectory.Standard();
        for (var i = 0; i < 7; i++)
        {
            agreement.Revise(SampleTerms.Complete(), People.Alice, Domain.Approvals.Requests.Monday10.AddDays(i + 1));
            await AgreementApproval.ResubmitAsync(agreement, request, People.Alice, null, null, directory, Domain.Approvals.AroundTheClockCalendar.Instance, Domain.Approvals.Requests.Monday10.AddDays(i + 1));
            request.RequestChanges(request.WaitingFor[0], request.CurrentCard, new string('c', 2000), Domain.Approvals.Requests.Monday10.AddDays(i + 1)).ThrowIfRefused();
            agreement.ApplyApprovalOutcome(request, Domain.Approvals.Requests.Monday10.AddDays(i + 1));
        }

        var data = AgreementCards.Data(Context(agreement, canEdit: true, requestId: 17));
        var card = _cards.Render(Context(agreement, canEdit: true, requestId: 17));

        Assert.Equal(8, agreement.CurrentRevision.Number);
        Assert.Equal(AgreementCards.EarlierRevisionsShown, data.EarlierRevisions.Count);
        Assert.StartsWith("Revision 7:", data.EarlierRevisions[0].Summary, StringComparison.Ordinal);
        Assert.All(data.EarlierRevisions, r => Assert.Equal(AgreementCards.EarlierCommentLength, r.Comment!.Length));
        Assert.Equal("2 older revisions are not listed.", data.OlderRevisionsNote);
        Assert.Contains("2 older revisions are not listed.", FormCard.TextRuns(card));
        Assert.InRange(CardRenderer.MeasureBytes(card), 1, CardRenderer.DefaultMaxCardBytes);
    }

    [Fact]
    public void Render_StaysWithinTheBudget_WithTheSampleTerms_AndWithEveryTextAtItsLongest()
    {
        var complete = _cards.Render(Context(AgreementStates.Draft(), canSubmit: true, canEdit: true, requestId: 17, error: "e", notice: "n"));
        Assert.InRange(CardRenderer.MeasureBytes(complete), 1, 16 * 1024);

        var longest = Agreement.CreateDraft(new string('n', Agreement.MaxNameLength), SampleTerms.Complete() with
        {
            ProviderName = new string('p', AgreementTerms.MaxProviderNameLength),
            Services = new ServicesInScope(Enum.GetValues<ServiceKind>(), new string('o', 500)),
            OversightOwners = [.. Enumerable.Range(1, AgreementForm.MaxOversightOwners).Select(i => new PersonId($"owner{i}"))],
        }, People.Alice, Domain.Approvals.Requests.Monday10);
        var card = _cards.Render(new AgreementCardContext(longest, p => new string('x', 100) + p.Value, true, true, 9_007_199_254_740_991, new string('e', 500), new string('n', 500)));

        Assert.InRange(CardRenderer.MeasureBytes(card), 1, CardRenderer.DefaultMaxCardBytes);
    }

    [Fact]
    public void Render_KeepsUserTextLiteral_InTextRunsOnly()
    {
        const string Hostile = "${x} **bold** [l](https://x.example) <at>x</at>";
        var agreement = Agreement.CreateDraft(Hostile, SampleTerms.Complete() with { ProviderName = Hostile }, People.Alice, Domain.Approvals.Requests.Monday10);

        var card = _cards.Render(Context(agreement));

        Assert.Equal(2, FormCard.TextRuns(card).Count(t => t == Hostile));
        Assert.DoesNotContain(FormCard.TextBlocks(card), t => t.Contains(Hostile, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0, 15, "15 min")]
    [InlineData(1, 30, "1 h 30 min")]
    [InlineData(48, 0, "2 d")]
    [InlineData(26, 0, "1 d 2 h")]
    public void Duration_IsWrittenAsPeopleSayIt(int hours, int minutes, string expected)
    {
        Assert.Equal(expected, AgreementCards.Duration(TimeSpan.FromHours(hours) + TimeSpan.FromMinutes(minutes)));
    }

    private static string? FirstContainerStyle(JsonObject card) =>
        card["body"]!.AsArray().OfType<JsonObject>().First(e => e["type"]!.GetValue<string>() == "Container")["style"]?.GetValue<string>();
}
