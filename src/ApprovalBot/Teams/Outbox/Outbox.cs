using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ApprovalBot.Protocol.Routing;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Storage;
using ApprovalBot.Teams.Cards;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Teams.Outbox;

/// <summary>
/// The only way features send anything (architecture rule 13). Each call stages an <see cref="OutboxMessage"/> in
/// the request's DbContext; it is committed with the state change that caused it and sent afterwards by the
/// <see cref="OutboxDispatcher"/>. Nothing here talks to the network.
/// </summary>
public sealed class Outbox
{
    private readonly BotDbContext _db;
    private readonly TimeProvider _time;
    private readonly OutboxSignal _signal;
    private readonly Dictionary<string, int> _repliesPerTurn = new(StringComparer.Ordinal);
    private bool _hooked;
    private bool _unsaved;

    public Outbox(BotDbContext db, TimeProvider time, OutboxSignal signal)
    {
        _db = db;
        _time = time;
        _signal = signal;
    }

    /// <summary>
    /// Answers a command with <paramref name="card"/> (a card alone, so it can be updated in place later) and returns the
    /// invoke answer a message handler gives: none. <paramref name="cardSubject"/> and <paramref name="cardViewer"/>
    /// record the reply as a copy of that subject's card.
    /// </summary>
    public async Task<InvokeResponse?> ReplyWithCardAsync(
        TurnContext turn, JsonObject card, CancellationToken cancellationToken, string? cardSubject = null, string? cardViewer = null)
    {
        await ReplyAsync(turn, CardActivities.ToMessage(card), cancellationToken, cardSubject, cardViewer: cardViewer);
        return null;
    }

    /// <summary>Answers the activity in its own conversation (in a channel thread the conversation id names the thread).</summary>
    /// <param name="dedupeKey">Defaults to one key per reply of this inbound activity; pass one to merge repeats.</param>
    /// <param name="cardViewer">Whose view of <paramref name="cardSubject"/>'s card this is (see <see cref="CardCopy.Viewer"/>).</param>
    public Task<OutboxMessage> ReplyAsync(TurnContext turn, Activity reply, CancellationToken cancellationToken, string? cardSubject = null, string? dedupeKey = null, string? cardViewer = null)
    {
        var inbound = turn.Activity;
        var turnKey = $"{inbound.Conversation?.Id}\n{inbound.Id ?? Guid.NewGuid().ToString("N")}";
        _repliesPerTurn.TryGetValue(turnKey, out var index);
        _repliesPerTurn[turnKey] = index + 1;
        PrepareOutgoing(reply, inbound.Conversation, inbound.Recipient);
        return StageAsync(OutboxMessage.Create(
            dedupeKey: dedupeKey ?? $"reply:{Hash(turnKey)}:{index}",
            operation: OutboxOperation.Send,
            serviceUrl: inbound.ServiceUrl!,
            conversationId: inbound.Conversation!.Id!,
            targetActivityId: null,
            activityJson: ProtocolJson.Serialize(reply),
            cardSubject: cardSubject,
            now: _time.GetUtcNow(),
            cardViewer: cardViewer), cancellationToken);
    }

    /// <summary>Posts into a stored conversation (proactive). <paramref name="dedupeKey"/> makes a repeat a no-op.</summary>
    public Task<OutboxMessage> SendAsync(ConversationReference target, Activity activity, string dedupeKey, CancellationToken cancellationToken, string? cardSubject = null, string? cardViewer = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        PrepareOutgoing(activity, new ConversationAccount { Id = target.ConversationId }, null);
        return StageAsync(OutboxMessage.Create(
            dedupeKey, OutboxOperation.Send, target.ServiceUrl, target.ConversationId, null,
            ProtocolJson.Serialize(activity), cardSubject, _time.GetUtcNow(), cardViewer: cardViewer), cancellationToken);
    }

    /// <summary>Opens the 1:1 chat with a user who has none stored yet, then posts (bot-protocol.md §3.3).</summary>
    public Task<OutboxMessage> SendToUserAsync(string serviceUrl, string userId, string? tenantId, Activity activity, string dedupeKey, CancellationToken cancellationToken, string? cardSubject = null, string? cardViewer = null)
    {
        PrepareOutgoing(activity, null, null);
        return StageAsync(OutboxMessage.Create(
            dedupeKey, OutboxOperation.CreateAndSend, serviceUrl, null, null,
            ProtocolJson.Serialize(activity), cardSubject, _time.GetUtcNow(), userId, tenantId, cardViewer), cancellationToken);
    }

    /// <summary>
    /// Posts to a person however <paramref name="reach"/> says they can be reached: into their stored 1:1 chat, or by
    /// opening one. Null when they cannot be reached (nothing is staged then; the caller says so to whom it concerns).
    /// </summary>
    public async Task<OutboxMessage?> SendAsync(Reach reach, Activity activity, string dedupeKey, CancellationToken cancellationToken, string? cardSubject = null, string? cardViewer = null) =>
        reach switch
        {
            Reach.Chat chat => await SendAsync(chat.Conversation, activity, dedupeKey, cancellationToken, cardSubject, cardViewer),
            Reach.CreateChat create => await SendToUserAsync(create.ServiceUrl, create.UserId, create.TenantId, activity, dedupeKey, cancellationToken, cardSubject, cardViewer),
            _ => null,
        };

    /// <summary>Replaces every live posted copy of <paramref name="subject"/>'s card with the same card ("one card, one truth").</summary>
    /// <param name="version">Distinguishes successive updates of one subject so each is sent once.</param>
    public Task<int> UpdateCardCopiesAsync(string subject, JsonObject card, string version, CancellationToken cancellationToken) =>
        UpdateCardCopiesAsync(subject, (_, _) => Task.FromResult(card), version, cancellationToken);

    /// <summary>
    /// Replaces every copy of <paramref name="subject"/>'s card, each with the card for its viewer ("one card, one truth"):
    /// posted copies are updated in place; posts still in the outbox get an update that waits for them, so a card
    /// posted a moment before the change cannot keep showing the old state. Older updates of the same copy are left
    /// as they are: the dispatcher skips an update when a newer one of the same copy exists (see
    /// <see cref="OutboxDispatcher"/>), so a retried old update never overwrites a newer one, and staging writes no
    /// row but its own (it cannot collide with the dispatcher sending those older updates meanwhile).
    /// </summary>
    /// <param name="render">The card for a viewer (null: a copy everyone sees alike).</param>
    /// <param name="version">Distinguishes successive updates of one subject so each is sent once.</param>
    /// <returns>How many copies will be updated.</returns>
    public async Task<int> UpdateCardCopiesAsync(string subject, Func<string?, CancellationToken, Task<JsonObject>> render, string version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(render);
        var now = _time.GetUtcNow();
        var cards = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        async Task<string> Json(string? viewer, string? activityId)
        {
            if (!cards.TryGetValue(viewer ?? "", out var card)) cards[viewer ?? ""] = card = await render(viewer, cancellationToken);
            var activity = CardActivities.ToMessage(card);
            activity.Id = activityId;
            return ProtocolJson.Serialize(activity);
        }

        // The pending posts are read before the copies. The dispatcher marks a post sent and records its copy in one
        // commit; read the other way round, a commit falling between the two reads hid the card from both (no copy yet,
        // no longer pending), and this update was lost (seen in the end-to-end run: a `status` copy posted a moment
        // before a rejection kept saying "Waiting"). This way round such a commit shows the card in both reads, and it
        // gets two updates with the same content.
        var posts = await _db.OutboxMessages.AsNoTracking()
            .Where(m => m.CardSubject == subject && m.Status == OutboxStatus.Pending
                        && (m.Operation == OutboxOperation.Send || m.Operation == OutboxOperation.CreateAndSend || m.Operation == OutboxOperation.Reply))
            .ToListAsync(cancellationToken);
        var copies = await _db.CardCopies.AsNoTracking().Where(c => c.Subject == subject && c.IsLive).ToListAsync(cancellationToken);
        foreach (var copy in copies)
        {
            await StageAsync(OutboxMessage.Create(
                $"update:{Hash($"{subject}\n{copy.Id}\n{version}")}", OutboxOperation.Update, copy.ServiceUrl,
                copy.ConversationId, copy.ActivityId, await Json(copy.Viewer, copy.ActivityId), subject, now, cardViewer: copy.Viewer), cancellationToken);
        }
        foreach (var post in posts)
        {
            await StageAsync(OutboxMessage.CreateDependentUpdate(
                $"update-after:{Hash($"{subject}\n{post.Id}\n{version}")}", post, await Json(post.CardViewer, null), now), cancellationToken);
        }
        return copies.Count + posts.Count;
    }

    /// <summary>Stages the message unless one with its dedupe key is staged or stored already.</summary>
    private async Task<OutboxMessage> StageAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var key = message.DedupeKey;
        var duplicate = _db.OutboxMessages.Local.FirstOrDefault(m => m.DedupeKey == key)
            ?? await _db.OutboxMessages.FirstOrDefaultAsync(m => m.DedupeKey == key, cancellationToken);
        if (duplicate is not null) return duplicate;
        _db.OutboxMessages.Add(message);
        _unsaved = true;
        if (!_hooked)
        {
            // Wake the dispatcher as soon as the transaction that carries the message commits (and only then: a save that
            // writes no message does not wake it).
            _db.SavingChanges += (_, _) =>
            {
                if (_unsaved) _signal.Expect(_db);
                _unsaved = false;
            };
            _db.SaveChangesFailed += (_, _) => _unsaved = true; // still staged: the retried save carries it
            _db.SavedChanges += (_, _) => _signal.Saved(_db);
            _hooked = true;
        }
        return message;
    }

    /// <summary>Leave out what the channel assigns (A2031/A2041/A2083/A2302); default to a normal message.</summary>
    private static void PrepareOutgoing(Activity activity, ConversationAccount? conversation, ChannelAccount? bot)
    {
        activity.Type ??= ActivityTypes.Message;
        activity.Id = null;
        activity.Timestamp = null;
        activity.ServiceUrl = null;
        activity.Conversation = conversation is null ? null : new ConversationAccount { Id = conversation.Id };
        activity.From ??= bot is null ? null : new ChannelAccount { Id = bot.Id, Name = bot.Name };
    }

    /// <summary>A short, stable key part for long ids (conversation ids can be hundreds of characters).</summary>
    public static string Hash(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)).AsSpan(0, 16));
}

/// <summary>
/// Wakes the dispatcher when new messages were committed (in this process; other instances poll, and so does this one,
/// as the safety net). A commit wakes it only when its context wrote an outbox message (<see cref="Outbox"/> says so when
/// the save that carries one begins); every other commit of the bot's database leaves it asleep.
/// </summary>
public sealed class OutboxSignal : IDisposable
{
    private static readonly object Marker = new();
    private readonly SemaphoreSlim _semaphore = new(0, 1);
    private readonly StorageCommits? _commits;
    private readonly ConditionalWeakTable<DbContext, object> _expected = new();

    public OutboxSignal()
    {
    }

    /// <summary>Also wakes on the commit of a transaction that carried an outbox message, explicit transactions included.</summary>
    public OutboxSignal(StorageCommits commits)
    {
        ArgumentNullException.ThrowIfNull(commits);
        _commits = commits;
        _commits.Committed += OnCommitted;
    }

    /// <summary>True when a wake is pending (the dispatcher has not waited since the last notification).</summary>
    internal bool IsNotified => _semaphore.CurrentCount > 0;

    /// <summary>The save that begins on <paramref name="db"/> writes an outbox message: wake when it is committed.</summary>
    internal void Expect(DbContext db) => _expected.AddOrUpdate(db, Marker);

    /// <summary>
    /// A save on <paramref name="db"/> finished. Outside an explicit transaction it is committed now (with one statement
    /// EF uses no transaction at all, so no commit is seen); inside one, the commit wakes the dispatcher.
    /// </summary>
    internal void Saved(DbContext db)
    {
        if (db.Database.CurrentTransaction is null && _expected.Remove(db)) Notify();
    }

    private void OnCommitted(DbContext? db)
    {
        // A commit whose context EF does not name: wake, to be safe.
        if (db is null || _expected.Remove(db)) Notify();
    }

    /// <summary>Waits until notified, or until <paramref name="timeout"/> passes on <paramref name="time"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var signalled = _semaphore.WaitAsync(linked.Token);
        var delay = Task.Delay(timeout, time, linked.Token);
        await Task.WhenAny(signalled, delay);
        await linked.CancelAsync();
        try
        {
            await Task.WhenAll(signalled, delay);
        }
        catch (OperationCanceledException)
        {
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    public void Dispose()
    {
        if (_commits is not null) _commits.Committed -= OnCommitted;
        _semaphore.Dispose();
    }

    public void Notify()
    {
        try
        {
            if (_semaphore.CurrentCount == 0) _semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
        }
    }
}
