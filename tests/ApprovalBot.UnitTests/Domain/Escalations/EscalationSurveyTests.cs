using ApprovalBot.Domain.Escalations;
using static ApprovalBot.UnitTests.Domain.Escalations.EscalationSamples;

namespace ApprovalBot.UnitTests.Domain.Escalations;

public class EscalationSurveyTests
{
    private static Escalation Resolved(DateTimeOffset? at = null)
    {
        var escalation = Open();
        escalation.Resolve(L1Member, "Restarted the mail relay.", at ?? Mon(11));
        return escalation;
    }

    [Fact]
    public void AnswerSurvey_StoresTheAnswerWithATimelineEntry_WhenTheReporterAnswersAfterTheResolution()
    {
        var escalation = Resolved();
        var version = escalation.Version;

        var entry = escalation.AnswerSurvey(Reporter, 1, 4, "  Quick, thanks.  ", Mon(12));

        var answer = Assert.Single(escalation.SurveyAnswers);
        Assert.Equal((1, 4, "Quick, thanks.", Reporter, Mon(12)), (answer.Resolution, answer.Score, answer.Comment, answer.By, answer.At));
        Assert.Same(answer, escalation.SurveyAnswerFor(1));
        Assert.Equal(version + 1, escalation.Version);
        Assert.Equal((EscalationEventKind.SurveyAnswered, Reporter, "Quick, thanks."), (entry.Kind, entry.Actor, entry.Reason));
        Assert.Equal("Rated resolution 1 4 of 5.", entry.Detail);
        Assert.Same(entry, escalation.Last());
        Assert.Equal(EscalationState.Resolved, escalation.State);
    }

    [Fact]
    public void AnswerSurvey_AcceptsNoComment_AndAnAnswerAfterTheClose()
    {
        var escalation = Resolved();
        escalation.Close(L1Member, Mon(12));

        escalation.AnswerSurvey(Reporter, 1, 1, "   ", Mon(13));

        Assert.Null(Assert.Single(escalation.SurveyAnswers).Comment);
        Assert.Equal(EscalationState.Closed, escalation.State);
    }

    [Fact]
    public void AnswerSurvey_IsRefusedForAnyoneButTheReporter_TheCurrentLevelIncluded()
    {
        var escalation = Resolved();
        var version = escalation.Version;

        AssertCode("escalation.survey_forbidden", () => escalation.AnswerSurvey(Agent, 1, 5, null, Mon(12)));
        AssertCode("escalation.survey_forbidden", () => escalation.AnswerSurvey(Outsider, 1, 5, null, Mon(12)));

        Assert.Empty(escalation.SurveyAnswers);
        Assert.Equal(version, escalation.Version);
    }

    [Fact]
    public void AnswerSurvey_IsRefused_WhileTheEscalationIsActive()
    {
        var escalation = Open();
        escalation.Acknowledge(L1Member, Mon(10));

        AssertCode("escalation.transition", () => escalation.AnswerSurvey(Reporter, 1, 5, null, Mon(11)));
        Assert.Empty(escalation.SurveyAnswers);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(-1)]
    public void AnswerSurvey_RefusesAScoreOutsideOneToFive(int score)
    {
        var escalation = Resolved();

        AssertCode("escalation.survey_score", () => escalation.AnswerSurvey(Reporter, 1, score, null, Mon(12)));
        Assert.Empty(escalation.SurveyAnswers);
    }

    [Fact]
    public void AnswerSurvey_RefusesACommentOverTwoThousandCharacters()
    {
        var escalation = Resolved();

        AssertCode("value.too_long", () => escalation.AnswerSurvey(Reporter, 1, 3, new string('x', Escalation.MaxSurveyCommentLength + 1), Mon(12)));
        escalation.AnswerSurvey(Reporter, 1, 3, new string('x', Escalation.MaxSurveyCommentLength), Mon(12));
    }

    [Fact]
    public void AnswerSurvey_RefusesASecondAnswerAboutTheSameResolution_AndKeepsTheFirst()
    {
        var escalation = Resolved();
        escalation.AnswerSurvey(Reporter, 1, 2, "Slow.", Mon(12));
        var version = escalation.Version;

        var error = Assert.Throws<ApprovalBot.Domain.Common.DomainException>(() => escalation.AnswerSurvey(Reporter, 1, 5, "Changed my mind.", Mon(13)));

        Assert.Equal("escalation.survey_answered", error.Code);
        Assert.Contains("2 of 5", error.Message, StringComparison.Ordinal);
        Assert.Equal((2, "Slow."), (Assert.Single(escalation.SurveyAnswers).Score, escalation.SurveyAnswers[0].Comment));
        Assert.Equal(version, escalation.Version);
    }

    [Fact]
    public void AnswerSurvey_AsksAgainAfterAReopenAndANewResolution_AndRefusesTheOldSurvey()
    {
        var escalation = Resolved();
        escalation.AnswerSurvey(Reporter, 1, 2, "It came back.", Mon(12));
        escalation.Reopen(Reporter, "Mail stopped again.", Mon(13));

        AssertCode("escalation.transition", () => escalation.AnswerSurvey(Reporter, 2, 4, null, Mon(13, 30)));
        escalation.Resolve(L1Member, "Replaced the relay.", Mon(14));
        Assert.Equal(2, escalation.ResolutionNumber);
        AssertCode("escalation.survey_outdated", () => escalation.AnswerSurvey(Reporter, 1, 4, null, Mon(15)));

        escalation.AnswerSurvey(Reporter, 2, 5, null, Mon(15));

        Assert.Equal([(1, 2), (2, 5)], escalation.SurveyAnswers.Select(a => (a.Resolution, a.Score)));
    }

    [Fact]
    public void AskSurvey_RecordsWhenTheReporterWasAsked_OnlyWhileResolved()
    {
        var escalation = Open();
        AssertCode("escalation.transition", () => escalation.AskSurvey(Mon(10)));
        Assert.Null(escalation.SurveyAskedAt);

        escalation.Resolve(L1Member, "Fixed.", Mon(11));
        var version = escalation.Version;
        var entries = escalation.Timeline.Count;
        escalation.AskSurvey(Mon(11));

        Assert.Equal(Mon(11), escalation.SurveyAskedAt);
        Assert.Equal(version + 1, escalation.Version);
        Assert.Equal(entries, escalation.Timeline.Count);
    }
}
