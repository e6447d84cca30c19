using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using ApprovalBot.Agreements.Term;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Escalations;
using ApprovalBot.IntegrationTests.Api;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Escalations;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Scheduling;
using ApprovalBot.TestSupport;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApprovalBot.IntegrationTests.Agreements;

/// <summary>
/// The end of an agreement's term through the real endpoint, the real scheduler (Quartz on the bot's database) and a
/// manual clock. The agreement (<see cref="EscalationAgreements.ActiveAsync"/>: "Contoso help desk", overseen by Megan)
/// runs 2026-02-01 to 2027-01-31 in Europe/Berlin with three months' notice: notice date 2026-10-31, reminders at 09:00
/// Berlin on 1, 17 and 24 October, end of term 2027-02-01 00:00 Berlin (2027-01-31T23:00Z).
/// </summary>
public abstract class AgreementTermTests(ITestDatabaseFactory databases) : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2026, 9, 25, 10, 0, 0, TimeSpan.Zero);
    protected static readonly DateTimeOffset EndOfTerm = new(2027, 1, 31, 23, 0, 0, TimeSpan.Zero);
    protected static readonly DateTimeOffset[] Reminders =
        [new(2026, 10, 1, 7, 0, 0, TimeSpan.Zero), new(2026, 10, 17, 7, 0, 0, TimeSpan.Zero), new(2026, 10, 24, 7, 0, 0, TimeSpan.Zero)];

    protected ManualTimeProvider Clock { get; } = new(Start);

    protected ConcurrentQueue<(int EventId, string Message)> Logs { get; } = new();

    protected ITestDatabase Database { get; private set; } = null!;

    protected BotTestHost Bot { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await databases.CreateDatabaseAsync();
        Bot = await StartBotAsync();
    }

    public async Task DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Database.DisposeAsync();
    }

    protected Task<BotTestHost> StartBotAsync() => BotTestHost.StartAsync(new BotTestHostOptions
    {
        Database = Database,
        Time = Clock,
        Settings = ApiTestKeys.Settings(),
        Services = services => services.AddSingleton<ILoggerProvider>(new CapturedLogs(Logs)),
    });

    /// <summary>The Active agreement, with its term timer armed by the auditor (as after any start).</summary>
    protected async Task<long> ActiveAgreementAsync()
    {
        var id = await EscalationAgreements.ActiveAsync(Database, Clock.GetUtcNow(), [Cast.Megan]);
        await Bot.Services.GetRequiredService<TermTimerAuditor>().AuditAsync(CancellationToken.None);
        return id;
    }

    protected async Task<Agreement> LoadAsync(long id)
    {
        await using var db = Bot.CreateDbContext();
        return await db.Agreements.AsNoTracking().SingleAsync(a => a.Id == id);
    }

    protected Task<ArmedTimer?> ArmedAsync(long id) =>
        Bot.Services.GetRequiredService<DurableTimers>().GetArmedAsync(TermTimers.Kind, $"{id}", CancellationToken.None);

    protected async Task JumpToAsync(DateTimeOffset instant)
    {
        await Bot.WaitForOutboxToSettleAsync(); // a send in flight must not outlive its claim when the clock jumps
        Clock.SetUtcNow(instant);
    }

    protected Task<Agreement> WaitForStatusAsync(long id, AgreementStatus status)
    {
        Agreement agreement = null!;
        return Clock.TickUntilAsync(async () => (agreement = await LoadAsync(id)).Status == status, () => $"agreement {id} is {agreement.Status}")
            .ContinueWith(_ => agreement, TaskScheduler.Default);
    }

    protected static bool IsTermCard(JsonObject card) => TestConversation.Texts(card).Contains("End of term", StringComparison.Ordinal);

    [Fact]
    public async Task Reminders_ComeAt30_14And7DaysBeforeTheNoticeDeadline_ThenLetExpire_ExpiresAtTheEndDate_AndRefusesNewEscalations()
    {
        var id = await ActiveAgreementAsync();
        var megan = await Bot.WelcomedChatAsync(Cast.Megan);
        Assert.Equal(Reminders[0], (await ArmedAsync(id))!.DueAt);

        var cards = new List<(FakeMessageRef Message, JsonObject Card)>();
        foreach (var (due, days) in Reminders.Zip([30, 14, 7]))
        {
            await JumpToAsync(due);
            var (message, card) = await megan.ExpectCardWhileTickingAsync(Clock, IsTermCard);
            Assert.Contains($"is in {days} days (2026-10-31)", TestConversation.Texts(card), StringComparison.Ordinal);
            Assert.Equal([TermVerbs.Renew, TermVerbs.LetExpire, TermVerbs.Terminate], Cards.Verbs(card));
            cards.Add((new FakeMessageRef(message.ActivityId), card));
        }

        var answer = await megan.ClickAsync(cards[^1].Message.ActivityId, TermVerbs.LetExpire, Cards.Click(cards[^1].Card, TermVerbs.LetExpire));
        Assert.Contains("Recorded: Contoso help desk is left to expire after 2027-01-31", TestConversation.Texts(answer.Card), StringComparison.Ordinal);
        Assert.Empty(Cards.Verbs(answer.Card));
        await Bot.WaitForOutboxToSettleAsync();
        // Every copy (the three reminders) is updated in place: no buttons left anywhere.
        Assert.All(Bot.Connector.GetMessages(megan.Id).Where(m => IsTermCard(TestConversation.CardOf(m.Current)!)),
            m => Assert.Empty(Cards.Verbs(TestConversation.CardOf(m.Current))));
        var chosen = await LoadAsync(id);
        Assert.Equal((TermChoice.LetExpire, Cast.Megan.AadObjectId), (chosen.TermChoice!.Value, chosen.TermChoiceBy!.Value.Value));
        Assert.Equal(EndOfTerm, (await ArmedAsync(id))!.DueAt);   // no more reminders

        await JumpToAsync(EndOfTerm.AddSeconds(-2));
        Assert.Equal(AgreementStatus.Active, (await LoadAsync(id)).Status);
        await JumpToAsync(EndOfTerm);
        var expired = await WaitForStatusAsync(id, AgreementStatus.Expired);
        Assert.Equal(EndOfTerm, expired.ExpiredAt);
        await megan.ExpectCardWhileTickingAsync(Clock, c => TestConversation.Texts(c).Contains("Expired: Contoso help desk", StringComparison.Ordinal));

        var alex = await Bot.WelcomedChatAsync(Cast.Alex);
        await alex.SendAsync("escalate Contoso help desk P2 Mail server down");
        var (_, refusal) = await alex.ExpectCardAsync();
        Assert.Contains("Agreement 'Contoso help desk' expired on 2027-02-01 (its term ended 2027-01-31)", TestConversation.Texts(refusal), StringComparison.Ordinal);
        await using var db = Bot.CreateDbContext();
        Assert.False(await db.Escalations.AnyAsync());
    }

    [Fact]
    public async Task TheTermTimer_IsListedOnTheOperationsPage_UnderTheAgreementsName()
    {
        var id = await ActiveAgreementAsync();

        var (status, json) = await new Operations.OpsClient(Bot, apiKey: ApiTestKeys.Admin).GetJsonAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        var due = json!["timers"]!["nextDue"]!.AsArray().Single(d => d!["kind"]!.GetValue<string>() == TermTimers.Kind)!;
        Assert.Equal(($"{id}", "Agreement term · Contoso help desk", Reminders[0]),
            (due["subjectId"]!.GetValue<string>(), due["label"]!.GetValue<string>(), due["dueAt"]!.GetValue<DateTimeOffset>()));
    }

    [Fact]
    public async Task ARestartBetweenArmingAndTheEndDate_StillExpiresTheAgreement_EvenWithItsTriggerLost()
    {
        var kept = await ActiveAgreementAsync();
        var lost = await EscalationAgreements.ActiveAsync(Database, Clock.GetUtcNow(), [Cast.Megan], name: "Fabrikam network");
        await Bot.Services.GetRequiredService<TermTimerAuditor>().AuditAsync(CancellationToken.None);
        Assert.Equal(Reminders[0], (await ArmedAsync(lost))!.DueAt);
        Assert.True(await Bot.Services.GetRequiredService<DurableTimers>().CancelAsync(TermTimers.Kind, $"{lost}", CancellationToken.None));   // lost by hand
        await Bot.DisposeAsync();

        // Nobody runs while the reminders and the end of the term pass.
        Clock.SetUtcNow(EndOfTerm.AddHours(5));
        Bot = await StartBotAsync();

        var expiredKept = await WaitForStatusAsync(kept, AgreementStatus.Expired);
        var expiredLost = await WaitForStatusAsync(lost, AgreementStatus.Expired);
        Assert.Equal(EndOfTerm, expiredKept.ExpiredAt);
        Assert.Equal(EndOfTerm, expiredLost.ExpiredAt);
        // Nothing left armed (an auditor pass racing the fire may re-arm the old deadline once; that fire is stale and
        // cancels itself).
        await Clock.TickUntilAsync(async () => await ArmedAsync(kept) is null && await ArmedAsync(lost) is null, () => "a term timer is still armed");
        Assert.Equal(AgreementStatus.Expired, (await LoadAsync(kept)).Status);
    }
}

public sealed class SqliteAgreementTermTests() : AgreementTermTests(new SqliteTestDatabases())
{
    [Fact]
    public async Task Renew_StartsTheNextTermsRevision_InApproval_WhileTheAgreementStaysActive()
    {
        var id = await ActiveAgreementAsync();
        var megan = await Bot.WelcomedChatAsync(Cast.Megan);
        var lynne = await Bot.WelcomedChatAsync(Cast.Lynne);   // Megan's manager: the flow's first stage
        await JumpToAsync(Reminders[0]);
        var (message, card) = await megan.ExpectCardWhileTickingAsync(Clock, IsTermCard);

        // A click by someone who is neither an owner nor Management (a forwarded card): a clear message, no change.
        var before = (await LoadAsync(id)).Version;
        var foreign = await megan.ClickAsync(message.ActivityId, TermVerbs.LetExpire, Cards.Click(card, TermVerbs.LetExpire), from: Cast.Alex);
        Assert.Contains("Only the oversight owners of 'Contoso help desk' and Management", TestConversation.Texts(foreign.Card), StringComparison.Ordinal);
        Assert.Empty(Cards.Verbs(foreign.Card));
        Assert.Equal((before, (TermChoice?)null), ((await LoadAsync(id)).Version, (await LoadAsync(id)).TermChoice));

        var answer = await megan.ClickAsync(message.ActivityId, TermVerbs.Renew, Cards.Click(card, TermVerbs.Renew));

        Assert.Contains("Renewal started: revision 2 of Contoso help desk", TestConversation.Texts(answer.Card), StringComparison.Ordinal);
        var agreement = await LoadAsync(id);
        Assert.Equal(AgreementStatus.Active, agreement.Status);
        Assert.True(agreement.RenewalInApproval);
        Assert.Equal((new DateOnly(2027, 2, 1), new DateOnly(2028, 1, 31)), (agreement.CurrentRevision.Terms.StartDate!.Value, agreement.CurrentRevision.Terms.EndDate!.Value));
        await using (var db = Bot.CreateDbContext())
        {
            var request = await db.ApprovalRequests.AsNoTracking().SingleAsync(r => r.Subject.Kind == ApprovalSubjectKind.Agreement && r.Subject.Id == id && r.Subject.Revision == 2);
            Assert.Equal(ApprovalStatus.InProgress, request.Status);
            Assert.StartsWith("Renewal of IT support agreement: Contoso help desk", request.Title, StringComparison.Ordinal);
        }
        await lynne.ExpectCardAsync(c => TestConversation.Texts(c).Contains("Renewal of IT support agreement", StringComparison.Ordinal));

        // A second click on the old card: a clear message, nothing changes.
        var again = await megan.ClickAsync(message.ActivityId, TermVerbs.Renew, Cards.Click(card, TermVerbs.Renew));
        Assert.Contains("Cannot renew it: the renewal of 'Contoso help desk' (revision 2) is in approval.", TestConversation.Texts(again.Card), StringComparison.Ordinal);
        Assert.Equal(agreement.Version, (await LoadAsync(id)).Version);
        Assert.Equal(EndOfTerm, (await ArmedAsync(id))!.DueAt);   // no reminders while it is decided
    }

    [Fact]
    public async Task Terminate_ByANonOwner_IsRefusedAndAudited_AWrongReasonListsTheReasons_AndARightOneEndsItAtTheNoticeDate()
    {
        var id = await ActiveAgreementAsync();
        var alex = await Bot.WelcomedChatAsync(Cast.Alex);
        var megan = await Bot.WelcomedChatAsync(Cast.Megan);

        await alex.SendAsync("terminate Contoso help desk Provider insolvency");
        var (_, refused) = await alex.ExpectCardAsync();
        Assert.Contains("Only the oversight owners of 'Contoso help desk' and Management can renew, let expire or terminate it.", TestConversation.Texts(refused), StringComparison.Ordinal);
        Assert.Contains("terminate <agreement> <reason>", TestConversation.Texts(refused), StringComparison.Ordinal);
        Assert.Contains(Logs, l => l.EventId == 4805 && l.Message.Contains(Cast.Alex.AadObjectId, StringComparison.Ordinal) && l.Message.Contains("agreement.forbidden", StringComparison.Ordinal));

        await megan.SendAsync("terminate Contoso help desk We felt like it");
        var (_, wrong) = await megan.ExpectCardAsync();
        Assert.Contains("Repeated SLA breaches; Provider insolvency", TestConversation.Texts(wrong), StringComparison.Ordinal);
        Assert.Contains("terminate <agreement> <reason>", TestConversation.Texts(wrong), StringComparison.Ordinal);
        Assert.Null((await LoadAsync(id)).TerminationEffectiveAt);

        await megan.SendAsync("terminate contoso help desk provider insolvency");
        var (_, done) = await megan.ExpectCardAsync();
        // Given on 25 Sep 2026 (Berlin): three months' notice → 25 Dec 2026, 00:00 CET.
        var noticeDate = new DateTimeOffset(2026, 12, 24, 23, 0, 0, TimeSpan.Zero);
        Assert.Contains("Terminated: Contoso help desk ends on 2026-12-25 (reason: Provider insolvency).", TestConversation.Texts(done), StringComparison.Ordinal);
        var scheduled = await LoadAsync(id);
        Assert.Equal((AgreementStatus.Active, "Provider insolvency", Cast.Megan.AadObjectId, Start, noticeDate),
            (scheduled.Status, scheduled.TerminationReason, scheduled.TerminatedBy!.Value.Value, scheduled.TerminationRequestedAt!.Value, scheduled.TerminationEffectiveAt!.Value));
        Assert.Equal(noticeDate, (await ArmedAsync(id))!.DueAt);   // no reminders: the end is decided

        await JumpToAsync(noticeDate);
        var terminated = await WaitForStatusAsync(id, AgreementStatus.Terminated);
        Assert.Equal(noticeDate, terminated.TerminatedAt);
    }

    [Fact]
    public async Task TerminationApi_SchedulesTheEnd_AndAnswers400WithTheReasons_ForAnotherReason()
    {
        var id = await ActiveAgreementAsync();

        using var wrong = await ApiCalls.PostAsync(Bot, $"/api/v1/agreements/{id}/termination", new JsonObject { ["by"] = ApiCalls.Patti, ["reason"] = "Budget" });
        var problem = await ApiCalls.JsonAsync(wrong, HttpStatusCode.BadRequest);
        Assert.Equal(["Repeated SLA breaches", "Provider insolvency"], ApiCalls.Strings(problem["reasons"]));

        using var forbidden = await ApiCalls.PostAsync(Bot, $"/api/v1/agreements/{id}/termination", new JsonObject { ["by"] = ApiCalls.Alex, ["reason"] = "Provider insolvency" });
        Assert.Equal("agreement.forbidden", (await ApiCalls.JsonAsync(forbidden, HttpStatusCode.Conflict))["code"]!.GetValue<string>());

        using var ok = await ApiCalls.PostAsync(Bot, $"/api/v1/agreements/{id}/termination", new JsonObject { ["by"] = ApiCalls.Patti, ["reason"] = "Repeated SLA breaches" });   // Patti: Management
        var termination = await ApiCalls.JsonAsync(ok);
        Assert.Equal("2026-12-25", termination["noticeDate"]!.GetValue<string>());
        Assert.Equal(new DateTimeOffset(2026, 12, 24, 23, 0, 0, TimeSpan.Zero), termination["effectiveAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(ApiCalls.Patti, (await LoadAsync(id)).TerminatedBy!.Value.Value);
        var term = (await ApiCalls.JsonAsync(await ApiCalls.GetAsync(Bot, $"/api/v1/agreements/{id}")))["term"]!;
        Assert.Equal(("2027-01-31", "2026-10-31", "Terminate", ApiCalls.Patti),
            (term["endDate"]!.GetValue<string>(), term["noticeDate"]!.GetValue<string>(), term["choice"]!.GetValue<string>(), term["choiceBy"]!.GetValue<string>()));
    }
}

public sealed class PostgresAgreementTermTests(PostgresServerFixture postgres)
    : AgreementTermTests(postgres), IClassFixture<PostgresServerFixture>;

/// <summary>A message the test saw, by id (the fake's message objects change as the card is updated).</summary>
internal sealed record FakeMessageRef(string ActivityId);

/// <summary>Every log entry's event id and message, for the audit assertions.</summary>
internal sealed class CapturedLogs(ConcurrentQueue<(int EventId, string Message)> entries) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(entries);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<(int EventId, string Message)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue((eventId.Id, formatter(state, exception)));
    }
}
