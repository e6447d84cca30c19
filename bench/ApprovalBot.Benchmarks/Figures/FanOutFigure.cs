using System.Globalization;
using ApprovalBot.Benchmarks.Harness;
using ApprovalBot.Digests.Subscriptions;
using ApprovalBot.Teams.Outbox;
using ApprovalBot.TestSupport.Connector;
using ApprovalBot.TestSupport.Processes;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.Benchmarks.Figures;

/// <summary>
/// Fan-out: one digest to N recipients through a connector that enforces Teams' limits. N people with stored 1:1 chats
/// are subscribed to the digest daily at the same minute (seeded before the bot starts; its digest timer auditor arms
/// the N timers, as after a restore). When the minute comes, every timer fires, each stages its recipient's digest in
/// the outbox, and the dispatcher sends them through its throttle gate to a fake connector of their own that enforces
/// <see cref="TeamsRateLimiter"/>'s limits: 50 requests/s for the app, Teams' per-conversation limits, 429 +
/// <c>Throttled</c> + Retry-After past them. Measured: the accepted-send rate over the send window (first to last
/// accepted post) against the allowed 50/s, the time from the due minute to the last post, the 429s, lost recipients
/// (not exactly one digest: none) and duplicates (more than one), the rate at which the fires staged the digests, and the
/// bot's CPU per recipient (fire + send, from when the timers were armed to the last post).
/// </summary>
internal sealed class FanOutFigure : IFigure
{
    public const string FigureName = "fan-out";

    /// <summary>How long without a new accepted post (after the due minute) ends the wait: the rest counts as lost.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(60);

    public string Name => FigureName;

    public async Task RunAsync(BenchRun run, CancellationToken cancellationToken)
    {
        foreach (var recipients in run.Scale.FanOutRecipients)
            await RunPointAsync(run, recipients, cancellationToken);
    }

    private static async Task RunPointAsync(BenchRun run, int count, CancellationToken cancellationToken)
    {
        await using var database = await run.Storage.CreateAsync();
        await run.Bed.MigrateAsync(database);

        // A connector of its own per point: its record is this point's sends only, and it is dropped afterwards.
        await using var teams = await FakeConnector.StartAsync(BenchClock.Time);
        teams.RequireTokensFrom(run.Bed.Entra);
        var limiter = new TeamsRateLimiter(BenchClock.Time);
        var limitsHit = new Dictionary<string, int>(StringComparer.Ordinal);
        teams.Admit(limiter.Admission(_ => run.Bed.Entra.ClientId, (_, decision) =>
        {
            var kind = decision.Limit?.StartsWith("app", StringComparison.Ordinal) == true ? "app" : "thread";
            lock (limitsHit) limitsHit[kind] = limitsHit.GetValueOrDefault(kind) + 1;
        }));

        // The due minute lies after seeding, start-up and the arming of every timer (half as much again as measured).
        var now = BenchClock.Time.GetUtcNow();
        var lead = TimeSpan.FromSeconds(20) + TimeSpan.FromSeconds(count * run.SetupSecondsPerTimer * 1.5);
        var due = NextWholeMinute(now + lead);
        run.Say(string.Create(CultureInfo.InvariantCulture, $"{FigureName}: seeding {count} digest subscriptions due at {due:HH:mm:ss}"));
        await Seeder.DigestRecipientsAsync(database, count, teams.ServiceUrl, run.Bed.BotId, due, now);

        await using var bot = await BotProcess.StartAsync(run.Bed.BotOptions(FigureName, database), cancellationToken);
        var armedAt = BenchClock.Time.GetUtcNow();
        try
        {
            var rearmed = await bot.WaitForLogAsync(IsDigestsRearmed, due - armedAt + TimeSpan.FromMinutes(10), cancellationToken);
            armedAt = rearmed.Timestamp ?? BenchClock.Time.GetUtcNow();
        }
        catch (TimeoutException)
        {
            armedAt = BenchClock.Time.GetUtcNow();
            run.Say($"{FigureName}: the digest timer auditor did not report re-arming; measuring from now");
        }
        var cpuBefore = BotProbe.CpuTime(bot.ProcessId);
        run.Say(string.Create(CultureInfo.InvariantCulture, $"{FigureName}: healthy after {bot.StartupTime.TotalSeconds:0.0} s, {count} timers armed {(due - armedAt).TotalSeconds:0.0} s before the due minute"));

        // Wait for the due minute, then until every recipient has a post, or posts stop coming for a while.
        var lastCount = 0;
        var lastProgress = BenchClock.Time.GetUtcNow();
        while (true)
        {
            var accepted = teams.Requests.Count(IsAcceptedPost);
            var at = BenchClock.Time.GetUtcNow();
            if (accepted != lastCount) (lastCount, lastProgress) = (accepted, at);
            if (at > due && (accepted >= count || at - Max(lastProgress, due) > Quiet)) break;
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
        // Until the bot has recorded every send (a stop before that would leave posts Teams has as pending rows), up to
        // half a minute, and a moment more for stray duplicates (a retry racing a post that was accepted) to show up.
        for (var waited = 0; waited < 30 && await PendingDigestsAsync(database, cancellationToken) > 0; waited++)
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        var cpu = BotProbe.CpuTime(bot.ProcessId) - cpuBefore;
        await bot.StopAsync(TimeSpan.FromMinutes(2));

        var requests = teams.Requests;
        var posts = requests.Where(IsAcceptedPost).OrderBy(r => r.ReceivedAt).ToList();
        var throttled = requests.Count(r => r.ResponseStatus == 429);
        var perChat = Enumerable.Range(0, count).Select(i => teams.GetMessages(Seeder.DigestChatOf(i)).Count).ToList();
        var lost = perChat.Count(n => n == 0);
        var duplicates = perChat.Sum(n => Math.Max(0, n - 1));
        var strays = posts.Count(p => !p.ConversationId!.StartsWith("a:personal-bench-reader-", StringComparison.Ordinal));
        var window = posts.Count > 1 ? (posts[^1].ReceivedAt - posts[0].ReceivedAt).TotalSeconds : double.NaN;
        var rate = (posts.Count - 1) / window;
        var percent = 100 * rate / limiter.AppRequestsPerSecond;
        var toLast = posts.Count > 0 ? (posts[^1].ReceivedAt - due).TotalSeconds : double.NaN;
        var firstAfterDue = posts.Count > 0 ? (posts[0].ReceivedAt - due).TotalSeconds : double.NaN;

        double stagedRate;
        int givenUp, pending;
        await using (var db = database.CreateContext())
        {
            var digests = await db.OutboxMessages.AsNoTracking().Where(m => m.DedupeKey.StartsWith("digest:"))
                .Select(m => new { m.CreatedAt, m.Status }).ToListAsync(cancellationToken);
            var created = digests.Select(d => d.CreatedAt).Order().ToList();
            stagedRate = created.Count > 1 ? (created.Count - 1) / (created[^1] - created[0]).TotalSeconds : double.NaN;
            givenUp = digests.Count(d => d.Status == OutboxStatus.GivenUp);
            pending = digests.Count(d => d.Status == OutboxStatus.Pending);
        }

        var r = run.Results;
        var s = run.Storage.Name;
        r.Add(FigureName, s, count, "sends/s", rate, "1/s");
        r.Add(FigureName, s, count, "% of allowed", percent, "%");
        r.Add(FigureName, s, count, "lost", lost, "");
        r.Add(FigureName, s, count, "duplicates", duplicates, "");
        r.Add(FigureName, s, count, "429s", throttled, "");
        r.Add(FigureName, s, count, "429s app", limitsHit.GetValueOrDefault("app"), "");
        r.Add(FigureName, s, count, "429s thread", limitsHit.GetValueOrDefault("thread"), "");
        r.Add(FigureName, s, count, "first post", firstAfterDue, "s");
        r.Add(FigureName, s, count, "all delivered", toLast, "s");
        r.Add(FigureName, s, count, "send window", window, "s");
        r.Add(FigureName, s, count, "staged/s", stagedRate, "1/s");
        r.Add(FigureName, s, count, "given up", givenUp, "");
        r.Add(FigureName, s, count, "still pending", pending, "");
        r.Add(FigureName, s, count, "bot cpu/send", cpu is { } used && posts.Count > 0 ? used.TotalMilliseconds / posts.Count : double.NaN, "ms");
        run.Say(string.Create(CultureInfo.InvariantCulture,
            $"{FigureName} {count}: {posts.Count} posts in {window:0.0} s = {rate:0.0}/s ({percent:0.0} % of {limiter.AppRequestsPerSecond}/s), all delivered {toLast:0.0} s after the due minute (first {firstAfterDue:0.0} s); {throttled} 429s (app {limitsHit.GetValueOrDefault("app")}, thread {limitsHit.GetValueOrDefault("thread")}); lost {lost}, duplicates {duplicates}, other chats {strays}; staged {stagedRate:0.0}/s; given up {givenUp}, pending {pending}; bot CPU {(cpu is { } c && posts.Count > 0 ? c.TotalMilliseconds / posts.Count : double.NaN):0.0} ms/send"));
    }

    private static async Task<int> PendingDigestsAsync(ITestDatabase database, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.OutboxMessages.CountAsync(m => m.DedupeKey.StartsWith("digest:") && m.Status == OutboxStatus.Pending, cancellationToken);
    }

    /// <summary>A post the connector accepted (a digest lands as a new message in the 1:1 chat).</summary>
    private static bool IsAcceptedPost(RecordedRequest r) =>
        r.Operation is FakeOperation.SendToConversation or FakeOperation.CreateConversation && r.ResponseStatus is >= 200 and < 300;

    /// <summary>"Re-armed {Count} digest timer(s) …" (DigestTimerAuditor, event 4701): the start-up audit armed the subscriptions.</summary>
    private static bool IsDigestsRearmed(BotLogLine line) => line.Is(typeof(DigestTimerAuditor).FullName!, 4701);

    private static DateTimeOffset NextWholeMinute(DateTimeOffset at) =>
        new DateTimeOffset(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, TimeSpan.Zero).AddMinutes(1);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
