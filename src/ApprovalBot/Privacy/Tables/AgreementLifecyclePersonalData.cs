namespace ApprovalBot.Privacy.Tables;

/// <summary>
/// The agreement's life after drafting: data-breach incidents (who reported and closed one, the contacts and owners
/// snapshotted on it, its events), the departments' acknowledgements of announcements, the agreement's own events,
/// the documents someone added, signatures, and the negotiation rounds with the provider (who it went to, who answered). These are records an organisation must keep (a breach's documentation,
/// who accepted a contract), so the text stays and the person in it becomes the pseudonym: ids in person columns, and
/// every key of theirs inside the snapshots, notes, file names and typed names.
/// </summary>
internal sealed class AgreementLifecyclePersonalData : IPersonalData
{
    public IReadOnlyList<PersonalTable> Tables { get; } =
    [
        new("data_breaches")
        {
            People = ["reported_by", "closed_by"],
            Mentions = ["summary", "close_note", "contacts", "oversight_owners"],
        },
        new("data_breach_events")
        {
            People = ["actor"],
            Mentions = ["contact", "detail"],
        },
        new("announcement_acks")
        {
            People = ["by"],
        },
        new("agreement_events")
        {
            People = ["actor"],
            Mentions = ["detail"],
        },
        new("agreement_documents")
        {
            People = ["uploaded_by"],
            Mentions = ["file_name"],
        },
        new("agreement_signatures")
        {
            People = ["signer"],
            Mentions = ["typed_name"],
        },
        new("agreement_negotiation_rounds")
        {
            People = ["decided_by"],
            Mentions = ["negotiators", "comment"],
        },
    ];
}
