using static ApprovalBot.UnitTests.Cards.CardReading;
using System.Text.Json;
using System.Text.Json.Nodes;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.Teams.Cards;
using ApprovalBot.UnitTests.Cards;
using ApprovalBot.UnitTests.Domain.Approvals;
using Microsoft.Extensions.Logging.Abstractions;
using static ApprovalBot.UnitTests.Approvals.Cards.ApprovalScenarios;

namespace ApprovalBot.UnitTests.Approvals.Cards;

public class ApprovalCardModelTests
{
    private static readonly string[] DecisionVerbs = [ApprovalVerbs.Approve, ApprovalVerbs.Reject, ApprovalVerbs.RequestChanges, ApprovalVerbs.Delegate];

    private readonly ApprovalCards _cards = new(new CardRenderer(NullLogger<CardRenderer>.Instance));

    [Fact]
    public async Task Render_ShowsTheCommentBoxAndDecisionButtons_WhenTheViewerCanDecide()
    {
        var request = await AtLegal();

        var data = ApprovalCardModel.Build(Context(request, People.Lena));
        var card = _cards.Render(Context(request, People.Lena));

        Assert.True(data.CanDecide);
        Assert.False(data.CanResubmit);
        Assert.Equal("Waiting for you, Leo Lang and Lou Lee.", data.ViewerStatus);
        Assert.Equal(DecisionVerbs, Verbs(card));
        Assert.Equal(["comment", "delegateTo"], InputIds(card));
        var comment = Input(card, "comment");
        Assert.True(comment["isMultiline"]!.GetValue<bool>());
        Assert.Equal(ApprovalRequest.MaxCommentLength, comment["maxLength"]!.GetValue<int>());
        var delegateButton = Assert.Single(CardJson.Elements(card), e => e.Type == "Action.ShowCard").Element;
        Assert.Equal("Delegate…", delegateButton["title"]!.GetValue<string>());
        Assert.Contains(CardJson.Elements(delegateButton["card"]), e => e.Type == "Action.Execute" && e.Element["verb"]!.GetValue<string>() == ApprovalVerbs.Delegate);
    }

    [Fact]
    public async Task Render_EveryActionCarriesTheRequestAndTheCardStateShown()
    {
        var request = await AtLegal();

        var card = _cards.Render(Context(request, People.Lena));

        var executes = CardJson.Elements(card).Where(e => e.Type == "Action.Execute").ToList();
        Assert.Equal(5, executes.Count); // refresh + approve, reject, request changes, delegate
        Assert.All(executes, e => JsonAssert.Equal(
            JsonNode.Parse("""{"requestId":0,"revision":1,"stage":2}"""), e.Element["data"], e.Path));
        Assert.Equal(new CardState(1, 2), request.CurrentCard);
    }

    [Fact]
    public async Task Render_ShowsAStatusLineAndNoInputs_WhenTheApproverHasDecidedAndOthersStillMust()
    {
        var request = await AtLegal();
        await request.ApproveAsync(People.Lena, request.CurrentCard, null, FakeDirectory.Standard(), AroundTheClockCalendar.Instance, Start.AddHours(2)); // → Management (all)
        await request.ApproveAsync(People.Mia, request.CurrentCard, "Fine.", FakeDirectory.Standard(), AroundTheClockCalendar.Instance, Start.AddHours(3));

        var data = ApprovalCardModel.Build(Context(request, People.Mia, now: Start.AddHours(4)));
        var card = _cards.Render(Context(request, People.Mia, now: Start.AddHours(4)));

        Assert.False(data.CanDecide);
        Assert.Equal("You approved this on Mon 23 Nov 2026, 13:00 (Europe/Berlin). Waiting for Max Meyer.", data.ViewerStatus);
        Assert.Empty(Verbs(card));
        Assert.Empty(InputIds(card));
        Assert.Equal("all 2 approvers", data.Stage!.Rule);
    }

    [Fact]
    public async Task Render_GivesTheDelegateTheButtons_AndTellsTheOwnerWhomTheyDelegatedTo()
    {
        var request = await Delegated();

        var forDan = ApprovalCardModel.Build(Context(request, People.Dan));
        var forLeo = ApprovalCardModel.Build(Context(request, People.Leo));

        Assert.True(forDan.CanDecide);
        Assert.Equal(DecisionVerbs, Verbs(_cards.Render(Context(request, People.Dan))));
        Assert.False(forLeo.CanDecide);
        Assert.Empty(Verbs(_cards.Render(Context(request, People.Leo))));
        Assert.StartsWith("You delegated this to Dan Diaz on Mon 23 Nov 2026, 12:00 (Europe/Berlin).", forLeo.ViewerStatus, StringComparison.Ordinal);
        var delegation = forLeo.Decisions[^1].Entries.Single();
        Assert.Equal(("Leo Lang", "delegated to Dan Diaz", "I am away this week."), (delegation.Who, delegation.What, delegation.Comment));
    }

    [Fact]
    public async Task Build_ShowsTheAutomaticDelegation_AndTellsTheApproverOutOfOfficeWhoDecidesForThem()
    {
        var directory = FakeDirectory.Standard();
        directory.Absent[People.Bob] = new FakeDirectory.Away(Start.AddDays(-1), Start.AddDays(5), People.Carol);
        var request = await Submit(directory: directory);

        var forCarol = ApprovalCardModel.Build(Context(request, People.Carol));
        var forBob = ApprovalCardModel.Build(Context(request, People.Bob));

        Assert.True(forCarol.CanDecide);
        Assert.False(forBob.CanDecide);
        Assert.Equal("You were out of office when this stage started, so Carol Clark decides for you. Waiting for Carol Clark.", forBob.ViewerStatus);
        var delegation = forCarol.Decisions[^1].Entries.Single();
        Assert.Equal(("Bob Brown", "is out of office: delegated automatically to Carol Clark", (string?)null), (delegation.Who, delegation.What, delegation.Comment));

        request.Reject(People.Carol, request.CurrentCard, "Not this quarter.", Start.AddHours(1));
        var decided = ApprovalCardModel.Build(Context(request, People.Alice));
        Assert.Equal("Carol Clark for Bob Brown", decided.Decisions[^1].Entries[^1].Who);
    }

    [Fact]
    public async Task Build_NamesTheDelegateForTheOwner_WhenADelegateDecided()
    {
        var request = await Delegated();
        request.Reject(People.Dan, request.CurrentCard, "No liability cap.", Start.AddHours(3));

        var data = ApprovalCardModel.Build(Context(request, People.Leo));

        var decision = data.Decisions[^1].Entries[^1];
        Assert.Equal("Dan Diaz for Leo Lang", decision.Who);
        Assert.Equal("rejected", decision.What);
        Assert.Equal("Rejected by Dan Diaz for Leo Lang at stage 2 (Legal) on Mon 23 Nov 2026, 13:00 (Europe/Berlin).", data.Outcome!.Summary);
        Assert.Equal("No liability cap.", data.Outcome.Comment);
        Assert.Equal(new ApprovalCardStatus("Rejected", ApprovalCardTone.Attention), data.Status);
    }

    [Fact]
    public async Task Build_ShowsTheRequesterWhomItWaitsFor_WithoutButtons()
    {
        var request = await AtLegal();

        var data = ApprovalCardModel.Build(Context(request, People.Alice));

        Assert.False(data.CanDecide);
        Assert.False(data.CanResubmit);
        Assert.Equal("Waiting for Lena Lopez, Leo Lang and Lou Lee.", data.ViewerStatus);
        Assert.Equal("Alice Adams", data.RequesterName);
        Assert.Empty(Verbs(_cards.Render(Context(request, People.Alice))));
    }

    [Fact]
    public async Task Render_OffersTheRequesterResubmit_WhenChangesWereRequestedOnAnOtherSubject()
    {
        var request = await ChangesRequested();

        var data = ApprovalCardModel.Build(Context(request, People.Alice, commentDraft: "Attached"));
        var card = _cards.Render(Context(request, People.Alice, commentDraft: "Attached"));
        var approverCard = _cards.Render(Context(request, People.Lena));

        Assert.True(data.CanResubmit);
        Assert.Equal(new ApprovalCardStatus("Changes requested", ApprovalCardTone.Warning), data.Status);
        Assert.Equal("Changes requested by Lena Lopez at stage 2 (Legal) on Mon 23 Nov 2026, 12:00 (Europe/Berlin).", data.Outcome!.Summary);
        Assert.Equal([ApprovalVerbs.Resubmit], Verbs(card));
        Assert.Equal("Attached", Input(card, "comment")["value"]!.GetValue<string>());
        Assert.Empty(Verbs(approverCard));
        Assert.Null(data.Stage);
    }

    [Fact]
    public async Task Build_OffersNoResubmit_ForAnAgreement_WhichIsRevisedThroughTheAgreement()
    {
        var request = await ApprovalRequest.SubmitAsync(
            new NewApprovalRequest("Contoso help desk", null, People.Alice, ApprovalSubject.Agreement(7, 1)),
            Flow(), FakeDirectory.Standard(), AroundTheClockCalendar.Instance, Start);
        request.RequestChanges(People.Bob, request.CurrentCard, "Fix the prices.", Start.AddHours(1));

        var data = ApprovalCardModel.Build(Context(request, People.Alice, subjectLabel: "Agreement Contoso help desk · revision 1"));

        Assert.False(data.CanResubmit);
        Assert.Equal("Revise the agreement and submit it again.", data.ViewerStatus);
        Assert.Equal("Agreement Contoso help desk · revision 1", data.SubjectLabel);
        Assert.Null(data.Details);
    }

    [Fact]
    public async Task Render_ShowsStatusOnly_ForASharedCopy()
    {
        var request = await AtLegal();

        var data = ApprovalCardModel.Build(Context(request, viewer: null, commentDraft: "ignored"));
        var card = _cards.Render(Context(request, viewer: null));

        Assert.False(data.CanDecide);
        Assert.False(data.CanResubmit);
        Assert.Equal(string.Empty, data.CommentDraft);
        Assert.Equal("Waiting for Lena Lopez, Leo Lang and Lou Lee.", data.ViewerStatus);
        Assert.Empty(Verbs(card));
        Assert.Empty(InputIds(card));
        Assert.Equal([UserId(People.Lena), UserId(People.Leo), UserId(People.Lou)], RefreshUserIds(card));
    }

    [Fact]
    public async Task Render_RefreshesForAtMost60UserIds_AndForNobodyWhenNobodyCanDecide()
    {
        var request = await AtLegal();
        var many = Enumerable.Range(1, 75).Select(i => $"29:user-{i:D2}").ToList();

        var card = _cards.Render(Context(request, null, refreshUserIds: many));
        var closed = _cards.Render(Context(await Rejected(), null, refreshUserIds: []));

        Assert.Equal(many.Take(60), RefreshUserIds(card));
        var refresh = card["refresh"]!["action"]!;
        Assert.Equal("Action.Execute", refresh["type"]!.GetValue<string>());
        Assert.Equal(ApprovalVerbs.Refresh, refresh["verb"]!.GetValue<string>());
        Assert.Equal(0, refresh["data"]!["requestId"]!.GetValue<long>());
        Assert.Empty(RefreshUserIds(closed));
        Assert.Empty(Verbs(closed));
    }

    [Fact]
    public async Task Build_ShowsDueAndDecisionTimesInTheReadersTimeZone_WithItsId()
    {
        var request = await AtLegal(); // stage 2 started Mon 23 Nov 2026 10:00 UTC, 24 h

        var berlin = ApprovalCardModel.Build(Context(request, People.Alice));
        var newYork = ApprovalCardModel.Build(Context(request, People.Alice, timeZone: TimeZoneInfo.FindSystemTimeZoneById("America/New_York")));

        Assert.Equal("Tue 24 Nov 2026, 11:00 (Europe/Berlin)", berlin.Stage!.Due);
        Assert.Equal("Tue 24 Nov 2026, 05:00 (America/New_York)", newYork.Stage!.Due);
        Assert.Equal("Mon 23 Nov 2026, 05:00 (America/New_York)", newYork.Decisions[0].Entries[0].At);
        Assert.Equal("Mon 23 Nov 2026, 04:00 (America/New_York)", newYork.SubmittedAt);
        Assert.Equal("Stage 2 of 3: Legal", berlin.Stage.Heading);
        Assert.Equal("Compliance review of the contract", berlin.Stage.Description);
        Assert.Equal("any one of 3 approvers", berlin.Stage.Rule);
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(60, true)]
    public async Task Build_MarksTheStageOverdue_FromTheDueTimeOn(int minutesAfterDue, bool overdue)
    {
        var request = await AtLegal();
        var due = request.CurrentStage!.DueAt;

        var data = ApprovalCardModel.Build(Context(request, People.Lena, now: due.AddMinutes(minutesAfterDue)));
        var card = _cards.Render(Context(request, People.Lena, now: due.AddMinutes(minutesAfterDue)));

        Assert.Equal(overdue, data.Stage!.Overdue);
        Assert.Equal(overdue, TextRuns(card).Contains(" · overdue"));
    }

    [Fact]
    public async Task Render_ShowsTheErrorFirst_AndKeepsTheDraftComment()
    {
        var request = await AtLegal();
        var context = Context(request, People.Lena, error: "Please add a comment: it goes to the requester.", commentDraft: "Not sure about the");

        var card = _cards.Render(context);

        var first = card["body"]![0]!;
        Assert.Equal("attention", first["style"]!.GetValue<string>());
        Assert.Equal("Please add a comment: it goes to the requester.", first["items"]![0]!["inlines"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("Not sure about the", Input(card, "comment")["value"]!.GetValue<string>());
        Assert.Equal(DecisionVerbs, Verbs(card));
    }

    [Fact]
    public async Task Render_ShowsTheNoticeFirst_InGoodStyle()
    {
        var card = _cards.Render(Context(await Approved(), People.Max, notice: "Your approval was recorded."));

        Assert.Equal("good", card["body"]![0]!["style"]!.GetValue<string>());
        Assert.Contains("Your approval was recorded.", TextRuns(card));
        Assert.Contains("Approved", TextRuns(card));
    }

    [Fact]
    public async Task Build_ExplainsABlockedRequest()
    {
        var data = ApprovalCardModel.Build(Context(await Blocked(), viewer: null));

        Assert.Equal(new ApprovalCardStatus("Blocked", ApprovalCardTone.Attention, "Stage 3 cannot start: there is no group named Management."), data.Status);
        Assert.Equal("Stage 3 of 3: Management", data.Stage!.Heading);
        Assert.Equal("every approver", data.Stage.Rule);
        Assert.Null(data.Stage.Due);
        Assert.Null(data.ViewerStatus);
        Assert.Equal(2, data.Decisions.Count);
    }

    [Fact]
    public async Task Build_SummarisesEarlierRevisions_AndKeepsEarlierStagesApprovals()
    {
        var data = ApprovalCardModel.Build(Context(await Resubmitted(), People.Leo));

        Assert.Equal(2, data.Action.Revision);
        Assert.Equal(
            [
                new ApprovalCardNote("Revision 1: changes requested by Lena Lopez at stage 2 (Legal) on Mon 23 Nov 2026, 12:00 (Europe/Berlin).", "Please attach the warranty terms."),
                new ApprovalCardNote("Revision 2: resubmitted by Alice Adams on Mon 23 Nov 2026, 14:00 (Europe/Berlin).", "Warranty terms attached."),
            ],
            data.EarlierRevisions);
        Assert.Equal("Stage 1 of 3: Department manager", Assert.Single(data.Decisions).Heading); // stage 1 stands; stage 2 restarted
        Assert.Null(data.Outcome);
    }

    [Theory]
    [InlineData(DecisionRuleKind.Any, 0, 3, "any one of 3 approvers")]
    [InlineData(DecisionRuleKind.All, 0, 3, "all 3 approvers")]
    [InlineData(DecisionRuleKind.NOfM, 2, 3, "2 of 3 approvers")]
    [InlineData(DecisionRuleKind.All, 0, 1, "the one approver")]
    public void RuleInWords_DescribesTheDecisionRule(DecisionRuleKind kind, int n, int approvers, string expected)
    {
        var rule = kind switch { DecisionRuleKind.Any => DecisionRule.Any, DecisionRuleKind.All => DecisionRule.All, _ => DecisionRule.NOfM(n) };

        Assert.Equal(expected, ApprovalCardModel.RuleInWords(rule, approvers));
    }

    [Fact]
    public void Shorten_CutsWithAnEllipsis_NeverInsideASurrogatePair()
    {
        Assert.Equal("abc", ApprovalCardModel.Shorten("abc", 3));
        Assert.Equal("ab…", ApprovalCardModel.Shorten("abcd", 3));
        Assert.Equal("a…", ApprovalCardModel.Shorten("a🎉b", 3));
    }

    [Fact]
    public async Task Build_ShortensCommentsAndKeepsTheLatest12Decisions()
    {
        var people = Enumerable.Range(1, 20).Select(i => new PersonId($"p{i:D2}")).ToList();
        var flow = ApprovalFlow.Create("Board", [new StageDefinition("Board", ApproverRule.People(people), DecisionRule.NOfM(20), TimeSpan.FromHours(8))]);
        var request = await Submit(flow);
        foreach (var person in people.Take(15))
            await request.ApproveAsync(person, request.CurrentCard, new string('c', 2000), FakeDirectory.Standard(), AroundTheClockCalendar.Instance, Start.AddMinutes(1));

        var data = ApprovalCardModel.Build(Context(request, people[19]));

        var entries = Assert.Single(data.Decisions).Entries;
        Assert.Equal(12, entries.Count);
        Assert.Equal("p04", entries[0].Who);
        Assert.Equal("and 3 earlier decisions", data.EarlierDecisions);
        Assert.All(entries, e => Assert.Equal(300, e.Comment!.Length));
        Assert.All(entries, e => Assert.EndsWith("…", e.Comment, StringComparison.Ordinal));
        Assert.Equal("Waiting for you, p16, p17, p18 and p19.", data.ViewerStatus);
    }

    [Theory]
    [InlineData('x')]
    [InlineData('語')] // three bytes a character
    [InlineData('{')] // the renderer adds U+2060 between braces
    public async Task Render_StaysUnderTheBudget_With10StagesManyDecisionsAndMaximalText(char ch)
    {
        var (request, context) = await Maximal(ch);

        var data = ApprovalCardModel.Build(context);
        var card = _cards.Render(context);

        Assert.Equal(10, request.Stages.Count);
        Assert.InRange(CardRenderer.MeasureBytes(card), 1, CardRenderer.DefaultMaxCardBytes);
        Assert.Equal(DecisionVerbs, Verbs(card));
        Assert.Equal(60, RefreshUserIds(card).Count);
        Assert.NotEmpty(data.Decisions);
        Assert.NotNull(data.EarlierDecisions);
        Assert.Single(data.Links);
        Assert.StartsWith(data.CommentDraft[..^1], context.CommentDraft, StringComparison.Ordinal); // the draft is cut last
        Assert.Equal(ch == 'x' ? ApprovalRequest.MaxCommentLength : 600, data.CommentDraft.Length);
    }

    [Fact]
    public async Task Build_KeepsTheModelsEstimateWithinBudget_WithoutTheRenderersHelp()
    {
        var (_, context) = await Maximal('語');

        var card = new CardRenderer(NullLogger<CardRenderer>.Instance).Render(CardTemplates.Approval, ApprovalCardModel.Build(context));

        Assert.InRange(CardRenderer.MeasureBytes(card), 1, ApprovalCardModel.TargetBytes + 512);
    }

    [Theory]
    [MemberData(nameof(ApprovalSamples))]
    public void EstimateBytes_IsAnUpperBoundOfTheRenderedCard(string variant)
    {
        var data = CardSamples.Get(CardTemplates.Approval, variant).LoadData().Deserialize<ApprovalCardData>(CardRenderer.DataJsonOptions)!;

        var card = new CardRenderer(NullLogger<CardRenderer>.Instance).Render(CardTemplates.Approval, data);

        Assert.InRange(CardRenderer.MeasureBytes(card), 1, ApprovalCardModel.EstimateBytes(data));
    }

    [Fact]
    public async Task EstimateBytes_IsAnUpperBoundOfTheRenderedCard_ForMaximalContent()
    {
        var (_, context) = await Maximal('x');
        var data = ApprovalCardModel.Build(context);

        var card = new CardRenderer(NullLogger<CardRenderer>.Instance, 1 << 20).Render(CardTemplates.Approval, data);

        Assert.InRange(CardRenderer.MeasureBytes(card), ApprovalCardModel.EstimateBytes(data) - 1500, ApprovalCardModel.EstimateBytes(data));
    }

    public static TheoryData<string> ApprovalSamples => [.. CardSamples.All.Where(s => s.Template == CardTemplates.Approval).Select(s => s.Variant)];

    [Fact]
    public void RenderList_GivesEachRequestAnOpenButton_AndCountsTheRest()
    {
        var items = Enumerable.Range(1, 25)
            .Select(i => new ApprovalListItem(100 + i, $"Request {i}", "Legal", 2, 3, Start.AddHours(i), Overdue: i == 1, "Alice Adams"))
            .ToList();

        var card = _cards.RenderList("Waiting for you", items, more: 5, Berlin);

        var opens = CardJson.Elements(card).Where(e => e.Type == "Action.Execute").ToList();
        Assert.Equal(ApprovalCardModel.MaxListItems, opens.Count);
        Assert.All(opens, o => Assert.Equal(ApprovalVerbs.Open, o.Element["verb"]!.GetValue<string>()));
        JsonAssert.Equal(JsonNode.Parse("""{"requestId":101}"""), opens[0].Element["data"], "first");
        var texts = TextRuns(card);
        Assert.Contains("and 10 more", texts);
        Assert.Contains("Mon 23 Nov 2026, 11:00 (Europe/Berlin)", texts);
        Assert.Contains("Stage 2 of 3: Legal", string.Join('|', texts), StringComparison.Ordinal);
        Assert.Single(texts, t => t == " · overdue");
    }

    [Fact]
    public void RenderList_SaysSo_WhenThereIsNothing()
    {
        var card = _cards.RenderList("Waiting for you", [], more: 0, Berlin);

        Assert.DoesNotContain(CardJson.Elements(card), e => e.Type == "Action.Execute");
        Assert.Contains(CardJson.Elements(card), e => e.Type == "TextBlock" && e.Element["text"]!.GetValue<string>() == "Nothing to show here.");
    }

    [Fact]
    public void Templates_UseExactlyTheVerbsOfApprovalVerbs()
    {
        string[] Literal(string template) =>
            [.. CardJson.Elements(CardRenderer.LoadTemplateJson(template)).Where(e => e.Type == "Action.Execute").Select(e => e.Element["verb"]!.GetValue<string>()).Order(StringComparer.Ordinal)];

        Assert.Equal(
            new[] { ApprovalVerbs.Approve, ApprovalVerbs.Reject, ApprovalVerbs.RequestChanges, ApprovalVerbs.Delegate, ApprovalVerbs.Refresh, ApprovalVerbs.Resubmit }.Order(StringComparer.Ordinal),
            Literal(CardTemplates.Approval));
        Assert.Equal([ApprovalVerbs.Open], Literal(CardTemplates.ApprovalList));
    }

    /// <summary>
    /// Ten stages of ten approvers (N of M) with a decision and a 2 000-character comment from nine of them in
    /// each, two earlier revisions, maximal title, details and links, 200-character names, 60 long Teams ids.
    /// </summary>
    private static async Task<(ApprovalRequest Request, ApprovalCardContext Context)> Maximal(char ch)
    {
        var text = (int length) => new string(ch, length);
        var stages = Enumerable.Range(1, 10).Select(s => new StageDefinition(
            $"Stage {s} " + text(80), ApproverRule.People(Enumerable.Range(1, 10).Select(p => new PersonId($"s{s}p{p}"))),
            DecisionRule.NOfM(10), TimeSpan.FromHours(8), description: text(500))).ToList();
        var flow = ApprovalFlow.Create("Maximal", stages);
        var links = Enumerable.Range(1, 10).Select(i => new RequestLink(text(200), $"https://contoso.example/{i}/" + new string('a', 1900)));
        var directory = FakeDirectory.Standard();
        var request = await ApprovalRequest.SubmitAsync(
            new NewApprovalRequest(text(ApprovalRequest.MaxTitleLength), text(ApprovalRequest.MaxDetailsLength), People.Alice, ApprovalSubject.Other(), links),
            flow, directory, AroundTheClockCalendar.Instance, Start);
        var at = Start;
        for (var revision = 1; revision <= 2; revision++)
        {
            request.RequestChanges(new PersonId("s1p1"), request.CurrentCard, text(2000), at = at.AddMinutes(1));
            await request.ResubmitAsync(People.Alice, new Resubmission(text(2000)), directory, AroundTheClockCalendar.Instance, at = at.AddMinutes(1));
        }

        for (var s = 1; s <= 10; s++)
        {
            var decided = s < 10 ? 10 : 9;
            for (var p = 1; p <= decided; p++)
            {
                var result = await request.ApproveAsync(new PersonId($"s{s}p{p}"), request.CurrentCard, text(2000), directory, AroundTheClockCalendar.Instance, at = at.AddMinutes(1));
                Assert.True(result.Accepted, result.Refusal?.Message);
            }
        }

        var ids = Enumerable.Range(1, 60).Select(i => $"29:1{i:D2}" + new string('Q', 108)).ToList();
        var context = new ApprovalCardContext(
            request, new PersonId("s10p10"), p => text(200) + p.Value, Berlin, at, ids,
            SubjectLabel: text(300), Error: text(500), Notice: text(500), CommentDraft: text(2000));
        return (request, context);
    }



}
