using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ApprovalBot.Agreements.Documents;
using ApprovalBot.Agreements.Negotiation;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.Domain.CommunicationPlans;
using ApprovalBot.Domain.Common;
using ApprovalBot.IntegrationTests.Api;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.TestSupport;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalBot.IntegrationTests.Agreements;

/// <summary>
/// Negotiation with the provider through the real endpoint, on the agreement flow's defaults (after Legal, back to
/// Legal). The provider's contact reachable in Teams is Lynne, played as a guest would be; Megan (manager), Adele
/// (Legal) and Patti (Management) approve. The final contract is attached before submission, so the card shows its
/// name, size, hash prefix and a signed download link.
/// </summary>
public abstract class AgreementNegotiationTests(ITestDatabaseFactory databases) : IAsyncLifetime
{
    private const string PublicBase = "https://approvalbot.contoso.example";
    private static readonly string SigningKey = Convert.ToBase64String(Enumerable.Range(11, 32).Select(i => (byte)i).ToArray());

    protected BotTestHost Bot { get; set; } = null!;

    protected ITestDatabase Database { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await databases.CreateDatabaseAsync();
        Bot = await BotTestHost.StartAsync(new BotTestHostOptions { Database = Database, Settings = Settings() });
    }

    public async Task DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>The API keys, and document links on cards.</summary>
    protected static Dictionary<string, string?> Settings()
    {
        var settings = ApiTestKeys.Settings();
        settings["Agreements:Documents:PublicBaseUrl"] = PublicBase;
        settings["Agreements:Documents:LinkSigningKey"] = SigningKey;
        return settings;
    }

    protected static bool IsNegotiationCard(JsonObject card) => Cards.Verbs(card).Contains(NegotiationVerbs.Accept);

    protected static bool IsApprovalCard(JsonObject card) => Cards.Verbs(card).Contains(ApprovalVerbs.Approve);

    protected async Task<Agreement> LoadAsync(long id)
    {
        await using var db = Bot.CreateDbContext();
        return await db.Agreements.AsNoTracking().SingleAsync(a => a.Id == id);
    }

    protected async Task<ApprovalRequest> RequestOfAsync(long id)
    {
        await using var db = Bot.CreateDbContext();
        return await db.ApprovalRequests.AsNoTracking().SingleAsync(r => r.Subject.Id == id);
    }

    protected async Task<List<AgreementEvent>> EventsAsync(long id)
    {
        await using var db = Bot.CreateDbContext();
        return await db.AgreementEvents.AsNoTracking().Where(e => e.AgreementId == id).OrderBy(e => e.Id).ToListAsync();
    }

    protected static bool Told(BotTestHost bot, TestConversation chat, string text) =>
        bot.Connector.GetMessages(chat.Id).Any(m => m.Current.Text?.Contains(text, StringComparison.Ordinal) == true);

    /// <summary>
    /// A complete draft whose provider contacts include Lynne (reachable in Teams) and whose final contract is attached;
    /// submitted by Alex; Megan approves the manager stage. Returns the chats, and the contract's SHA-256.
    /// </summary>
    private protected async Task<Scenario> SubmittedAsync()
    {
        var chats = new Scenario(
            await Bot.WelcomedChatAsync(Cast.Alex), await Bot.WelcomedChatAsync(Cast.Megan), await Bot.WelcomedChatAsync(Cast.Adele),
            await Bot.WelcomedChatAsync(Cast.Patti), await Bot.WelcomedChatAsync(Cast.Lynne));
        await using (var db = Bot.CreateDbContext())
        {
            var terms = SampleTerms.Complete();
            var plan = terms.CommunicationPlan!;
            terms = terms with
            {
                OversightOwners = [new(Cast.Alex.AadObjectId)],
                CommunicationPlan = new CommunicationPlan(plan.OurContacts,
                    [.. plan.ProviderContacts, new ContactPoint("Lynne Robbins", new PersonId(Cast.Lynne.AadObjectId), role: "Account manager")],
                    plan.UpdateCadence, plan.UpdatesGoTo, plan.ReviewCadence),
            };
            var agreement = Agreement.CreateDraft("Contoso help desk", terms, new(Cast.Alex.AadObjectId), Bot.Services.GetRequiredService<TimeProvider>().GetUtcNow());
            db.Agreements.Add(agreement);
            await db.SaveChangesAsync();
            chats.AgreementId = agreement.Id;
        }
        var pdf = SampleDocuments.Pdf(seed: 5);
        chats.ContractSha256 = Convert.ToHexStringLower(SHA256.HashData(pdf));
        await using (var scope = Bot.Services.CreateAsyncScope())
        {
            var file = new DocumentFile("contract-final.pdf", "application/pdf", pdf.Length, chats.ContractSha256);
            await scope.ServiceProvider.GetRequiredService<AddAgreementDocument>()
                .HandleAsync(chats.AgreementId, DocumentKind.FinalContract, file, pdf, new PersonId(Cast.Alex.AadObjectId), CancellationToken.None);
        }
        Assert.Equal(HttpStatusCode.OK, (await chats.Alex.SendAsync($"agreement submit {chats.AgreementId}")).Status);
        await ApproveAsync(chats.Megan);
        return chats;
    }

    protected static async Task ApproveAsync(TestConversation approver)
    {
        var (copy, card) = await approver.ExpectCardAsync(IsApprovalCard);
        Assert.Equal(HttpStatusCode.OK, (await approver.ClickAsync(copy.ActivityId, ApprovalVerbs.Approve, Cards.Click(card, ApprovalVerbs.Approve))).Status);
    }

    [Fact]
    public async Task AfterLegal_TheProviderNegotiates_ChangesGoBackToLegal_ThenAcceptanceIsAgreedUpon_AndManagementActivates()
    {
        var s = await SubmittedAsync();
        var id = s.AgreementId;
        await ApproveAsync(s.Adele);

        // Legal approved: the request waits for the provider; Lynne gets the card with the contract's name, size, hash prefix and link.
        var (firstCopy, firstCard) = await s.Lynne.ExpectCardAsync(IsNegotiationCard);
        var held = await RequestOfAsync(id);
        Assert.Equal((ApprovalStatus.AwaitingProvider, 2), (held.Status, held.CurrentStageNumber));
        Assert.DoesNotContain(held.StageRuns, r => r.StageNumber == 3);
        var sent = Assert.Single((await LoadAsync(id)).NegotiationRounds);
        Assert.Equal([Cast.Lynne.AadObjectId], sent.Negotiators.Select(p => p.Value));
        Assert.Equal($"FinalContract:{s.ContractSha256}", sent.DocumentHashes);
        var texts = TestConversation.Texts(firstCard);
        Assert.Contains("contract-final.pdf", texts, StringComparison.Ordinal);
        Assert.Contains(s.ContractSha256[..12], texts, StringComparison.Ordinal);
        Assert.Contains(sent.TermsSha256, texts, StringComparison.Ordinal);
        Assert.Contains($"{PublicBase}/documents/{id}/{s.ContractSha256}?expires=", firstCard.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(ProviderNegotiation.TermsSha256((await LoadAsync(id)).CurrentRevision), sent.TermsSha256);

        // Someone who is not the provider's negotiator: refused, nothing changes, audited.
        var foreign = await s.Alex.ClickAsync(firstCopy.ActivityId, NegotiationVerbs.Accept, Cards.Click(firstCard, NegotiationVerbs.Accept));
        Assert.Contains("not one of the provider's negotiators", TestConversation.Texts(foreign.Card), StringComparison.Ordinal);
        Assert.Null((await LoadAsync(id)).NegotiationRounds[0].Outcome);
        var refusedForeign = Assert.Single(await EventsAsync(id), e => e.Kind == AgreementEventKind.Refused);
        Assert.Equal((Cast.Alex.AadObjectId, "NegotiationAccept", "negotiation.not_negotiator"), (refusedForeign.Actor?.Value, refusedForeign.Action, refusedForeign.Code));

        // Request changes without a comment: a clear refusal, nothing changes.
        var bare = await s.Lynne.ClickAsync(firstCopy.ActivityId, NegotiationVerbs.RequestChanges, Cards.Click(firstCard, NegotiationVerbs.RequestChanges));
        Assert.Contains("Say what should change", TestConversation.Texts(bare.Card), StringComparison.Ordinal);
        Assert.Contains(NegotiationVerbs.RequestChanges, Cards.Verbs(bare.Card));
        Assert.Single((await LoadAsync(id)).Revisions);
        Assert.Equal(ApprovalStatus.AwaitingProvider, (await RequestOfAsync(id)).Status);

        // With a comment: a new revision, pending further negotiation, back at Legal.
        var changes = await s.Lynne.ClickAsync(firstCopy.ActivityId, NegotiationVerbs.RequestChanges,
            Cards.Click(firstCard, NegotiationVerbs.RequestChanges, comment: "The P1 response target must be 30 minutes."));
        Assert.Contains("Your change request is recorded", TestConversation.Texts(changes.Card), StringComparison.Ordinal);
        Assert.Empty(Cards.Verbs(changes.Card));
        var pending = await LoadAsync(id);
        Assert.Equal((2, AgreementStatus.InApproval), (pending.CurrentRevision.Number, pending.Status));
        Assert.Equal(RevisionOutcome.ChangesRequested, pending.Revisions[0].Outcome);
        Assert.Equal("The P1 response target must be 30 minutes.", pending.PendingFurtherNegotiation(2)?.Comment);
        var back = await RequestOfAsync(id);
        Assert.Equal((ApprovalStatus.InProgress, 2, 2), (back.Status, back.CurrentStageNumber, back.Subject.Revision));
        var (secondLegalCopy, secondLegalCard) = await s.Adele.ExpectCardAsync(IsApprovalCard);
        Assert.Contains("revision 2", TestConversation.Texts(secondLegalCard), StringComparison.Ordinal);
        await Bot.WaitForOutboxToSettleAsync();
        Assert.True(Told(Bot, s.Alex, "asked for changes"), "The requester was not told about the change request.");
        Assert.True(Told(Bot, s.Adele, "The P1 response target must be 30 minutes."), "Legal was not told about the change request.");
        await s.Alex.SendAsync("agreement show Contoso help desk");
        var (_, shownPending) = await s.Alex.ExpectCardAsync(c => TestConversation.Texts(c).Contains("IT support agreement", StringComparison.Ordinal)
            && TestConversation.Texts(c).Contains("Pending further negotiation", StringComparison.Ordinal));
        Assert.Contains("The P1 response target must be 30 minutes.", TestConversation.Texts(shownPending), StringComparison.Ordinal);

        // The first card is stale now: updated in place, and a click on it is refused and audited.
        var updated = Cards.CardOf(Bot.Connector.GetMessage(s.Lynne.Id, firstCopy.ActivityId)!.Current);
        Assert.Empty(Cards.Verbs(updated));
        Assert.Contains("asked for changes", TestConversation.Texts(updated), StringComparison.Ordinal);
        var stale = await s.Lynne.ClickAsync(firstCopy.ActivityId, NegotiationVerbs.Accept, Cards.Click(firstCard, NegotiationVerbs.Accept));
        Assert.Contains("out of date", TestConversation.Texts(stale.Card), StringComparison.Ordinal);
        Assert.Equal(ApprovalStatus.InProgress, (await RequestOfAsync(id)).Status);
        Assert.Contains(await EventsAsync(id), e => e is { Kind: AgreementEventKind.Refused, Code: "negotiation.stale" });

        // Legal approves revision 2: round 2 goes to the provider, who accepts.
        Assert.Equal(HttpStatusCode.OK, (await s.Adele.ClickAsync(secondLegalCopy.ActivityId, ApprovalVerbs.Approve, Cards.Click(secondLegalCard, ApprovalVerbs.Approve))).Status);
        var (secondCopy, secondCard) = await s.Lynne.ExpectCardAsync(IsNegotiationCard);
        Assert.Equal(2, Cards.Click(secondCard, NegotiationVerbs.Accept)["round"]!.GetValue<int>());
        var accepted = await s.Lynne.ClickAsync(secondCopy.ActivityId, NegotiationVerbs.Accept, Cards.Click(secondCard, NegotiationVerbs.Accept));
        Assert.Contains("agreed upon", TestConversation.Texts(accepted.Card), StringComparison.Ordinal);
        var agreed = (await LoadAsync(id)).AgreedUpon(2)!;
        Assert.Equal((Cast.Lynne.AadObjectId, $"FinalContract:{s.ContractSha256}"), (agreed.DecidedBy?.Value, agreed.DocumentHashes));
        Assert.Contains(await EventsAsync(id), e => e.Kind == AgreementEventKind.AgreedUpon && e.Actor?.Value == Cast.Lynne.AadObjectId);

        // The API shows both rounds.
        using var response = await ApiCalls.GetAsync(Bot, $"/api/v1/agreements/{id}/negotiation");
        var negotiation = await ApiCalls.JsonAsync(response);
        Assert.Equal("AgreedUpon", negotiation["state"]!.GetValue<string>());
        Assert.Equal(["ChangesRequested", "Accepted"], negotiation["rounds"]!.AsArray().Select(r => r!["outcome"]!.GetValue<string>()));

        // Management's stage started; its approval activates the agreement, which shows "Agreed upon … by Lynne Robbins".
        await ApproveAsync(s.Patti);
        var active = await LoadAsync(id);
        Assert.Equal((AgreementStatus.Active, 2), (active.Status, active.ActiveRevisionNumber));
        await s.Alex.SendAsync("agreement show Contoso help desk");
        var (_, shownActive) = await s.Alex.ExpectCardAsync(c => TestConversation.Texts(c).Contains("Agreed upon", StringComparison.Ordinal));
        Assert.Contains("by Lynne Robbins", TestConversation.Texts(shownActive), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADocumentAddedWhileWithTheProvider_ClosesTheRound_UpdatesTheProvidersCardInPlace_TheOldCardIsStale_AndTheRestartLeadsToANewRound()
    {
        var s = await SubmittedAsync();
        var id = s.AgreementId;
        await ApproveAsync(s.Adele);
        var (copy, card) = await s.Lynne.ExpectCardAsync(IsNegotiationCard);
        Assert.Equal(ApprovalStatus.AwaitingProvider, (await RequestOfAsync(id)).Status);

        // While Lynne holds the card, Alex uploads a new final contract through the API.
        var pdf = SampleDocuments.Pdf(seed: 6);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(pdf));
        using (var upload = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/agreements/{id}/documents?kind=FinalContract&by={ApiCalls.Alex}&fileName=contract-final-v2.pdf"))
        {
            upload.Headers.TryAddWithoutValidation("X-Api-Key", ApiTestKeys.Writer);
            upload.Content = new ByteArrayContent(pdf);
            upload.Content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            using var uploaded = await Bot.Http.SendAsync(upload);
            await ApiCalls.JsonAsync(uploaded, HttpStatusCode.Created);
        }

        // The request restarted from the first stage on revision 2; round 1 closed as superseded (nobody answered), on record.
        var restarted = await RequestOfAsync(id);
        Assert.Equal((ApprovalStatus.InProgress, 1, 2), (restarted.Status, restarted.CurrentStageNumber, restarted.Subject.Revision));
        var closed = Assert.Single((await LoadAsync(id)).NegotiationRounds);
        Assert.Equal((NegotiationOutcome.Superseded, (PersonId?)null), (closed.Outcome, closed.DecidedBy));
        var superseded = Assert.Single(await EventsAsync(id), e => e.Kind == AgreementEventKind.NegotiationSuperseded);
        Assert.Equal(Cast.Alex.AadObjectId, superseded.Actor?.Value);
        Assert.Contains("contract-final-v2.pdf", superseded.Detail ?? "", StringComparison.Ordinal);

        // Lynne's copy is updated in place: no buttons, and why the round closed. She is told once, in a short message.
        JsonObject LynnesCopy() => Cards.CardOf(Bot.Connector.GetMessage(s.Lynne.Id, copy.ActivityId)!.Current);
        await UntilAsync(() => Cards.Verbs(LynnesCopy()).Count == 0, () => $"Lynne's negotiation card still has buttons: {TestConversation.Texts(LynnesCopy())}");
        var updated = LynnesCopy();
        var texts = TestConversation.Texts(updated);
        Assert.Contains("Round 1 closed", texts, StringComparison.Ordinal);
        Assert.Contains("the documents changed in revision 2", texts, StringComparison.Ordinal);
        await UntilAsync(() => Told(Bot, s.Lynne, "Negotiation round 1 of Contoso help desk is closed"), () => "Lynne was not told that round 1 closed");
        await Bot.WaitForOutboxToSettleAsync();
        Assert.Single(Bot.Connector.GetMessages(s.Lynne.Id), m => m.Current.Text?.Contains("Negotiation round 1 of Contoso help desk is closed", StringComparison.Ordinal) == true);

        // A click on the old card is refused as out of date and changes nothing.
        var version = (await LoadAsync(id)).Version;
        var stale = await s.Lynne.ClickAsync(copy.ActivityId, NegotiationVerbs.Accept, Cards.Click(card, NegotiationVerbs.Accept));
        Assert.Contains("out of date", TestConversation.Texts(stale.Card), StringComparison.Ordinal);
        Assert.Contains("the documents of 'Contoso help desk' changed", TestConversation.Texts(stale.Card), StringComparison.Ordinal);
        var unchanged = await LoadAsync(id);
        Assert.Equal((version, 2, NegotiationOutcome.Superseded), (unchanged.Version, unchanged.CurrentRevision.Number, Assert.Single(unchanged.NegotiationRounds).Outcome));
        var still = await RequestOfAsync(id);
        Assert.Equal((ApprovalStatus.InProgress, 1), (still.Status, still.CurrentStageNumber));
        Assert.Contains(await EventsAsync(id), e => e is { Kind: AgreementEventKind.Refused, Code: "negotiation.stale" } && e.Actor?.Value == Cast.Lynne.AadObjectId);

        // The restarted approval: the manager and Legal approve revision 2, and round 2 goes to Lynne with the new contract.
        await ApproveAsync(s.Megan);
        await ApproveAsync(s.Adele);
        var (_, second) = await s.Lynne.ExpectCardAsync(IsNegotiationCard);
        Assert.Equal(2, Cards.Click(second, NegotiationVerbs.Accept)["round"]!.GetValue<int>());
        Assert.Contains(sha256[..12], TestConversation.Texts(second), StringComparison.Ordinal);
        var rounds = (await LoadAsync(id)).NegotiationRounds;
        Assert.Equal((2, 2, $"FinalContract:{sha256}", (NegotiationOutcome?)null), (rounds[1].Number, rounds[1].Revision, rounds[1].DocumentHashes, rounds[1].Outcome));
        using var response = await ApiCalls.GetAsync(Bot, $"/api/v1/agreements/{id}/negotiation");
        var negotiation = await ApiCalls.JsonAsync(response);
        Assert.Equal("AwaitingProvider", negotiation["state"]!.GetValue<string>());
        Assert.Equal(["Superseded", null], negotiation["rounds"]!.AsArray().Select(r => r!["outcome"]?.GetValue<string>()));
    }

    /// <summary>
    /// Waits until <paramref name="done"/> holds, waking on each request to the fake connector (the bot's sends and card
    /// updates arrive there) rather than sleeping; fails with <paramref name="whatIsWrong"/> after 20 s.
    /// </summary>
    private async Task UntilAsync(Func<bool> done, Func<string> whatIsWrong)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var lastSequence = Bot.Connector.Requests.Count == 0 ? 0 : Bot.Connector.Requests.Max(r => r.Sequence);
            if (done()) return;
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), whatIsWrong());
            try
            {
                await Bot.Connector.WaitForAsync(r => r.Sequence > lastSequence, TimeSpan.FromMilliseconds(200));
            }
            catch (TimeoutException)
            {
            }
        }
    }

    /// <summary>The chats of one scenario, and what it created.</summary>
    private protected sealed record Scenario(TestConversation Alex, TestConversation Megan, TestConversation Adele, TestConversation Patti, TestConversation Lynne)
    {
        public long AgreementId { get; set; }

        public string ContractSha256 { get; set; } = "";
    }
}

public sealed class SqliteAgreementNegotiationTests() : AgreementNegotiationTests(new SqliteTestDatabases())
{
    [Fact]
    public async Task TheApi_AnswersForTheProvider_WithTheCardsRules()
    {
        var s = await SubmittedAsync();
        var id = s.AgreementId;
        await ApproveAsync(s.Adele);
        var (copy, _) = await s.Lynne.ExpectCardAsync(IsNegotiationCard);

        using var bare = await ApiCalls.PostAsync(Bot, $"/api/v1/agreements/{id}/negotiation/1/request-changes", new JsonObject { ["by"] = "lynner@example.com" });
        var problem = await ApiCalls.JsonAsync(bare, HttpStatusCode.BadRequest);
        Assert.Contains("comment", problem["errors"]!["comment"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        using var foreign = await ApiCalls.PostAsync(Bot, $"/api/v1/agreements/{id}/negotiation/1/accept", new JsonObject { ["by"] = "pattif@example.com" });
        Assert.Equal("negotiation.not_negotiator", (await ApiCalls.JsonAsync(foreign, HttpStatusCode.Conflict))["code"]!.GetValue<string>());

        using var wrongRound = await ApiCalls.PostAsync(Bot, $"/api/v1/agreements/{id}/negotiation/2/accept", new JsonObject { ["by"] = "lynner@example.com" });
        Assert.Equal("negotiation.stale", (await ApiCalls.JsonAsync(wrongRound, HttpStatusCode.Conflict))["code"]!.GetValue<string>());
        Assert.Equal(ApprovalStatus.AwaitingProvider, (await RequestOfAsync(id)).Status);

        using var accept = await ApiCalls.PostAsync(Bot, $"/api/v1/agreements/{id}/negotiation/1/accept", new JsonObject { ["by"] = "lynner@example.com" });
        var body = await ApiCalls.JsonAsync(accept);
        Assert.Equal("AgreedUpon", body["state"]!.GetValue<string>());
        Assert.Equal(Cast.Lynne.AadObjectId, body["rounds"]![0]!["decidedBy"]!.GetValue<string>());

        // Management's card comes; the card Lynne holds is updated in place; every refusal is in the events.
        await s.Patti.ExpectCardAsync(IsApprovalCard);
        await Bot.WaitForOutboxToSettleAsync();
        var updated = Cards.CardOf(Bot.Connector.GetMessage(s.Lynne.Id, copy.ActivityId)!.Current);
        Assert.Contains("Agreed upon", TestConversation.Texts(updated), StringComparison.Ordinal);
        Assert.Empty(Cards.Verbs(updated));
        Assert.Equal(["negotiation.comment_required", "negotiation.not_negotiator", "negotiation.stale"],
            (await EventsAsync(id)).Where(e => e.Kind == AgreementEventKind.Refused).Select(e => e.Code));
    }

    [Fact]
    public async Task WithNegotiationTurnedOff_LegalsApproval_GoesStraightToManagement()
    {
        await Bot.DisposeAsync();
        var settings = Settings();
        settings["Agreements:Negotiation:AfterStage:IT support agreement"] = "none";
        Bot = await BotTestHost.StartAsync(new BotTestHostOptions { Database = Database, Settings = settings });
        var s = await SubmittedAsync();

        await ApproveAsync(s.Adele);

        await s.Patti.ExpectCardAsync(IsApprovalCard);
        Assert.Empty((await LoadAsync(s.AgreementId)).NegotiationRounds);
        var request = await RequestOfAsync(s.AgreementId);
        Assert.Equal((ApprovalStatus.InProgress, 3), (request.Status, request.CurrentStageNumber));
    }
}

public sealed class PostgresAgreementNegotiationTests(PostgresServerFixture postgres)
    : AgreementNegotiationTests(postgres), IClassFixture<PostgresServerFixture>;
