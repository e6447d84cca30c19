using System.Globalization;

namespace ApprovalBot.TestSupport.Connector;

/// <summary>Which published budget a connector call draws from (bot-protocol.md §4.1).</summary>
public enum TeamsLimitCategory
{
    /// <summary>Send to conversation (reply, update and delete are sends too).</summary>
    Send,

    /// <summary>Create conversation.</summary>
    Create,

    /// <summary>Get conversation member(s), paged or not.</summary>
    Read,

    /// <summary>Anything else: counts against the app's budget only.</summary>
    Other,
}

/// <summary>A limit of <see cref="Limit"/> requests in any sliding window of <see cref="Length"/>.</summary>
public readonly record struct TeamsRateWindow(int Limit, TimeSpan Length)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Limit}/{Length.TotalSeconds:0} s");
}

/// <summary>
/// The limiter's answer: admitted, or refused until <see cref="RetryAfter"/> has passed (the exact wait; the HTTP header
/// carries it in whole seconds, rounded up) because of <see cref="Limit"/> (e.g. <c>app 50/1 s</c>).
/// </summary>
public readonly record struct TeamsLimitDecision(bool Admitted, TimeSpan RetryAfter, string? Limit)
{
    /// <summary>The <c>Retry-After</c> header Teams would send: whole seconds, at least 1.</summary>
    public string RetryAfterHeader => Math.Max(1, (long)Math.Ceiling(RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// Teams' published rate limits as a connector enforces them (bot-protocol.md §4.1), for a fake connector: per bot and
/// thread (send and create 7/1 s, 8/2 s, 60/30 s, 1800/3600 s; member reads 14/1 s, 16/2 s, 120/30 s, 3600/3600 s), per
/// thread for all bots combined (send and create 14/1 s, 16/2 s; reads 28/1 s, 32/2 s), and per app
/// <see cref="AppRequestsPerSecond"/> requests in any one second (the current 50; 30 in the older revision) over every
/// operation. Each is a sliding window of the requests it admitted: a request is admitted when it fits every window,
/// else refused with the time until the oldest request in the fullest window leaves it. A refused request does not
/// count. A channel is one thread: its reply chains (<c>…;messageid=…</c>) share its budget. Thread-safe; time from the
/// given clock.
/// </summary>
public sealed class TeamsRateLimiter(TimeProvider time, int appRequestsPerSecond = TeamsRateLimiter.PublishedAppRequestsPerSecond)
{
    public const int PublishedAppRequestsPerSecond = 50;

    public static readonly IReadOnlyList<TeamsRateWindow> PerBotThreadSend =
    [
        new(7, TimeSpan.FromSeconds(1)), new(8, TimeSpan.FromSeconds(2)), new(60, TimeSpan.FromSeconds(30)), new(1800, TimeSpan.FromHours(1)),
    ];

    public static readonly IReadOnlyList<TeamsRateWindow> PerBotThreadRead =
    [
        new(14, TimeSpan.FromSeconds(1)), new(16, TimeSpan.FromSeconds(2)), new(120, TimeSpan.FromSeconds(30)), new(3600, TimeSpan.FromHours(1)),
    ];

    public static readonly IReadOnlyList<TeamsRateWindow> AllBotsThreadSend = [new(14, TimeSpan.FromSeconds(1)), new(16, TimeSpan.FromSeconds(2))];

    public static readonly IReadOnlyList<TeamsRateWindow> AllBotsThreadRead = [new(28, TimeSpan.FromSeconds(1)), new(32, TimeSpan.FromSeconds(2))];

    private readonly Lock _lock = new();
    private readonly Dictionary<string, SlidingLog> _logs = new(StringComparer.Ordinal);
    private readonly TeamsRateWindow[] _app = [new(appRequestsPerSecond, TimeSpan.FromSeconds(1))];
    private long _admitted;
    private long _refused;

    public int AppRequestsPerSecond { get; } = appRequestsPerSecond > 0 ? appRequestsPerSecond : throw new ArgumentOutOfRangeException(nameof(appRequestsPerSecond));

    public long Admitted { get { lock (_lock) return _admitted; } }

    public long Refused { get { lock (_lock) return _refused; } }

    /// <summary>The thread a conversation id belongs to: a channel's reply chains are the channel.</summary>
    public static string ThreadOf(string conversationId)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        var i = conversationId.IndexOf(";messageid=", StringComparison.OrdinalIgnoreCase);
        return i < 0 ? conversationId : conversationId[..i];
    }

    /// <summary>The category of a fake connector operation.</summary>
    public static TeamsLimitCategory CategoryOf(FakeOperation operation) => operation switch
    {
        FakeOperation.SendToConversation or FakeOperation.ReplyToActivity or FakeOperation.UpdateActivity or FakeOperation.DeleteActivity => TeamsLimitCategory.Send,
        FakeOperation.CreateConversation => TeamsLimitCategory.Create,
        FakeOperation.GetMember or FakeOperation.GetMembers or FakeOperation.GetPagedMembers => TeamsLimitCategory.Read,
        _ => TeamsLimitCategory.Other,
    };

    /// <summary>
    /// Admits (and counts) one request of <paramref name="appId"/> on <paramref name="thread"/> (null for none), or says
    /// how long until it would fit.
    /// </summary>
    public TeamsLimitDecision TryAdmit(string appId, TeamsLimitCategory category, string? thread)
    {
        ArgumentNullException.ThrowIfNull(appId);
        var threadKey = thread is null ? null : ThreadOf(thread);
        var (perBot, allBots) = category switch
        {
            TeamsLimitCategory.Send or TeamsLimitCategory.Create => (PerBotThreadSend, AllBotsThreadSend),
            TeamsLimitCategory.Read => (PerBotThreadRead, AllBotsThreadRead),
            _ => ((IReadOnlyList<TeamsRateWindow>)[], (IReadOnlyList<TeamsRateWindow>)[]),
        };
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var checks = new List<(SlidingLog Log, IReadOnlyList<TeamsRateWindow> Windows, string Name)> { (Log("app|" + appId), _app, "app") };
            if (threadKey is not null && perBot.Count > 0)
            {
                checks.Add((Log($"bot|{category}|{appId}|{threadKey}"), perBot, "thread"));
                checks.Add((Log($"all|{category}|{threadKey}"), allBots, "thread, all bots"));
            }
            var until = now;
            string? limit = null;
            foreach (var (log, windows, name) in checks)
            {
                foreach (var window in windows)
                {
                    var free = log.FreeAt(window, now);
                    if (free <= until) continue;
                    until = free;
                    limit = $"{name} {window}";
                }
            }
            if (until > now)
            {
                _refused++;
                return new TeamsLimitDecision(false, until - now, limit);
            }
            foreach (var (log, windows, _) in checks)
                log.Add(now, windows.Count == 0 ? TimeSpan.Zero : windows.Max(w => w.Length));
            _admitted++;
            return new TeamsLimitDecision(true, TimeSpan.Zero, null);
        }
    }

    /// <summary>
    /// The admission for a <see cref="FakeConnector"/> (<see cref="FakeConnector.Admit"/>): a request over a limit is
    /// answered 429 with Teams' <c>Throttled</c> error body and a <c>Retry-After</c> header, and handed to
    /// <paramref name="onThrottled"/>; <paramref name="appOf"/> names the calling bot app (from its token).
    /// </summary>
    public Func<RecordedRequest, FakeResponse?> Admission(Func<RecordedRequest, string> appOf, Action<RecordedRequest, TeamsLimitDecision>? onThrottled = null)
    {
        ArgumentNullException.ThrowIfNull(appOf);
        return request =>
        {
            var category = CategoryOf(request.Operation);
            var thread = category == TeamsLimitCategory.Create
                ? "create:" + (request.ConversationParameters?.Members?.FirstOrDefault()?.Id ?? string.Empty)
                : request.ConversationId;
            var decision = TryAdmit(appOf(request), category, thread);
            if (decision.Admitted) return null;
            onThrottled?.Invoke(request, decision);
            return new FakeResponse
            {
                StatusCode = 429,
                ErrorCode = "Throttled",
                ErrorMessage = $"Too many requests ({decision.Limit})",
                RetryAfter = decision.RetryAfterHeader,
            };
        };
    }

    private SlidingLog Log(string key)
    {
        if (!_logs.TryGetValue(key, out var log))
        {
            log = new SlidingLog();
            _logs[key] = log;
        }
        return log;
    }

    /// <summary>
    /// Admission times, oldest first, none older than the longest window that reads them. Written apart from the bot's
    /// own sliding log in ConnectorThrottleGate on purpose: this is the other side of the wire, and a fake that shared
    /// the gate's arithmetic could not catch a mistake in it.
    /// </summary>
    private sealed class SlidingLog
    {
        private readonly List<DateTimeOffset> _entries = [];

        public void Add(DateTimeOffset at, TimeSpan keep)
        {
            var cutoff = at - keep;
            var stale = 0;
            while (stale < _entries.Count && _entries[stale] <= cutoff) stale++;
            if (stale > 0) _entries.RemoveRange(0, stale);
            _entries.Add(at);
        }

        /// <summary>
        /// When L or more admissions lie in (now − W, now], the next fits once the L-th most recent has left the
        /// window: at entries[n − L] + W.
        /// </summary>
        public DateTimeOffset FreeAt(TeamsRateWindow window, DateTimeOffset now)
        {
            var n = _entries.Count;
            if (n < window.Limit) return now;
            var leaves = _entries[n - window.Limit] + window.Length;
            return leaves > now ? leaves : now;
        }
    }
}
