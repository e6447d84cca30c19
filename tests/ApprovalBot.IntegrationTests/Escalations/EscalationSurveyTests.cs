using System.Text.Json.Nodes;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Escalations;
using ApprovalBot.Escalations.Cards;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.TestSupport;
using ApprovalBot.TestSupport.Storage;

namespace ApprovalBot.IntegrationTests.Escalations;

/// <summary>
/// The satisfaction survey through the real endpoint on a manual clock: a resolution sends the reporter the survey
/// card (at most once per <c>Escalations:SurveyInterval</c> per person), a click stores the answer on the escalation
/// and replaces the card with the thank-you, and refused clicks change nothing. On SQLite and PostgreSQL (the
/// interval is a query over stored instants).
/// </summary>
public abstract class EscalationSurveyTests(ITestDatabaseFactory databases)
{
    private static readonly DateTimeOffset Monday10 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Resolve_SendsTheReporterTheSurvey_AndAnAnswerIsStoredAndThanked_OnceOnly()
    {
        await using var bed = await StartAsync();
        var agreementId = await bed.ActiveAgreementAsync(Cast.Megan);
        var alex = await bed.ChatWithAsync(Cast.Alex);
        var opened = await bed.OpenAsync(agreementId, Priority.P2, "Mail server down", Cast.Alex);

        await bed.ActAsync(opened.Id, Cast.Adele, EscalationAction.Resolve, "Restarted the mail relay.");

        var (survey, card) = await alex.ExpectCardAsync(IsSurvey);
        Assert.Contains("Mail server down", TestConversation.Texts(card), StringComparison.Ordinal);
        Assert.Equal(Monday10, (await bed.LoadAsync(opened.Id)).SurveyAskedAt);

        var answered = await alex.ClickAsync(survey.ActivityId, EscalationVerbs.Survey, Answer(card, "4", "Quick and friendly."));

        var thanks = TestConversation.Texts(answered.Card);
        Assert.Contains("Thank you", thanks, StringComparison.Ordinal);
        Assert.Contains("4 of 5", thanks, StringComparison.Ordinal);
        Assert.Contains("Quick and friendly.", thanks, StringComparison.Ordinal);
        Assert.DoesNotContain(EscalationVerbs.Survey, Cards.Verbs(answered.Card));
        var stored = await bed.LoadAsync(opened.Id);
        var answer = Assert.Single(stored.SurveyAnswers);
        Assert.Equal((1, 4, "Quick and friendly.", Cast.Alex.AadObjectId), (answer.Resolution, answer.Score, answer.Comment, answer.By.Value));
        Assert.Equal(EscalationEventKind.SurveyAnswered, stored.Timeline[^1].Kind);

        // A second click (a replay of the old card) is refused: the first answer stands.
        var again = await alex.ClickAsync(survey.ActivityId, EscalationVerbs.Survey, Answer(card, "1", "Changed my mind."));
        Assert.Contains("already answered", TestConversation.Texts(again.Card), StringComparison.Ordinal);
        Assert.Contains("4 of 5", TestConversation.Texts(again.Card), StringComparison.Ordinal);
        var after = await bed.LoadAsync(opened.Id);
        Assert.Equal((4, stored.Version), (Assert.Single(after.SurveyAnswers).Score, after.Version));
    }

    [Fact]
    public async Task SurveyClick_IsRefused_ForSomeoneElse_AndForAnInvalidScore_AndChangesNothing()
    {
        await using var bed = await StartAsync();
        var agreementId = await bed.ActiveAgreementAsync(Cast.Megan);
        var alex = await bed.ChatWithAsync(Cast.Alex);
        var opened = await bed.OpenAsync(agreementId, Priority.P2, "VPN flaky", Cast.Alex);
        var resolved = await bed.ActAsync(opened.Id, Cast.Adele, EscalationAction.Resolve, "Rebooted the VPN concentrator.");
        var (survey, card) = await alex.ExpectCardAsync(IsSurvey);

        var foreign = await alex.ClickAsync(survey.ActivityId, EscalationVerbs.Survey, Answer(card, "1", "Terrible."), from: Cast.Adele);
        Assert.Contains("Only the person who reported", TestConversation.Texts(foreign.Card), StringComparison.Ordinal);
        Assert.DoesNotContain(EscalationVerbs.Survey, Cards.Verbs(foreign.Card));

        foreach (var score in new[] { "9", "0", "five", "" })
        {
            var invalid = await alex.ClickAsync(survey.ActivityId, EscalationVerbs.Survey, Answer(card, score, "Typed by hand."));
            Assert.Contains("Choose a score from 1", TestConversation.Texts(invalid.Card), StringComparison.Ordinal);
            Assert.Contains(EscalationVerbs.Survey, Cards.Verbs(invalid.Card)); // the form stays for a correct answer
        }

        var stored = await bed.LoadAsync(opened.Id);
        Assert.Empty(stored.SurveyAnswers);
        Assert.Equal(resolved.Version, stored.Version);
    }

    [Fact]
    public async Task Survey_IsSentAtMostOncePerInterval_PerPerson_AndNotForTheirOwnResolution()
    {
        await using var bed = await StartAsync();
        var agreementId = await bed.ActiveAgreementAsync(Cast.Megan);
        var alex = await bed.ChatWithAsync(Cast.Alex);

        var first = await bed.OpenAsync(agreementId, Priority.P2, "Mail server down", Cast.Alex);
        await bed.ActAsync(first.Id, Cast.Adele, EscalationAction.Resolve, "Restarted the relay.");
        await alex.ExpectCardAsync(IsSurvey);

        // A day later, within the 7-day interval: the "Resolved" card, no survey.
        await bed.JumpToAsync(Monday10.AddDays(1));
        var second = await bed.OpenAsync(agreementId, Priority.P2, "Printer offline", Cast.Alex);
        await bed.ActAsync(second.Id, Cast.Adele, EscalationAction.Resolve, "Replaced the toner.");
        await bed.Bot.WaitForOutboxToSettleAsync();
        Assert.Equal(1, Surveys(bed, alex));
        Assert.Null((await bed.LoadAsync(second.Id)).SurveyAskedAt);

        // The reporter resolving it themselves is not asked either, even after the interval.
        await bed.JumpToAsync(Monday10.AddDays(7).AddMinutes(1));
        var own = await bed.OpenAsync(agreementId, Priority.P2, "Wi-Fi slow", Cast.Alex);
        await bed.ActAsync(own.Id, Cast.Alex, EscalationAction.Resolve, "It came back by itself.");
        await bed.Bot.WaitForOutboxToSettleAsync();
        Assert.Equal(1, Surveys(bed, alex));

        // Someone else resolving after the interval: asked again.
        var third = await bed.OpenAsync(agreementId, Priority.P2, "Teams calls drop", Cast.Alex);
        await bed.ActAsync(third.Id, Cast.Adele, EscalationAction.Resolve, "Fixed the proxy rule.");
        await bed.Bot.WaitForOutboxToSettleAsync();
        Assert.Equal(2, Surveys(bed, alex));
        Assert.Equal(Monday10.AddDays(7).AddMinutes(1), (await bed.LoadAsync(third.Id)).SurveyAskedAt);
    }

    [Fact]
    public async Task ReopenAndResolveAgain_AfterTheInterval_AsksAboutTheNewResolution_AndTheOldCardIsRefused()
    {
        await using var bed = await StartAsync();
        var agreementId = await bed.ActiveAgreementAsync(Cast.Megan);
        var alex = await bed.ChatWithAsync(Cast.Alex);
        var opened = await bed.OpenAsync(agreementId, Priority.P2, "Mail server down", Cast.Alex);
        await bed.ActAsync(opened.Id, Cast.Adele, EscalationAction.Resolve, "Restarted the relay.");
        var (oldSurvey, oldCard) = await alex.ExpectCardAsync(IsSurvey);

        await bed.JumpToAsync(Monday10.AddDays(7).AddMinutes(-1));
        await bed.ActAsync(opened.Id, Cast.Alex, EscalationAction.Reopen, "Mail stopped again.");
        await bed.JumpToAsync(Monday10.AddDays(7).AddMinutes(1));
        await bed.ActAsync(opened.Id, Cast.Adele, EscalationAction.Resolve, "Replaced the relay.");
        var (newSurvey, newCard) = await alex.ExpectCardAsync(IsSurvey);

        var old = await alex.ClickAsync(oldSurvey.ActivityId, EscalationVerbs.Survey, Answer(oldCard, "2", null));
        Assert.Contains("reopened after the resolution", TestConversation.Texts(old.Card), StringComparison.Ordinal);
        var answered = await alex.ClickAsync(newSurvey.ActivityId, EscalationVerbs.Survey, Answer(newCard, "5", null));
        Assert.Contains("5 of 5", TestConversation.Texts(answered.Card), StringComparison.Ordinal);
        var answer = Assert.Single((await bed.LoadAsync(opened.Id)).SurveyAnswers);
        Assert.Equal((2, 5), (answer.Resolution, answer.Score));
    }

    private protected async Task<EscalationTestBed> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var clock = new ManualTimeProvider(Monday10);
        var options = new BotTestHostOptions { Database = await databases.CreateDatabaseAsync(), Time = clock };
        if (settings is not null) options = options with { Settings = settings };
        return new EscalationTestBed(await BotTestHost.StartAsync(options), clock);
    }

    private protected static bool IsSurvey(JsonObject card) => Cards.Verbs(card).Contains(EscalationVerbs.Survey);

    private protected static int Surveys(EscalationTestBed bed, TestConversation chat) =>
        bed.Bot.Connector.GetMessages(chat.Id).Count(m => TestConversation.CardOf(m.Versions[0]) is { } card && IsSurvey(card));

    /// <summary>The Send button's data merged with the inputs, as Teams sends them.</summary>
    private protected static JsonObject Answer(JsonObject card, string score, string? comment)
    {
        var data = Cards.Click(card, EscalationVerbs.Survey);
        data[EscalationVerbs.ScoreInput] = score;
        if (comment is not null) data[EscalationVerbs.CommentInput] = comment;
        return data;
    }
}

public sealed class SqliteEscalationSurveyTests() : EscalationSurveyTests(new SqliteTestDatabases())
{
    [Fact]
    public async Task Resolve_SendsNoSurvey_WhenTheIntervalIsZero()
    {
        await using var bed = await StartAsync(new Dictionary<string, string?> { ["Escalations:SurveyInterval"] = "00:00:00" });
        var agreementId = await bed.ActiveAgreementAsync(Cast.Megan);
        var alex = await bed.ChatWithAsync(Cast.Alex);
        var opened = await bed.OpenAsync(agreementId, Priority.P2, "Mail server down", Cast.Alex);

        await bed.ActAsync(opened.Id, Cast.Adele, EscalationAction.Resolve, "Restarted the relay.");
        await bed.Bot.WaitForOutboxToSettleAsync();

        Assert.Contains(bed.Bot.Connector.GetMessages(alex.Id), m => TestConversation.Texts(TestConversation.CardOf(m.Versions[0])).Contains("Restarted the relay.", StringComparison.Ordinal));
        Assert.Equal(0, Surveys(bed, alex));
        Assert.Null((await bed.LoadAsync(opened.Id)).SurveyAskedAt);
    }
}

public sealed class PostgresEscalationSurveyTests(PostgresServerFixture postgres)
    : EscalationSurveyTests(postgres), IClassFixture<PostgresServerFixture>;
