using System.Net;
using System.Text.Json.Nodes;
using ApprovalBot.Agreements.Announcement;
using ApprovalBot.Agreements.Negotiation;
using ApprovalBot.Agreements.Signing;
using ApprovalBot.Agreements.Term;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.IntegrationTests.Api;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Scheduling;
using ApprovalBot.TestSupport;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalBot.IntegrationTests.Agreements;

/// <summary>
/// An agreement's whole life through the real endpoint, the real scheduler and a manual clock, each link configured as
/// in production: drafted through the API, approved by its manager and Legal, one negotiation round (the provider's
/// contact Lynne accepts), final approval by Management, signed by Patti and the provider's signatory (Lynne again) →
/// Active, announced in the IT channel and acknowledged, the notice-deadline reminders 30, 14 and 7 days before the
/// notice date (2026-10-31, three months before the end of the term), and Expired at the end of the term
/// (2027-02-01 00:00 Europe/Berlin). The clock starts on 2026-09-25, inside the term (2026-02-01 to 2027-01-31).
/// </summary>
public sealed class AgreementLifecycleChainTests : IAsyncLifetime
{
    private const string It = "19:it@thread.tacv2";
    private static readonly DateTimeOffset Start = new(2026, 9, 25, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset EndOfTerm = new(2027, 1, 31, 23, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset[] Reminders =
        [new(2026, 10, 1, 7, 0, 0, TimeSpan.Zero), new(2026, 10, 17, 7, 0, 0, TimeSpan.Zero), new(2026, 10, 24, 7, 0, 0, TimeSpan.Zero)];

    private readonly ManualTimeProvider _clock = new(Start);
    private ITestDatabase _database = null!;
    private BotTestHost _bot = null!;

    public async Task InitializeAsync()
    {
        _database = await new SqliteTestDatabases().CreateDatabaseAsync();
        var settings = ApiTestKeys.Settings();
        settings["Agreements:Signing:Signatories:IT support agreement"] = $"people:{Cast.Patti.AadObjectId}; provider";
        settings["Agreements:Announcement:Channels:0:Department"] = "IT";
        settings["Agreements:Announcement:Channels:0:ChannelId"] = It;
        _bot = await BotTestHost.StartAsync(new BotTestHostOptions { Database = _database, Time = _clock, Settings = settings });
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static bool Has(JsonObject card, string verb) => Cards.Verbs(card).Contains(verb);

    private async Task<Agreement> LoadAsync(long id)
    {
        await using var db = _bot.CreateDbContext();
        return await db.Agreements.AsNoTracking().SingleAsync(a => a.Id == id);
    }

    /// <summary>Waits until the outbox has sent everything, ticking the manual clock (paced sends wait on it).</summary>
    private Task SettleAsync() => _clock.TickUntilAsync(
        async () =>
        {
            await using var db = _bot.CreateDbContext();
            return !await db.OutboxMessages.AnyAsync(m => m.Status == ApprovalBot.Teams.Outbox.OutboxStatus.Pending);
        },
        () => "the outbox still has pending messages");

    /// <summary>The next card in <paramref name="chat"/> with a <paramref name="verb"/> button, clicked with <paramref name="inputs"/> added to its data.</summary>
    private async Task<TurnResult> ClickNextAsync(TestConversation chat, string verb, params (string Name, string Value)[] inputs)
    {
        var (message, card) = await chat.ExpectCardWhileTickingAsync(_clock, c => Has(c, verb));
        var data = Cards.Click(card, verb);
        foreach (var (name, value) in inputs) data[name] = value;
        var answer = await chat.ClickAsync(message.ActivityId, verb, data);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        return answer;
    }

    [Fact]
    public async Task DraftApprovalsNegotiationSignaturesActivationAnnouncementRemindersAndExpiry_OneChain()
    {
        var alex = await _bot.WelcomedChatAsync(Cast.Alex);
        var megan = await _bot.WelcomedChatAsync(Cast.Megan);
        var adele = await _bot.WelcomedChatAsync(Cast.Adele);
        var patti = await _bot.WelcomedChatAsync(Cast.Patti);
        var lynne = await _bot.WelcomedChatAsync(Cast.Lynne);
        var it = _bot.Channel(Cast.Isaiah, It);
        await it.InstallAsync();
        await it.ExpectMessageAsync();

        // Drafted through the API: the provider's contacts are Pat (e-mail only) and Lynne (in Teams, their signatory).
        var terms = ApiCalls.CompleteTerms();
        terms["communicationPlan"]!["providerContacts"]!.AsArray()
            .Add(new JsonObject { ["name"] = "Lynne Robbins", ["person"] = "lynner@example.com", ["role"] = "Account manager and authorised signatory" });
        var id = await ApiCalls.CreateAgreementAsync(_bot, "Contoso help desk", terms);
        using (var submit = await ApiCalls.PostAsync(_bot, $"/api/v1/agreements/{id}/submit", new JsonObject { ["by"] = "alexw@example.com" }))
            await ApiCalls.JsonAsync(submit, HttpStatusCode.Accepted);

        // Manager and Legal approve; the revision goes to the provider, who accepts it: agreed upon.
        await ClickNextAsync(megan, ApprovalVerbs.Approve);
        await ClickNextAsync(adele, ApprovalVerbs.Approve);
        var accepted = await ClickNextAsync(lynne, NegotiationVerbs.Accept);
        Assert.Contains("agreed upon", TestConversation.Texts(accepted.Card), StringComparison.Ordinal);
        Assert.NotNull((await LoadAsync(id)).AgreedUpon(1));

        // Management's final approval: both signatories sign by typing their names; the last signature activates it.
        await ClickNextAsync(patti, ApprovalVerbs.Approve);
        Assert.Equal(AgreementStatus.AwaitingSignatures, (await LoadAsync(id)).Status);
        await ClickNextAsync(patti, SigningVerbs.Sign, (SigningVerbs.TypedNameInput, "Patti Fernandez"));
        var last = await ClickNextAsync(lynne, SigningVerbs.Sign, (SigningVerbs.TypedNameInput, "Lynne Robbins"));
        Assert.Contains("is now Active", TestConversation.Texts(last.Card), StringComparison.Ordinal);
        var active = await LoadAsync(id);
        Assert.Equal((AgreementStatus.Active, 1), (active.Status, active.ActiveRevisionNumber));

        // Announced in the IT channel; Adele acknowledges there.
        var (post, announcement) = await it.ExpectCardWhileTickingAsync(_clock, c => Has(c, AnnouncementVerbs.Acknowledge));
        Assert.Contains("Contoso help desk is in force from 2026-02-01 to 2027-01-31", TestConversation.Texts(announcement), StringComparison.Ordinal);
        var ack = await it.ClickAsync(post.ActivityId, AnnouncementVerbs.Acknowledge, Cards.Click(announcement, AnnouncementVerbs.Acknowledge), Cast.Adele);
        Assert.Contains("Adele Vance (IT)", TestConversation.Texts(ack.Card), StringComparison.Ordinal);

        // The term timer is armed for the first reminder; the oversight owner (Alex) is reminded 30, 14 and 7 days before the notice date.
        await SettleAsync();
        await _bot.Services.GetRequiredService<TermTimerAuditor>().AuditAsync(CancellationToken.None);
        Assert.Equal(Reminders[0], (await _bot.Services.GetRequiredService<DurableTimers>().GetArmedAsync(TermTimers.Kind, $"{id}", CancellationToken.None))!.DueAt);
        foreach (var (due, days) in Reminders.Zip([30, 14, 7]))
        {
            await SettleAsync();
            _clock.SetUtcNow(due);
            var (_, reminder) = await alex.ExpectCardWhileTickingAsync(_clock, c => TestConversation.Texts(c).Contains("End of term", StringComparison.Ordinal));
            Assert.Contains($"is in {days} days (2026-10-31)", TestConversation.Texts(reminder), StringComparison.Ordinal);
        }

        // Nobody chose: at the end of the term it expires.
        await SettleAsync();
        _clock.SetUtcNow(EndOfTerm);
        Agreement ended = null!;
        await _clock.TickUntilAsync(async () => (ended = await LoadAsync(id)).Status == AgreementStatus.Expired, () => $"agreement {id} is {ended.Status}");
        Assert.Equal(EndOfTerm, ended.ExpiredAt);
    }
}
