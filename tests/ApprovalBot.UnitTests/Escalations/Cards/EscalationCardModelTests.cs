using static ApprovalBot.UnitTests.Cards.CardReading;
using System.Text.Json;
using System.Text.Json.Nodes;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Escalations.Cards;
using ApprovalBot.Teams.Cards;
using ApprovalBot.UnitTests.Cards;
using ApprovalBot.UnitTests.Domain.Approvals;
using Microsoft.Extensions.Logging.Abstractions;
using static ApprovalBot.UnitTests.Domain.Escalations.EscalationSamples;
using static ApprovalBot.UnitTests.Escalations.Cards.EscalationCardScenarios;

namespace ApprovalBot.UnitTests.Escalations.Cards;

public class EscalationCardModelTests
{
    private readonly EscalationCards _cards = new(new CardRenderer(NullLogger<CardRenderer>.Instance));

    public static TheoryData<string, string[], string[]> ButtonsByState => new()
    {
        { nameof(OpenAtL1), [EscalationVerbs.Acknowledge, EscalationVerbs.Resolve, EscalationVerbs.Escalate, EscalationVerbs.Hold], ["Resolve…", "Escalate or hold…"] },
        { nameof(Acknowledged), [EscalationVerbs.Resolve, EscalationVerbs.Escalate, EscalationVerbs.Hold], ["Resolve…", "Escalate or hold…"] },
        { nameof(OnHold), [EscalationVerbs.Resume, EscalationVerbs.Resolve, EscalationVerbs.Escalate], ["Resolve…", "Escalate…"] },
        { nameof(OnHoldWhileOpen), [EscalationVerbs.Acknowledge, EscalationVerbs.Resume, EscalationVerbs.Resolve, EscalationVerbs.Escalate], ["Resolve…", "Escalate…"] },
        { nameof(AtL3), [EscalationVerbs.Acknowledge, EscalationVerbs.Resolve, EscalationVerbs.Hold], ["Resolve…", "Hold…"] },
        { nameof(Breached), [EscalationVerbs.Resolve, EscalationVerbs.Hold], ["Resolve…", "Hold…"] },
        { nameof(Resolved), [], [] },
    };

    [Theory]
    [MemberData(nameof(ButtonsByState))]
    public void Render_OffersExactlyTheActionsTheStateAllows_WhenTheViewerMayAct(string scenario, string[] verbs, string[] showCards)
    {
        var escalation = Scenario(scenario);

        var card = _cards.Render(Context(escalation, Reporter, mayAct: true, Mon(12)));

        Assert.Equal(verbs, Verbs(card));
        Assert.Equal(showCards, ShowCardTitles(card));
    }

    [Theory]
    [InlineData(nameof(OpenAtL1))]
    [InlineData(nameof(OnHold))]
    [InlineData(nameof(Breached))]
    public void Render_ShowsNoButtons_AndSaysWhoMayAct_WhenTheViewerMayNotAct(string scenario)
    {
        var escalation = Scenario(scenario);

        var data = EscalationCardModel.Build(Context(escalation, Outsider, mayAct: false, Mon(12)));
        var card = _cards.Render(Context(escalation, Outsider, mayAct: false, Mon(12)));

        Assert.Empty(Verbs(card));
        Assert.Empty(ShowCardTitles(card));
        Assert.Empty(InputIds(card));
        Assert.False(data.CanAcknowledge || data.CanResolve || data.CanEscalate || data.CanHold || data.CanResume);
        Assert.StartsWith("Only ", data.ViewerStatus, StringComparison.Ordinal);
        Assert.Contains("the reporter can act on this escalation.", data.ViewerStatus, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NamesTheChannelMembers_WhoMayAct_AtAChannelLevel()
    {
        var data = EscalationCardModel.Build(Context(OpenAtL1(), Outsider, mayAct: false, Mon(9, 20)));

        Assert.Equal("Only members of the L1 channel and the reporter can act on this escalation.", data.ViewerStatus);
    }

    [Fact]
    public void Render_ShowsStatusOnly_ForASharedCopy_AndRefreshesForThePeopleWhoMayAct()
    {
        var ids = new[] { "29:1lou-teams-user-id", "29:1bob-teams-user-id" };

        var data = EscalationCardModel.Build(Context(Acknowledged(), viewer: null, mayAct: false, Mon(11), refreshUserIds: ids));
        var card = _cards.Render(Context(Acknowledged(), viewer: null, mayAct: false, Mon(11), refreshUserIds: ids));

        Assert.Empty(Verbs(card));
        Assert.Empty(InputIds(card));
        Assert.Null(data.ViewerStatus);
        Assert.Equal(ids, RefreshUserIds(card));
        var refresh = card["refresh"]!["action"]!;
        Assert.Equal("Action.Execute", refresh["type"]!.GetValue<string>());
        Assert.Equal(EscalationVerbs.Refresh, refresh["verb"]!.GetValue<string>());
        JsonAssert.Equal(JsonNode.Parse("""{"escalationId":0,"version":3}"""), refresh["data"], "refresh data");
    }

    [Fact]
    public void Render_GivesAChannelCopyButtons_WhenTheHostSaysItsMembersMayAct()
    {
        var card = _cards.Render(Context(OpenAtL1(), viewer: null, mayAct: true, Mon(9, 20)));

        Assert.Equal([EscalationVerbs.Acknowledge, EscalationVerbs.Resolve, EscalationVerbs.Escalate, EscalationVerbs.Hold], Verbs(card));
    }

    [Fact]
    public void Render_EveryActionCarriesTheEscalationAndTheVersionShown()
    {
        var escalation = RaisedToL2();

        var card = _cards.Render(Context(escalation, People.Leo, mayAct: true, Mon(10, 5)));

        var executes = CardJson.Elements(card).Where(e => e.Type == "Action.Execute").ToList();
        Assert.Equal(5, executes.Count); // refresh + acknowledge, resolve, escalate, hold (the last two under one reason box)
        Assert.Equal(2, escalation.Version);
        Assert.All(executes, e => JsonAssert.Equal(JsonNode.Parse("""{"escalationId":0,"version":2}"""), e.Element["data"], e.Path));
    }

    [Fact]
    public void Render_AsksForARequiredReasonAndARequiredMultilineNote_WithUniqueInputIds()
    {
        var card = _cards.Render(Context(OpenAtL1(), Reporter, mayAct: true, Mon(9, 20)));

        Assert.Equal([EscalationVerbs.NoteInput, EscalationVerbs.ReasonInput], InputIds(card));
        var note = Input(card, EscalationVerbs.NoteInput);
        Assert.True(note["isRequired"]!.GetValue<bool>());
        Assert.True(note["isMultiline"]!.GetValue<bool>());
        Assert.Equal(Escalation.MaxNoteLength, note["maxLength"]!.GetValue<int>());
        var reason = Input(card, EscalationVerbs.ReasonInput);
        Assert.True(reason["isRequired"]!.GetValue<bool>());
        Assert.Equal(Escalation.MaxReasonLength, reason["maxLength"]!.GetValue<int>());
        var both = CardJson.Elements(card).Single(e => e.Type == "Action.ShowCard" && e.Element["title"]!.GetValue<string>() == "Escalate or hold…").Element;
        Assert.Equal(
            [EscalationVerbs.Escalate, EscalationVerbs.Hold],
            CardJson.Elements(both["card"]).Where(e => e.Type == "Action.Execute").Select(e => e.Element["verb"]!.GetValue<string>()));
    }

    [Fact]
    public void Build_ShowsBothClocksRunning_WithTheNextWarningAndTheLevelsDeadline()
    {
        var data = EscalationCardModel.Build(Context(OpenAtL1(), Reporter, mayAct: true, Mon(9, 20)));

        Assert.Equal(new EscalationCardClock("20 min of 1 h · 40 min left", false, "L1 must acknowledge by Mon 5 Jan 2026, 10:00 (Europe/Berlin)"), data.Response);
        Assert.Equal(
            new EscalationCardClock("4 % used · 20 min of 8 h · 7 h 40 min left", false, "50 % at Mon 5 Jan 2026, 13:00 (Europe/Berlin); due Mon 5 Jan 2026, 17:00 (Europe/Berlin)"),
            data.Resolution);
        Assert.Equal(new EscalationCardStatus("Open", EscalationCardTone.Accent, "Waiting for L1 to acknowledge."), data.Status);
    }

    [Fact]
    public void Build_StopsTheResponseClock_WhenAcknowledged()
    {
        var data = EscalationCardModel.Build(Context(Acknowledged(), People.Dan, mayAct: true, Mon(11)));

        Assert.Equal(new EscalationCardClock("met in 20 min of 1 h", false, "acknowledged Mon 5 Jan 2026, 09:20 (Europe/Berlin)"), data.Response);
        Assert.Equal("Acknowledged by Lou Lee on Mon 5 Jan 2026, 09:20 (Europe/Berlin).", data.Status.Detail);
        Assert.Equal("Dan Diaz", data.AssigneeName);
    }

    [Fact]
    public void Build_SaysByHowMuchTheResponseWasMissed_AndWhenTheNewLevelMustAcknowledge()
    {
        var data = EscalationCardModel.Build(Context(RaisedToL2(), People.Leo, mayAct: true, Mon(10, 5), headline: "Raised to L2: not acknowledged within 1 h"));

        Assert.Equal(new EscalationCardClock("1 h 5 min of 1 h · missed by 5 min", true, "L2 must acknowledge by Mon 5 Jan 2026, 11:00 (Europe/Berlin)"), data.Response);
        Assert.Equal(EscalationCardTone.Attention, data.Status.Style);
        Assert.Equal("L2 · Technical support", data.Level);
        Assert.Equal("Leo Lang", data.Contacts);
        Assert.Equal("Raised to L2: not acknowledged within 1 h", data.Headline);
        Assert.Equal(("ApprovalBot", "raised it to L2: L1 did not acknowledge in time"), (data.Timeline[0].Who, data.Timeline[0].What));
    }

    [Fact]
    public void Build_PausesBothClocks_OnHold_AndShowsTheReason()
    {
        var data = EscalationCardModel.Build(Context(OnHoldWhileOpen(), Reporter, mayAct: true, Mon(12)));

        Assert.Equal(new EscalationCardClock("30 min of 1 h · paused (on hold)", false), data.Response);
        Assert.Equal(new EscalationCardClock("6 % used · 30 min of 8 h · paused (on hold)", false), data.Resolution);
        Assert.Equal(
            new EscalationCardStatus("On hold", EscalationCardTone.Warning,
                "Put on hold by Bob Brown on Mon 5 Jan 2026, 09:30 (Europe/Berlin); clocks paused. Resumes as open.", "Checking whether it is our firewall first."),
            data.Status);
    }

    [Fact]
    public void Build_WarnsAt75Percent_AndNamesTheDeadline()
    {
        var data = EscalationCardModel.Build(Context(At75Percent(), People.Dan, mayAct: true, Mon(15, 5)));

        Assert.Equal(new EscalationCardClock("76 % used · 6 h 5 min of 8 h · 1 h 55 min left", false, "due Mon 5 Jan 2026, 17:00 (Europe/Berlin)"), data.Resolution);
        Assert.Equal(EscalationCardTone.Warning, data.Status.Style);
        Assert.Equal(["warned: 75 % of the resolution time used", "warned: 50 % of the resolution time used"], data.Timeline.Take(2).Select(e => e.What));
    }

    [Fact]
    public void Build_ShowsTheBreach_InAttention()
    {
        var data = EscalationCardModel.Build(Context(Breached(), People.Mia, mayAct: true, Mon(10, days: 1)));

        Assert.Equal(new EscalationCardClock("112 % used · 9 h of 8 h · over by 1 h", true, "breached Mon 5 Jan 2026, 17:00 (Europe/Berlin)"), data.Resolution);
        Assert.Equal(EscalationCardTone.Attention, data.Status.Style);
        Assert.Equal("L3 · Management support", data.Level);
        Assert.Equal("Megan Bowen and the L3 channel", data.Contacts);
        Assert.Equal("raised it to L3: resolution time breached", data.Timeline[1].What);
    }

    [Fact]
    public void Build_ShowsTheResolution_InGood_WithTheNote()
    {
        var data = EscalationCardModel.Build(Context(Resolved(), Reporter, mayAct: true, Mon(15)));

        Assert.Equal(
            new EscalationCardStatus("Resolved", EscalationCardTone.Good, "Resolved by Dan Diaz on Mon 5 Jan 2026, 14:00 (Europe/Berlin).", "Replaced the failed disk in the mail server; mail flows again."),
            data.Status);
        Assert.Equal(new EscalationCardClock("met · resolved after 5 h of 8 h (62 %)", false), data.Resolution);
        Assert.Equal("Replaced the failed disk in the mail server; mail flows again.", data.Timeline[0].Reason);
    }

    [Fact]
    public void Build_ShowsTheSurveyAnswer_OnTheTimeline_WithItsScoreAndComment()
    {
        var escalation = Resolved();
        escalation.AnswerSurvey(Reporter, 1, 4, "Quick, thanks.", Mon(16));

        var data = EscalationCardModel.Build(Context(escalation, People.Dan, mayAct: true, Mon(17)));

        Assert.Equal(("rated the resolution 4 of 5 in the satisfaction survey", "Quick, thanks."), (data.Timeline[0].What, data.Timeline[0].Reason));
    }

    [Fact]
    public void Build_ShowsEveryTimeInTheReadersTimeZone_WithItsId()
    {
        var data = EscalationCardModel.Build(Context(OpenAtL1(), Reporter, mayAct: true, Mon(9, 20), timeZone: NewYork));

        Assert.Equal("Mon 5 Jan 2026, 03:00 (America/New_York)", data.OpenedAt);
        Assert.Equal("L1 must acknowledge by Mon 5 Jan 2026, 04:00 (America/New_York)", data.Response.Detail);
        Assert.Equal("50 % at Mon 5 Jan 2026, 07:00 (America/New_York); due Mon 5 Jan 2026, 11:00 (America/New_York)", data.Resolution.Detail);
        Assert.Equal("Mon 5 Jan 2026, 03:00 (America/New_York)", data.Timeline[0].At);
    }

    [Fact]
    public void Render_ShowsErrorNoticeAndHeadlineFirst_AndTheReferenceWithTheTitle()
    {
        var card = _cards.Render(Context(OpenAtL1(), Reporter, mayAct: true, Mon(9, 20), headline: "New escalation", error: "It was acknowledged meanwhile.", notice: "Saved."));

        Assert.Equal(["attention", "good", "warning"], card["body"]!.AsArray().Take(3).Select(n => n!["style"]!.GetValue<string>()));
        var texts = TextRuns(card);
        Assert.Equal(["It was acknowledged meanwhile.", "Saved.", "New escalation", "E-0 ", "Mail server down", "Contoso support 2026", " · P2"], texts.Take(7));
    }

    [Fact]
    public void Build_ListsTheTimelineNewestFirst_AndCountsTheEarlierEntries()
    {
        var escalation = OpenAtL1();
        for (var i = 0; i < 8; i++)
        {
            escalation.Hold(Reporter, $"Hold {i}", Mon(10, i * 2));
            escalation.Resume(Reporter, Mon(10, (i * 2) + 1));
        }

        var data = EscalationCardModel.Build(Context(escalation, Reporter, mayAct: true, Mon(11)));

        Assert.Equal(17, escalation.Timeline.Count);
        Assert.Equal(10, data.Timeline.Count);
        Assert.Equal("and 7 earlier", data.EarlierEntries);
        Assert.Equal(("resumed it", "Mon 5 Jan 2026, 10:15 (Europe/Berlin)"), (data.Timeline[0].What, data.Timeline[0].At));
        Assert.Equal(("put it on hold", "Hold 7"), (data.Timeline[1].What, data.Timeline[1].Reason));
    }

    [Fact]
    public void Render_RefreshesForAtMost60DistinctUserIds()
    {
        var many = Enumerable.Range(1, 75).Select(i => $"29:user-{i:D2}").Prepend("29:user-01").Append(" ").ToList();

        var card = _cards.Render(Context(OpenAtL1(), null, mayAct: false, Mon(9, 20), refreshUserIds: many));

        Assert.Equal(Enumerable.Range(1, 60).Select(i => $"29:user-{i:D2}"), RefreshUserIds(card));
    }

    [Theory]
    [InlineData('x')]
    [InlineData('語')] // three UTF-8 bytes a character
    [InlineData('{')] // the renderer adds U+2060 between braces
    public void Render_StaysUnderTheBudget_WithALongTimelineAndMaximalText(char ch)
    {
        var context = Maximal(ch);

        var data = EscalationCardModel.Build(context);
        var card = _cards.Render(context);

        Assert.InRange(CardRenderer.MeasureBytes(card), 1, CardRenderer.DefaultMaxCardBytes);
        Assert.Equal([EscalationVerbs.Acknowledge, EscalationVerbs.Resolve, EscalationVerbs.Escalate, EscalationVerbs.Hold], Verbs(card));
        Assert.Equal(60, RefreshUserIds(card).Count);
        Assert.NotEmpty(data.Timeline);
        Assert.NotNull(data.EarlierEntries);
        Assert.Equal(Escalation.MaxTitleLength, data.Title.Length);
    }

    [Fact]
    public void Build_KeepsTheModelsEstimateWithinBudget_WithoutTheRenderersHelp()
    {
        var card = new CardRenderer(NullLogger<CardRenderer>.Instance).Render(CardTemplates.Escalation, EscalationCardModel.Build(Maximal('語')));

        Assert.InRange(CardRenderer.MeasureBytes(card), 1, EscalationCardModel.TargetBytes + 512);
    }

    [Fact]
    public void Build_ShowsTheStandardAmount_WhenItFits()
    {
        var data = EscalationCardModel.Build(Maximal('x', refreshIds: 2));

        Assert.Equal(10, data.Timeline.Count);
        Assert.Equal(300, data.Timeline.First(e => e.Reason is not null).Reason!.Length);
    }

    [Theory]
    [MemberData(nameof(EscalationSamples))]
    public void EstimateBytes_IsAnUpperBoundOfTheRenderedCard(string variant)
    {
        var data = CardSamples.Get(CardTemplates.Escalation, variant).LoadData().Deserialize<EscalationCardData>(CardRenderer.DataJsonOptions)!;

        var card = new CardRenderer(NullLogger<CardRenderer>.Instance).Render(CardTemplates.Escalation, data);

        Assert.InRange(CardRenderer.MeasureBytes(card), 1, EscalationCardModel.EstimateBytes(data));
    }

    [Fact]
    public void EstimateBytes_IsAnUpperBoundOfTheRenderedCard_ForMaximalContent()
    {
        var data = EscalationCardModel.Build(Maximal('x'));

        var card = new CardRenderer(NullLogger<CardRenderer>.Instance, 1 << 20).Render(CardTemplates.Escalation, data);

        Assert.InRange(CardRenderer.MeasureBytes(card), EscalationCardModel.EstimateBytes(data) - 3000, EscalationCardModel.EstimateBytes(data));
    }

    public static TheoryData<string> EscalationSamples => [.. CardSamples.All.Where(s => s.Template == CardTemplates.Escalation).Select(s => s.Variant)];

    [Fact]
    public void Template_UsesExactlyTheVerbsAndInputsOfEscalationVerbs()
    {
        var template = CardRenderer.LoadTemplateJson(CardTemplates.Escalation);

        Assert.Equal(
            new[] { EscalationVerbs.Acknowledge, EscalationVerbs.Resolve, EscalationVerbs.Escalate, EscalationVerbs.Hold, EscalationVerbs.Resume, EscalationVerbs.Refresh }.Order(StringComparer.Ordinal),
            CardJson.Elements(template).Where(e => e.Type == "Action.Execute").Select(e => e.Element["verb"]!.GetValue<string>()).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(
            new[] { EscalationVerbs.NoteInput, EscalationVerbs.ReasonInput },
            CardJson.Elements(template).Where(e => e.Type.StartsWith("Input.", StringComparison.Ordinal)).Select(e => e.Element["id"]!.GetValue<string>()).Distinct().Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(0, "0 min")]
    [InlineData(20, "20 min")]
    [InlineData(60, "1 h")]
    [InlineData(65, "1 h 5 min")]
    [InlineData(1440 + 180 + 7, "1 d 3 h")]
    public void Duration_WritesWholeMinutesInTheTwoLargestUnits(int minutes, string expected)
    {
        Assert.Equal(expected, EscalationCardModel.Duration(TimeSpan.FromMinutes(minutes)));
    }

    private static Escalation Scenario(string name) => name switch
    {
        nameof(OpenAtL1) => OpenAtL1(),
        nameof(Acknowledged) => Acknowledged(),
        nameof(OnHold) => OnHold(),
        nameof(OnHoldWhileOpen) => OnHoldWhileOpen(),
        nameof(AtL3) => AtL3(),
        nameof(Breached) => Breached(),
        nameof(Resolved) => Resolved(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>
    /// A 200-character agreement name and title, a 4 000-character description, 300-character level descriptions, 20
    /// contact people a level, 200-character names, 40 holds with 2 000-character reasons, 60 long Teams ids.
    /// </summary>
    private static EscalationCardContext Maximal(char ch, int refreshIds = 60)
    {
        string Text(int length) => new(ch, length);
        var basis = Policy();
        var levels = Enum.GetValues<SupportLevel>().Select(level => new EscalationLevel(
            level, new EscalationContacts(Enumerable.Range(1, 20).Select(i => new PersonId($"{level}p{i}")), $"19:{level}@thread.tacv2"), Text(300)));
        var policy = new EscalationPolicy(basis.AgreementId, Text(Agreement.MaxNameLength), basis.AgreementRevision, basis.Priority, basis.ResponseTarget,
            basis.ResolutionTarget, basis.Calendar, levels, basis.OversightOwners, basis.ReopenWindow);
        var escalation = Escalation.Open(policy, Text(Escalation.MaxTitleLength), Text(Escalation.MaxDescriptionLength), Reporter, Monday9);
        var at = Monday9;
        for (var i = 0; i < 40; i++)
        {
            escalation.Hold(Reporter, Text(Escalation.MaxReasonLength), at = at.AddSeconds(1));
            escalation.Resume(Reporter, at = at.AddSeconds(1));
        }

        var ids = Enumerable.Range(1, refreshIds).Select(i => $"29:1{i:D2}" + new string('Q', 108)).ToList();
        return new EscalationCardContext(escalation, Reporter, ViewerMayAct: true, p => Text(200) + p.Value, Berlin, at.AddMinutes(1), ids,
            Headline: Text(500), Error: Text(500), Notice: Text(500));
    }

    private static List<string> ShowCardTitles(JsonNode card) =>
        [.. CardJson.Elements(card["actions"]).Where(e => e.Type == "Action.ShowCard").Select(e => e.Element["title"]!.GetValue<string>())];



}
