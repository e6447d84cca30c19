namespace ApprovalBot.Privacy.Tables;

/// <summary>
/// Approval requests: who asked (and the details they wrote), every seat they held, delegated or decided (and the
/// comment they gave), every audit line they acted in. The records stay for the audit, under the pseudonym; flow
/// snapshots, outcomes (JSON) and other people's text have the person's keys replaced. Titles stay (they name the subject), with any mention of the person replaced.
/// </summary>
internal sealed class ApprovalsPersonalData : IPersonalData
{
    public IReadOnlyList<PersonalTable> Tables { get; } =
    [
        new("approval_requests")
        {
            People = ["requester"],
            Texts = [new("details", "requester")],
            Mentions = ["title", "details", "stages", "outcome", "blocked_reason", "links"],
        },
        new("approval_stage_runs") { Mentions = ["rule"] },
        new("approval_stage_seats")
        {
            People = ["owner", "delegate", "decided_by"],
            Texts = [new("comment", "decided_by", TextErasure.Null)],
            Mentions = ["comment"],
        },
        new("approval_audit")
        {
            People = ["actor", "on_behalf_of", "delegate_to"],
            Texts = [new("comment", "actor", TextErasure.Null)],
            Mentions = ["comment", "detail"],
        },
    ];
}
