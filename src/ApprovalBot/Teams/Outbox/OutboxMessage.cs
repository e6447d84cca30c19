namespace ApprovalBot.Teams.Outbox;

/// <summary>What an outbox entry asks the connector to do.</summary>
public enum OutboxOperation
{
    /// <summary>Post a new activity into a known conversation.</summary>
    Send = 0,
    /// <summary>Reply to an activity (thread reply in a channel).</summary>
    Reply = 1,
    /// <summary>Replace an activity the bot posted earlier (a card update in place).</summary>
    Update = 2,
    /// <summary>Open the 1:1 chat with a user (no stored conversation yet), then post.</summary>
    CreateAndSend = 3,
}

public enum OutboxStatus
{
    Pending = 0,
    Sent = 1,
    GivenUp = 2,
    /// <summary>A newer update of the same card copy replaced this one before it was sent.</summary>
    Superseded = 3,
    /// <summary>Given up, then discarded by an operator (the operations page): it stays for the record, never sent.</summary>
    Discarded = 4,
}

/// <summary>
/// One outbound message, written in the same transaction as the state change that causes it and sent later by
/// the dispatcher (architecture rule 13). Its dedupe key makes "enqueue the same thing twice" a no-op.
/// </summary>
public sealed class OutboxMessage
{
    private OutboxMessage() { }

    public long Id { get; private set; }
    public string DedupeKey { get; private set; } = "";
    public OutboxOperation Operation { get; private set; }
    public string ServiceUrl { get; private set; } = "";
    /// <summary>Target conversation; for <see cref="OutboxOperation.CreateAndSend"/> it is filled in once created.</summary>
    public string? ConversationId { get; private set; }
    /// <summary>Reply target or the activity to update.</summary>
    public string? TargetActivityId { get; private set; }
    /// <summary>For <see cref="OutboxOperation.CreateAndSend"/>: the user (29: id or Entra object id) and tenant.</summary>
    public string? RecipientUserId { get; private set; }
    public string? TenantId { get; private set; }
    public string ActivityJson { get; private set; } = "";
    /// <summary>When set, the posted activity is a copy of this subject's card and is recorded as a <see cref="CardCopy"/>.</summary>
    public string? CardSubject { get; private set; }
    /// <summary>Whose view of the card this copy shows (a person id), or null for a copy everyone sees alike (a channel post).</summary>
    public string? CardViewer { get; private set; }
    /// <summary>
    /// For an update of a card whose first post was still in the outbox: the post's message id. The update waits until
    /// that post was sent (it then learns the conversation and activity id) and is given up when the post is.
    /// </summary>
    public long? AfterMessageId { get; private set; }
    /// <summary>
    /// Who is told, and how, when this message is given up (serialized <see cref="GiveUpNotice"/>): e.g. the requester
    /// learns that an approver could not be reached, and why.
    /// </summary>
    public string? GiveUpNoticeJson { get; private set; }

    public OutboxStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }
    public string? LastResult { get; private set; }
    public string? LastError { get; private set; }
    public string? SentActivityId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }

    /// <summary>Claim held by one dispatcher (instance) while it sends; expires so a dead instance's claim lapses.</summary>
    public string? ClaimedBy { get; private set; }
    public DateTimeOffset? ClaimedUntil { get; private set; }

    /// <summary>Concurrency token: bumped on every change so two dispatchers cannot both complete one entry.</summary>
    public int Version { get; private set; }

    public const int MaxBatchLength = 128;

    /// <summary>
    /// The send this message is part of, when one fire stages it among many (a digest's period to every subscriber):
    /// the operations page follows such a send's progress by this key. Null for a message on its own.
    /// </summary>
    public string? Batch { get; private set; }

    public static OutboxMessage Create(
        string dedupeKey, OutboxOperation operation, string serviceUrl, string? conversationId, string? targetActivityId,
        string activityJson, string? cardSubject, DateTimeOffset now, string? recipientUserId = null, string? tenantId = null,
        string? cardViewer = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dedupeKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(activityJson);
        if (operation == OutboxOperation.CreateAndSend)
            ArgumentException.ThrowIfNullOrWhiteSpace(recipientUserId);
        else
            ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        if (operation is OutboxOperation.Reply or OutboxOperation.Update)
            ArgumentException.ThrowIfNullOrWhiteSpace(targetActivityId);

        return new OutboxMessage
        {
            DedupeKey = dedupeKey,
            Operation = operation,
            ServiceUrl = serviceUrl,
            ConversationId = conversationId,
            TargetActivityId = targetActivityId,
            RecipientUserId = recipientUserId,
            TenantId = tenantId,
            ActivityJson = activityJson,
            CardSubject = cardSubject,
            CardViewer = cardViewer,
            Status = OutboxStatus.Pending,
            NextAttemptAt = now,
            CreatedAt = now,
        };
    }

    /// <summary>An update of the card that <paramref name="post"/> will post: held back until the post is sent.</summary>
    public static OutboxMessage CreateDependentUpdate(string dedupeKey, OutboxMessage post, string activityJson, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(post);
        ArgumentException.ThrowIfNullOrWhiteSpace(dedupeKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(activityJson);
        if (post.Id == 0) throw new InvalidOperationException("A dependent update needs a saved post.");
        return new OutboxMessage
        {
            DedupeKey = dedupeKey,
            Operation = OutboxOperation.Update,
            ServiceUrl = post.ServiceUrl,
            ConversationId = post.ConversationId,
            AfterMessageId = post.Id,
            ActivityJson = activityJson,
            CardSubject = post.CardSubject,
            CardViewer = post.CardViewer,
            Status = OutboxStatus.Pending,
            NextAttemptAt = now,
            CreatedAt = now,
        };
    }

    /// <summary>Asks the dispatcher to tell someone when this message is given up.</summary>
    public void TellOnGiveUp(GiveUpNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        GiveUpNoticeJson = System.Text.Json.JsonSerializer.Serialize(notice);
    }

    public GiveUpNotice? GetGiveUpNotice() =>
        GiveUpNoticeJson is null ? null : System.Text.Json.JsonSerializer.Deserialize<GiveUpNotice>(GiveUpNoticeJson);

    /// <summary>True while this update waits for the post it updates (see <see cref="AfterMessageId"/>).</summary>
    public bool IsWaitingForPost => AfterMessageId is not null && TargetActivityId is null;

    /// <summary>The post this update waited for was sent: target its activity from now on.</summary>
    public void PostSent(string conversationId, string activityId, DateTimeOffset now)
    {
        EnsurePending();
        ConversationId = conversationId;
        TargetActivityId = activityId;
        NextAttemptAt = now;
        Version++;
    }

    /// <summary>A newer update of the same card copy was staged; this one is no longer worth sending.</summary>
    public void Supersede(DateTimeOffset now)
    {
        EnsurePending();
        Status = OutboxStatus.Superseded;
        LastResult = "Superseded";
        CompletedAt = now;
        Version++;
    }

    public bool IsDue(DateTimeOffset now) => Status == OutboxStatus.Pending && NextAttemptAt <= now;

    public void Claim(string dispatcher, DateTimeOffset until)
    {
        EnsurePending();
        ClaimedBy = dispatcher;
        ClaimedUntil = until;
        Version++;
    }

    /// <summary>The dispatcher that claimed it stops before sending it: any dispatcher may claim it now.</summary>
    public void ReleaseClaim()
    {
        EnsurePending();
        ClaimedBy = null;
        ClaimedUntil = null;
        Version++;
    }

    /// <summary>The 1:1 chat was created; later attempts post into it instead of creating it again.</summary>
    public void ConversationCreated(string conversationId)
    {
        EnsurePending();
        ConversationId = conversationId;
        Version++;
    }

    public void MarkSent(string? activityId, string result, DateTimeOffset now)
    {
        EnsurePending();
        Attempts++;
        Status = OutboxStatus.Sent;
        SentActivityId = activityId;
        LastResult = result;
        LastError = null;
        CompletedAt = now;
        ClaimedBy = null;
        ClaimedUntil = null;
        Version++;
    }

    public void ScheduleRetry(string result, string? error, DateTimeOffset retryAt)
    {
        EnsurePending();
        Attempts++;
        LastResult = result;
        LastError = error;
        NextAttemptAt = retryAt;
        ClaimedBy = null;
        ClaimedUntil = null;
        Version++;
    }

    public void GiveUp(string result, string? error, DateTimeOffset now)
    {
        EnsurePending();
        Attempts++;
        Status = OutboxStatus.GivenUp;
        LastResult = result;
        LastError = error;
        CompletedAt = now;
        ClaimedBy = null;
        ClaimedUntil = null;
        Version++;
    }

    /// <summary>
    /// Marks the message as part of <paramref name="batch"/> while it is being staged; a message already stored (a
    /// duplicate staging returned the stored one) keeps what it has.
    /// </summary>
    public void InBatch(string batch)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(batch);
        if (batch.Length > MaxBatchLength) throw new ArgumentException($"A batch key has at most {MaxBatchLength} characters.", nameof(batch));
        if (Id != 0) return;
        Batch = batch;
    }

    /// <summary>
    /// An operator retries a given-up message: it is pending again, due now, with its attempts reset (the dispatcher
    /// counts its give-up limit afresh). Its dedupe key is unchanged, so it is still one message: it arrives once.
    /// </summary>
    public void RetryAfterGivingUp(DateTimeOffset now)
    {
        EnsureGivenUp();
        Status = OutboxStatus.Pending;
        Attempts = 0;
        NextAttemptAt = now;
        CompletedAt = null;
        ClaimedBy = null;
        ClaimedUntil = null;
        LastResult = "RetriedByOperator";
        Version++;
    }

    /// <summary>
    /// True for an update given up only because the post it waited for was given up (<see cref="AfterMessageId"/>): it
    /// never reached Teams, and it can land once that post is retried and sent.
    /// </summary>
    public bool WasGivenUpWithItsPost => Status == OutboxStatus.GivenUp && AfterMessageId is not null && TargetActivityId is null;

    /// <summary>
    /// The post this update waited for is retried by an operator: the update waits for it again (pending, attempts reset)
    /// and is sent after it, once, as if the post had never been given up.
    /// </summary>
    public void RevivedWithPost(DateTimeOffset now)
    {
        if (!WasGivenUpWithItsPost)
            throw new InvalidOperationException($"Outbox message {Id} is {Status}, not an update given up with its post.");
        Status = OutboxStatus.Pending;
        Attempts = 0;
        NextAttemptAt = now;
        CompletedAt = null;
        ClaimedBy = null;
        ClaimedUntil = null;
        LastResult = "RevivedWithPost";
        LastError = null;
        Version++;
    }

    /// <summary>An operator discards a given-up message: it leaves the queue for good and is kept for the record.</summary>
    public void Discard(DateTimeOffset now)
    {
        EnsureGivenUp();
        Status = OutboxStatus.Discarded;
        LastResult = "DiscardedByOperator";
        CompletedAt = now;
        Version++;
    }

    private void EnsureGivenUp()
    {
        if (Status != OutboxStatus.GivenUp)
            throw new InvalidOperationException($"Outbox message {Id} is {Status}, not GivenUp.");
    }

    private void EnsurePending()
    {
        if (Status != OutboxStatus.Pending)
            throw new InvalidOperationException($"Outbox message {Id} is {Status}, not Pending.");
    }
}

/// <summary>
/// A text message posted into a conversation when an outbox message is given up. <see cref="Text"/> may contain
/// <c>{reason}</c>, replaced by a short classified reason (e.g. "the app is not installed for them").
/// </summary>
public sealed record GiveUpNotice(string ServiceUrl, string ConversationId, string Text);
