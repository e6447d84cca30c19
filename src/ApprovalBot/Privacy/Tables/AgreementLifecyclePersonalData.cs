namespace ApprovalBot.Privacy.Tables;

/// <summary>
/// The agreement's life after drafting: data-breach incidents (who reported and closed one, the contacts and owners
/// snapshotted on it, its events), the departments' acknowledgements of announcements, the agreement's own events,
/// the documents someone added, signatures, the negotiation rounds with the provider (who it went to, who answered) and the signing meetings (who
/// scheduled or moved one, its attendees and notes). These are records an organisation must keep (a breach's documentation,
/// who accepted a contract), so the text stays and the person in it becomes the pseudonym: ids in person columns, and
/// every key of theirs inside the snapshots, notes and file names; a name they typed to sign becomes the pseudonym whole.
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
            // What a signer typed is their own name in their own spelling ("alex  WILBER", accepted because it is their
            // name in any case and spacing), which the search for their keys as stored would miss: it becomes the
            // pseudonym whole. Run first, while the signer column still holds their id.
            Custom = (sql, subject, ct) => sql.ExecuteAsync(
                "UPDATE \"agreement_signatures\" SET \"typed_name\" = {1} WHERE lower(\"signer\") = {0} AND \"typed_name\" <> {1}",
                [subject.Id.Value.ToLowerInvariant(), subject.Pseudonym], ct),
        },
        new("agreement_negotiation_rounds")
        {
            People = ["decided_by"],
            Mentions = ["negotiators", "comment"],
        },
        new("signing_meetings")
        {
            People = ["scheduled_by", "changed_by"],
            Mentions = ["attendees", "notes", "end_reason", "document_name"],
        },
    ];
}
