using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Escalations;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.TestSupport;
using ApprovalBot.TestSupport.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApprovalBot.IntegrationTests.Security;

/// <summary>
/// No personal data in the logs: the main features are driven through the real endpoint — an approval submitted and
/// decided, an escalation opened by a chat message and raised at its deadline, a digest — with names, e-mail addresses
/// and message texts that carry marker strings, and not one of them appears in any entry at Information level or above
/// (message, structured values or exception). Ids (Entra object ids, conversation ids) may appear: they are how an
/// operator finds a case, and they say nothing by themselves.
/// </summary>
public sealed class PersonalDataInLogsTests
{
    private static readonly DateTimeOffset Monday10 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private const string TitleMarker = "Zqx-approval-title-7731";
    private const string DetailsMarker = "Zqx-approval-details-7732";
    private const string CommentMarker = "Zqx-decision-comment-7733";
    private const string EscalationMarker = "Zqx-escalation-title-7734";
    private const string FireLine = "DurableTimerJob[3000] Timer escalation/";
    private readonly ConcurrentQueue<string> _logs = new();
    private readonly TaskCompletionSource _fireLogged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Fact]
    public async Task ApprovalsEscalationsAndDigests_LogNoNamesEmailAddressesOrMessageText_AtInformationAndAbove()
    {
        var clock = new ManualTimeProvider(Monday10);
        await using var bed = new EscalationTestBed(await BotTestHost.StartAsync(new BotTestHostOptions
        {
            Database = await new SqliteTestDatabases().CreateDatabaseAsync(),
            Time = clock,
            Settings = new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information" },
            Services = services => services.AddSingleton<ILoggerProvider>(new CapturedLogs(_logs, _fireLogged)),
        }), clock);
        await bed.ActiveAgreementAsync(Cast.Megan);
        var alex = await bed.ChatWithAsync(Cast.Alex);
        var megan = await bed.ChatWithAsync(Cast.Megan);
        var isaiah = await bed.ChatWithAsync(Cast.Isaiah);
        await bed.ChatWithAsync(Cast.Adele);

        // An approval: submitted through the form, approved with a comment.
        await alex.SendAsync("request");
        var (form, _) = await alex.ExpectCardAsync();
        var started = await alex.ClickAsync(form.ActivityId, RequestFormVerbs.Submit, new JsonObject
        {
            [RequestFormFields.Title] = $"New laptops {TitleMarker}",
            [RequestFormFields.Details] = $"Six laptops. {DetailsMarker}",
            [RequestFormFields.Approvers] = "meganb@example.com",
            [RequestFormFields.Rule] = "any",
        });
        Assert.Equal(HttpStatusCode.OK, started.Status);
        var (meganCopy, meganCard) = await megan.ExpectCardAsync();
        var decided = await megan.ClickAsync(meganCopy.ActivityId, ApprovalVerbs.Approve, Cards.Click(meganCard, ApprovalVerbs.Approve, CommentMarker));
        Assert.Equal(HttpStatusCode.OK, decided.Status);
        Assert.Contains(CommentMarker, TestConversation.Texts(decided.Card), StringComparison.Ordinal); // the marker really went through

        // An escalation: opened by a chat message, raised to L2 at its response deadline (P2: one hour).
        await alex.SendAsync($"escalate contoso P2 {EscalationMarker}");
        await alex.ExpectMessageAsync();
        await bed.JumpToAsync(Monday10.AddHours(1).AddSeconds(1));
        var (_, raised) = await isaiah.ExpectCardWhileTickingAsync(bed.Clock);
        Assert.Contains("Raised to L2", TestConversation.Texts(raised), StringComparison.Ordinal);
        Assert.Contains(EscalationMarker, TestConversation.Texts(raised), StringComparison.Ordinal);

        // A digest that lists both.
        await alex.SendAsync("digest now");
        var (_, digest) = await alex.ExpectCardAsync(c => TestConversation.Texts(c).StartsWith("Your digest", StringComparison.Ordinal));
        Assert.Contains(EscalationMarker, TestConversation.Texts(digest), StringComparison.Ordinal);
        await bed.Bot.WaitForOutboxToSettleAsync();

        string[] personal =
        [
            TitleMarker, DetailsMarker, CommentMarker, EscalationMarker,
            Cast.Alex.Name, Cast.Megan.Name, Cast.Isaiah.Name, Cast.Adele.Name,
            "alexw@example.com", "meganb@example.com",
        ];
        // The features' own entries were captured, e.g. the escalation timer's fire (DurableTimerJob, Information). The
        // job writes that line once its handler has returned, which is after the handler's commit has let the L2 card go
        // out and after the next deadline is armed: under load the card can arrive first, so await the line itself.
        await _fireLogged.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var entries = _logs.ToList();
        Assert.True(entries.Count > 20, $"Only {entries.Count} entries were captured: is Information logging on?");
        Assert.Contains(entries, e => e.Contains(FireLine, StringComparison.Ordinal));
        var leaks = entries.Where(e => personal.Any(p => e.Contains(p, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(leaks.Count == 0, "Personal data in the logs:\n" + string.Join("\n", leaks.Take(10)));
    }

    /// <summary>Every entry at Information and above: category, level, message, every structured value, and the exception.</summary>
    private sealed class CapturedLogs(ConcurrentQueue<string> entries, TaskCompletionSource fireLogged) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, entries, fireLogged);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> entries, TaskCompletionSource fireLogged) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (!IsEnabled(logLevel)) return;
                var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                    ? string.Join(" | ", pairs.Select(p => $"{p.Key}={p.Value}"))
                    : "";
                var entry = $"{logLevel} {category}[{eventId.Id}] {formatter(state, exception)} {{{values}}} {exception}";
                entries.Enqueue(entry);
                if (entry.Contains(FireLine, StringComparison.Ordinal)) fireLogged.TrySetResult();
            }
        }
    }
}
