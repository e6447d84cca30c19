using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ApprovalBot.Agreements.Documents;
using ApprovalBot.Agreements.Signing;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.CommunicationPlans;
using ApprovalBot.Domain.Common;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.TestSupport;
using ApprovalBot.TestSupport.Connector;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalBot.IntegrationTests.Agreements;

/// <summary>
/// Signing through the real endpoint: the agreement flow with signatories (Patti for Management, and the provider's
/// signatory from the communication plan, played by Megan as a guest would be) — three stages approve, both get a
/// signing card, both sign by typing their names, and the agreement becomes Active with its activation effects.
/// </summary>
public abstract class AgreementSigningTests(ITestDatabaseFactory databases) : IAsyncLifetime
{
    protected BotTestHost Bot { get; private set; } = null!;

    private ITestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await databases.CreateDatabaseAsync();
        Bot = await BotTestHost.StartAsync(new BotTestHostOptions
        {
            Database = _database,
            Settings = new Dictionary<string, string?>
            {
                ["Agreements:Signing:Signatories:IT support agreement"] = $"people:{Cast.Patti.AadObjectId}; provider",
                // Megan is also the provider's contact in Teams: these tests sign without negotiating first (AgreementNegotiationTests do).
                ["Agreements:Negotiation:AfterStage:IT support agreement"] = "none",
            },
        });
    }

    public async Task DisposeAsync()
    {
        await Bot.DisposeAsync();
        await _database.DisposeAsync();
    }

    protected static bool IsSigningCard(JsonObject card) => Cards.Verbs(card).Contains(SigningVerbs.Sign);

    protected static JsonObject SignData(JsonObject card, string typedName)
    {
        var data = Cards.Click(card, SigningVerbs.Sign);
        data[SigningVerbs.TypedNameInput] = typedName;
        return data;
    }

    protected async Task<Agreement> LoadAsync(long id)
    {
        await using var db = Bot.CreateDbContext();
        return await db.Agreements.AsNoTracking().SingleAsync(a => a.Id == id);
    }

    /// <summary>A complete draft whose provider's signatory is Megan, submitted by command, then approved by Megan, Adele and Patti.</summary>
    protected async Task<(long AgreementId, TestConversation Alex, TestConversation Megan, TestConversation Patti)> ApprovedAsync()
    {
        var alex = await Bot.WelcomedChatAsync(Cast.Alex);
        var megan = await Bot.WelcomedChatAsync(Cast.Megan);
        var adele = await Bot.WelcomedChatAsync(Cast.Adele);
        var patti = await Bot.WelcomedChatAsync(Cast.Patti);
        long id;
        await using (var db = Bot.CreateDbContext())
        {
            var terms = SampleTerms.Complete();
            var plan = terms.CommunicationPlan!;
            terms = terms with
            {
                OversightOwners = [new(Cast.Alex.AadObjectId)],
                CommunicationPlan = new CommunicationPlan(plan.OurContacts,
                    [.. plan.ProviderContacts, new ContactPoint("Megan Bowen", new PersonId(Cast.Megan.AadObjectId), role: "Authorised signatory")],
                    plan.UpdateCadence, plan.UpdatesGoTo, plan.ReviewCadence),
            };
            var agreement = Agreement.CreateDraft("Contoso help desk", terms, new(Cast.Alex.AadObjectId), Bot.Services.GetRequiredService<TimeProvider>().GetUtcNow());
            db.Agreements.Add(agreement);
            await db.SaveChangesAsync();
            id = agreement.Id;
        }
        Assert.Equal(HttpStatusCode.OK, (await alex.SendAsync($"agreement submit {id}")).Status);

        foreach (var approver in new[] { megan, adele, patti })
        {
            var (copy, card) = await approver.ExpectCardAsync(c => Cards.Verbs(c).Contains(ApprovalVerbs.Approve));
            Assert.Equal(HttpStatusCode.OK, (await approver.ClickAsync(copy.ActivityId, ApprovalVerbs.Approve, Cards.Click(card, ApprovalVerbs.Approve))).Status);
        }
        return (id, alex, megan, patti);
    }

    [Fact]
    public async Task FinalApproval_SendsSigningCards_AndTheLastTypedSignature_ActivatesTheAgreement_WithItsActivationEffects()
    {
        var (id, alex, megan, patti) = await ApprovedAsync();

        var (pattiCopy, pattiCard) = await patti.ExpectCardAsync(IsSigningCard);
        var (meganCopy, meganCard) = await megan.ExpectCardAsync(IsSigningCard);
        var awaiting = await LoadAsync(id);
        Assert.Equal(AgreementStatus.AwaitingSignatures, awaiting.Status);
        Assert.Equal([Cast.Patti.AadObjectId, Cast.Megan.AadObjectId], awaiting.Signatories!.Select(p => p.Value));
        // No final contract: the card shows the hash of the revision's canonical terms JSON, and says so.
        var (hash, source, _) = AgreementSigning.HashOf(awaiting.CurrentRevision);
        Assert.Equal(SigningHashSource.Terms, source);
        Assert.Contains(hash, TestConversation.Texts(pattiCard), StringComparison.Ordinal);
        Assert.Contains("canonical JSON", TestConversation.Texts(meganCard), StringComparison.Ordinal);
        await using (var db = Bot.CreateDbContext())
            Assert.False(await db.UpdateObligations.AnyAsync(o => o.AgreementId == id));   // not Active yet: no plan

        // Someone who is not a signatory: refused, and the attempt is on record.
        var foreign = await alex.ClickAsync(pattiCopy.ActivityId, SigningVerbs.Sign, SignData(pattiCard, "Alex Wilber"));
        Assert.Contains("You are not a signatory", TestConversation.Texts(foreign.Card), StringComparison.Ordinal);
        var audited = Assert.Single((await LoadAsync(id)).SigningEvents);
        Assert.Equal((SigningEventKind.RefusedNotSignatory, Cast.Alex.AadObjectId, hash), (audited.Kind, audited.Signer.Value, audited.Sha256));

        // A name that is not theirs: a clear message, nothing recorded.
        var wrong = await patti.ClickAsync(pattiCopy.ActivityId, SigningVerbs.Sign, SignData(pattiCard, "Patricia Fernandez"));
        Assert.Contains("not your full name", TestConversation.Texts(wrong.Card), StringComparison.Ordinal);
        Assert.Contains(SigningVerbs.Sign, Cards.Verbs(wrong.Card));
        Assert.Empty((await LoadAsync(id)).Signatures);

        var signed = await patti.ClickAsync(pattiCopy.ActivityId, SigningVerbs.Sign, SignData(pattiCard, "  patti   FERNANDEZ "));
        Assert.Contains("1 more signature is needed", TestConversation.Texts(signed.Card), StringComparison.Ordinal);
        Assert.DoesNotContain(SigningVerbs.Sign, Cards.Verbs(signed.Card));
        var again = await patti.ClickAsync(pattiCopy.ActivityId, SigningVerbs.Sign, SignData(pattiCard, "Patti Fernandez"));
        Assert.Contains("already signed", TestConversation.Texts(again.Card), StringComparison.Ordinal);
        Assert.Single((await LoadAsync(id)).Signatures);

        var last = await megan.ClickAsync(meganCopy.ActivityId, SigningVerbs.Sign, SignData(meganCard, "Megan Bowen"));
        Assert.Contains("is now Active", TestConversation.Texts(last.Card), StringComparison.Ordinal);

        var active = await LoadAsync(id);
        Assert.Equal(AgreementStatus.Active, active.Status);
        Assert.Equal(1, active.ActiveRevisionNumber);
        var signatures = active.SigningEvents.Where(e => e.Kind == SigningEventKind.Signature).ToList();
        Assert.Equal([("patti   FERNANDEZ", Cast.Patti.AadObjectId), ("Megan Bowen", Cast.Megan.AadObjectId)],
            signatures.Select(s => (s.TypedName, s.Signer.Value)));
        Assert.All(signatures, s => Assert.Equal((hash, 1), (s.Sha256, s.Revision)));

        // Activation effects run as after a final approval: the communication plan opens its first update obligation.
        await Bot.WaitUntilStoredAsync(async db => await db.UpdateObligations.AnyAsync(o => o.AgreementId == id),
            "No update obligation was opened after the last signature made the agreement Active.", TimeSpan.FromSeconds(15));

        // Every copy of the signing card is updated in place: who signed, no Sign button left.
        await Bot.WaitForOutboxToSettleAsync();
        foreach (var (chat, copy) in new[] { (patti, pattiCopy), (megan, meganCopy) })
        {
            var current = Bot.Connector.GetMessage(chat.Id, copy.ActivityId)!;
            Assert.True(current.Versions.Count > 1, $"{chat.User.Name}'s signing card was never updated.");
            var card = Cards.CardOf(current.Current);
            Assert.Empty(Cards.Verbs(card));
            var texts = TestConversation.Texts(card);
            Assert.Contains("Signed by every signatory", texts, StringComparison.Ordinal);
            Assert.Contains("as \u201cMegan Bowen\u201d", texts, StringComparison.Ordinal);
        }
    }
}

public sealed class SqliteAgreementSigningTests() : AgreementSigningTests(new SqliteTestDatabases())
{
    [Fact]
    public async Task ADocumentChangedWhileAwaitingSignatures_StartsANewRevisionThroughApproval_AndTheSignaturesNoLongerCount()
    {
        var (id, _, megan, patti) = await ApprovedAsync();
        var (pattiCopy, pattiCard) = await patti.ExpectCardAsync(IsSigningCard);
        var (meganCopy, meganCard) = await megan.ExpectCardAsync(IsSigningCard);
        await patti.ClickAsync(pattiCopy.ActivityId, SigningVerbs.Sign, SignData(pattiCard, "Patti Fernandez"));
        Assert.Single((await LoadAsync(id)).Signatures);

        var pdf = SampleDocuments.Pdf();
        var file = new DocumentFile("contract-final.pdf", "application/pdf", pdf.Length, Convert.ToHexStringLower(SHA256.HashData(pdf)));
        await using (var scope = Bot.Services.CreateAsyncScope())
        {
            var added = await scope.ServiceProvider.GetRequiredService<AddAgreementDocument>()
                .HandleAsync(id, DocumentKind.FinalContract, file, pdf, new PersonId(Cast.Alex.AadObjectId), CancellationToken.None);
            Assert.Equal(DocumentChange.NewRevisionAwaitingSignatures, added!.Change);
        }

        var changed = await LoadAsync(id);
        Assert.Equal((AgreementStatus.InApproval, 2), (changed.Status, changed.CurrentRevision.Number));
        Assert.Empty(changed.Signatures);
        await using (var db = Bot.CreateDbContext())
            Assert.True(await db.ApprovalRequests.AnyAsync(r => r.Subject.Id == id && r.Subject.Revision == 2));
        // The new revision goes through approval from the first stage: Megan gets the manager's card again.
        await megan.ExpectCardAsync(c => Cards.Verbs(c).Contains(ApprovalVerbs.Approve));

        // The old card is stale: refused, the signatory is told to use the new card, nothing recorded.
        var stale = await megan.ClickAsync(meganCopy.ActivityId, SigningVerbs.Sign, SignData(meganCard, "Megan Bowen"));
        Assert.Contains("out of date", TestConversation.Texts(stale.Card), StringComparison.Ordinal);
        Assert.Contains("new card", TestConversation.Texts(stale.Card), StringComparison.Ordinal);
        Assert.Equal(AgreementStatus.InApproval, (await LoadAsync(id)).Status);
        Assert.Single((await LoadAsync(id)).SigningEvents);

        await Bot.WaitForOutboxToSettleAsync();
        var pattiNow = Cards.CardOf(Bot.Connector.GetMessage(patti.Id, pattiCopy.ActivityId)!.Current);
        Assert.Contains("Out of date", TestConversation.Texts(pattiNow), StringComparison.Ordinal);
        Assert.Empty(Cards.Verbs(pattiNow));
    }
}

public sealed class PostgresAgreementSigningTests(PostgresServerFixture postgres)
    : AgreementSigningTests(postgres), IClassFixture<PostgresServerFixture>;
