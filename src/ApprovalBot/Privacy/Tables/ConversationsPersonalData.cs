namespace ApprovalBot.Privacy.Tables;

/// <summary>
/// What the bot keeps to reach people and to process their messages once: their personal chats' conversation
/// references are deleted (with the card copies, redelivery markers and finished outbox messages of those chats); a
/// channel or group reference they were last seen in keeps the conversation but forgets the user. Outbox messages still
/// to be sent elsewhere, operations audit lines and timer failures have the person's keys replaced.
/// </summary>
internal sealed class ConversationsPersonalData : IPersonalData
{
    public IReadOnlyList<PersonalTable> Tables { get; } =
    [
        new("card_copies") { Conversations = ["conversation_id"], Mentions = ["subject", "viewer"], DeleteConversationRows = true },
        new("processed_activities") { Conversations = ["conversation_id"], DeleteConversationRows = true },
        new("outbox_messages")
        {
            Conversations = ["conversation_id"],
            Mentions = ["dedupe_key", "batch", "activity_json", "card_subject", "card_viewer", "recipient_user_id", "give_up_notice_json", "last_error"],
            // Finished messages to their chats go; one still pending stays for the dispatcher (it may hold a claim on it),
            // with their keys replaced below, and housekeeping removes it once sent.
            Custom = (sql, subject, ct) =>
            {
                var args = new List<object?>();
                var where = PersonalTableSql.InList("conversation_id", subject.PersonalConversationIds, args).FirstOrDefault();
                return where is null
                    ? Task.FromResult(0)
                    : sql.ExecuteAsync($"DELETE FROM \"outbox_messages\" WHERE \"status\" <> 0 AND ({where})", args, ct);
            },
        },
        new("conversation_references")
        {
            People = ["user_aad_object_id"],
            Conversations = ["conversation_id"],
            Mentions = ["user_id", "user_name"],
            DeleteConversationRows = true,
            Custom = (sql, subject, ct) =>
            {
                var args = new List<object?> { subject.Id.Value.ToLowerInvariant() };
                var byTeamsId = PersonalTableSql.InList("user_id", subject.TeamsUserIds, args).FirstOrDefault();
                return sql.ExecuteAsync(
                    "UPDATE \"conversation_references\" SET \"user_aad_object_id\" = NULL, \"user_id\" = NULL, \"user_name\" = NULL " +
                    $"WHERE \"conversation_type\" <> 'personal' AND (lower(\"user_aad_object_id\") = {{0}}{(byTeamsId is null ? "" : " OR " + byTeamsId)})", args, ct);
            },
        },
        new("operations_audit") { Mentions = ["actor", "target", "detail"] },
        new("timer_failures") { Mentions = ["retried_by", "error"] },
    ];
}
