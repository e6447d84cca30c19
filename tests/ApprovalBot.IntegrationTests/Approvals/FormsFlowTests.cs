using System.Net;
using System.Text.Json.Nodes;
using ApprovalBot.Agreements.Cards;
using ApprovalBot.Approvals.Cards;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Approvals;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.TestSupport.Storage;
using ApprovalBot.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

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
        var (second, _) = await alex.ExpectCardAsync(c => Cards.Verbs(c).Contains(AgreementVerbs.Create));
        var duplicate = await alex.ClickAsync(second.ActivityId, AgreementVerbs.Create, new JsonObject { [AgreementFormFields.Name] = "fabrikam FIELD service" });
        Assert.Contains("exists already", TestConversation.Texts(duplicate.Card), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgreementEdit_PrefillsTheForm_AndKeepsTermsTheFormDoesNotShow()
    {
        var alex = await ChatWithAsync(Cast.Alex);
        long id;
        await using (var db = _bot.CreateDbContext())
        {
            // Drafted through the API with its own targets: P1 answered within 5 minutes.
            var terms = SampleTerms.Complete() with
            {
                OversightOwners = [new(Cast.Alex.AadObjectId)],
                ServiceLevels = new ServiceLevelTargets([new PriorityTarget(Priority.P1, TimeSpan.FromMinutes(5), TimeSpan.FromHours(2), aroundTheClock: true),
                    new PriorityTarget(Priority.P2, TimeSpan.FromHours(1), TimeSpan.FromHours(8)), new PriorityTarget(Priority.P3, TimeSpan.FromHours(4), TimeSpan.FromDays(2)),
                    new PriorityTarget(Priority.P4, TimeSpan.FromHours(8), TimeSpan.FromDays(5))]),
            };
            var agreement = Agreement.CreateDraft("Northwind desk", terms, new(Cast.Alex.AadObjectId), _bot.Services.GetRequiredService<TimeProvider>().GetUtcNow());
            db.Agreements.Add(agreement);
            await db.SaveChangesAsync();
            id = agreement.Id;
        }

        await alex.SendAsync("agreement edit Northwind desk");
        var (form, formCard) = await alex.ExpectCardAsync();
        var texts = TestConversation.Texts(formCard);
        Assert.Contains("alexw@example.com", texts, StringComparison.Ordinal);
        Assert.Contains("pat@contoso.example", texts, StringComparison.Ordinal);

        var data = Cards.Click(formCard, AgreementVerbs.Revise);
        foreach (var input in FormInputs(formCard)) data[input.Key] = input.Value;
        data[AgreementFormFields.Provider] = "Northwind Traders";
        var saved = await alex.ClickAsync(form.ActivityId, AgreementVerbs.Revise, data);
        Assert.Contains("saved", TestConversation.Texts(saved.Card), StringComparison.Ordinal);

        await using var check = _bot.CreateDbContext();
        var revised = await check.Agreements.AsNoTracking().SingleAsync(a => a.Id == id);
        Assert.Equal("Northwind Traders", revised.Terms.ProviderName);
        Assert.Equal([new PersonId(Cast.Alex.AadObjectId)], revised.Terms.OversightOwners);
        Assert.Equal(TimeSpan.FromMinutes(5), revised.Terms.ServiceLevels!.For(Priority.P1).Response);
        Assert.Empty(revised.Terms.Problems());
    }

    /// <summary>The values the form's inputs show (what Teams sends back when the user changes nothing).</summary>
    private static Dictionary<string, JsonNode?> FormInputs(JsonNode card)
    {
        var inputs = new Dictionary<string, JsonNode?>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    if (o["type"]?.GetValue<string>() is { } type && type.StartsWith("Input.", StringComparison.Ordinal) && o["id"] is { } inputId && o["value"] is { } value)
                        inputs[inputId.GetValue<string>()] = value.DeepClone();
                    foreach (var (_, child) in o) Walk(child);
                    break;
                case JsonArray a:
                    foreach (var item in a) Walk(item);
                    break;
            }
        }
        Walk(card);
        return inputs;
    }
}
