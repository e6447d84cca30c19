using System.Net;
using System.Text.Json.Nodes;
using ApprovalBot.Agreements.Cards;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.IntegrationTests.Approvals;

/// <summary>The chat forms: starting an approval with `request`, and drafting and submitting an agreement with `agreement new`.</summary>
public sealed class FormsFlowTests : IAsyncLifetime
{
    private BotTestHost _bot = null!;

    public async Task InitializeAsync() => _bot = await BotTestHost.StartAsync(new BotTestHostOptions { Database = new SqliteTestDatabases().CreateDatabaseAsync().GetAwaiter().GetResult() });

    public async Task DisposeAsync()
    {
        var database = _bot.Database;
        await _bot.DisposeAsync();
        await database.DisposeAsync();
    }

    private async Task<TestConversation> ChatWithAsync(TestUser user)
    {
        var chat = _bot.PersonalChat(user);
        await chat.InstallAsync();
        await chat.ExpectCardAsync();
        return chat;
    }

    [Fact]
    public async Task RequestForm_ShowsEveryFieldError_ThenStartsTheRequest_AndTheFormBecomesTheStatusCard()
    {
        var alex = await ChatWithAsync(Cast.Alex);
        var megan = await ChatWithAsync(Cast.Megan);
        await alex.SendAsync("request");
        var (form, formCard) = await alex.ExpectCardAsync();

        var invalid = await alex.ClickAsync(form.ActivityId, RequestFormVerbs.Submit, new JsonObject
        {
            [RequestFormFields.Title] = "",
            [RequestFormFields.Link] = "http://intranet/doc",
            [RequestFormFields.Approvers] = "nobody@example.com",
        });
        var errors = TestConversation.Texts(invalid.Card);
        Assert.Contains(RequestFormVerbs.Submit, Cards.Verbs(invalid.Card));
        Assert.Contains("https", errors, StringComparison.Ordinal);
        await using (var db = _bot.CreateDbContext())
            Assert.Equal(0, await db.ApprovalRequests.CountAsync());

        var started = await alex.ClickAsync(form.ActivityId, RequestFormVerbs.Submit, new JsonObject
        {
            [RequestFormFields.Title] = "New laptops for the help desk",
            [RequestFormFields.Details] = "Six laptops.",
            [RequestFormFields.Link] = "https://intranet.example.com/quote.pdf",
            [RequestFormFields.Approvers] = "meganb@example.com",
            [RequestFormFields.Rule] = "any",
        });
        Assert.Equal(HttpStatusCode.OK, started.Status);
        Assert.Contains("started", TestConversation.Texts(started.Card), StringComparison.Ordinal);
        var (meganCopy, meganCard) = await megan.ExpectCardAsync();

        // Changes requested: the requester's status card (the former form) updates in place and offers Resubmit.
        await megan.ClickAsync(meganCopy.ActivityId, ApprovalVerbs.RequestChanges, Cards.Click(meganCard, ApprovalVerbs.RequestChanges, "Which model?"));
        await _bot.WaitForOutboxToSettleAsync();
        var statusCard = Cards.CardOf(_bot.Connector.GetMessage(alex.Id, form.ActivityId)!.Current);
        Assert.Contains(ApprovalVerbs.Resubmit, Cards.Verbs(statusCard));

        var resubmitted = await alex.ClickAsync(form.ActivityId, ApprovalVerbs.Resubmit, Cards.Click(statusCard, ApprovalVerbs.Resubmit, "ThinkPad T14."));
        Assert.Equal(HttpStatusCode.OK, resubmitted.Status);
        await using var check = _bot.CreateDbContext();
        var request = await check.ApprovalRequests.AsNoTracking().SingleAsync();
        Assert.Equal((ApprovalStatus.InProgress, 2), (request.Status, request.Revision));
        Assert.Equal("https://intranet.example.com/quote.pdf", request.Links.Single().Url);
    }

    [Fact]
    public async Task AgreementForm_CreatesACompleteDraft_ThatCanBeSubmittedFromItsCard()
    {
        var alex = await ChatWithAsync(Cast.Alex);
        await ChatWithAsync(Cast.Megan);
        await alex.SendAsync("agreement new");
        var (form, _) = await alex.ExpectCardAsync();

        var saved = await alex.ClickAsync(form.ActivityId, AgreementVerbs.Create, new JsonObject
        {
            [AgreementFormFields.Name] = "Fabrikam field service",
            [AgreementFormFields.Provider] = "Fabrikam Ltd",
            [AgreementFormFields.ProviderContact] = "pat@fabrikam.example",
            [AgreementFormFields.Services] = "HelpDesk,HardwareTroubleshooting",
            [AgreementFormFields.Coverage] = "Both",
            [AgreementFormFields.StartDate] = "2027-01-01",
            [AgreementFormFields.EndDate] = "2027-12-31",
            [AgreementFormFields.Pricing] = "MonthlyRetainer",
            [AgreementFormFields.Amount] = "3000",
            [AgreementFormFields.Currency] = "EUR",
            [AgreementFormFields.Oversight] = "alexw@example.com",
        });
        Assert.Equal(HttpStatusCode.OK, saved.Status);
        Assert.True(Cards.Verbs(saved.Card).Contains(AgreementVerbs.Submit), TestConversation.Texts(saved.Card));

        var submitted = await alex.ClickAsync(form.ActivityId, AgreementVerbs.Submit, Cards.Click(saved.Card, AgreementVerbs.Submit));
        Assert.Contains("Submitted for approval", TestConversation.Texts(submitted.Card), StringComparison.Ordinal);
        await using var db = _bot.CreateDbContext();
        var agreement = await db.Agreements.AsNoTracking().SingleAsync();
        Assert.Equal(AgreementStatus.InApproval, agreement.Status);
        Assert.Empty(agreement.Terms.Problems());

        // A second draft with the same name is refused on the form.
        await alex.SendAsync("agreement new");
        var (second, _) = await alex.ExpectCardAsync();
        var duplicate = await alex.ClickAsync(second.ActivityId, AgreementVerbs.Create, new JsonObject { [AgreementFormFields.Name] = "fabrikam FIELD service" });
        Assert.Contains("exists already", TestConversation.Texts(duplicate.Card), StringComparison.Ordinal);
    }
}
