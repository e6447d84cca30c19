using ApprovalBot.Domain.CommunicationPlans;
using System.Net;
using System.Text.Json.Nodes;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Protocol.Schema;
using ApprovalBot.Teams.Outbox;
using ApprovalBot.TestSupport.Connector;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalBot.IntegrationTests.Approvals;

/// <summary>
/// The agreement flow end to end through the real endpoint with signed tokens, the real database and the fake
/// connector: approver cards delivered proactively, every copy updated in place, stale/foreign/concurrent clicks,
/// request changes and resubmit, and the agreement becoming Active at final sign-off.
/// </summary>
public abstract class AgreementApprovalFlowTests(ITestDatabaseFactory databases) : IAsyncLifetime
{
    private BotTestHost _bot = null!;
    private ITestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await databases.CreateDatabaseAsync();
        _bot = await BotTestHost.StartAsync(new BotTestHostOptions { Database = _database });
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>
    /// Creates a complete draft in the database (the drafting form has its own tests) and submits it by command. The
    /// requester gets two cards: the agreement card answering the command, and the request's status card.
    /// </summary>
    private async Task<(long AgreementId, long RequestId, FakeMessage Status)> SubmitAgreementAsync(TestConversation requester, string name = "Contoso help desk")
    {
        long id;
        await using (var db = _bot.CreateDbContext())
        {
            var terms = SampleTerms.Complete() with { OversightOwners = [new(Cast.Alex.AadObjectId)] };
            var agreement = Agreement.CreateDraft(name, terms, new(Cast.Alex.AadObjectId), Now);
            db.Agreements.Add(agreement);
            await db.SaveChangesAsync();
            id = agreement.Id;
        }

        Assert.Equal(HttpStatusCode.OK, (await requester.SendAsync($"agreement submit {id}")).Status);
        // The two cards, in whatever order the outbox sends them; plain-text notices in between are read elsewhere.
        FakeMessage? answer = null, status = null;
        while (answer is null || status is null)
        {
            var message = await requester.ExpectMessageAsync();
            if (TestConversation.CardOf(message.Current) is not { } card) continue;
            if (TestConversation.Texts(card).Contains("Submitted for approval", StringComparison.Ordinal)) answer = message;
            else status = message;
        }

        await using var check = _bot.CreateDbContext();
        var request = await check.ApprovalRequests.AsNoTracking().SingleAsync(r => r.Subject.Id == id);
        return (id, request.Id, status);
    }

    private DateTimeOffset Now => _bot.Services.GetRequiredService<TimeProvider>().GetUtcNow();

    private async Task<ApprovalRequest> RequestAsync(long id)
    {
        await using var db = _bot.CreateDbContext();
        return await db.ApprovalRequests.AsNoTracking().SingleAsync(r => r.Id == id);
    }

    [Fact]
    public async Task AgreementFlow_GoesThroughManagerLegalManagement_AndActivatesTheAgreement_WithEveryCardUpdatedInPlace()
    {
        var alex = await _bot.WelcomedChatAsync(Cast.Alex);
        var megan = await _bot.WelcomedChatAsync(Cast.Megan);
        var adele = await _bot.WelcomedChatAsync(Cast.Adele);
        var isaiah = await _bot.WelcomedChatAsync(Cast.Isaiah);
        var patti = await _bot.WelcomedChatAsync(Cast.Patti);
        var (agreementId, requestId, status) = await SubmitAgreementAsync(alex);

        // The requester's status card and the manager's approver card, proactively.
        var statusCard = Cards.CardOf(status.Current);
        Assert.DoesNotContain(ApprovalVerbs.Approve, Cards.Verbs(statusCard));
        var (meganCopy, meganCard) = await megan.ExpectCardAsync();
        Assert.Contains(ApprovalVerbs.Approve, Cards.Verbs(meganCard));
        Assert.Equal([Cast.Megan.Id], Cards.RefreshUserIds(meganCard));

        var approved = await megan.ClickAsync(meganCopy.ActivityId, ApprovalVerbs.Approve, Cards.Click(meganCard, ApprovalVerbs.Approve, "Fine by me."));
        Assert.Equal(HttpStatusCode.OK, approved.Status);
        Assert.DoesNotContain(ApprovalVerbs.Approve, Cards.Verbs(approved.Card));

        // Legal: both lawyers get the card; one decides for the group ("any one").
        var (adeleCopy, adeleCard) = await adele.ExpectCardAsync();
        var (isaiahCopy, _) = await isaiah.ExpectCardAsync();
        Assert.Equal([Cast.Adele.Id, Cast.Isaiah.Id], Cards.RefreshUserIds(adeleCard).Order());
        Assert.Equal(HttpStatusCode.OK, (await adele.ClickAsync(adeleCopy.ActivityId, ApprovalVerbs.Approve, Cards.Click(adeleCard, ApprovalVerbs.Approve))).Status);

        var (pattiCopy, pattiCard) = await patti.ExpectCardAsync();
        var final = await patti.ClickAsync(pattiCopy.ActivityId, ApprovalVerbs.Approve, Cards.Click(pattiCard, ApprovalVerbs.Approve, "Signed."));
        Assert.Equal(HttpStatusCode.OK, final.Status);

        await _bot.WaitForOutboxToSettleAsync();
        var request = await RequestAsync(requestId);
        Assert.Equal(ApprovalStatus.Approved, request.Status);
        await using (var db = _bot.CreateDbContext())
            Assert.Equal(AgreementStatus.Active, (await db.Agreements.AsNoTracking().SingleAsync(a => a.Id == agreementId)).Status);

        // One card, one truth: every copy (requester, all approvers, the lawyer who did not decide) now shows the
        // approved request without buttons, updated in place.
        foreach (var (chat, copy) in new[] { (alex, status), (megan, meganCopy), (adele, adeleCopy), (isaiah, isaiahCopy), (patti, pattiCopy) })
        {
            var current = _bot.Connector.GetMessage(chat.Id, copy.ActivityId)!;
            Assert.True(current.Versions.Count > 1, $"{chat.User.Name}'s card was never updated.");
            var card = Cards.CardOf(current.Current);
            Assert.DoesNotContain(Cards.Verbs(card), v => v is ApprovalVerbs.Approve or ApprovalVerbs.Reject);
            Assert.Empty(Cards.RefreshUserIds(card));
            Assert.Contains("Approved", TestConversation.Texts(card), StringComparison.Ordinal);
        }

        // The requester was told about each decision and the outcome.
        var told = _bot.Connector.GetMessages(alex.Id).Select(m => m.Current.Text ?? "").ToList();
        Assert.Contains(told, t => t.Contains("Megan Bowen approved stage 1", StringComparison.Ordinal) && t.Contains("Fine by me.", StringComparison.Ordinal));
        Assert.Contains(told, t => t.Contains("Adele Vance approved stage 2", StringComparison.Ordinal));
        Assert.Contains(told, t => t.Contains("is approved", StringComparison.Ordinal));

        // The communication plan starts at activation, not at the plan auditor's next round (10 minutes away): the
        // first weekly update is due at the cadence's next Monday 09:00.
        UpdateObligation? first = null;
        await _bot.WaitUntilStoredAsync(
            async db => (first = await db.UpdateObligations.AsNoTracking().SingleOrDefaultAsync(o => o.AgreementId == agreementId)) is not null,
            "No update obligation was opened within 15 s of the agreement becoming Active.", TimeSpan.FromSeconds(15));
        Assert.Equal(DayOfWeek.Monday, TimeZoneInfo.ConvertTime(first!.DueAt, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).DayOfWeek);
    }

    [Fact]
    public async Task Click_OnAStaleCard_ReturnsTheCurrentCardAndChangesNothing_AndAForeignClickIsRefusedAndAudited()
    {
        var alex = await _bot.WelcomedChatAsync(Cast.Alex);
        var megan = await _bot.WelcomedChatAsync(Cast.Megan);
        await _bot.WelcomedChatAsync(Cast.Adele);
        var (_, requestId, _) = await SubmitAgreementAsync(alex);
        var (meganCopy, meganCard) = await megan.ExpectCardAsync();

        // Someone who is not an approver replays Megan's button.
        var foreign = await alex.ClickAsync(meganCopy.ActivityId, ApprovalVerbs.Approve, Cards.Click(meganCard, ApprovalVerbs.Approve));
        Assert.Equal(HttpStatusCode.OK, foreign.Status);
        Assert.Contains("not an approver", TestConversation.Texts(foreign.Card), StringComparison.OrdinalIgnoreCase);
        var afterForeign = await RequestAsync(requestId);
        Assert.Equal(1, afterForeign.CurrentStageNumber);
        Assert.Contains(afterForeign.AuditTrail, e => e.Outcome == AuditOutcome.Refused && e.Refusal == RefusalReason.NotAnApprover && e.Actor!.Value.Value == Cast.Alex.AadObjectId);

        Assert.Equal(HttpStatusCode.OK, (await megan.ClickAsync(meganCopy.ActivityId, ApprovalVerbs.Approve, Cards.Click(meganCard, ApprovalVerbs.Approve))).Status);
        var version = (await RequestAsync(requestId)).Version;

        // Megan clicks the same (now stale) card again: the current card comes back, nothing changes.
        var stale = await megan.ClickAsync(meganCopy.ActivityId, ApprovalVerbs.Reject, Cards.Click(meganCard, ApprovalVerbs.Reject, "Changed my mind"));
        Assert.Equal(HttpStatusCode.OK, stale.Status);
        Assert.NotNull(stale.Card);
        Assert.DoesNotContain(ApprovalVerbs.Reject, Cards.Verbs(stale.Card));
        var after = await RequestAsync(requestId);
        Assert.Equal(version, after.Version);
        Assert.Equal(ApprovalStatus.InProgress, after.Status);
        Assert.Equal(2, after.CurrentStageNumber);
    }

    [Fact]
    public async Task Reject_WithoutAComment_ShowsTheErrorOnTheCard_AndWithOneEndsTheRequestAndTellsTheRequester()
    {
        var alex = await _bot.WelcomedChatAsync(Cast.Alex);
        var megan = await _bot.WelcomedChatAsync(Cast.Megan);
        var (agreementId, requestId, _) = await SubmitAgreementAsync(alex);
        var (copy, card) = await megan.ExpectCardAsync();

        var missing = await megan.ClickAsync(copy.ActivityId, ApprovalVerbs.Reject, Cards.Click(card, ApprovalVerbs.Reject));
        Assert.Contains("comment", TestConversation.Texts(missing.Card), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(ApprovalVerbs.Reject, Cards.Verbs(missing.Card)); // still decidable
        Assert.Equal(ApprovalStatus.InProgress, (await RequestAsync(requestId)).Status);

        var rejected = await megan.ClickAsync(copy.ActivityId, ApprovalVerbs.Reject, Cards.Click(card, ApprovalVerbs.Reject, "Too expensive."));
        Assert.DoesNotContain(ApprovalVerbs.Reject, Cards.Verbs(rejected.Card));
        await _bot.WaitForOutboxToSettleAsync();
        Assert.Equal(ApprovalStatus.Rejected, (await RequestAsync(requestId)).Status);
        await using (var db = _bot.CreateDbContext())
            Assert.Equal(AgreementStatus.Rejected, (await db.Agreements.AsNoTracking().SingleAsync(a => a.Id == agreementId)).Status);
        Assert.Contains(_bot.Connector.GetMessages(alex.Id), m => (m.Current.Text ?? "").Contains("rejected", StringComparison.Ordinal)
            && (m.Current.Text ?? "").Contains("Too expensive.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TwoApproversClickingAtOnce_UnderAnyOne_YieldExactlyOneDecision()
    {
        var alex = await _bot.WelcomedChatAsync(Cast.Alex);
        var megan = await _bot.WelcomedChatAsync(Cast.Megan);
        var adele = await _bot.WelcomedChatAsync(Cast.Adele);
        var isaiah = await _bot.WelcomedChatAsync(Cast.Isaiah);
        var (_, requestId, _) = await SubmitAgreementAsync(alex);
        var (meganCopy, meganCard) = await megan.ExpectCardAsync();
        await megan.ClickAsync(meganCopy.ActivityId, ApprovalVerbs.Approve, Cards.Click(meganCard, ApprovalVerbs.Approve));
        var (adeleCopy, adeleCard) = await adele.ExpectCardAsync();
        var (isaiahCopy, isaiahCard) = await isaiah.ExpectCardAsync();

        var results = await Task.WhenAll(
            adele.ClickAsync(adeleCopy.ActivityId, ApprovalVerbs.Approve, Cards.Click(adeleCard, ApprovalVerbs.Approve)),
            isaiah.ClickAsync(isaiahCopy.ActivityId, ApprovalVerbs.Approve, Cards.Click(isaiahCard, ApprovalVerbs.Approve)));

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        var request = await RequestAsync(requestId);
        var legal = request.StageRuns.Single(r => r.StageNumber == 2);
        Assert.Equal(1, legal.Seats.Count(s => s.Decision == DecisionKind.Approve));
        Assert.Equal(3, request.CurrentStageNumber);
        Assert.Single(request.AuditTrail, e => e.Action == AuditAction.Approve && e.StageNumber == 2 && e.Outcome == AuditOutcome.Accepted);
        Assert.Single(request.AuditTrail, e => e.StageNumber == 2 && e.Outcome == AuditOutcome.Refused);
    }

    [Fact]
    public async Task RequestChanges_SendsItBack_AndTheRevisedAgreementRestartsAtThatStage()
    {
        var alex = await _bot.WelcomedChatAsync(Cast.Alex);
        var megan = await _bot.WelcomedChatAsync(Cast.Megan);
        var adele = await _bot.WelcomedChatAsync(Cast.Adele);
        await _bot.WelcomedChatAsync(Cast.Isaiah);
        var (agreementId, requestId, _) = await SubmitAgreementAsync(alex);
        var (meganCopy, meganCard) = await megan.ExpectCardAsync();
        await megan.ClickAsync(meganCopy.ActivityId, ApprovalVerbs.Approve, Cards.Click(meganCard, ApprovalVerbs.Approve));
        var (adeleCopy, adeleCard) = await adele.ExpectCardAsync();

        var sentBack = await adele.ClickAsync(adeleCopy.ActivityId, ApprovalVerbs.RequestChanges, Cards.Click(adeleCard, ApprovalVerbs.RequestChanges, "Add a data-protection clause."));
        Assert.Equal(HttpStatusCode.OK, sentBack.Status);
        await _bot.WaitForOutboxToSettleAsync();
        Assert.Equal(ApprovalStatus.ChangesRequested, (await RequestAsync(requestId)).Status);
        Assert.Contains(_bot.Connector.GetMessages(alex.Id), m => (m.Current.Text ?? "").Contains("Add a data-protection clause.", StringComparison.Ordinal));

        // Submitting the unrevised agreement again is refused with the reason.
        await alex.SendAsync($"agreement submit {agreementId}");
        await _bot.WaitForOutboxToSettleAsync();
        Assert.Contains("revise", TestConversation.Texts(Cards.CardOf(_bot.Connector.GetMessages(alex.Id)[^1].Current)), StringComparison.OrdinalIgnoreCase);

        await using (var db = _bot.CreateDbContext())
        {
            var agreement = await db.Agreements.SingleAsync(a => a.Id == agreementId);
            agreement.Revise(agreement.Terms with { ProviderName = "Contoso IT Services GmbH" }, new(Cast.Alex.AadObjectId), Now);
            await db.SaveChangesAsync();
        }
        await alex.SendAsync($"agreement submit {agreementId}");
        await _bot.WaitForOutboxToSettleAsync();

        var request = await RequestAsync(requestId);
        Assert.Equal((ApprovalStatus.InProgress, 2, 2), (request.Status, request.Revision, request.CurrentStageNumber));
        Assert.Equal(2, request.Subject.Revision);
        // Legal decides anew: a fresh card for the new revision; the old card's buttons are stale.
        var stale = await adele.ClickAsync(adeleCopy.ActivityId, ApprovalVerbs.Approve, Cards.Click(adeleCard, ApprovalVerbs.Approve));
        Assert.Contains("revision", TestConversation.Texts(stale.Card), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, (await RequestAsync(requestId)).CurrentStageNumber);
    }

    [Fact]
    public async Task Delegate_GivesTheSeatToTheDelegate_RecordedAsActingForTheApprover()
    {
        var alex = await _bot.WelcomedChatAsync(Cast.Alex);
        var megan = await _bot.WelcomedChatAsync(Cast.Megan);
        var lynne = await _bot.WelcomedChatAsync(Cast.Lynne);
        var (_, requestId, _) = await SubmitAgreementAsync(alex);
        var (meganCopy, meganCard) = await megan.ExpectCardAsync();

        var delegated = await megan.ClickAsync(meganCopy.ActivityId, ApprovalVerbs.Delegate, Cards.Click(meganCard, ApprovalVerbs.Delegate, "I am away.", delegateTo: "lynner@example.com"));
        Assert.DoesNotContain(ApprovalVerbs.Approve, Cards.Verbs(delegated.Card));
        var (lynneCopy, lynneCard) = await lynne.ExpectCardAsync();
        Assert.Contains(ApprovalVerbs.Approve, Cards.Verbs(lynneCard));

        await lynne.ClickAsync(lynneCopy.ActivityId, ApprovalVerbs.Approve, Cards.Click(lynneCard, ApprovalVerbs.Approve));
        var request = await RequestAsync(requestId);
        var decision = request.AuditTrail.Single(e => e.Action == AuditAction.Approve && e.Outcome == AuditOutcome.Accepted);
        Assert.Equal((Cast.Lynne.AadObjectId, Cast.Megan.AadObjectId), (decision.Actor!.Value.Value, decision.OnBehalfOf!.Value.Value));
    }

    [Fact]
    public async Task ApproverWithoutAChat_GetsANewOneToOneChat_AndTheCardIsRecordedThere()
    {
        var alex = await _bot.WelcomedChatAsync(Cast.Alex);
        var (_, requestId, _) = await SubmitAgreementAsync(alex); // Megan never talked to the bot

        await _bot.WaitForOutboxToSettleAsync();
        var create = _bot.Connector.Requests.Single(r => r.Operation == ApprovalBot.TestSupport.Connector.FakeOperation.CreateConversation);
        Assert.Equal("user-id-1", create.ConversationParameters!.Members![0].Id); // the directory's Teams id hint for Megan
        await using var db = _bot.CreateDbContext();
        var copy = await db.CardCopies.AsNoTracking().SingleAsync(c => c.Subject == $"approval:{requestId}" && c.Viewer == Cast.Megan.AadObjectId);
        Assert.NotEmpty(_bot.Connector.GetMessages(copy.ConversationId));
    }

    [Fact]
    public async Task UnreachableApprover_TheRequesterIsToldWhoAndWhy()
    {
        var alex = await _bot.WelcomedChatAsync(Cast.Alex);
        _bot.Connector.Enqueue(ApprovalBot.TestSupport.Connector.FakeResponse.Error(403, "Forbidden", "The bot is not installed for the user."), 1,
            operation: ApprovalBot.TestSupport.Connector.FakeOperation.CreateConversation);
        await SubmitAgreementAsync(alex);

        await _bot.WaitForOutboxToSettleAsync();
        Assert.Contains(_bot.Connector.GetMessages(alex.Id), m => (m.Current.Text ?? "").Contains("Megan Bowen", StringComparison.Ordinal)
            && (m.Current.Text ?? "").Contains("not installed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Commands_ApprovalsAndStatus_ShowWhatWaitsForMe_AndOnlyToPeopleTakingPart()
    {
        var alex = await _bot.WelcomedChatAsync(Cast.Alex);
        var megan = await _bot.WelcomedChatAsync(Cast.Megan);
        var patti = await _bot.WelcomedChatAsync(Cast.Patti);
        var (_, requestId, _) = await SubmitAgreementAsync(alex);
        await megan.ExpectCardAsync();

        await megan.SendAsync("approvals");
        var (_, waiting) = await megan.ExpectCardAsync();
        Assert.Contains(ApprovalVerbs.Approve, Cards.Verbs(waiting));

        await patti.SendAsync("approvals");
        Assert.Contains("Nothing is waiting", (await patti.ExpectMessageAsync()).Current.Text, StringComparison.Ordinal);

        await alex.SendAsync($"status #{requestId}");
        await _bot.WaitForOutboxToSettleAsync();
        var statusCard = Cards.CardOf(_bot.Connector.GetMessages(alex.Id)[^1].Current);
        Assert.Contains("Megan Bowen", TestConversation.Texts(statusCard), StringComparison.Ordinal);

        await patti.SendAsync($"status {requestId}");
        var (_, refused) = await patti.ExpectCardAsync();
        Assert.Contains("that you take part in", TestConversation.Texts(refused), StringComparison.Ordinal);

        await patti.SendAsync("status forty-two");
        var (_, usage) = await patti.ExpectCardAsync();
        Assert.Contains("status <request id>", TestConversation.Texts(usage), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_ShowsTheCardToPeopleTakingPart_AndRefusesAnyoneElse()
    {
        var alex = await _bot.WelcomedChatAsync(Cast.Alex);
        var megan = await _bot.WelcomedChatAsync(Cast.Megan);
        var patti = await _bot.WelcomedChatAsync(Cast.Patti);
        var (_, requestId, _) = await SubmitAgreementAsync(alex);
        var (copy, card) = await megan.ExpectCardAsync();
        var refresh = Cards.Refresh(card)!["action"]!["data"]!.DeepClone().AsObject();

        var own = await megan.ClickAsync(copy.ActivityId, ApprovalVerbs.Refresh, refresh);
        Assert.Contains(ApprovalVerbs.Approve, Cards.Verbs(own.Card));

        // Patti takes no part and no copy was ever posted in her chat: a crafted refresh shows her nothing.
        var crafted = await patti.ClickAsync("1:any", ApprovalVerbs.Refresh, new JsonObject { ["requestId"] = requestId });
        Assert.Null(crafted.Card);
        Assert.Contains("take part in", crafted.Body, StringComparison.Ordinal);
    }
}

public sealed class SqliteAgreementApprovalFlowTests() : AgreementApprovalFlowTests(new SqliteTestDatabases());

public sealed class PostgresAgreementApprovalFlowTests(PostgresServerFixture postgres)
    : AgreementApprovalFlowTests(postgres), IClassFixture<PostgresServerFixture>;
