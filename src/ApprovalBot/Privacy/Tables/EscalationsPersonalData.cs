namespace ApprovalBot.Privacy.Tables;

/// <summary>
/// Escalations: who reported, was assigned, acknowledged or resolved one (and the description and resolution note they
/// wrote), their timeline entries (and the reasons they gave), their survey answers (the comment goes, the score stays for
/// the KPIs), and the policy snapshots (JSON) that list them as a contact. Titles stay, like approval titles.
/// </summary>
internal sealed class EscalationsPersonalData : IPersonalData
{
    public IReadOnlyList<PersonalTable> Tables { get; } =
    [
        new("escalations")
        {
            People = ["reporter", "assignee", "acknowledged_by", "resolved_by"],
            Texts = [new("description", "reporter"), new("resolution_note", "resolved_by")],
            Mentions = ["title", "description", "resolution_note", "policy"],
        },
        new("escalation_timeline")
        {
            People = ["actor"],
            Texts = [new("reason", "actor")],
            Mentions = ["reason", "detail"],
        },
        new("escalation_survey_answers")
        {
            People = ["by"],
            Texts = [new("comment", "by", TextErasure.Null)],
            Mentions = ["comment"],
        },
    ];
}
