namespace ApprovalBot.Escalations.Cards;

// The data shape of cards/escalation-survey.json, built by EscalationMessages.SurveyCardAsync. Every string is shown
// in a TextRun.

/// <summary>Data of the <c>escalation-survey</c> template: the satisfaction survey about one resolution, or the answer given.</summary>
/// <param name="Reference">"E-42".</param>
/// <param name="Title">The escalation's title.</param>
/// <param name="ResolvedBy">Who resolved it (a name).</param>
/// <param name="CanAnswer">Shows the score, the comment box and Send: nobody has answered about this resolution yet.</param>
/// <param name="Action">The Send button's data.</param>
/// <param name="Error">Why the last click changed nothing.</param>
/// <param name="Answer">The answer given about this resolution (the thank-you).</param>
public sealed record EscalationSurveyCardData(
    string Reference,
    string Title,
    string ResolvedBy,
    bool CanAnswer,
    EscalationSurveyActionData Action,
    string? Error = null,
    EscalationSurveyAnswerData? Answer = null);

/// <summary>
/// The data of <see cref="EscalationVerbs.Survey"/>, merged with the inputs <see cref="EscalationVerbs.ScoreInput"/> and
/// <see cref="EscalationVerbs.CommentInput"/>: which escalation, and which of its resolutions the survey asks about.
/// </summary>
public sealed record EscalationSurveyActionData(long EscalationId, int Resolution);

/// <summary>An answer as the card shows it.</summary>
/// <param name="Score">"4 of 5".</param>
/// <param name="At">When it was given, in the reader's time zone.</param>
/// <param name="Comment">What the reporter wrote, if anything.</param>
public sealed record EscalationSurveyAnswerData(string Score, string At, string? Comment = null);
