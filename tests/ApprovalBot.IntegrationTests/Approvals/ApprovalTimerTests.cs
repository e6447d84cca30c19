using System.Net;
using ApprovalBot.Approvals;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Scheduling;
using ApprovalBot.TestSupport;
using ApprovalBot.TestSupport.Connector;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalBot.IntegrationTests.Approvals;

/// <summary>
/// Reminders and overdue escalation on the real scheduler (Quartz on the bot's database) with a manual clock:
/// advancing the clock past a deadline makes Quartz fire it; a stale or repeated fire changes nothing; a restart in
/// the middle of a flow loses nothing. Also: a card update staged while the card's first post is still being sent.
/// </summary>
public sealed class ApprovalTimerTests : IAsyncLifetime
{
    // Monday 23 November 2026, 10:00 UTC: working hours are 09:00–17:00 UTC, Monday to Friday (the defaults).
    private static readonly DateTimeOffset Monday10 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _clock = new(Monday10);
    private ITestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await new SqliteTestDatabases().CreateDatabaseAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    /// <summary>The bot on this test's database, on the manual clock or (for tests about other things) the host's own.</summary>
    private Task<BotTestHost> StartAsync(bool manualClock = true) =>
        BotTestHost.StartAsync(new BotTestHostOptions { Database = _database, Time = manualClock ? _clock : null });

    /// <summary>Alex asks Megan (ad hoc: 16 business hours, a reminder every 8) through the request form.</summary>
    private static async Task<long> RequestFromMeganAsync(BotTestHost bot, TestConversation alex)
    {
        await alex.SendAsync("request");
        var (form, _) = await alex.ExpectCardAsync();
        var started = await alex.ClickAsync(form.ActivityId, RequestFormVerbs.Submit, new System.Text.Json.Nodes.JsonObject
        {
            ["title"] = "Replace the core switch",
            ["approvers"] = "meganb@example.com",
        });
        Assert.Equal(HttpStatusCode.OK, started.Status);
        await using var db = bot.CreateDbContext();
        return (await db.ApprovalRequests.AsNoTracking().SingleAsync()).Id;
    }

    private static async Task<ApprovalRequest> LoadAsync(BotTestHost bot, long id)
    {
        await using var db = bot.CreateDbContext();
        return await db.ApprovalRequests.AsNoTracking().SingleAsync(r => r.Id == id);
    }

    [Fact]
    public async Task Reminder_ThenOverdueEscalation_FireOnTheBusinessCalendar_EachOnce()
    {
        await using var bot = await StartAsync();
        var alex = await bot.WelcomedChatAsync(Cast.Alex);
        var megan = await bot.WelcomedChatAsync(Cast.Megan);
        var lynne = await bot.WelcomedChatAsync(Cast.Lynne);
        var id = await RequestFromMeganAsync(bot, alex);
        await megan.ExpectCardAsync();

        var request = await LoadAsync(bot, id);
        var run = request.CurrentStage!;
        Assert.Equal(Monday10.AddDays(1), run.ReminderTimes.Single());   // 8 business hours later: Tuesday 10:00
        Assert.Equal(Monday10.AddDays(2), run.DueAt);                     // 16 business hours: Wednesday 10:00
        var armed = await bot.Services.GetRequiredService<DurableTimers>().GetArmedAsync(ApprovalTimers.Kind, $"{id}", CancellationToken.None);
        Assert.Equal((Monday10.AddDays(1), request.Version), (armed!.DueAt, armed.FencingToken));

        await bot.WaitForOutboxToSettleAsync(); // a send in flight must not outlive its claim when the clock jumps

        _clock.SetUtcNow(Monday10.AddDays(1).AddSeconds(1));
        var (reminder, reminderCard) = await megan.ExpectCardWhileTickingAsync(_clock);
        Assert.Contains(ApprovalVerbs.Approve, Cards.Verbs(reminderCard));
        await bot.WaitForOutboxToSettleAsync();

        await bot.WaitForOutboxToSettleAsync(); // a send in flight must not outlive its claim when the clock jumps

        _clock.SetUtcNow(Monday10.AddDays(2).AddSeconds(1));
        var (_, escalated) = await lynne.ExpectCardWhileTickingAsync(_clock);
        Assert.Contains("Replace the core switch", TestConversation.Texts(escalated), StringComparison.Ordinal);
        await bot.WaitForOutboxToSettleAsync();
        Assert.Contains(bot.Connector.GetMessages(alex.Id), m => (m.Current.Text ?? "").Contains("overdue", StringComparison.Ordinal)
            && (m.Current.Text ?? "").Contains("Lynne Robbins", StringComparison.Ordinal));

        var after = await LoadAsync(bot, id);
        Assert.Single(after.AuditTrail, e => e.Action == AuditAction.Reminded);
        Assert.Single(after.AuditTrail, e => e.Action == AuditAction.Escalated);
        Assert.Null(after.NextTimerAt);

        // A late duplicate of the escalation fire (old fencing token) changes nothing and sends nothing.
        var sent = bot.Connector.Requests.Count;
        await using (var scope = bot.Services.CreateAsyncScope())
        {
            var handler = scope.ServiceProvider.GetRequiredKeyedService<ITimerHandler>(ApprovalTimers.Kind);
            await handler.HandleAsync(new TimerFire(ApprovalTimers.Kind, $"{id}", run.DueAt, request.Version, _clock.GetUtcNow()), CancellationToken.None);
            await handler.HandleAsync(new TimerFire(ApprovalTimers.Kind, $"{id}", run.DueAt, after.Version, _clock.GetUtcNow()), CancellationToken.None);
        }
        await bot.WaitForOutboxToSettleAsync();
        Assert.Equal(after.Version, (await LoadAsync(bot, id)).Version);
        Assert.Equal(sent, bot.Connector.Requests.Count);
        Assert.Equal(3, bot.Connector.GetMessages(megan.Id).Count); // welcome, card, reminder
        _ = reminder;
    }

    [Fact]
    public async Task Restart_InTheMiddleOfAFlow_KeepsTheRequestItsCardsAndItsTimer()
    {
        long id;
        string meganChat;
        string cardId;
        System.Text.Json.Nodes.JsonObject card;
        await using (var first = await StartAsync(manualClock: false))
        {
            var alex = await first.WelcomedChatAsync(Cast.Alex);
            var megan = await first.WelcomedChatAsync(Cast.Megan);
            id = await RequestFromMeganAsync(first, alex);
            var (copy, meganCard) = await megan.ExpectCardAsync();
            await first.WaitForOutboxToSettleAsync();
            (meganChat, cardId, card) = (megan.Id, copy.ActivityId, meganCard);
        }

        await using var second = await StartAsync(manualClock: false);
        var armed = await second.Services.GetRequiredService<DurableTimers>().GetArmedAsync(ApprovalTimers.Kind, $"{id}", CancellationToken.None);
        Assert.NotNull(armed);
        var meganAgain = second.PersonalChat(Cast.Megan, meganChat);

        var approved = await meganAgain.ClickAsync(cardId, ApprovalVerbs.Approve, Cards.Click(card, ApprovalVerbs.Approve, "After the restart."));
        Assert.Equal(HttpStatusCode.OK, approved.Status);
        var request = await LoadAsync(second, id);
        Assert.Equal(ApprovalStatus.Approved, request.Status);
        Assert.Null(await second.Services.GetRequiredService<DurableTimers>().GetArmedAsync(ApprovalTimers.Kind, $"{id}", CancellationToken.None));
    }

    [Fact]
    public async Task CardUpdate_StagedWhileTheCardIsStillBeingPosted_ReachesThatCopyAfterItsPost()
    {
        await using var bot = await StartAsync(manualClock: false);
        var alex = await bot.WelcomedChatAsync(Cast.Alex);
        var megan = await bot.WelcomedChatAsync(Cast.Megan);
        var adele = await bot.WelcomedChatAsync(Cast.Adele);
        await bot.WelcomedChatAsync(Cast.Isaiah);

        // Alex asks Megan and Adele ("all"); Adele's card is slow to post (the connector takes 3 s for it).
        bot.Connector.Enqueue(new FakeResponse { Delay = TimeSpan.FromSeconds(3), ThenProcessNormally = true }, 1, adele.Id, FakeOperation.SendToConversation);
        await alex.SendAsync("request");
        var (form, _) = await alex.ExpectCardAsync();
        await alex.ClickAsync(form.ActivityId, RequestFormVerbs.Submit, new System.Text.Json.Nodes.JsonObject
        {
            ["title"] = "Firewall change",
            ["approvers"] = "meganb@example.com; adelev@example.com",
            ["rule"] = "all",
        });
        var (meganCopy, meganCard) = await megan.ExpectCardAsync();

        // Megan approves while Adele's card is still on its way: Adele's copy must still end up showing it.
        await megan.ClickAsync(meganCopy.ActivityId, ApprovalVerbs.Approve, Cards.Click(meganCard, ApprovalVerbs.Approve, "Megan's yes"));
        var (adeleCopy, _) = await adele.ExpectCardAsync(TimeSpan.FromSeconds(15));
        await bot.WaitForOutboxToSettleAsync();

        var current = Cards.CardOf(bot.Connector.GetMessage(adele.Id, adeleCopy.ActivityId)!.Current);
        Assert.Contains("Megan's yes", TestConversation.Texts(current), StringComparison.Ordinal);
        Assert.Contains(ApprovalVerbs.Approve, Cards.Verbs(current)); // Adele can still decide
        await using var db = bot.CreateDbContext();
        Assert.Contains(await db.OutboxMessages.AsNoTracking().Where(m => m.AfterMessageId != null).ToListAsync(),
            m => m.Status == ApprovalBot.Teams.Outbox.OutboxStatus.Sent && m.TargetActivityId == adeleCopy.ActivityId);
    }
}
