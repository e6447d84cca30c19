using ApprovalBot.Digests.Subscriptions;
using ApprovalBot.Domain.Digests;

namespace ApprovalBot.Privacy.Tables;

/// <summary>
/// Digests: the person's own subscription is stopped through <see cref="StopDigest"/> (which cancels its durable timer)
/// before the erasure, then deleted with its deliveries and their acknowledgements. A channel subscription they set
/// up keeps running under the pseudonym; their acknowledgements of channel digests stay pseudonymous, and the card
/// data kept for each delivery has their keys replaced.
/// </summary>
internal sealed class DigestsPersonalData(StopDigest stop) : IPersonalData
{
    private const string OwnSubscriptions =
        "SELECT \"id\" FROM \"digest_subscriptions\" WHERE \"recipient_kind\" = 'Person' AND lower(\"recipient_id\") = {0}";

    public IReadOnlyList<PersonalTable> Tables { get; } =
    [
        new("digest_acknowledgements")
        {
            People = ["by"],
            Custom = (sql, subject, ct) => sql.ExecuteAsync(
                $"DELETE FROM \"digest_acknowledgements\" WHERE \"delivery_id\" IN (SELECT \"id\" FROM \"digest_deliveries\" WHERE \"subscription_id\" IN ({OwnSubscriptions}))",
                [subject.Id.Value.ToLowerInvariant()], ct),
        },
        new("digest_deliveries")
        {
            People = ["subscriber", "recipient_id"],
            Mentions = ["card_data", "note"],
            Custom = (sql, subject, ct) => sql.ExecuteAsync(
                $"DELETE FROM \"digest_deliveries\" WHERE \"subscription_id\" IN ({OwnSubscriptions})", [subject.Id.Value.ToLowerInvariant()], ct),
        },
        new("digest_subscriptions")
        {
            People = ["subscriber", "recipient_id"],
            Custom = (sql, subject, ct) => sql.ExecuteAsync(
                $"DELETE FROM \"digest_subscriptions\" WHERE \"id\" IN ({OwnSubscriptions})", [subject.Id.Value.ToLowerInvariant()], ct),
        },
    ];

    public async Task BeforeErasureAsync(DataSubject subject, CancellationToken cancellationToken) =>
        await stop.HandleAsync(new DigestRecipient(DigestRecipientKind.Person, subject.Id.Value), cancellationToken);
}
