using ApprovalBot.Domain.Common;

namespace ApprovalBot.Domain.Escalations;

/// <summary>
/// The reporter's answer to the satisfaction survey about one resolution of an escalation (see
/// <see cref="Escalation.AnswerSurvey"/>). Created only by the escalation and never edited.
/// </summary>
public sealed class SurveyAnswer
{
    private SurveyAnswer()
    {
    }

    internal SurveyAnswer(int resolution, int score, string? comment, PersonId by, DateTimeOffset at)
    {
        Resolution = resolution;
        Score = score;
        Comment = comment;
        By = by;
        At = at;
    }

    /// <summary>Which resolution it is about: <see cref="Escalation.ResolutionNumber"/> when answered (1, then one more per reopen).</summary>
    public int Resolution { get; private set; }

    /// <summary>1 (very dissatisfied) to 5 (very satisfied).</summary>
    public int Score { get; private set; }

    public string? Comment { get; private set; }

    /// <summary>Who answered: the reporter.</summary>
    public PersonId By { get; private set; }

    public DateTimeOffset At { get; private set; }
}
