namespace ApprovalBot.Privacy.Tables;

/// <summary>
/// Agreements and their revisions: who drafted, submitted, chose at the end of the term or terminated (and the reason
/// they wrote), and the terms and decisions (JSON) that name them as an owner or contact. Provider update obligations
/// and uptime reports hang off the agreement too: who posted them and what they wrote.
/// </summary>
internal sealed class AgreementsPersonalData : IPersonalData
{
    public IReadOnlyList<PersonalTable> Tables { get; } =
    [
        new("agreements")
        {
            People = ["created_by", "terminated_by", "term_choice_by"],
            Texts = [new("termination_reason", "terminated_by")],
            // signing_document_name: the final contract's file name on the signing cards, which may name them as the upload's does.
            Mentions = ["termination_reason", "signatories", "signing_document_name"],
        },
        new("agreement_revisions")
        {
            People = ["created_by", "submitted_by"],
            Mentions = ["terms", "decision"],
        },
        new("update_obligations")
        {
            People = ["posted_by"],
            Texts = [new("text", "posted_by")],
            Mentions = ["text"],
        },
        new("uptime_reports")
        {
            People = ["reported_by"],
            Texts = [new("note", "reported_by", TextErasure.Null)],
            Mentions = ["note"],
        },
    ];
}
