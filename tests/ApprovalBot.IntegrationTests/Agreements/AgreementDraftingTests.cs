using System.Net;
using System.Text.Json.Nodes;
using ApprovalBot.Agreements;
using ApprovalBot.Agreements.Cards;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.IntegrationTests.Api;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.IntegrationTests.Agreements;

/// <summary>
/// Drafting (issue 10) through the real endpoint with signed tokens and the API with keys: the form in steps that each
/// save the draft, resuming with <c>agreement edit</c>, a submission that shows every problem at once, the new terms
/// through the API and the form, JSON import, and <c>agreement show</c>.
/// </summary>
public sealed class AgreementDraftingTests : IAsyncLifetime
{
    private BotTestHost _bot = null!;

    public async Task InitializeAsync() =>
        _bot = await BotTestHost.StartAsync(new BotTestHostOptions { Database = await new SqliteTestDatabases().CreateDatabaseAsync(), Settings = ApiTestKeys.Settings() });

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

    /// <summary>
    /// What Teams sends for the form's button that saves and goes to <paramref name="go"/> (next, back, close, submit
    /// or a section): the button's data with every input the card shows, as prefilled or as typed in <paramref name="inputs"/>.
    /// </summary>
    private static JsonObject Step(JsonNode? card, string go, JsonObject? inputs = null)
    {
        var action = Cards.Actions(card).FirstOrDefault(a => a["data"]?["go"]?.GetValue<string>() == go)
            ?? throw new Xunit.Sdk.XunitException($"The form has no button that goes to '{go}': {TestConversation.Texts(card)}");
        var data = (JsonObject)action["data"]!.DeepClone();
        foreach (var id in InputIds(card)) data[id] = FormValue(card, id);
        foreach (var (key, value) in inputs ?? [])
        {
            Assert.Contains(key, InputIds(card)); // as in Teams: only the inputs on the card are sent
            data[key] = value?.DeepClone();
        }

        return data;
    }

    private static List<string> InputIds(JsonNode? card)
    {
        var ids = new List<string>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    if (o["type"]?.GetValue<string>()?.StartsWith("Input.", StringComparison.Ordinal) == true) ids.Add(o["id"]!.GetValue<string>());
                    foreach (var (_, child) in o) Walk(child);
                    break;
                case JsonArray a:
                    foreach (var child in a) Walk(child);
                    break;
            }
        }

        Walk(card);
        return ids;
    }

    private static string VerbOf(JsonObject data) => data.ContainsKey(AgreementFormFields.AgreementId) ? AgreementVerbs.Revise : AgreementVerbs.Create;

    private async Task<Agreement> StoredAsync()
    {
        await using var db = _bot.CreateDbContext();
        return await db.Agreements.AsNoTracking().SingleAsync();
    }

    [Fact]
    public async Task TheForm_SavesEachStep_ResumesWhereWorkStopped_ShowsEveryProblemAtOnce_ThenSubmits()
    {
        var alex = await ChatWithAsync(Cast.Alex);
        await ChatWithAsync(Cast.Megan);
        await alex.SendAsync("agreement new");
        var (form, card) = await alex.ExpectCardAsync();
        Assert.Contains("Step 1 of 5", TestConversation.Texts(card), StringComparison.Ordinal);

        // Step 1 saves a draft, incomplete, and shows step 2 in place.
        var step1 = Step(card, "next", new JsonObject
        {
            [AgreementFormFields.Name] = "Fabrikam field service",
            [AgreementFormFields.Provider] = "Fabrikam Ltd",
            [AgreementFormFields.ProviderContact] = "pat@fabrikam.example",
            [AgreementFormFields.Oversight] = "alexw@example.com",
        });
        var saved = await alex.ClickAsync(form.ActivityId, VerbOf(step1), step1);
        Assert.Equal(HttpStatusCode.OK, saved.Status);
        Assert.Contains("Step 2 of 5", TestConversation.Texts(saved.Card), StringComparison.Ordinal);
        Assert.Contains("saved", TestConversation.Texts(saved.Card), StringComparison.Ordinal);
        var draft = await StoredAsync();
        Assert.Equal(AgreementStatus.Draft, draft.Status);
        Assert.Equal("Fabrikam Ltd", draft.Terms.ProviderName);
        Assert.Contains(draft.Terms.Problems(), p => p.Field == nameof(AgreementTerms.Services));

        // Resumed later: `agreement edit` opens the first step with something missing (scope), prefilled.
        await alex.SendAsync("agreement edit Fabrikam field service");
        var (_, resumed) = await alex.ExpectCardAsync();
        Assert.Contains("Step 2 of 5 · Scope and responsibilities", TestConversation.Texts(resumed), StringComparison.Ordinal);
        Assert.Contains(StandardTerms.StandardResponsibilities.Provider[0], TestConversation.Texts(resumed), StringComparison.Ordinal);

        // Submit now: refused, and the form shows every problem at once, by step, and under its field.
        var submit = Step(saved.Card, "submit", new JsonObject
        {
            [AgreementFormFields.OurResponsibilities] = "Keep the device inventory current",
            [AgreementFormFields.ProviderResponsibilities] = "Answer the phone\nReplace broken laptops",
        });
        var refused = await alex.ClickAsync(form.ActivityId, VerbOf(submit), submit);
        var texts = TestConversation.Texts(refused.Card);
        Assert.Contains("Not complete yet: 5 things are still needed", texts, StringComparison.Ordinal);
        foreach (var expected in new[] { "Choose the services in scope.", "Choose hardware, software or both.", "Give the start date.", "Give the end date.", "Give the pricing structure and amount." })
            Assert.Contains(expected, texts, StringComparison.Ordinal);
        Assert.Contains("Term and pricing: ", texts, StringComparison.Ordinal);
        Assert.Contains("Step 2 of 5", texts, StringComparison.Ordinal);
        Assert.Equal(AgreementStatus.Draft, (await StoredAsync()).Status);
        Assert.Equal(["Answer the phone", "Replace broken laptops"], (await StoredAsync()).Terms.Responsibilities!.Provider); // the step was saved first

        // The remaining steps, then submit from the last one.
        var scope = Step(refused.Card, "next", new JsonObject
        {
            [AgreementFormFields.Services] = "HelpDesk,Other",
            [AgreementFormFields.OtherServices] = "Printer fleet care",
            [AgreementFormFields.Coverage] = "Both",
            [AgreementFormFields.OurResponsibilities] = "Keep the device inventory current",
            [AgreementFormFields.ProviderResponsibilities] = "Answer the phone\nReplace broken laptops",
            [AgreementFormFields.Constraints] = "No support for private devices",
        });
        var atTerm = await alex.ClickAsync(form.ActivityId, VerbOf(scope), scope);
        Assert.Contains("Step 3 of 5", TestConversation.Texts(atTerm.Card), StringComparison.Ordinal);
        var term = Step(atTerm.Card, "next", new JsonObject
        {
            [AgreementFormFields.StartDate] = "2027-01-01",
            [AgreementFormFields.Duration] = "2 years",
            [AgreementFormFields.Notice] = "6 weeks",
            [AgreementFormFields.Pricing] = "Hourly",
            [AgreementFormFields.Amount] = "95",
            [AgreementFormFields.Currency] = "EUR",
            [AgreementFormFields.AdditionalServices] = "On-site visit: 150\nWeekend migration: 1200.50",
        });
        var atService = await alex.ClickAsync(form.ActivityId, VerbOf(term), term);
        Assert.Contains("Step 4 of 5", TestConversation.Texts(atService.Card), StringComparison.Ordinal);
        Assert.Equal("15 min", FormValue(atService.Card, AgreementFormFields.P1Response)); // the standard targets, to change
        var service = Step(atService.Card, "submit", new JsonObject
        {
            [AgreementFormFields.P1Response] = "10 min",
            [AgreementFormFields.P1Resolution] = "2 h",
            [AgreementFormFields.AroundTheClock] = "P1,P2",
            [AgreementFormFields.L2Contacts] = "adelev@example.com",
        });
        var submitted = await alex.ClickAsync(form.ActivityId, VerbOf(service), service);
        Assert.Contains("Submitted for approval", TestConversation.Texts(submitted.Card), StringComparison.Ordinal);

        var agreement = await StoredAsync();
        Assert.Equal(AgreementStatus.InApproval, agreement.Status);
        var terms = agreement.Terms;
        Assert.Equal(new DateOnly(2028, 12, 31), terms.EndDate);
        Assert.Equal(new CalendarPeriod(6, PeriodUnit.Weeks), terms.TerminationNotice);
        Assert.Equal([new AdditionalService("On-site visit", 150m), new AdditionalService("Weekend migration", 1200.5m)], terms.AdditionalServices);
        Assert.Equal(["Keep the device inventory current"], terms.Responsibilities!.Ours);
        Assert.Equal(["No support for private devices"], terms.SupportConstraints);
        Assert.Equal(TimeSpan.FromMinutes(10), terms.ServiceLevels!.For(Priority.P1).Response);
        Assert.True(terms.ServiceLevels.For(Priority.P2).AroundTheClock);
        Assert.Equal([Cast.Adele.AadObjectId], terms.Escalation!.For(SupportLevel.L2).Contacts.People.Select(p => p.Value));
        Assert.Equal([Cast.Alex.AadObjectId], terms.Escalation.For(SupportLevel.L1).Contacts.People.Select(p => p.Value));
    }

    [Fact]
    public async Task ARefusedSubmit_ListsAMissingDataProtectionSectionUnderItsStep_AndTheFifthStepFillsIt()
    {
        var alex = await ChatWithAsync(Cast.Alex);
        await ChatWithAsync(Cast.Megan);
        await alex.SendAsync("agreement new");
        var (form, card) = await alex.ExpectCardAsync();

        // No account manager at the provider: the chat draft has no one to notify on the provider's side.
        var step1 = Step(card, "next", new JsonObject
        {
            [AgreementFormFields.Name] = "Fabrikam field service",
            [AgreementFormFields.Provider] = "Fabrikam Ltd",
            [AgreementFormFields.Oversight] = "alexw@example.com",
        });
        var saved = await alex.ClickAsync(form.ActivityId, VerbOf(step1), step1);
        Assert.Null((await StoredAsync()).Terms.DataProtection);

        var submit = Step(saved.Card, "submit");
        var refused = await alex.ClickAsync(form.ActivityId, VerbOf(submit), submit);
        var refusedTexts = TestConversation.Texts(refused.Card);
        Assert.Contains("Data protection: ", refusedTexts, StringComparison.Ordinal);
        Assert.Contains("Give the data-protection contacts of both sides and the breach notification deadline.", refusedTexts, StringComparison.Ordinal);
        Assert.Equal(AgreementStatus.Draft, (await StoredAsync()).Status);

        // The fifth step shows the problem under the provider's contact.
        var jump = Step(refused.Card, "dataprotection");
        var atStep5 = await alex.ClickAsync(form.ActivityId, VerbOf(jump), jump);
        var step5Texts = TestConversation.Texts(atStep5.Card);
        Assert.Contains("Step 5 of 5 · Data protection", step5Texts, StringComparison.Ordinal);
        Assert.Equal([AgreementFormFields.DataProtectionContacts, AgreementFormFields.ProviderDataProtectionContact, AgreementFormFields.BreachDeadlineHours],
            InputIds(atStep5.Card).Distinct());

        // An address nobody has: shown under its field, nothing saved.
        var unknown = Step(atStep5.Card, "close", new JsonObject
        {
            [AgreementFormFields.DataProtectionContacts] = "nobody@example.com",
            [AgreementFormFields.ProviderDataProtectionContact] = "privacy@fabrikam.example",
        });
        var wrong = await alex.ClickAsync(form.ActivityId, VerbOf(unknown), unknown);
        Assert.Contains("Not in the directory: nobody@example.com.", TestConversation.Texts(wrong.Card), StringComparison.Ordinal);
        Assert.Null((await StoredAsync()).Terms.DataProtection);

        var fill = Step(atStep5.Card, "close", new JsonObject
        {
            [AgreementFormFields.DataProtectionContacts] = "meganb@example.com",
            [AgreementFormFields.ProviderDataProtectionContact] = "privacy@fabrikam.example",
            [AgreementFormFields.BreachDeadlineHours] = 48,
        });
        var closed = await alex.ClickAsync(form.ActivityId, VerbOf(fill), fill);
        Assert.Contains("48 hours after a breach is reported", TestConversation.Texts(closed.Card), StringComparison.Ordinal);
        var dp = (await StoredAsync()).Terms.DataProtection!;
        Assert.Equal([Cast.Megan.AadObjectId], dp.OurContacts.Select(c => c.Person!.Value.Value));
        Assert.Equal("privacy@fabrikam.example", Assert.Single(dp.ProviderContacts).Email);
        Assert.Equal(TimeSpan.FromHours(48), dp.NotificationDeadline);
        Assert.DoesNotContain((await StoredAsync()).Terms.Problems(), p => p.Field == nameof(AgreementTerms.DataProtection));
    }

    [Fact]
    public async Task AStep_WithAnInvalidValue_ShowsItsError_AndSavesNothing()
    {
        var alex = await ChatWithAsync(Cast.Alex);
        await alex.SendAsync("agreement new");
        var (form, card) = await alex.ExpectCardAsync();
        var step1 = Step(card, "next", new JsonObject { [AgreementFormFields.Name] = "Contoso desk", [AgreementFormFields.Oversight] = "alexw@example.com" });
        var saved = await alex.ClickAsync(form.ActivityId, VerbOf(step1), step1);
        var atTerm = await alex.ClickAsync(form.ActivityId, AgreementVerbs.Revise, Step(saved.Card, "term"));
        var before = (await StoredAsync()).Version;

        var bad = Step(atTerm.Card, "next", new JsonObject { [AgreementFormFields.StartDate] = "2027-01-01", [AgreementFormFields.Duration] = "a while" });
        var refused = await alex.ClickAsync(form.ActivityId, AgreementVerbs.Revise, bad);

        Assert.Contains("Give the duration as a number of days, weeks, months or years", TestConversation.Texts(refused.Card), StringComparison.Ordinal);
        Assert.Contains("Step 3 of 5", TestConversation.Texts(refused.Card), StringComparison.Ordinal);
        Assert.Equal(before, (await StoredAsync()).Version);
    }

    [Fact]
    public async Task TheNewTerms_RoundTripThroughTheApi_AndADurationGivesTheEndDate()
    {
        var terms = ApiCalls.CompleteTerms();
        terms.Remove("endDate");
        terms["duration"] = new JsonObject { ["count"] = 12, ["unit"] = "Months" };

        var id = await ApiCalls.CreateAgreementAsync(_bot, "Contoso support", terms);

        using var read = await ApiCalls.GetAsync(_bot, $"/api/v1/agreements/{id}");
        var agreement = await ApiCalls.JsonAsync(read);
        Assert.Empty(agreement["problems"]!.AsArray());
        var back = agreement["revisions"]![0]!["terms"]!;
        Assert.Equal("2027-01-31", back["endDate"]!.GetValue<string>());
        Assert.Equal("On-site visit", back["additionalServices"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(1200.5m, back["additionalServices"]![1]!["price"]!.GetValue<decimal>());
        Assert.Equal(["Keep the device inventory current"], ApiCalls.Strings(back["responsibilities"]!["ours"]));
        Assert.Equal(2, back["responsibilities"]!["provider"]!.AsArray().Count);
        Assert.Equal(["Remote support only outside Berlin"], ApiCalls.Strings(back["supportConstraints"]));

        // The form shows them too (the term step), and `agreement show` lists them.
        var alex = await ChatWithAsync(Cast.Alex);
        await alex.SendAsync("agreement show Contoso support");
        var (_, shown) = await alex.ExpectCardAsync();
        var texts = TestConversation.Texts(shown);
        Assert.Contains("On-site visit: 150 EUR", texts, StringComparison.Ordinal);
        Assert.Contains("Install security patches within 14 days", texts, StringComparison.Ordinal);
        Assert.Contains("Remote support only outside Berlin", texts, StringComparison.Ordinal);

        // A duration and an end date that disagree: a field error, nothing stored.
        var both = ApiCalls.CompleteTerms();
        both["duration"] = new JsonObject { ["count"] = 6, ["unit"] = "Months" };
        using var conflicting = await ApiCalls.PostAsync(_bot, "/api/v1/agreements", ApiCalls.NewAgreement("Conflicting", both));
        var problem = await ApiCalls.JsonAsync(conflicting, HttpStatusCode.BadRequest);
        Assert.Contains("2026-07-31", problem["errors"]!["terms.duration"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_TakesWhatGetReturns_AsANewDraft_AndANameInUseIs409_OrRenamed()
    {
        var id = await ApiCalls.CreateAgreementAsync(_bot, "Contoso support");
        using var read = await ApiCalls.GetAsync(_bot, $"/api/v1/agreements/{id}");
        var exported = await ApiCalls.JsonAsync(read);

        using var taken = await ApiCalls.PostAsync(_bot, "/api/v1/agreements/import", exported.DeepClone());
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);

        using var renamed = await ApiCalls.PostAsync(_bot, "/api/v1/agreements/import?onNameConflict=rename", exported.DeepClone());
        var imported = await ApiCalls.JsonAsync(renamed, HttpStatusCode.Created);
        Assert.Equal("Contoso support (2)", imported["name"]!.GetValue<string>());
        Assert.Equal("Draft", imported["status"]!.GetValue<string>());
        Assert.NotEqual(id, imported["id"]!.GetValue<long>());
        Assert.Empty(imported["problems"]!.AsArray());
        Assert.Equal(exported["revisions"]![0]!["terms"]!.ToJsonString(), imported["revisions"]![0]!["terms"]!.ToJsonString());

        using var again = await ApiCalls.PostAsync(_bot, "/api/v1/agreements/import?onNameConflict=rename", exported.DeepClone());
        Assert.Equal("Contoso support (3)", (await ApiCalls.JsonAsync(again, HttpStatusCode.Created))["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Import_Answers422WithEveryProblemByField_AndStoresNothing()
    {
        var terms = ApiCalls.CompleteTerms();
        terms.Remove("responsibilities");
        terms.Remove("kpis");
        terms["pricing"]!["currency"] = "EURO";
        terms["oversightOwners"] = new JsonArray("ghost@example.com");
        terms["additionalServices"] = new JsonArray(new JsonObject { ["name"] = "On-site visit" });

        using var response = await ApiCalls.PostAsync(_bot, "/api/v1/agreements/import", ApiCalls.NewAgreement("Imported desk", terms));

        var problem = await ApiCalls.JsonAsync(response, HttpStatusCode.UnprocessableEntity);
        var fields = problem["errors"]!.AsObject().Select(e => e.Key).ToList();
        Assert.Contains("terms.pricing", fields);
        Assert.Contains("terms.oversightOwners[0]", fields);
        Assert.Contains("terms.additionalServices[0].price", fields);
        Assert.Equal("agreement.import_invalid", problem["code"]!.GetValue<string>());
        var problems = problem["problems"]!.AsArray().Select(p => p!["field"]!.GetValue<string>()).ToList();
        Assert.Contains("terms.responsibilities", problems);
        Assert.Contains("terms.kpis", problems);
        Assert.Contains("terms.pricing", problems);
        Assert.True(problems.Count >= 6, problem.ToJsonString());

        using var list = await ApiCalls.GetAsync(_bot, "/api/v1/agreements");
        Assert.Equal(0, (await ApiCalls.JsonAsync(list))["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task AgreementShow_RendersTheKeyTerms_SlaTableContactsPlanPricingTermAndKpis()
    {
        await ApiCalls.CreateAgreementAsync(_bot, "Contoso support");
        var alex = await ChatWithAsync(Cast.Alex);

        await alex.SendAsync("agreement show contoso support");
        var (_, card) = await alex.ExpectCardAsync();

        var texts = TestConversation.Texts(card);
        foreach (var expected in new[]
        {
            "Service levels", "P1", "15 min", "4 h", "24×7", "P4", "8 h", "5 d", // the SLA table
            "First-line support", "Teams channel", "Adele", // escalation contacts per level
            "Every Monday at 09:00 (Europe/Berlin), to a Teams channel", "Pat Provider", // communication plan
            "Monthly retainer, 4,500 EUR", "On-site visit: 150 EUR", // pricing and additional services
            "2026-02-01 to 2027-01-31 (12 months)", "3 months", // term and notice
            "Response time, Uptime % (target 99.9); reported monthly", // KPIs
        })
        {
            Assert.Contains(expected, texts, StringComparison.Ordinal);
        }
    }

    private static string? FormValue(JsonNode? card, string id)
    {
        JsonObject? found = null;
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    if (o["id"]?.GetValue<string>() == id && o["type"]?.GetValue<string>()?.StartsWith("Input.", StringComparison.Ordinal) == true) found = o;
                    foreach (var (_, child) in o) Walk(child);
                    break;
                case JsonArray a:
                    foreach (var child in a) Walk(child);
                    break;
            }
        }

        Walk(card);
        return found?["value"] is JsonValue v ? v.ToString() : null;
    }
}
