namespace ApprovalBot.Escalations.Cards;

/// <summary>
/// The <c>Action.Execute</c> verbs of the escalation card. Every action's data is <see cref="EscalationActionData"/>:
/// <c>{ "escalationId": long, "version": long }</c>, the <c>Version</c> the card showed (the host compares it to spot a
/// stale card), merged with the inputs: <see cref="ReasonInput"/> for <see cref="Escalate"/> and <see cref="Hold"/>,
/// <see cref="NoteInput"/> for <see cref="Resolve"/>. <see cref="Refresh"/> is the card's <c>refresh</c> action.
/// </summary>
public static class EscalationVerbs
{
    public const string Acknowledge = "escalation.acknowledge";
    public const string Resolve = "escalation.resolve";
    public const string Escalate = "escalation.escalate";
    public const string Hold = "escalation.hold";
    public const string Resume = "escalation.resume";
    public const string Refresh = "escalation.refresh";

    /// <summary>Open on a list or "who" card: posts the escalation's card; data <c>{ "escalationId": long }</c> only.</summary>
    public const string Open = "escalation.open";

    /// <summary>Submits the escalation form; the action's data is the form's inputs (<see cref="EscalationForm.Parse"/>).</summary>
    public const string Submit = "escalation.submit";

    /// <summary>
    /// Send on the satisfaction survey card (<c>cards/escalation-survey.json</c>): data <see cref="EscalationSurveyActionData"/>
    /// merged with <see cref="ScoreInput"/> and <see cref="CommentInput"/>.
    /// </summary>
    public const string Survey = "escalation.survey";

    /// <summary>Input id of the survey score, "1" to "5".</summary>
    public const string ScoreInput = "score";

    /// <summary>Input id of the survey's optional comment.</summary>
    public const string CommentInput = "comment";

    /// <summary>Input id of the reason (required) for escalating by hand or putting on hold.</summary>
    public const string ReasonInput = "reason";

    /// <summary>Input id of the resolution note (required, multiline) for the reporter.</summary>
    public const string NoteInput = "note";
}
