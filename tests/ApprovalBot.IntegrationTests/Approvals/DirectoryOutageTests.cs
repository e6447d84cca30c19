using System.Net;
using System.Text.Json.Nodes;
using ApprovalBot.Approvals;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.Common;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.OrgDirectory;
using ApprovalBot.Teams.Commands;
using ApprovalBot.TestSupport;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalBot.IntegrationTests.Approvals;

/// <summary>
/// The directory stops answering (as Graph does in an outage): a submission or a decision is not lost — the request
/// waits Blocked, the requester is told it continues by itself, and the blocked-stage auditor starts the stage once the
/// directory answers again (on the manual clock). Commands and card actions that must ask the directory get a plain
/// "try again in a few minutes" instead of an error.
/// </summary>
public sealed class DirectoryOutageTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Monday10 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _clock = new(Monday10);
    private readonly PurchaseFlowBed _bed = new("outage");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private Task<BotTestHost> StartAsync()
    {
        _bed.Groups.Add("Finance", new PersonId(Cast.Patti.AadObjectId));
        return _bed.StartAsync(_clock);
    }

    private static async Task SubmitPurchaseAsync(TestConversation alex)
    {
        await alex.SendAsync("request");
        var (form, _) = await alex.ExpectCardAsync();
        var submitted = await alex.ClickAsync(form.ActivityId, RequestFormVerbs.Submit, new JsonObject { ["title"] = "New printers", ["flow"] = "Purchase" });
        Assert.Equal(HttpStatusCode.OK, submitted.Status);
    }

    private static async Task<ApprovalRequest> OnlyRequestAsync(BotTestHost bot)
    {
        await using var db = bot.CreateDbContext();
        return await db.ApprovalRequests.AsNoTracking().SingleAsync();
    }

    /// <summary>The directory answers again; the auditor's next round (ten minutes on the manual clock) starts the stage.</summary>
    private async Task RecoverAsync(BotTestHost bot, int stage)
    {
        _bed.Outage.Down = false;
        _clock.Advance(ApprovalTimerAuditor.Every);
        await _clock.TickUntilAsync(async () => await OnlyRequestAsync(bot) is { Status: ApprovalStatus.InProgress } r && r.CurrentStageNumber == stage,
            () => $"stage {stage} did not start after the directory came back");
    }

    [Fact]
    public async Task OutageAtSubmit_WaitsAndTellsTheRequester_ThenTheAuditorStartsTheStage()
    {
        await using var bot = await StartAsync();
        var alex = await bot.WelcomedChatAsync(Cast.Alex);
        var megan = await bot.WelcomedChatAsync(Cast.Megan);
        _bed.Outage.Down = true;

        await SubmitPurchaseAsync(alex);
        await bot.WaitForOutboxToSettleAsync();

        var blocked = await OnlyRequestAsync(bot);
        Assert.Equal((ApprovalStatus.Blocked, 1), (blocked.Status, blocked.CurrentStageNumber));
        Assert.True(blocked.IsWaitingForDirectory);
        var told = Assert.Single(bot.Connector.GetMessages(alex.Id), m => (m.Current.Text ?? "").Contains("is waiting", StringComparison.Ordinal)).Current.Text!;
        Assert.Contains("the directory is not answering right now", told, StringComparison.Ordinal);
        Assert.Contains("the stage starts by itself once the directory answers", told, StringComparison.Ordinal);
        Assert.DoesNotContain("Fix the directory", told, StringComparison.Ordinal);
        Assert.Equal(0, await bot.Services.GetRequiredService<ApprovalTimerAuditor>().RetryBlockedAsync(CancellationToken.None)); // still down

        await RecoverAsync(bot, stage: 1);

        var (_, card) = await megan.ExpectCardAsync();
        Assert.Contains(ApprovalVerbs.Approve, Cards.Verbs(card));
    }

    [Fact]
    public async Task OutageAtTheDecisionThatCompletesStage1_RecordsTheDecision_AndStage2StartsLater()
    {
        await using var bot = await StartAsync();
        var alex = await bot.WelcomedChatAsync(Cast.Alex);
        var megan = await bot.WelcomedChatAsync(Cast.Megan);
        var patti = await bot.WelcomedChatAsync(Cast.Patti);
        await SubmitPurchaseAsync(alex);
        var (copy, card) = await megan.ExpectCardAsync();
        _bed.Outage.Down = true;

        var approved = await megan.ClickAsync(copy.ActivityId, ApprovalVerbs.Approve, Cards.Click(card, ApprovalVerbs.Approve));
        Assert.Equal(HttpStatusCode.OK, approved.Status);
        Assert.DoesNotContain("InternalError", approved.Body, StringComparison.Ordinal);
        await bot.WaitForOutboxToSettleAsync();

        var waiting = await OnlyRequestAsync(bot);
        Assert.Equal((ApprovalStatus.Blocked, 2), (waiting.Status, waiting.CurrentStageNumber));
        Assert.True(waiting.IsWaitingForDirectory);
        var first = Assert.Single(waiting.StageRuns);
        Assert.Equal(StageRunStatus.Approved, first.Status);
        Assert.Equal(new PersonId(Cast.Megan.AadObjectId), first.Seats.Single().DecidedBy);
        Assert.Contains(bot.Connector.GetMessages(alex.Id), m => (m.Current.Text ?? "").Contains("cannot look up who approves stage 2 (Finance)", StringComparison.Ordinal));

        await RecoverAsync(bot, stage: 2);

        var (_, financeCard) = await patti.ExpectCardAsync();
        Assert.Contains(ApprovalVerbs.Approve, Cards.Verbs(financeCard));
    }

    [Fact]
    public async Task CardAction_ThatMustFindAPerson_AnswersTryAgainLater_DuringAnOutage()
    {
        await using var bot = await StartAsync();
        var alex = await bot.WelcomedChatAsync(Cast.Alex);
        await alex.SendAsync("request");
        var (form, _) = await alex.ExpectCardAsync();
        _bed.Outage.Down = true;

        var submitted = await alex.ClickAsync(form.ActivityId, RequestFormVerbs.Submit, new JsonObject { ["title"] = "New printers", ["approvers"] = "meganb@example.com" });

        Assert.Equal(HttpStatusCode.OK, submitted.Status);
        Assert.Contains(DirectoryOutageReply.Message, submitted.Body, StringComparison.Ordinal);
        await using var db = bot.CreateDbContext();
        Assert.Empty(await db.ApprovalRequests.AsNoTracking().ToListAsync());
    }

    [Fact]
    public async Task Command_ThatMustAskTheDirectory_RepliesTryAgainLater_DuringAnOutage()
    {
        await using var bot = await StartAsync();
        var alex = await bot.WelcomedChatAsync(Cast.Alex);
        _bed.Outage.Down = true;

        var sent = await alex.SendAsync("digest daily 08:00");

        Assert.Equal(HttpStatusCode.OK, sent.Status);
        var (_, card) = await alex.ExpectCardAsync();
        Assert.Contains(DirectoryOutageReply.Message, TestConversation.Texts(card), StringComparison.Ordinal);
        await using var db = bot.CreateDbContext();
        Assert.Empty(await db.DigestSubscriptions.AsNoTracking().ToListAsync());

        _bed.Outage.Down = false; // the same command works once the directory answers
        await alex.SendAsync("digest daily 08:00");
        Assert.StartsWith("Subscribed", (await alex.ExpectMessageAsync()).Current.Text, StringComparison.Ordinal);
        Assert.Single(await db.DigestSubscriptions.AsNoTracking().ToListAsync());
    }
}
