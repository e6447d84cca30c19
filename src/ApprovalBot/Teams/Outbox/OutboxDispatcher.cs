using System.Threading.Channels;
using ApprovalBot.OrgDirectory.Graph;
using ApprovalBot.Protocol.Connector;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ApprovalBot.Teams.Outbox;

/// <summary>
/// Sends committed outbox messages: claims due rows (the row's version makes a claim exclusive across instances),
/// sends each through the connector client (which retries briefly and passes the throttle gate), then records the
/// classified result — sent, retry later with back-off, or given up. A crash between commit and send only delays a
/// message: its claim lapses and it is sent again.
/// </summary>
public sealed partial class OutboxDispatcher(
    IDbContextFactory<BotDbContext> dbFactory,
    IConnectorClient connector,
    IProactiveInstaller installer,
    OutboxSignal signal,
    BotIdentity bot,
    TimeProvider time,
    IOptions<OutboxOptions> options,
    ILogger<OutboxDispatcher> logger,
    Metrics.BotMetrics? metrics = null) : BackgroundService
{
    private readonly string _instance = DispatcherName();

    /// <summary>How long a send already begun may run on after the host began to stop (within the host's shutdown timeout).</summary>
    internal static readonly TimeSpan SendGraceOnStop = TimeSpan.FromSeconds(10);

    private static string DispatcherName()
    {
        var name = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        return name.Length <= 128 ? name : name[^128..];
    }

    /// <summary>
    /// A continuous pipeline: up to <see cref="OutboxOptions.Parallelism"/> sends are in flight at any moment, each to a
    /// different conversation; as one finishes, the next claimed message starts at once (no round waits for its
    /// slowest send). Claimed messages wait in one lane per conversation and go one after another in claim order, so a
    /// conversation never has two sends in flight and its messages keep their order. Claims come in batches: when the
    /// held messages (in flight and waiting) fall below a low-water mark, or when a slot is free and every waiting
    /// message belongs to a busy conversation. The throttle gate in the connector client paces what goes out.
    /// </summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var parallelism = Math.Max(1, o.Parallelism);
        var lowWater = Math.Min(o.BatchSize, Math.Max(parallelism, o.BatchSize / 2));
        var maxHeld = Math.Max(2 * o.BatchSize, parallelism);
        var lanes = new Dictionary<string, Lane>(StringComparer.Ordinal);
        var ready = new Queue<Lane>();
        var finished = Channel.CreateUnbounded<Finished>(new UnboundedChannelOptions { SingleReader = true });
        int held = 0, inFlight = 0;
        // The ids of the messages this dispatcher holds (in flight or waiting in a lane). They are never claimed again
        // while held, even when their claim seems to have lapsed because the clock jumped (a VM resumed after a pause,
        // a corrected clock): that would send a message a second time while its first send is still under way.
        var heldIds = new HashSet<long>();
        var mayClaim = true;
        Task? woken = null;
        Task<bool>? done = null;

        // A send that has begun is finished and its outcome recorded even while the host stops (for at most
        // SendGraceOnStop): cancelling it half way can leave Teams holding a post the table does not know was sent,
        // which the next start would post again. Once stopping, no new send begins.
        using var sends = new CancellationTokenSource();
        using var stopping = stoppingToken.Register(() => sends.CancelAfter(SendGraceOnStop));

        bool WantsClaim() => mayClaim && held < maxHeld && (held < lowWater || (inFlight < parallelism && ready.Count == 0));

        void Settle(Finished f)
        {
            inFlight--;
            held--;
            heldIds.Remove(f.MessageId);
            f.Lane.Busy = false;
            if (f.Lane.Waiting.Count > 0) ready.Enqueue(f.Lane);
            else lanes.Remove(f.Lane.Key);
            if (f.FollowUps) mayClaim = true;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            while (finished.Reader.TryRead(out var f)) Settle(f);

            if (WantsClaim())
            {
                var want = Math.Min(o.BatchSize, maxHeld - held);
                try
                {
                    await ReleaseWaitingUpdatesAsync(stoppingToken);
                    var claimed = await ClaimDueAsync(want, heldIds, stoppingToken);
                    mayClaim = claimed.Count == want;
                    foreach (var message in claimed)
                    {
                        var key = LaneKey(message);
                        if (!lanes.TryGetValue(key, out var lane)) lanes[key] = lane = new Lane(key);
                        lane.Waiting.Enqueue(message);
                        heldIds.Add(message.Id);
                        held++;
                        if (!lane.Busy && lane.Waiting.Count == 1) ready.Enqueue(lane);
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex)
                {
                    LogRoundFailed(logger, ex);
                    mayClaim = false;
                }
            }

            while (inFlight < parallelism && !stoppingToken.IsCancellationRequested && ready.TryDequeue(out var lane))
            {
                var next = lane;
                var message = next.Waiting.Dequeue();
                next.Busy = true;
                inFlight++;
                _ = Task.Run(() => SendInLaneAsync(next, message, finished.Writer, sends.Token), CancellationToken.None);
            }

            if (WantsClaim()) continue;
            woken ??= signal.WaitAsync(o.PollInterval, time, stoppingToken);
            done ??= finished.Reader.WaitToReadAsync(CancellationToken.None).AsTask();
            await Task.WhenAny(woken, done);
            if (woken.IsCompleted)
            {
                if (!woken.IsCompletedSuccessfully) break; // stopping
                woken = null;
                mayClaim = true; // new messages committed, or the poll is due (other instances' messages, retries)
            }
            if (done.IsCompleted) done = null;
        }

        // Stopping: the sends in flight finish and record their outcome; what was claimed but not begun is handed back
        // at once, so another instance (or the next start) sends it without waiting for the claim to lapse.
        while (inFlight > 0) Settle(await finished.Reader.ReadAsync(CancellationToken.None));
        var unsent = lanes.Values.SelectMany(l => l.Waiting).Select(m => m.Id).ToList();
        if (unsent.Count > 0) await ReleaseClaimsAsync(unsent);
    }

    /// <summary>Messages to one conversation (or, before its chat exists, one person) go one at a time, in claim order.</summary>
    private static string LaneKey(OutboxMessage message) => message.ConversationId ?? $"user:{message.RecipientUserId}";

    /// <summary>One conversation's claimed messages; at most one of them is in flight (<see cref="Busy"/>).</summary>
    private sealed class Lane(string key)
    {
        public string Key { get; } = key;
        public Queue<OutboxMessage> Waiting { get; } = new();
        public bool Busy { get; set; }
    }

    /// <param name="FollowUps">The outcome may have made more messages due at once (a card update waiting for this post, a give-up notice).</param>
    private readonly record struct Finished(Lane Lane, long MessageId, bool FollowUps);

    private async Task SendInLaneAsync(Lane lane, OutboxMessage message, ChannelWriter<Finished> finished, CancellationToken cancellationToken)
    {
        var followUps = false;
        try
        {
            followUps = await SendOneAsync(message.Id, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped past the grace: the claim lapses and the message is sent again after the restart.
        }
        catch (Exception ex)
        {
            // The outcome is unknown (the post may have gone out): the claim is kept and lapses, as after a crash.
            LogSendFailed(logger, ex, message.Id);
        }
        finally
        {
            finished.TryWrite(new Finished(lane, message.Id, followUps));
        }
    }

    /// <summary>Hands claimed messages that were not begun back (the dispatcher is stopping).</summary>
    private async Task ReleaseClaimsAsync(List<long> ids)
    {
        using var limit = new CancellationTokenSource(SendGraceOnStop);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(limit.Token);
            var mine = await db.OutboxMessages
                .Where(m => ids.Contains(m.Id) && m.Status == OutboxStatus.Pending && m.ClaimedBy == _instance)
                .ToListAsync(limit.Token);
            foreach (var message in mine) message.ReleaseClaim();
            await db.SaveChangesAsync(limit.Token);
            LogReleased(logger, mine.Count);
        }
        catch (Exception ex)
        {
            // Their claims lapse instead (Outbox:ClaimTimeout).
            LogReleaseFailed(logger, ex, ids.Count);
        }
    }

    /// <summary>
    /// Updates that wait for their card's first post (<see cref="OutboxMessage.AfterMessageId"/>) learn its activity id once
    /// it was sent, and are given up with it when it was. Checked before every claim, so an update staged just as its post
    /// was being sent is released too.
    /// </summary>
    private async Task ReleaseWaitingUpdatesAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var waiting = await db.OutboxMessages
            .Where(m => m.Status == OutboxStatus.Pending && m.AfterMessageId != null && m.TargetActivityId == null)
            .OrderBy(m => m.Id)
            .Take(options.Value.BatchSize)
            .ToListAsync(cancellationToken);
        if (waiting.Count == 0) return;
        var postIds = waiting.Select(m => m.AfterMessageId!.Value).Distinct().ToList();
        var posts = await db.OutboxMessages.Where(m => postIds.Contains(m.Id) && m.Status != OutboxStatus.Pending)
            .ToDictionaryAsync(m => m.Id, cancellationToken);
        var changed = false;
        foreach (var update in waiting)
        {
            if (!posts.TryGetValue(update.AfterMessageId!.Value, out var post)) continue;
            if (post.Status == OutboxStatus.Sent && post.SentActivityId is not null && post.ConversationId is not null)
                update.PostSent(post.ConversationId, post.SentActivityId, now);
            else
                update.GiveUp("PostNotSent", $"The card's post (outbox message {post.Id}) was not sent: {post.LastResult}.", now);
            changed = true;
        }
        if (!changed) return;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another instance released them first.
        }
    }

    /// <param name="held">Messages this dispatcher holds already: not claimed again (see <see cref="ExecuteAsync"/>).</param>
    private async Task<List<OutboxMessage>> ClaimDueAsync(int count, IReadOnlyCollection<long> held, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var heldNow = held.ToList();
        var due = await db.OutboxMessages
            .Where(m => m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now && (m.ClaimedUntil == null || m.ClaimedUntil < now))
            .Where(m => !heldNow.Contains(m.Id))
            .Where(m => m.AfterMessageId == null || m.TargetActivityId != null)
            .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id)
            .Take(count)
            .ToListAsync(cancellationToken);
        if (due.Count == 0) return due;

        // One statement batch for the whole claim: each row's version still makes its claim exclusive, and the batch
        // is one transaction, so a conflict on any row claims none of them. Then, and only then, one at a time.
        foreach (var message in due) message.Claim(_instance, now + options.Value.ClaimTimeout);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return due;
        }
        catch (DbUpdateConcurrencyException)
        {
            LogClaimContended(logger, due.Count);
        }
        return await ClaimOneByOneAsync([.. due.Select(m => m.Id)], now, cancellationToken);
    }

    private async Task<List<OutboxMessage>> ClaimOneByOneAsync(IReadOnlyList<long> ids, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var due = await db.OutboxMessages
            .Where(m => ids.Contains(m.Id) && m.Status == OutboxStatus.Pending && (m.ClaimedUntil == null || m.ClaimedUntil < now))
            .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id)
            .ToListAsync(cancellationToken);
        var claimed = new List<OutboxMessage>(due.Count);
        foreach (var message in due)
        {
            message.Claim(_instance, now + options.Value.ClaimTimeout);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                claimed.Add(message);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another instance claimed or completed it first.
                db.Entry(message).State = EntityState.Detached;
            }
        }
        return claimed;
    }

    /// <summary>
    /// Sends one claimed message and records the outcome. True when that outcome may have made other messages due.
    /// A failure before anything went out (the database, a message that cannot be read) hands the message back for a
    /// retry with back-off, counted as an attempt, so a passing fault delays it by seconds and a poisoned message is
    /// given up visibly, instead of both waiting for the claim to lapse. A failure to record a known outcome is retried
    /// on a fresh context (<see cref="RecordAttempts"/>), so a sent message is not sent again.
    /// </summary>
    private async Task<bool> SendOneAsync(long id, CancellationToken cancellationToken)
    {
        var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        try
        {
            Delivery? delivery;
            try
            {
                delivery = await DeliverAsync(db, id, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                await HandBackAsync(id, ex, cancellationToken);
                return false;
            }
            if (delivery is null) return false;
            metrics?.Sent(delivery.Message.Operation, delivery.Result);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await CompleteAsync(db, delivery.Message, delivery.Result, delivery.ActivityId, cancellationToken);
                }
                catch (Exception ex) when (attempt < RecordAttempts && !cancellationToken.IsCancellationRequested && ex is not DbUpdateConcurrencyException)
                {
                    LogRecordFailed(logger, ex, id, attempt);
                    await Task.Delay(RecordRetryDelay * attempt, time, cancellationToken);
                    await db.DisposeAsync();
                    db = await dbFactory.CreateDbContextAsync(cancellationToken);
                    var again = await db.OutboxMessages.FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
                    if (again is null || again.Status != OutboxStatus.Pending || again.ClaimedBy != _instance) return false;
                    if (delivery.CreatedChatId is { } chat && again.ConversationId is null) again.ConversationCreated(chat);
                    delivery = delivery with { Message = again };
                }
            }
        }
        finally
        {
            await db.DisposeAsync();
        }
    }

    /// <summary>Tries to record a known outcome this many times, the later ones on a fresh context after a short wait.</summary>
    internal const int RecordAttempts = 3;

    internal static readonly TimeSpan RecordRetryDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>What the connector answered for a claimed message (<see cref="Message"/> as tracked by the context that records it).</summary>
    private sealed record Delivery(OutboxMessage Message, ConnectorResult Result, string? ActivityId, string? CreatedChatId);

    /// <summary>Loads the message (null when it is no longer this dispatcher's to send), then makes the connector call(s).</summary>
    private async Task<Delivery?> DeliverAsync(BotDbContext db, long id, CancellationToken cancellationToken)
    {
        var message = await db.OutboxMessages.FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (message is null || message.Status != OutboxStatus.Pending || message.ClaimedBy != _instance) return null;
        if (!await KeepClaimAsync(db, message, cancellationToken)) return null;
        if (message.Operation == OutboxOperation.Update && await HasNewerUpdateAsync(db, message, cancellationToken))
        {
            // A newer update of the same card copy is on its way or has landed: sending this one would put an older
            // state back (a retried update, one released late from waiting for its post).
            message.Supersede(time.GetUtcNow());
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                LogSuperseded(logger, message.Id);
            }
            catch (DbUpdateConcurrencyException)
            {
                LogLostClaim(logger, message.Id);
            }
            return null;
        }

        var activity = ProtocolJson.Deserialize<Activity>(message.ActivityJson)
            ?? throw new InvalidOperationException($"Outbox message {message.Id} holds no activity.");
        string? createdChat = null;
        if (message.Operation == OutboxOperation.CreateAndSend && message.ConversationId is null)
        {
            // Someone who never talked to the bot: install it for them first when Graph is set up for that
            // (docs/graph.md), and post into the chat the installation gives; else Teams opens the chat (§3.3).
            var install = await installer.InstallAsync(message.RecipientUserId!, cancellationToken);
            if (install is ProactiveInstall.Unavailable unavailable)
                return new Delivery(message, SendResult.Failed(null, GraphUnavailable, retryable: true, unavailable.Why), null, null);
            var chatId = (install as ProactiveInstall.Ready)?.ChatId;
            if (chatId is null)
            {
                var created = await connector.CreateConversationAsync(message.ServiceUrl, new ConversationParameters
                {
                    IsGroup = false,
                    Bot = new ChannelAccount { Id = await bot.GetBotIdAsync(db, message.ServiceUrl, cancellationToken) },
                    Members = [new ChannelAccount { Id = message.RecipientUserId }],
                    TenantId = message.TenantId,
                    ChannelData = message.TenantId is null ? null : new TeamsChannelData { Tenant = new TenantInfo { Id = message.TenantId } },
                }, cancellationToken);
                if (!created.Succeeded || string.IsNullOrEmpty(created.ConversationId)) return new Delivery(message, created, null, null);
                chatId = created.ConversationId;
            }
            message.ConversationCreated(chatId);
            createdChat = chatId;
            activity.Conversation = new ConversationAccount { Id = chatId };
        }

        var result = message.Operation switch
        {
            OutboxOperation.Update => await connector.UpdateActivityAsync(message.ServiceUrl, message.ConversationId!, message.TargetActivityId!, activity, cancellationToken),
            OutboxOperation.Reply => await connector.ReplyToActivityAsync(message.ServiceUrl, message.ConversationId!, message.TargetActivityId!, activity, cancellationToken),
            _ => await connector.SendToConversationAsync(message.ServiceUrl, message.ConversationId!, activity, cancellationToken),
        };
        return new Delivery(message, result, result.ActivityId, createdChat);
    }

    /// <summary>
    /// True when a newer update of the same card copy than <paramref name="update"/> is pending or was sent: one that
    /// targets the same posted activity, or waits for the same post. Staging never touches older updates (so it cannot
    /// collide with their sending); this is where they give way.
    /// </summary>
    internal static Task<bool> HasNewerUpdateAsync(BotDbContext db, OutboxMessage update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(update);
        if (update.CardSubject is not { } subject) return Task.FromResult(false);
        var id = update.Id;
        var conversation = update.ConversationId;
        var target = update.TargetActivityId;
        var post = update.AfterMessageId;
        return db.OutboxMessages.AnyAsync(n =>
            n.CardSubject == subject && (n.Status == OutboxStatus.Pending || n.Status == OutboxStatus.Sent)
            && n.Id > id && n.Operation == OutboxOperation.Update
            && ((target != null && n.TargetActivityId == target && n.ConversationId == conversation)
                || (post != null && n.AfterMessageId == post)), cancellationToken);
    }

    /// <summary>
    /// A claimed message whose send could not begin: back to the queue with back-off and the error on the row (given up,
    /// with its notice, after <see cref="OutboxOptions.MaxAttempts"/>). When even that cannot be written, the claim lapses.
    /// </summary>
    private async Task HandBackAsync(long id, Exception error, CancellationToken cancellationToken)
    {
        LogNotSent(logger, error, id);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var message = await db.OutboxMessages.FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
            if (message is null || message.Status != OutboxStatus.Pending || message.ClaimedBy != _instance) return;
            var detail = $"{error.GetType().Name}: {error.Message}";
            if (detail.Length > 2048) detail = detail[..2048];
            RetryOrGiveUp(db, message, NotSentResult, detail, "the bot could not prepare it", null, time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            if (message.Status == OutboxStatus.GivenUp) metrics?.GivenUp(message.Operation);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogHandBackFailed(logger, ex, id);
        }
    }

    /// <summary>The result recorded for an attempt that failed before anything was sent.</summary>
    internal const string NotSentResult = "NotSent";

    /// <summary>
    /// A message that waited in its conversation's lane for a good part of its claim (a long queue to one conversation)
    /// gets its claim renewed before its send begins, so the claim still covers the longest send; false when another
    /// instance took it meanwhile.
    /// </summary>
    private async Task<bool> KeepClaimAsync(BotDbContext db, OutboxMessage message, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var timeout = options.Value.ClaimTimeout;
        if (message.ClaimedUntil is { } until && until - now >= timeout * 0.75) return true;
        message.Claim(_instance, now + timeout);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            LogLostClaim(logger, message.Id);
            return false;
        }
    }

    /// <summary>The error code recorded when proactive installation had to wait for Graph.</summary>
    internal const string GraphUnavailable = "GraphUnavailable";

    /// <returns>True when the outcome may have made other messages due: a posted card that updates may wait for, or a give-up (its notice, its waiting updates).</returns>
    private async Task<bool> CompleteAsync(BotDbContext db, OutboxMessage message, ConnectorResult result, string? activityId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var described = Describe(result);
        var detail = result.ErrorMessage ?? result.Reason;
        switch (result.Kind)
        {
            case ConnectorResultKind.Succeeded:
                message.MarkSent(activityId ?? message.TargetActivityId, "Sent", now);
                await RecordCardCopyAsync(db, message, now, cancellationToken);
                LogSent(logger, message.Id, message.Operation, message.Attempts);
                break;
            case ConnectorResultKind.RecipientGone:
            case ConnectorResultKind.ActivityNotFound:
                message.GiveUp(described, detail, now);
                TellGivenUp(db, message, Reason(result), now);
                await MarkGoneAsync(db, message, result, described, now, cancellationToken);
                LogGivenUp(logger, message.Id, described);
                break;
            case ConnectorResultKind.Throttled:
            case ConnectorResultKind.Failed when result.Retryable:
                RetryOrGiveUp(db, message, described, detail, Reason(result), result.RetryAfter, now);
                break;
            default:
                message.GiveUp(described, detail, now);
                TellGivenUp(db, message, Reason(result), now);
                LogGivenUp(logger, message.Id, described);
                break;
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            LogLostClaim(logger, message.Id);
            return false;
        }
        if (message.Status == OutboxStatus.GivenUp) metrics?.GivenUp(message.Operation);
        return message.Status == OutboxStatus.GivenUp
            || (message.Status == OutboxStatus.Sent && message.CardSubject is not null && message.Operation != OutboxOperation.Update);
    }

    /// <summary>
    /// A failed attempt that may succeed later: retried after <paramref name="retryAfter"/> (else the back-off), or given
    /// up, with its notice, when it was the last of <see cref="OutboxOptions.MaxAttempts"/>.
    /// </summary>
    private void RetryOrGiveUp(BotDbContext db, OutboxMessage message, string result, string? detail, string reason, TimeSpan? retryAfter, DateTimeOffset now)
    {
        var o = options.Value;
        if (message.Attempts + 1 >= o.MaxAttempts)
        {
            message.GiveUp(result, detail, now);
            TellGivenUp(db, message, reason, now);
            LogGivenUp(logger, message.Id, result);
            return;
        }
        var delay = retryAfter ?? Backoff(message.Attempts + 1, o);
        message.ScheduleRetry(result, detail, now + delay);
        LogRetry(logger, message.Id, result, delay);
    }

    /// <summary>Stages the message's give-up notice (if any), in the same save as the give-up.</summary>
    /// <param name="reason">Why, in words for the person told about it (<see cref="Reason"/>).</param>
    private static void TellGivenUp(BotDbContext db, OutboxMessage message, string reason, DateTimeOffset now)
    {
        if (message.GetGiveUpNotice() is not { } notice) return;
        var activity = new Activity
        {
            Type = ActivityTypes.Message,
            Text = notice.Text.Replace("{reason}", reason, StringComparison.Ordinal),
            Conversation = new ConversationAccount { Id = notice.ConversationId },
        };
        db.OutboxMessages.Add(OutboxMessage.Create(
            $"giveup:{message.Id}", OutboxOperation.Send, notice.ServiceUrl, notice.ConversationId, null,
            ProtocolJson.Serialize(activity), null, now));
    }

    /// <summary>Why a message could not be delivered, in words for the person told about it.</summary>
    internal static string Reason(ConnectorResult result) => result.Kind switch
    {
        _ when result.StatusCode == 403 => "the app is not installed for them, or they blocked it",
        _ when result.ErrorCode == GraphUnavailable => "Microsoft Graph could not be reached to install the bot for them",
        ConnectorResultKind.RecipientGone => "the conversation with them no longer exists",
        ConnectorResultKind.Throttled => "Teams kept asking us to slow down, and we ran out of retries",
        ConnectorResultKind.ActivityNotFound => "the message to update was deleted",
        _ when result.StatusCode is { } status => $"Teams answered {status}{(result.ErrorCode is null ? "" : " " + result.ErrorCode)}",
        _ => "Teams could not be reached",
    };

    private static async Task RecordCardCopyAsync(BotDbContext db, OutboxMessage message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (message.CardSubject is null || message.SentActivityId is null || message.ConversationId is null) return;
        var existing = await db.CardCopies.FirstOrDefaultAsync(
            c => c.ConversationId == message.ConversationId && c.ActivityId == message.SentActivityId, cancellationToken);
        if (existing is null)
            db.CardCopies.Add(CardCopy.Create(message.CardSubject, message.ServiceUrl, message.ConversationId, message.SentActivityId, now, message.CardViewer));
        else
            existing.Updated(now);
    }

    /// <summary>A short classified result for the row and the logs: kind, status and Teams error code.</summary>
    private static string Describe(ConnectorResult result)
    {
        var text = result.StatusCode is { } status ? $"{result.Kind} {status}" : result.Kind.ToString();
        if (result.ErrorCode is not null) text += $" {result.ErrorCode}";
        return text.Length > 64 ? text[..64] : text;
    }

    private static async Task MarkGoneAsync(BotDbContext db, OutboxMessage message, ConnectorResult result, string described, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (message.Operation == OutboxOperation.Update && result.Kind == ConnectorResultKind.ActivityNotFound)
        {
            var copy = await db.CardCopies.FirstOrDefaultAsync(
                c => c.ConversationId == message.ConversationId && c.ActivityId == message.TargetActivityId, cancellationToken);
            copy?.Gone(now);
            return;
        }
        if (message.ConversationId is null) return;
        var reference = await db.ConversationReferences.FirstOrDefaultAsync(r => r.ConversationId == message.ConversationId, cancellationToken);
        reference?.MarkUnreachable(described, now);
    }

    internal static TimeSpan Backoff(int attempt, OutboxOptions o)
    {
        var exponential = o.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 20));
        var capped = Math.Min(exponential, o.MaxDelay.TotalMilliseconds);
        var jitter = 1 + ((Random.Shared.NextDouble() * 0.4) - 0.2);
        return TimeSpan.FromMilliseconds(capped * jitter);
    }

    [LoggerMessage(EventId = 2000, Level = LogLevel.Debug, Message = "Outbox message {MessageId} ({Operation}) sent after {Attempts} attempt(s)")]
    private static partial void LogSent(ILogger logger, long messageId, OutboxOperation operation, int attempts);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Outbox message {MessageId} will be retried ({Result}) in {Delay}")]
    private static partial void LogRetry(ILogger logger, long messageId, string result, TimeSpan delay);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Outbox message {MessageId} given up: {Result}")]
    private static partial void LogGivenUp(ILogger logger, long messageId, string result);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Outbox message {MessageId} was completed by another dispatcher")]
    private static partial void LogLostClaim(ILogger logger, long messageId);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Debug, Message = "Another dispatcher claimed some of {Count} due outbox messages first; claiming the rest one at a time")]
    private static partial void LogClaimContended(ILogger logger, int count);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "Claiming due outbox messages failed; retrying at the next poll")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Error, Message = "Sending outbox message {MessageId} failed; its claim lapses and it is sent again")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, long messageId);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Debug, Message = "Outbox message {MessageId} superseded: a newer update of the same card copy is pending or sent")]
    private static partial void LogSuperseded(ILogger logger, long messageId);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Warning, Message = "Outbox message {MessageId} could not be sent (nothing went out); it is retried with back-off")]
    private static partial void LogNotSent(ILogger logger, Exception exception, long messageId);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Error, Message = "Outbox message {MessageId} could not be handed back after a failure before its send; its claim lapses and it is sent then")]
    private static partial void LogHandBackFailed(ILogger logger, Exception exception, long messageId);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Recording the outcome of outbox message {MessageId} failed (try {Attempt}); trying again on a fresh context")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, long messageId, int attempt);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "Stopping: handed back {Count} claimed outbox message(s) not yet sent")]
    private static partial void LogReleased(ILogger logger, int count);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Warning, Message = "Stopping: could not hand back {Count} claimed outbox message(s); their claims lapse")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, int count);
}
