using System.Data.Common;
using ApprovalBot.OrgDirectory.Graph;
using ApprovalBot.Protocol.Connector;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Storage;
using ApprovalBot.Teams;
using ApprovalBot.Teams.Outbox;
using ApprovalBot.TestSupport;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ApprovalBot.IntegrationTests.Teams;

/// <summary>
/// The dispatcher's send pipeline against a real database, with a connector whose sends finish only when the test says
/// so (no sleeps, no timing): it keeps <c>Outbox:Parallelism</c> sends in flight and starts the next as soon as one
/// finishes, never waiting for the slowest of a batch; one conversation's messages go one at a time, in order, also
/// across claims; stopping lets the sends in flight finish and hands the claimed rest back.
/// </summary>
public abstract class OutboxDispatcherTests(ITestDatabaseFactory databases)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly ManualTimeProvider _clock = new();
    private int _staged;

    [Fact]
    public async Task SlowSendToOneConversation_DoesNotHoldBackSendsToOthers()
    {
        await using var bed = await Bed.StartAsync(databases, _clock, parallelism: 3, batchSize: 4);
        bed.Connector.Holds = c => c == "a:slow";
        await StageAsync(bed, "a:slow");
        await bed.Connector.WaitUntilAsync(c => c.Started("a:slow") == 1);

        var others = Enumerable.Range(1, 12).Select(i => $"a:other-{i}").ToList();
        foreach (var conversation in others) await StageAsync(bed, conversation);

        // Three claims' worth of messages go out while the first claim's slowest send is still running.
        await bed.Connector.WaitUntilAsync(c => others.All(o => c.Finished(o) == 1));
        Assert.Equal(0, bed.Connector.Finished("a:slow"));

        bed.Connector.Holds = _ => false;
        bed.Connector.ReleaseAll();
        await bed.WaitUntilSettledAsync();
        await bed.StopAsync();
        Assert.Equal(13, await bed.CountAsync(OutboxStatus.Sent));
    }

    [Fact]
    public async Task InFlightSends_StayAtParallelism_RefilledAsEachFinishes_AndEveryMessageGoesOnce()
    {
        const int parallelism = 4;
        await using var bed = await Bed.StartAsync(databases, _clock, parallelism, batchSize: 5);
        bed.Connector.Holds = _ => true;
        var conversations = Enumerable.Range(1, 30).Select(i => $"a:fan-{i:00}").ToList();
        foreach (var conversation in conversations) await StageAsync(bed, conversation, notify: false);
        bed.Signal.Notify();

        // The pipe is full; finishing one send (the others still running) brings it back to full at once.
        for (var finished = 0; finished < conversations.Count - parallelism; finished++)
        {
            await bed.Connector.WaitUntilAsync(c => c.Held == parallelism);
            bed.Connector.ReleaseOldest();
        }
        bed.Connector.Holds = _ => false;
        bed.Connector.ReleaseAll();
        await bed.WaitUntilSettledAsync();
        await bed.StopAsync();

        Assert.Equal(parallelism, bed.Connector.MaxInFlight);
        Assert.All(conversations, c => Assert.Equal(1, bed.Connector.Finished(c)));
        Assert.Equal(conversations.Count, await bed.CountAsync(OutboxStatus.Sent));
    }

    [Fact]
    public async Task OneConversation_GetsItsMessagesOneAtATimeInOrder_AcrossClaims_WhileOthersGoAhead()
    {
        await using var bed = await Bed.StartAsync(databases, _clock, parallelism: 4, batchSize: 2);
        bed.Connector.Holds = c => c == "a:ordered";
        await StageAsync(bed, "a:ordered", "first");
        await bed.Connector.WaitUntilAsync(c => c.Started("a:ordered") == 1);

        // Claimed later, while the first is still being sent: they wait for it, and nobody else waits for them.
        await StageAsync(bed, "a:ordered", "second");
        await StageAsync(bed, "a:other-1");
        await StageAsync(bed, "a:ordered", "third");
        await StageAsync(bed, "a:other-2");
        await bed.Connector.WaitUntilAsync(c => c.Finished("a:other-1") == 1 && c.Finished("a:other-2") == 1);
        Assert.Equal(1, bed.Connector.Started("a:ordered"));

        bed.Connector.Holds = _ => false;
        bed.Connector.ReleaseAll();
        await bed.WaitUntilSettledAsync();
        await bed.StopAsync();
        Assert.Equal(["first", "second", "third"], bed.Connector.Texts("a:ordered"));
        Assert.Equal(1, bed.Connector.MaxInFlightTo("a:ordered"));
    }

    [Fact]
    public async Task Stopping_FinishesTheSendInFlight_AndHandsBackClaimedMessagesNotBegun()
    {
        await using var bed = await Bed.StartAsync(databases, _clock, parallelism: 1, batchSize: 5);
        bed.Connector.Holds = _ => true;
        foreach (var conversation in new[] { "a:stop-1", "a:stop-2", "a:stop-3" }) await StageAsync(bed, conversation, notify: false);
        bed.Signal.Notify();
        await bed.Connector.WaitUntilAsync(c => c.Held == 1);
        // The precondition: all three claimed. A round may run between two of the stagings and claim fewer; each wake
        // lets the dispatcher top up its claim (on the manual clock its poll never comes, so the test wakes it).
        await bed.WaitUntilStoredAsync(async db =>
        {
            bed.Signal.Notify();
            return await db.OutboxMessages.CountAsync(m => m.ClaimedBy != null) == 3;
        });

        var stopping = bed.StopAsync();
        bed.Connector.ReleaseAll();
        await stopping.WaitAsync(Patience);

        await using var check = bed.CreateDbContext();
        var rows = await check.OutboxMessages.OrderBy(m => m.Id).ToListAsync();
        Assert.Equal(OutboxStatus.Sent, rows[0].Status);
        Assert.All(rows.Skip(1), m =>
        {
            Assert.Equal(OutboxStatus.Pending, m.Status);
            Assert.Null(m.ClaimedBy);
            Assert.Null(m.ClaimedUntil);
        });
        Assert.Equal(1, bed.Connector.Requests);
    }

    [Fact]
    public async Task AClockJumpPastTheClaimTimeout_DuringASend_DoesNotMakeTheDispatcherSendItAgain()
    {
        await using var bed = await Bed.StartAsync(databases, _clock, parallelism: 2, batchSize: 5);
        bed.Connector.Holds = c => c == "a:held";
        await StageAsync(bed, "a:held");
        await bed.Connector.WaitUntilAsync(c => c.Started("a:held") == 1);

        // The send is under way when the clock jumps past its claim (a VM resumed after a pause): the row looks free.
        _clock.Advance(new OutboxOptions().ClaimTimeout + TimeSpan.FromMinutes(1));
        // A later message is claimed, and sent, in a round that would have claimed the held one too, being older.
        await StageAsync(bed, "a:later");
        await bed.Connector.WaitUntilAsync(c => c.Finished("a:later") == 1);

        bed.Connector.ReleaseAll();
        bed.Connector.Holds = _ => false;
        await bed.WaitUntilSettledAsync();
        bed.Signal.Notify();
        await bed.StopAsync();
        Assert.Equal(1, bed.Connector.Started("a:held"));
        Assert.Equal(2, await bed.CountAsync(OutboxStatus.Sent));
    }

    [Fact]
    public async Task AnOlderUpdateRetriedAfterANewerOneWasSent_IsSkipped_SoTheCardKeepsTheNewerState()
    {
        await using var bed = await Bed.StartAsync(databases, _clock, parallelism: 2, batchSize: 5);
        bed.Connector.FailUpdates = 1;
        var older = await StageUpdateAsync(bed, "older");
        await bed.WaitUntilStoredAsync(async db => await db.OutboxMessages.AnyAsync(m => m.Id == older && m.Attempts == 1));   // failed, retried in ~2 s

        var newer = await StageUpdateAsync(bed, "newer");
        await bed.WaitUntilStoredAsync(async db => await db.OutboxMessages.AnyAsync(m => m.Id == newer && m.Status == OutboxStatus.Sent));
        _clock.Advance(TimeSpan.FromMinutes(1));
        bed.Signal.Notify();
        await bed.WaitUntilSettledAsync();
        await bed.StopAsync();

        Assert.Equal(["older", "newer"], bed.Connector.Texts("a:card"));   // the older one's retry never went out
        await using var check = bed.CreateDbContext();
        Assert.Equal(OutboxStatus.Superseded, (await check.OutboxMessages.SingleAsync(m => m.Id == older)).Status);
    }

    [Fact]
    public async Task ADatabaseFaultBeforeTheSend_HandsTheMessageBackWithBackoff_InsteadOfHoldingItForTheClaimTimeout()
    {
        var fault = new DatabaseFault(IsLoadOfOneMessage);
        await using var bed = await Bed.StartAsync(databases, _clock, parallelism: 1, batchSize: 5, fault: fault);
        await StageAsync(bed, "a:fault-before");

        // Nothing went out; the row is free again, with the error, due after the first back-off (not in 10 minutes).
        await bed.WaitUntilStoredAsync(async db => await db.OutboxMessages.AnyAsync(m => m.Attempts == 1));
        await using (var db = bed.CreateDbContext())
        {
            var row = await db.OutboxMessages.SingleAsync();
            Assert.Equal((OutboxStatus.Pending, OutboxDispatcher.NotSentResult, null), (row.Status, row.LastResult, row.ClaimedBy));
            Assert.Contains("simulated database fault", row.LastError, StringComparison.Ordinal);
            Assert.InRange(row.NextAttemptAt - _clock.GetUtcNow(), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
        }
        Assert.Equal(1, fault.Fired);
        Assert.Equal(0, bed.Connector.Requests);

        _clock.Advance(TimeSpan.FromSeconds(3));
        bed.Signal.Notify();
        await bed.WaitUntilSettledAsync();
        Assert.Equal(1, bed.Connector.Requests);
        Assert.Equal(1, await bed.CountAsync(OutboxStatus.Sent));
    }

    [Fact]
    public async Task ADatabaseFaultRecordingTheOutcome_IsRetriedOnAFreshContext_AndTheMessageIsNotSentTwice()
    {
        var fault = new DatabaseFault(c => c.CommandText.Contains("UPDATE", StringComparison.OrdinalIgnoreCase)
            && c.CommandText.Contains("outbox_messages", StringComparison.Ordinal)
            && c.Parameters.Cast<DbParameter>().Any(p => Equals(p.Value, "Sent")));
        await using var bed = await Bed.StartAsync(databases, _clock, parallelism: 1, batchSize: 5, fault: fault);
        await StageAsync(bed, "a:fault-after");

        await bed.Connector.WaitUntilAsync(c => c.Finished("a:fault-after") == 1);
        await bed.WaitUntilStoredAsync(_ => Task.FromResult(fault.Fired == 1));
        // The second try waits a moment on the dispatcher's clock.
        await bed.WaitUntilStoredAsync(async db =>
        {
            _clock.Advance(OutboxDispatcher.RecordRetryDelay);
            return !await db.OutboxMessages.AnyAsync(m => m.Status == OutboxStatus.Pending);
        });
        await using var check = bed.CreateDbContext();
        var row = await check.OutboxMessages.SingleAsync();
        Assert.Equal((OutboxStatus.Sent, 1, null), (row.Status, row.Attempts, row.ClaimedBy));   // one attempt, recorded once
        Assert.Equal(1, bed.Connector.Requests);
    }

    [Fact]
    public async Task AMessageThatCannotBeRead_IsRetriedThenGivenUpVisibly_AndNeverSent()
    {
        await using var bed = await Bed.StartAsync(databases, _clock, parallelism: 1, batchSize: 5, maxAttempts: 3);
        await using (var db = bed.CreateDbContext())
        {
            db.OutboxMessages.Add(OutboxMessage.Create("dispatcher-test-poison", OutboxOperation.Send, "https://smba.example/emea/", "a:poison", null,
                "{\"type\": \"message\", \"text\": ", null, _clock.GetUtcNow()));
            await db.SaveChangesAsync();
        }
        bed.Signal.Notify();

        await bed.WaitUntilStoredAsync(async db =>
        {
            _clock.Advance(TimeSpan.FromSeconds(10));
            bed.Signal.Notify();
            return await db.OutboxMessages.AnyAsync(m => m.Status == OutboxStatus.GivenUp);
        });
        await using var check = bed.CreateDbContext();
        var row = await check.OutboxMessages.SingleAsync();
        Assert.Equal((OutboxStatus.GivenUp, OutboxDispatcher.NotSentResult, 3), (row.Status, row.LastResult, row.Attempts));
        Assert.Contains("JsonException", row.LastError, StringComparison.Ordinal);
        Assert.Equal(0, bed.Connector.Requests);
    }

    /// <summary>The dispatcher's load of the one message it is about to send (EF's FirstOrDefault: LIMIT 1).</summary>
    private static bool IsLoadOfOneMessage(DbCommand command) =>
        command.CommandText.Contains("outbox_messages", StringComparison.Ordinal)
        && command.CommandText.TrimEnd().TrimEnd(';').EndsWith("LIMIT 1", StringComparison.OrdinalIgnoreCase);

    /// <summary>An update of the card copy activity-1 in a:card, as the outbox stages one for a posted copy; returns its id.</summary>
    private async Task<long> StageUpdateAsync(Bed bed, string text)
    {
        var n = ++_staged;
        await using var db = bed.CreateDbContext();
        var activity = new Activity { Type = ActivityTypes.Message, Text = text, Id = "activity-1", Conversation = new ConversationAccount { Id = "a:card" } };
        var message = OutboxMessage.Create($"dispatcher-test-{n}", OutboxOperation.Update, "https://smba.example/emea/", "a:card", "activity-1",
            ProtocolJson.Serialize(activity), "card:1", _clock.GetUtcNow());
        db.OutboxMessages.Add(message);
        await db.SaveChangesAsync();
        bed.Signal.Notify();
        return message.Id;
    }

    private async Task StageAsync(Bed bed, string conversationId, string? text = null, bool notify = true)
    {
        var n = ++_staged;
        await using var db = bed.CreateDbContext();
        var activity = new Activity { Type = ActivityTypes.Message, Text = text ?? $"message {n}", Conversation = new ConversationAccount { Id = conversationId } };
        db.OutboxMessages.Add(OutboxMessage.Create(
            $"dispatcher-test-{n}", OutboxOperation.Send, "https://smba.example/emea/", conversationId, null,
            ProtocolJson.Serialize(activity), null, _clock.GetUtcNow()));
        await db.SaveChangesAsync();
        if (notify) bed.Signal.Notify(); // as the commit of a transaction carrying an outbox message does (OutboxSignalTests)
    }

    private sealed class Bed : IAsyncDisposable
    {
        private readonly IHost _host;
        private readonly OutboxDispatcher _dispatcher;
        private readonly ITestDatabase _database;
        private bool _stopped;

        private Bed(IHost host, ITestDatabase database, OutboxDispatcher dispatcher, OutboxSignal signal, HeldConnector connector)
        {
            _host = host;
            _database = database;
            _dispatcher = dispatcher;
            Signal = signal;
            Connector = connector;
        }

        public OutboxSignal Signal { get; }

        public HeldConnector Connector { get; }

        public static async Task<Bed> StartAsync(
            ITestDatabaseFactory databases, TimeProvider clock, int parallelism, int batchSize, DatabaseFault? fault = null, int maxAttempts = 10)
        {
            var database = await databases.CreateDatabaseAsync();
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Testing" });
            builder.Configuration.AddInMemoryCollection(database.HostSettings());
            if (fault is not null) builder.Services.ConfigureDbContext<BotDbContext>(o => o.AddInterceptors(fault));
            builder.AddStorage();
            var host = builder.Build();
            await host.StartAsync();
            var signal = new OutboxSignal();
            var connector = new HeldConnector();
            var dispatcher = new OutboxDispatcher(
                host.Services.GetRequiredService<IDbContextFactory<BotDbContext>>(), connector, new NoInstaller(), signal,
                new BotIdentity(new ConfigurationBuilder().Build()), clock,
                Options.Create(new OutboxOptions { Parallelism = parallelism, BatchSize = batchSize, MaxAttempts = maxAttempts }),
                NullLogger<OutboxDispatcher>.Instance);
            await dispatcher.StartAsync(CancellationToken.None);
            return new Bed(host, database, dispatcher, signal, connector);
        }

        public BotDbContext CreateDbContext() => _database.CreateContext();

        public async Task<int> CountAsync(OutboxStatus status)
        {
            await using var db = CreateDbContext();
            return await db.OutboxMessages.CountAsync(m => m.Status == status);
        }

        /// <summary>Every message sent and recorded (the connector answering is not enough: the row is written after).</summary>
        public Task WaitUntilSettledAsync() => WaitUntilStoredAsync(async db => !await db.OutboxMessages.AnyAsync(m => m.Status == OutboxStatus.Pending));

        /// <summary>Until the database shows <paramref name="condition"/> (asked again after each change the connector sees, or every 50 ms).</summary>
        public async Task WaitUntilStoredAsync(Func<BotDbContext, Task<bool>> condition)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            while (true)
            {
                await using (var db = CreateDbContext())
                {
                    if (await condition(db)) return;
                }
                if (watch.Elapsed > Patience) throw new TimeoutException("The outbox table never showed what the test waited for.");
                await Connector.WaitForChangeAsync(TimeSpan.FromMilliseconds(50));
            }
        }

        public async Task StopAsync()
        {
            if (_stopped) return;
            _stopped = true;
            await _dispatcher.StopAsync(CancellationToken.None);
        }

        public async ValueTask DisposeAsync()
        {
            Connector.ReleaseAll();
            await StopAsync();
            _dispatcher.Dispose();
            Signal.Dispose();
            await _host.StopAsync();
            _host.Dispose();
            await _database.DisposeAsync();
        }
    }

    /// <summary>Fails the first command of the bot's database that <paramref name="matches"/> picks, as a dropped connection would.</summary>
    private sealed class DatabaseFault(Func<DbCommand, bool> matches) : DbCommandInterceptor
    {
        private int _fired;

        public int Fired => Volatile.Read(ref _fired);

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            MaybeFail(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            MaybeFail(command);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }

        private void MaybeFail(DbCommand command)
        {
            if (Volatile.Read(ref _fired) > 0 || !matches(command) || Interlocked.Exchange(ref _fired, 1) > 0) return;
            throw new SimulatedDatabaseFault();
        }
    }

    private sealed class SimulatedDatabaseFault() : DbException("simulated database fault");

    private sealed class NoInstaller : IProactiveInstaller
    {
        public Task<ProactiveInstall> InstallAsync(string userId, CancellationToken cancellationToken) =>
            Task.FromResult<ProactiveInstall>(new ProactiveInstall.Skipped("not in this test"));
    }

    /// <summary>
    /// Posts that finish when the test releases them (those <see cref="Holds"/> picks) or at once; counts what is in
    /// flight, overall and per conversation.
    /// </summary>
    private sealed class HeldConnector : IConnectorClient
    {
        private readonly Lock _lock = new();
        private readonly List<Call> _calls = [];
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _maxInFlight;
        private readonly Dictionary<string, int> _maxPerConversation = new(StringComparer.Ordinal);

        public Func<string, bool> Holds { get; set; } = _ => false;

        /// <summary>Sends begun and not released by the test.</summary>
        public int Held { get { lock (_lock) return _calls.Count(c => !c.Released); } }

        public int MaxInFlight { get { lock (_lock) return _maxInFlight; } }

        public int Requests { get { lock (_lock) return _calls.Count; } }

        public int MaxInFlightTo(string conversationId) { lock (_lock) return _maxPerConversation.GetValueOrDefault(conversationId); }

        public int Started(string conversationId) { lock (_lock) return _calls.Count(c => c.ConversationId == conversationId); }

        public int Finished(string conversationId) { lock (_lock) return _calls.Count(c => c.ConversationId == conversationId && c.Finished); }

        public List<string> Texts(string conversationId) { lock (_lock) return [.. _calls.Where(c => c.ConversationId == conversationId).Select(c => c.Text)]; }

        public void ReleaseOldest()
        {
            lock (_lock) _calls.FirstOrDefault(c => !c.Released)?.Release();
        }

        public void ReleaseAll()
        {
            lock (_lock) foreach (var call in _calls) call.Release();
        }

        public async Task WaitUntilAsync(Func<HeldConnector, bool> condition)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            while (!condition(this))
            {
                if (watch.Elapsed > Patience) throw new TimeoutException("The connector never saw what the test waited for.");
                await WaitForChangeAsync(Patience);
            }
        }

        /// <summary>Until a send starts or finishes (or <paramref name="limit"/>, for state the connector does not see).</summary>
        public async Task WaitForChangeAsync(TimeSpan limit)
        {
            Task changed;
            lock (_lock) changed = _changed.Task;
            try
            {
                await changed.WaitAsync(limit);
            }
            catch (TimeoutException)
            {
            }
        }

        public async Task<SendResult> SendToConversationAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken = default)
        {
            var call = new Call(conversationId, activity.Text ?? "");
            lock (_lock)
            {
                _calls.Add(call);
                var inFlight = _calls.Count(c => !c.Finished);
                _maxInFlight = Math.Max(_maxInFlight, inFlight);
                var toConversation = _calls.Count(c => !c.Finished && c.ConversationId == conversationId);
                _maxPerConversation[conversationId] = Math.Max(_maxPerConversation.GetValueOrDefault(conversationId), toConversation);
                if (!Holds(conversationId)) call.Release();
                Changed();
            }
            await call.Done.Task;
            lock (_lock)
            {
                call.Finished = true;
                Changed();
            }
            return SendResult.Sent($"activity-{call.GetHashCode()}");
        }

        private void Changed()
        {
            _changed.TrySetResult();
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public Task<SendResult> ReplyToActivityAsync(string serviceUrl, string conversationId, string replyToId, Activity activity, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        /// <summary>How many of the next updates fail with a retryable 503.</summary>
        public int FailUpdates { get; set; }

        public Task<SendResult> UpdateActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken = default)
        {
            var call = new Call(conversationId, activity.Text ?? "");
            lock (_lock)
            {
                _calls.Add(call);
                call.Release();
                call.Finished = true;
                var fail = FailUpdates > 0;
                if (fail) FailUpdates--;
                Changed();
                return Task.FromResult(fail ? SendResult.Failed(503, null, retryable: true) : SendResult.Sent(activityId));
            }
        }

        public Task<CreateConversationResult> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<ConnectorResult<TeamsChannelAccount>> GetMemberAsync(string serviceUrl, string conversationId, string userId, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<ConnectorResult<PagedMembersResult>> GetPagedMembersAsync(string serviceUrl, string conversationId, int? pageSize = null, string? continuationToken = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<ConnectorResult<ConversationList>> GetTeamChannelsAsync(string serviceUrl, string teamId, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        private sealed class Call(string conversationId, string text)
        {
            public string ConversationId { get; } = conversationId;
            public string Text { get; } = text;
            public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
            public bool Released { get; private set; }
            public bool Finished { get; set; }

            public void Release()
            {
                Released = true;
                Done.TrySetResult();
            }
        }
    }
}

public sealed class SqliteOutboxDispatcherTests() : OutboxDispatcherTests(new SqliteTestDatabases());

public sealed class PostgresOutboxDispatcherTests(PostgresServerFixture postgres)
    : OutboxDispatcherTests(postgres), IClassFixture<PostgresServerFixture>;
