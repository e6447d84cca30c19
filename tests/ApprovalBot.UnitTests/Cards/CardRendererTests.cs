using System.Text.Json;
using System.Text.Json.Nodes;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Teams.Cards;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ApprovalBot.UnitTests.Cards;

public class CardRendererTests
{
    private static readonly Dictionary<string, Type> DataTypes = new()
    {
        [CardTemplates.Welcome] = typeof(WelcomeCardData),
        [CardTemplates.Help] = typeof(HelpCardData),
        [CardTemplates.CommandHelp] = typeof(CommandHelpCardData),
        [CardTemplates.Notice] = typeof(NoticeCardData),
        [CardTemplates.ApprovalRequestForm] = typeof(ApprovalBot.Approvals.Cards.RequestFormCardData),
        [CardTemplates.AgreementForm] = typeof(ApprovalBot.Agreements.Cards.AgreementFormCardData),
        [CardTemplates.Agreement] = typeof(ApprovalBot.Agreements.Cards.AgreementCardData),
        [CardTemplates.Approval] = typeof(ApprovalBot.Approvals.Cards.ApprovalCardData),
        [CardTemplates.ApprovalList] = typeof(ApprovalBot.Approvals.Cards.ApprovalListCardData),
        [CardTemplates.Escalation] = typeof(ApprovalBot.Escalations.Cards.EscalationCardData),
        [CardTemplates.EscalationList] = typeof(ApprovalBot.Escalations.Cards.EscalationListCardData),
        [CardTemplates.EscalationWho] = typeof(ApprovalBot.Escalations.Cards.EscalationWhoCardData),
        [CardTemplates.Kpi] = typeof(ApprovalBot.Kpis.Cards.KpiCardData),
        [CardTemplates.Digest] = typeof(ApprovalBot.Digests.Cards.DigestCardData),
        [CardTemplates.EscalationForm] = typeof(ApprovalBot.Escalations.Cards.EscalationFormCardData),
        [CardTemplates.EscalationSurvey] = typeof(ApprovalBot.Escalations.Cards.EscalationSurveyCardData),
        [CardTemplates.AgreementTerm] = typeof(ApprovalBot.Agreements.Term.TermCardData),
        [CardTemplates.DataBreach] = typeof(ApprovalBot.Breaches.Cards.BreachCardData),
        [CardTemplates.AgreementAnnouncement] = typeof(ApprovalBot.Agreements.Announcement.AnnouncementCardData),
        [CardTemplates.AgreementSigning] = typeof(ApprovalBot.Agreements.Signing.SigningCardData),
        [CardTemplates.AgreementNegotiation] = typeof(ApprovalBot.Agreements.Negotiation.NegotiationCardData),
    };

    private readonly CardRenderer _renderer = new(NullLogger<CardRenderer>.Instance);

    public static TheoryData<string, string> Samples => CardCrossCheckTests.Samples;

    [Fact]
    public void EmbeddedTemplates_AreExactlyTheNamedTemplates()
    {
        Assert.Equal(CardTemplates.All.Order(StringComparer.Ordinal), CardRenderer.EmbeddedTemplateNames());
    }

    [Fact]
    public void EmbeddedTemplates_AreTheFilesInTheCardsFolder()
    {
        var files = Directory.GetFiles(CardTestPaths.TemplatesDirectory, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        Assert.Equal(files, CardRenderer.EmbeddedTemplateNames());

        foreach (var name in CardTemplates.All)
        {
            var file = JsonNode.Parse(File.ReadAllText(Path.Combine(CardTestPaths.TemplatesDirectory, name + ".json")));
            JsonAssert.Equal(file, CardRenderer.LoadTemplateJson(name), name);
        }
    }

    [Fact]
    public void EverySample_BelongsToATemplate_AndEveryTemplateHasADefaultSample()
    {
        Assert.All(CardSamples.All, s => Assert.Contains(s.Template, CardTemplates.All));
        Assert.All(CardTemplates.All, t => Assert.Contains(CardSamples.All, s => s.Template == t && s.Variant == "default"));
        Assert.Equal(CardTemplates.All.Order(StringComparer.Ordinal), DataTypes.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Render_RendersEverySample_WithinBudget_WithNoUnresolvedPaths(string template, string variant)
    {
        var data = CardSamples.Get(template, variant).LoadData();

        var bound = _renderer.GetTemplate(template).Bind(data);
        var card = _renderer.Render(template, data);

        Assert.Empty(bound.UnresolvedPaths);
        Assert.Equal("1.5", card["version"]?.GetValue<string>());
        Assert.InRange(CardRenderer.MeasureBytes(card), 1, CardRenderer.DefaultMaxCardBytes);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void DataRecords_DescribeTheSampleData_AndRenderTheSameCard(string template, string variant)
    {
        var json = CardSamples.Get(template, variant).LoadData()!;

        var record = json.Deserialize(DataTypes[template], CardRenderer.DataJsonOptions)!;

        JsonAssert.Equal(json, JsonSerializer.SerializeToNode(record, DataTypes[template], CardRenderer.DataJsonOptions), "record round trip");
        JsonAssert.Equal(_renderer.Render(template, json), _renderer.Render(template, record));
    }

    [Fact]
    public void Render_UsesCamelCaseNamesAndOmitsNulls_ForDataObjects()
    {
        var card = _renderer.Render(CardTemplates.Notice, new NoticeCardData("Saved", Tone: NoticeTone.Good));

        var container = card["body"]![0]!;
        Assert.Equal("good", container["style"]!.GetValue<string>());
        Assert.Equal("Saved", container["items"]![0]!["inlines"]![0]!["text"]!.GetValue<string>());
        Assert.Single(container["items"]!.AsArray());
        Assert.Single(card["body"]!.AsArray());
    }

    [Fact]
    public void Render_GreetsWithoutAName_WhenTheNameIsMissing()
    {
        var card = _renderer.Render(CardTemplates.Welcome, new WelcomeCardData(null));

        Assert.Equal("Hi, I'm ApprovalBot", card["body"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void GetTemplate_ParsesEachTemplateOnce()
    {
        Assert.Same(_renderer.GetTemplate(CardTemplates.Help), _renderer.GetTemplate(CardTemplates.Help));
    }

    [Fact]
    public void Render_Throws_ForAnUnknownTemplate()
    {
        var error = Assert.Throws<CardTemplateException>(() => _renderer.Render("no-such-card", new JsonObject()));

        Assert.Equal("no-such-card", error.TemplateName);
        Assert.Contains("cards/no-such-card.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ThrowsCardTooLarge_WhenOverTheBudget()
    {
        var small = new CardRenderer(NullLogger<CardRenderer>.Instance, maxCardBytes: 600);

        var error = Assert.Throws<CardTooLargeException>(() => small.Render(CardTemplates.Welcome, new WelcomeCardData("Dana")));

        Assert.Equal(CardTemplates.Welcome, error.TemplateName);
        Assert.Equal(600, error.Budget);
        Assert.True(error.Bytes > 600);
    }

    [Fact]
    public void Help_With45Commands_StaysWellWithinTheDefaultBudget()
    {
        var sections = Enumerable.Range(1, 5).Select(s => new HelpSection(
            $"Section {s}",
            [.. Enumerable.Range(1, 9).Select(c => new HelpCommand(
                $"command{s}{c}",
                $"command{s}{c} <agreement> <P1-P4> [comment]",
                "Does one useful thing to an agreement and tells everyone who needs to know about it.",
                $"command{s}{c} AG-42 P2 Mail server down"))]));

        var card = _renderer.Render(CardTemplates.Help, new HelpCardData([.. sections]));

        Assert.InRange(CardRenderer.MeasureBytes(card), 1, CardRenderer.DefaultMaxCardBytes);
    }

    [Fact]
    public void CheckCard_RejectsAWrongVersionOrType()
    {
        var v16 = new JsonObject { ["type"] = "AdaptiveCard", ["version"] = "1.6", ["body"] = new JsonArray() };
        var notACard = new JsonObject { ["type"] = "Container", ["version"] = "1.5" };

        Assert.Contains("version '1.6'", Assert.Throws<CardTemplateException>(() => CardRenderer.CheckCard("x", v16, 1000)).Message, StringComparison.Ordinal);
        Assert.Contains("'Container'", Assert.Throws<CardTemplateException>(() => CardRenderer.CheckCard("x", notACard, 1000)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_LogsAWarning_WhenDataLeavesPathsUnresolved()
    {
        var logger = new ListLogger<CardRenderer>();
        var renderer = new CardRenderer(logger);

        var card = renderer.Render(CardTemplates.Notice, JsonNode.Parse("""{"tone":"good","facts":[]}"""));

        Assert.Equal("${title}", card["body"]![0]!["items"]![0]!["inlines"]![0]!["text"]!.GetValue<string>());
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Contains("notice", entry.Message, StringComparison.Ordinal);
        Assert.Contains("title", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Throws_WhenARepeatedListIsMissing()
    {
        var error = Assert.Throws<CardTemplateException>(() =>
            _renderer.Render(CardTemplates.Notice, JsonNode.Parse("""{"title":"t","tone":"good"}""")));

        Assert.Contains("$data", error.Message, StringComparison.Ordinal);
        Assert.Equal("facts", error.Expression);
    }

    [Fact]
    public void AddCards_RegistersOneRenderer()
    {
        using var provider = new ServiceCollection().AddLogging().AddCards().BuildServiceProvider();

        Assert.Same(provider.GetRequiredService<CardRenderer>(), provider.GetRequiredService<CardRenderer>());
    }

    [Fact]
    public void CardActivities_WrapTheCard_AsAnAdaptiveCardAttachment_WithoutText()
    {
        var card = _renderer.Render(CardTemplates.Welcome, new WelcomeCardData("Dana"));

        var attachment = CardActivities.ToAttachment(card);
        var message = CardActivities.ToMessage(card);

        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.ContentType);
        Assert.Same(card, attachment.Content);
        Assert.Equal(ActivityTypes.Message, message.Type);
        Assert.Null(message.Text);
        Assert.Null(message.Summary);
        Assert.Equal(ContentTypes.AdaptiveCard, Assert.Single(message.Attachments!).ContentType);
        var wire = JsonNode.Parse(ProtocolJson.Serialize(message))!;
        Assert.Equal("AdaptiveCard", wire["attachments"]![0]!["content"]!["type"]!.GetValue<string>());
    }

    private sealed class ListLogger<T> : ILogger<T>
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
