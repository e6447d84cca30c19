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

    /// <summary>The form at each of its steps.</summary>
    private List<JsonObject> EverySection(AgreementFormValues? values = null, IReadOnlyDictionary<string, string>? errors = null, long? agreementId = null, int? revision = null) =>
        [.. AgreementFormSections.All.Select(s => _cards.RenderForm(values, errors, agreementId: agreementId, revision: revision, section: s))];

    private static IEnumerable<string> InputIds(JsonObject card) =>
        CardJson.Elements(card).Where(e => e.Type.StartsWith("Input.", StringComparison.Ordinal)).Select(e => e.Element["id"]!.GetValue<string>()).Distinct();

    [Fact]
    public void RenderForm_ForANewAgreement_IsItsFirstStep_WithOnlyTheNameRequired_AndCreates()
    {
        var card = _cards.RenderForm();

        Assert.Equal(string.Empty, FormCard.Value(card, AgreementFormFields.Name));
        Assert.Equal([AgreementFormFields.Name, AgreementFormFields.Provider, AgreementFormFields.ProviderContact, AgreementFormFields.Oversight], InputIds(card));
        var required = CardJson.Elements(card).Where(e => e.Element["isRequired"]?.GetValue<bool>() == true).Select(e => e.Element["id"]!.GetValue<string>());
        Assert.Equal([AgreementFormFields.Name], required);
        Assert.False(string.IsNullOrEmpty(FormCard.Input(card, AgreementFormFields.Name)["errorMessage"]?.GetValue<string>()));
        Assert.Equal([("next", "basics"), ("close", "basics")], FormCard.Actions(card).Select(a =>
        {
            Assert.Equal(AgreementVerbs.Create, a["verb"]!.GetValue<string>());
            return (a["data"]!["go"]!.GetValue<string>(), a["data"]!["section"]!.GetValue<string>());
        }));
        Assert.Contains("New IT support agreement", FormCard.TextBlocks(card));
        Assert.Contains("Step 1 of 5 · Provider and owners", FormCard.TextRuns(card));
        Assert.DoesNotContain(CardJson.Elements(card), e => e.Type == "ActionSet"); // no section buttons before the draft exists
    }

    [Fact]
    public void RenderForm_ShowsOneSectionAtATime_AndEveryInputIsOnExactlyOneStep()
    {
        var cards = EverySection(agreementId: 42, revision: 1);

        var ids = cards.Select(c => InputIds(c).ToList()).ToList();
        Assert.All(ids, list => Assert.InRange(list.Count, 3, 18));
        Assert.Equal(ids.Sum(l => l.Count), ids.SelectMany(l => l).Distinct().Count());
        foreach (var (card, section) in cards.Zip(AgreementFormSections.All))
        {
            Assert.All(InputIds(card), id => Assert.Equal(section, AgreementFormSections.SectionOf(id)));
            Assert.InRange(CardRenderer.MeasureBytes(card), 1, CardRenderer.DefaultMaxCardBytes / 2);
        }
        string[] expected =
        [
            AgreementFormFields.OurResponsibilities, AgreementFormFields.ProviderResponsibilities, AgreementFormFields.Constraints, AgreementFormFields.Duration,
            AgreementFormFields.Notice, AgreementFormFields.AdditionalServices, AgreementFormFields.P1Response, AgreementFormFields.P4Resolution,
            AgreementFormFields.AroundTheClock, AgreementFormFields.L1Contacts, AgreementFormFields.L3Contacts,
            AgreementFormFields.DataProtectionContacts, AgreementFormFields.ProviderDataProtectionContact, AgreementFormFields.BreachDeadlineHours,
        ];
        Assert.All(expected, id => Assert.Contains(id, ids.SelectMany(l => l)));
    }

    [Fact]
    public void RenderForm_ForEditing_IsPrefilled_AndItsButtonsSaveTheStepAndGoOn_OrCancel()
    {
        var values = AgreementForm.FromTerms("Contoso support 2026", SampleTerms.Complete(), AgreementStates.EmailOf);

        var cards = EverySection(values, agreementId: 42, revision: 2);

        Assert.Equal("Contoso support 2026", FormCard.Value(cards[0], AgreementFormFields.Name));
        Assert.Equal("alice@contoso.example; carol@contoso.example", FormCard.Value(cards[0], AgreementFormFields.Oversight));
        Assert.Equal("DataBackupAndRecovery,HelpDesk,Other", FormCard.Value(cards[1], AgreementFormFields.Services));
        Assert.Equal("Both", FormCard.Value(cards[1], AgreementFormFields.Coverage));
        Assert.Equal("Keep the device inventory current\nGive the provider remote access to the systems in scope", FormCard.Value(cards[1], AgreementFormFields.OurResponsibilities));
        Assert.Equal("2026-02-01", FormCard.Value(cards[2], AgreementFormFields.StartDate));
        Assert.Equal("2027-01-31", FormCard.Value(cards[2], AgreementFormFields.EndDate));
        Assert.Equal("3 months", FormCard.Value(cards[2], AgreementFormFields.Notice));
        Assert.Equal("MonthlyRetainer", FormCard.Value(cards[2], AgreementFormFields.Pricing));
        Assert.Equal(JsonValueKind.Number, FormCard.Input(cards[2], AgreementFormFields.Amount)["value"]!.GetValueKind());
        Assert.Equal(4500d, FormCard.Input(cards[2], AgreementFormFields.Amount)["value"]!.GetValue<double>());
        Assert.Equal("EUR", FormCard.Value(cards[2], AgreementFormFields.Currency));
        Assert.Equal("On-site visit: 150\nWeekend migration: 1200.50", FormCard.Value(cards[2], AgreementFormFields.AdditionalServices));
        Assert.Equal("15 min", FormCard.Value(cards[3], AgreementFormFields.P1Response));
        Assert.Equal("5 d", FormCard.Value(cards[3], AgreementFormFields.P4Resolution));
        Assert.Equal("P1", FormCard.Value(cards[3], AgreementFormFields.AroundTheClock));
        Assert.Equal("leo@contoso.example", FormCard.Value(cards[3], AgreementFormFields.L2Contacts));
        Assert.Equal("alice@contoso.example", FormCard.Value(cards[4], AgreementFormFields.DataProtectionContacts));
        Assert.Equal("privacy@contoso.example", FormCard.Value(cards[4], AgreementFormFields.ProviderDataProtectionContact));
        Assert.Equal(72d, FormCard.Input(cards[4], AgreementFormFields.BreachDeadlineHours)["value"]!.GetValue<double>());

        foreach (var (card, section) in cards.Zip(AgreementFormSections.All))
        {
            var revises = FormCard.Actions(card).Where(a => a["verb"]!.GetValue<string>() == AgreementVerbs.Revise).ToList();
            Assert.All(revises, a =>
            {
                Assert.Equal(42, a["data"]!["agreementId"]!.GetValue<double>());
                Assert.Equal(2, a["data"]!["revision"]!.GetValue<double>());
                Assert.Equal(AgreementFormSections.Id(section), a["data"]!["section"]!.GetValue<string>());
            });
            var go = revises.Select(a => a["data"]!["go"]!.GetValue<string>()).ToList();
            Assert.Equal(section != AgreementFormSection.Basics, go.Contains("back"));
            Assert.Equal(section != AgreementFormSection.DataProtection, go.Contains("next"));
            Assert.Contains("close", go);
            Assert.Contains("submit", go);
            var cancel = FormCard.Action(card, AgreementVerbs.Show);
            Assert.Equal("none", cancel["associatedInputs"]!.GetValue<string>());
            Assert.Equal(42, cancel["data"]!["agreementId"]!.GetValue<double>());
            Assert.DoesNotContain(FormCard.Actions(card), a => a["verb"]!.GetValue<string>() == AgreementVerbs.Create);
            var jumps = CardJson.Elements(card).Single(e => e.Type == "ActionSet").Element["actions"]!.AsArray().Select(a => a!["data"]!["go"]!.GetValue<string>());
            Assert.Equal(AgreementFormSections.All.Where(s => s != section).Select(AgreementFormSections.Id), jumps);
        }
    }

    [Fact]
    public void RenderForm_CarriesRevisionZero_WhenNoneIsGiven_WhichReadsAsNone()
    {
        var card = _cards.RenderForm(agreementId: 42);

        var revise = FormCard.Actions(card).First(a => a["verb"]!.GetValue<string>() == AgreementVerbs.Revise);
        Assert.Equal(42, revise["data"]!["agreementId"]!.GetValue<double>());
        Assert.Equal(0, revise["data"]!["revision"]!.GetValue<double>());
        Assert.Equal(new AgreementActionTarget(42, null), AgreementActionTarget.Read(JsonSerializer.SerializeToElement(revise["data"])));
    }

    [Fact]
    public void RenderForm_ThenParse_GivesBackWhatWasPrefilled_OverAllSteps()
    {
        var values = AgreementForm.FromTerms("Contoso support 2026", SampleTerms.Complete(), AgreementStates.EmailOf);

        var submitted = new JsonObject();
        foreach (var card in EverySection(values, agreementId: 42, revision: 1))
        {
            foreach (var (_, _, element) in CardJson.Elements(card).Where(e => e.Type.StartsWith("Input.", StringComparison.Ordinal)))
            {
                submitted[element["id"]!.GetValue<string>()] = element["value"] is JsonValue v ? JsonValue.Create(v.GetValueKind() == JsonValueKind.Number ? v.ToJsonString() : v.GetValue<string>()) : null;
            }
        }

        Assert.Equal(values, AgreementForm.Parse(JsonSerializer.SerializeToElement(submitted)));
    }

    [Fact]
    public void RenderForm_RefillsThePreviousValues_AndShowsEveryErrorUnderItsField_OnItsStep()
    {
        var values = new AgreementFormValues("Contoso", new string('p', 201), "HelpDesk", "Printers", "Neither", "2026-02-01", "2026-01-01", "Hourly", "-5", "EURO", "carol")
        {
            Duration = "a while",
            AdditionalServices = "On-site visit",
            P1Response = "soon",
            L2Contacts = "leo",
        };
        var errors = AgreementForm.Validate(values);

        var cards = EverySection(values, errors, agreementId: 42, revision: 1);

        Assert.All(cards, c => Assert.Equal(AgreementFormCardData.CorrectTheFields, FormCard.SummaryError(c)));
        foreach (var (field, message) in errors)
        {
            Assert.Equal(message, FormCard.ErrorUnder(cards[(int)AgreementFormSections.SectionOf(field)], field));
        }

        Assert.Contains(AgreementFormFields.Duration, errors.Keys);
        Assert.Contains(AgreementFormFields.AdditionalServices, errors.Keys);
        Assert.Contains(AgreementFormFields.P1Response, errors.Keys);
        Assert.Contains(AgreementFormFields.P1Resolution, errors.Keys); // the other targets are all-or-none
        Assert.Contains(AgreementFormFields.L2Contacts, errors.Keys);
        Assert.Null(FormCard.ErrorUnder(cards[0], AgreementFormFields.Name));
        Assert.Equal("Printers", FormCard.Value(cards[1], AgreementFormFields.OtherServices));
        Assert.Equal("2026-01-01", FormCard.Value(cards[2], AgreementFormFields.EndDate));
        Assert.Equal("carol", FormCard.Value(cards[0], AgreementFormFields.Oversight));
        Assert.Null(FormCard.Value(cards[2], AgreementFormFields.Amount)); // a negative amount is not re-filled; its error says why
    }

    [Fact]
    public void RenderForm_ListsEveryProblem_BySection_AtTheTop()
    {
        var card = _cards.RenderForm(agreementId: 42, revision: 1, section: AgreementFormSection.Scope, problems:
            [new AgreementFormProblem("Scope and responsibilities", "Choose the services in scope."), new AgreementFormProblem("Term and pricing", "Give the end date.")]);

        var runs = FormCard.TextRuns(card);
        Assert.Contains("Still needed before it can be submitted, by step", FormCard.TextBlocks(card));
        Assert.Contains("Term and pricing: ", runs);
        Assert.Contains("Give the end date.", runs);
        Assert.Contains("Choose the services in scope.", runs);
    }

    [Fact]
    public void RenderForm_LeavesADateThatIsNotADateOutOfTheDatePicker()
    {
        var card = _cards.RenderForm(new AgreementFormValues("Contoso", null, null, null, null, "soon", null, null, null, null, null), section: AgreementFormSection.Term);

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
        var scope = _cards.RenderForm(section: AgreementFormSection.Scope);
        var term = _cards.RenderForm(section: AgreementFormSection.Term);
        var service = _cards.RenderForm(section: AgreementFormSection.Service);

        static IEnumerable<string> Choices(JsonObject card, string id) => FormCard.Input(card, id)["choices"]!.AsArray().Select(c => c!["value"]!.GetValue<string>());
        Assert.Equal(Enum.GetNames<ServiceKind>(), Choices(scope, AgreementFormFields.Services));
        Assert.Equal(Enum.GetNames<SupportCoverage>(), Choices(scope, AgreementFormFields.Coverage));
        Assert.Equal(Enum.GetNames<PricingStructure>(), Choices(term, AgreementFormFields.Pricing));
        Assert.Equal(Enum.GetNames<Priority>(), Choices(service, AgreementFormFields.AroundTheClock));
        Assert.True(FormCard.Input(scope, AgreementFormFields.Services)["isMultiSelect"]!.GetValue<bool>());
        Assert.Equal("Input.Date", FormCard.Input(term, AgreementFormFields.StartDate)["type"]!.GetValue<string>());
        Assert.Equal("Input.Number", FormCard.Input(term, AgreementFormFields.Amount)["type"]!.GetValue<string>());
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
        Assert.Contains("2026-02-01 to 2027-01-31 (12 months)", FormCard.TextRuns(card));
        Assert.Contains("On-site visit: 150 EUR", FormCard.TextRuns(card));
        Assert.Contains("• Install software upgrades and security patches within 14 days", FormCard.TextRuns(card));
        Assert.Contains("• Remote support only outside Berlin", FormCard.TextRuns(card));
        Assert.Contains("Every Monday at 09:00 (Europe/Berlin), to a Teams channel", FormCard.TextRuns(card));
        Assert.Contains("Monthly on day 1 at 10:00 (Europe/Berlin)", FormCard.TextRuns(card));
        Assert.Contains("Response time, Uptime % (target 99.9), Customer satisfaction (target 4); reported monthly", FormCard.TextRuns(card));
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
    public void Render_ShowsDataProtection_BothSidesContactsAndTheDeadline()
    {
        var data = AgreementCards.Data(Context(AgreementStates.Draft()));

        Assert.Equal(new AgreementDataProtectionData(
            "Alice (Data protection officer): Alice Requester",
            "Priya Privacy (Data protection officer): privacy@contoso.example, +1 555 0199",
            "72 hours after a breach is reported"), data.DataProtection);
        var runs = FormCard.TextRuns(_cards.Render(Context(AgreementStates.Draft())));
        Assert.Contains("72 hours after a breach is reported", runs);
        Assert.Contains("Priya Privacy (Data protection officer): privacy@contoso.example, +1 555 0199", runs);
        Assert.Null(AgreementCards.Data(Context(AgreementStates.Draft(SampleTerms.Complete() with { DataProtection = null }))).DataProtection);
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
