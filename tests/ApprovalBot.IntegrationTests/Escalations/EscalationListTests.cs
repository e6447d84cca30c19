using System.Net;
using System.Text.Json.Nodes;
using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Escalations;
using ApprovalBot.Escalations;
using ApprovalBot.Escalations.Cards;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.TestSupport;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalBot.IntegrationTests.Escalations;

/// <summary>
/// Reading escalations in chat through the real endpoint: <c>list</c> and its filters, most urgent first and capped;
/// <c>who</c>; <c>status E-&lt;id&gt;</c> and who may see it; the Open button; and the escalation form.
/// </summary>
public sealed class EscalationListTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Monday10 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _clock = new(Monday10);
    private BotTestHost _bot = null!;

    public async Task InitializeAsync() =>
        _bot = await BotTestHost.StartAsync(new BotTestHostOptions { Database = await new SqliteTestDatabases().CreateDatabaseAsync(), Time = _clock });

    public async Task DisposeAsync()
    {
        var database = _bot.Database;
        await _bot.DisposeAsync();
        await database.DisposeAsync();
    }

    /// <summary>An Active agreement: P1 15 min / 4 h, P2 1 h / 8 h, all around the clock; L1 Adele, L2 Isaiah, L3 Lynne.</summary>
    private Task<long> ActiveAgreementAsync(string name = "Contoso help desk", string? l1ChannelId = null) =>
        EscalationAgreements.ActiveAsync(_bot.Database, Monday10, [Cast.Alex], name: name, l1ChannelId: l1ChannelId);

    private async Task<long> OpenAsync(long agreementId, Priority priority, string title, TestUser reporter) =>
        (await EscalationSetup.OpenAsync(_bot, agreementId, title, reporter, priority)).Id;

    private async Task<ActOnEscalationResult> ActAsync(long id, TestUser actor, EscalationAction action, string? text = null)
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ActOnEscalation>().HandleAsync(
            new ActOnEscalationInput(id, new PersonId(actor.AadObjectId), false, action, text), CancellationToken.None);
    }

    private Task<Escalation> LoadAsync(long id) => EscalationSetup.LoadAsync(_bot, id);

    private Task<TestConversation> ChatWithAsync(TestUser user) => EscalationSetup.ChatWithAsync(_bot, user);

    /// <summary>The escalation ids behind a list card's Open buttons, top to bottom.</summary>
    private static long[] Listed(JsonNode card) =>
        [.. Cards.Actions(card).Where(a => a["verb"]!.GetValue<string>() == EscalationVerbs.Open).Select(a => a["data"]!["escalationId"]!.GetValue<long>())];

    /// <summary>
    /// Sends a command and returns the card the bot answers with. Time passes in ticks meanwhile: the connector's
    /// throttle gate (7 sends a second per chat) waits on the manual clock.
    /// </summary>
    private async Task<JsonObject> AskAsync(TestConversation chat, string text)
    {
        await chat.SendAsync(text);
        return (await chat.ExpectCardWhileTickingAsync(_clock)).Card;
    }

    /// <summary>Waits until the outbox sent everything, letting time pass for the throttle gate.</summary>
    private async Task SettleAsync()
    {
        for (var tick = 0; ; tick++)
        {
            try
            {
                await _bot.WaitForOutboxToSettleAsync(TimeSpan.FromMilliseconds(300));
                return;
            }
            catch (TimeoutException) when (tick < 120)
            {
                _clock.Advance(TimeSpan.FromSeconds(1));
            }
        }
    }

    [Fact]
    public async Task List_FiltersOpenMineBreachedAndByAgreement_MostUrgentFirst_ActiveOnly()
    {
        var helpDesk = await ActiveAgreementAsync("Contoso help desk");
        var fieldService = await ActiveAgreementAsync("Contoso field service");
        var fabrikam = await ActiveAgreementAsync("Fabrikam");
        var payroll = await OpenAsync(helpDesk, Priority.P1, "Payroll down", Cast.Alex);
        var mail = await OpenAsync(helpDesk, Priority.P2, "Mail server down", Cast.Megan);
        _clock.SetUtcNow(Monday10.AddMinutes(45));
        var printer = await OpenAsync(fabrikam, Priority.P3, "Printer jams", Cast.Alex);
        var vpn = await OpenAsync(fieldService, Priority.P2, "VPN slow", Cast.Patti);
        var wifi = await OpenAsync(fieldService, Priority.P4, "Wi-Fi flaky", Cast.Patti);
        Assert.Null((await ActAsync(wifi, Cast.Patti, EscalationAction.Resolve, "It was the microwave.")).Refusal);
        _clock.SetUtcNow(Monday10.AddMinutes(46)); // payroll: response breached; mail: 46 of 60 min, at risk
        await _clock.TickUntilAsync(async () => (await LoadAsync(payroll)) is { Level: SupportLevel.L3, ResponseBreachedAt: not null },
            () => "E-payroll has not reached the L3 response breach"); // its timers have run
        await SettleAsync();
        var alex = await ChatWithAsync(Cast.Alex);

        var open = await AskAsync(alex, "list");
        Assert.Equal([payroll, mail, vpn, printer], Listed(open));
        var texts = TestConversation.Texts(open);
        Assert.Contains("Open escalations (4)", texts, StringComparison.Ordinal);
        Assert.Contains("Breached", texts, StringComparison.Ordinal);
        Assert.Contains("At risk", texts, StringComparison.Ordinal);
        Assert.Contains("On track", texts, StringComparison.Ordinal);
        Assert.Contains($"E-{vpn}", texts, StringComparison.Ordinal);
        Assert.Equal([payroll, mail, vpn, printer], Listed(await AskAsync(alex, "list OPEN")));

        var mine = await AskAsync(alex, "list mine");
        Assert.Equal([payroll, printer], Listed(mine));
        Assert.Contains("Your active escalations (2)", TestConversation.Texts(mine), StringComparison.Ordinal);
        var adele = await ChatWithAsync(Cast.Adele); // L1 of every agreement here; payroll is at L3 now, so it is not hers
        Assert.Equal([mail, vpn, printer], Listed(await AskAsync(adele, "list mine")));
        var lynne = await ChatWithAsync(Cast.Lynne);
        Assert.Equal([payroll], Listed(await AskAsync(lynne, "list mine")));

        Assert.Equal([payroll], Listed(await AskAsync(alex, "list breached")));
        Assert.Equal([payroll, mail], Listed(await AskAsync(alex, "list contoso HELP")));
        Assert.Equal([printer], Listed(await AskAsync(alex, "list fabrikam")));

        var ambiguous = TestConversation.Texts(await AskAsync(alex, "list contoso"));
        Assert.Contains("could be Contoso field service, Contoso help desk", ambiguous, StringComparison.Ordinal);
        Assert.Contains("list [mine|open|breached|<agreement>]", ambiguous, StringComparison.Ordinal);
        var unknown = TestConversation.Texts(await AskAsync(alex, "list northwind"));
        Assert.Contains("No active agreement is called 'northwind'", unknown, StringComparison.Ordinal);
        Assert.Contains("list [mine|open|breached|<agreement>]", unknown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ShowsAtMostItsCap_AndSaysHowManyMore()
    {
        var agreementId = await ActiveAgreementAsync();
        for (var i = 1; i <= EscalationListModel.MaxRows + 4; i++)
            await OpenAsync(agreementId, Priority.P3, $"Problem {i} {new string('x', 150)}", Cast.Alex);
        var alex = await ChatWithAsync(Cast.Alex);

        var card = await AskAsync(alex, "list");

        Assert.Equal(EscalationListModel.MaxRows, Listed(card).Length);
        Assert.Contains("and 4 more", TestConversation.Texts(card), StringComparison.Ordinal);
        Assert.Contains($"Open escalations ({EscalationListModel.MaxRows + 4})", TestConversation.Texts(card), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Who_ShowsEachLevelsContacts_WhereTheOpenEscalationsAre_AndTheProvidersContacts()
    {
        var agreementId = await ActiveAgreementAsync();
        var mail = await OpenAsync(agreementId, Priority.P2, "Mail server down", Cast.Alex);
        var payroll = await OpenAsync(agreementId, Priority.P1, "Payroll down", Cast.Alex);
        Assert.Null((await ActAsync(payroll, Cast.Alex, EscalationAction.Escalate, "The whole office is waiting.")).Refusal);
        var megan = await ChatWithAsync(Cast.Megan);

        var card = await AskAsync(megan, "who contoso");

        var texts = TestConversation.Texts(card);
        int At(string text)
        {
            var index = texts.IndexOf(text, StringComparison.Ordinal);
            Assert.True(index >= 0, $"'{text}' is not on the card:\n{texts}");
            return index;
        }
        Assert.True(At("Adele Vance") < At($"E-{mail} · P2 · Mail server down") && At($"E-{mail} · P2") < At("Isaiah Langer"));
        Assert.True(At("Isaiah Langer") < At($"E-{payroll} · P1 · Payroll down") && At($"E-{payroll} · P1") < At("Lynne Robbins"));
        Assert.Contains("2 open escalations", texts, StringComparison.Ordinal);
        Assert.Contains("Pat Provider", texts, StringComparison.Ordinal);
        Assert.Contains("pat@contoso.example", texts, StringComparison.Ordinal);
        Assert.Equal([mail, payroll], Listed(card));

        Assert.Contains("Which agreement?", TestConversation.Texts(await AskAsync(megan, "who")), StringComparison.Ordinal);
        Assert.Contains("No active agreement is called 'northwind'", TestConversation.Texts(await AskAsync(megan, "who northwind")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusAndOpen_ShowTheCardToThoseInvolvedAndInItsLevelChannel_AndRefuseAnOutsider()
    {
        var agreementId = await ActiveAgreementAsync(l1ChannelId: "19:l1-support@thread.tacv2");
        var mail = await OpenAsync(agreementId, Priority.P2, "Mail server down", Cast.Alex);
        var alex = await ChatWithAsync(Cast.Alex);
        var adele = await ChatWithAsync(Cast.Adele);
        var lynne = await ChatWithAsync(Cast.Lynne);
        var megan = await ChatWithAsync(Cast.Megan);

        foreach (var (chat, reference) in new[] { (alex, $"E-{mail}"), (alex, $"e{mail}"), (adele, $"E{mail}"), (lynne, $"E-{mail}") })
        {
            var (copy, card) = await ExpectStatusAsync(chat, reference);
            Assert.Contains("Mail server down", TestConversation.Texts(card), StringComparison.Ordinal);
            await SettleAsync();
            await using var db = _bot.CreateDbContext();
            Assert.True(await db.CardCopies.AnyAsync(c => c.Subject == EscalationMessages.Subject(mail) && c.ActivityId == copy.ActivityId && c.Viewer == chat.User.AadObjectId));
        }

        var refused = TestConversation.Texts(await AskAsync(megan, $"status E-{mail}"));
        Assert.Contains($"There is no escalation E-{mail} that you take part in.", refused, StringComparison.Ordinal);
        Assert.DoesNotContain("Mail server down", refused, StringComparison.Ordinal);
        // A channel post is seen by the whole channel: only L1's channel, or someone taking part, may have it posted.
        var elsewhere = TestConversation.Texts(await AskAsync(_bot.Channel(Cast.Megan), $"status E-{mail}"));
        Assert.Contains($"There is no escalation E-{mail} that you take part in.", elsewhere, StringComparison.Ordinal);
        Assert.DoesNotContain("Mail server down", elsewhere, StringComparison.Ordinal);
        Assert.Contains("Mail server down", TestConversation.Texts(await AskAsync(_bot.Channel(Cast.Adele, rootMessageId: "1700000000001"), $"status E-{mail}")), StringComparison.Ordinal);
        var channel = _bot.Channel(Cast.Megan, "19:l1-support@thread.tacv2");
        Assert.Contains("Mail server down", TestConversation.Texts(await AskAsync(channel, $"status E-{mail}")), StringComparison.Ordinal);

        var malformed = TestConversation.Texts(await AskAsync(alex, "status E-x"));
        Assert.Contains("is neither a request number (42) nor an escalation (E-42)", malformed, StringComparison.Ordinal);
        Assert.Contains("status <request id> | status E-<id> | status", malformed, StringComparison.Ordinal);

        // status alone: my active escalations; their Open button posts the card below and keeps the list.
        var (list, listCard) = await ExpectStatusAsync(alex, null);
        Assert.Contains("Your active escalations (1)", TestConversation.Texts(listCard), StringComparison.Ordinal);
        Assert.Equal([mail], Listed(listCard));
        var opened = await alex.ClickAsync(list.ActivityId, EscalationVerbs.Open, Cards.Click(listCard, EscalationVerbs.Open));
        Assert.Equal(HttpStatusCode.OK, opened.Status);
        Assert.Null(opened.Card);
        Assert.Contains("Mail server down", TestConversation.Texts((await alex.ExpectCardWhileTickingAsync(_clock)).Card), StringComparison.Ordinal);

        var outsider = await megan.ClickAsync(list.ActivityId, EscalationVerbs.Open, Cards.Click(listCard, EscalationVerbs.Open));
        Assert.Contains($"There is no escalation E-{mail} that you take part in.", outsider.Body, StringComparison.Ordinal);
        await megan.ExpectNoMoreMessagesAsync();
        await channel.ExpectNoMoreMessagesAsync();
    }

    private async Task<(ApprovalBot.TestSupport.Connector.FakeMessage Message, JsonObject Card)> ExpectStatusAsync(TestConversation chat, string? reference)
    {
        await chat.SendAsync(reference is null ? "status" : $"status {reference}");
        return await chat.ExpectCardWhileTickingAsync(_clock);
    }

    [Fact]
    public async Task Form_ShowsEveryErrorKeepingTheValues_ThenOpensTheEscalation_AndBecomesItsLiveCard()
    {
        var agreementId = await ActiveAgreementAsync();
        await ActiveAgreementAsync("Fabrikam");
        var alex = await ChatWithAsync(Cast.Alex);
        var adele = await ChatWithAsync(Cast.Adele);
        await alex.SendAsync("escalate");
        var (form, formCard) = await alex.ExpectCardAsync();
        Assert.Equal([EscalationVerbs.Submit], Cards.Verbs(formCard));
        Assert.Contains("Contoso help desk", formCard.ToJsonString(), StringComparison.Ordinal);

        var invalid = await alex.ClickAsync(form.ActivityId, EscalationVerbs.Submit, new JsonObject
        {
            [EscalationFormFields.Agreement] = "",
            [EscalationFormFields.Priority] = "P9",
            [EscalationFormFields.Title] = " ",
            [EscalationFormFields.Description] = "Nobody receives e-mail.",
        });
        var errors = TestConversation.Texts(invalid.Card);
        Assert.Contains("Choose the agreement that covers the problem.", errors, StringComparison.Ordinal);
        Assert.Contains("The priority is P1, P2, P3 or P4.", errors, StringComparison.Ordinal);
        Assert.Contains("Give the escalation a title.", errors, StringComparison.Ordinal);
        Assert.Contains("\"value\":\"Nobody receives e-mail.\"", invalid.Card!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal([EscalationVerbs.Submit], Cards.Verbs(invalid.Card));
        await using (var db = _bot.CreateDbContext())
            Assert.Equal(0, await db.Escalations.CountAsync());

        var opened = await alex.ClickAsync(form.ActivityId, EscalationVerbs.Submit, new JsonObject
        {
            [EscalationFormFields.Agreement] = agreementId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [EscalationFormFields.Priority] = "P2",
            [EscalationFormFields.Title] = "Mail server down",
            [EscalationFormFields.Description] = "Nobody receives e-mail.",
        });
        Assert.Equal(HttpStatusCode.OK, opened.Status);
        Escalation escalation;
        await using (var db = _bot.CreateDbContext())
            escalation = await db.Escalations.AsNoTracking().SingleAsync();
        Assert.Equal((agreementId, Priority.P2, "Nobody receives e-mail.", Cast.Alex.AadObjectId), (escalation.AgreementId, escalation.Priority, escalation.Description, escalation.Reporter.Value));
        Assert.Contains($"Opened E-{escalation.Id}", TestConversation.Texts(opened.Card), StringComparison.Ordinal);
        var (l1Copy, l1Card) = await adele.ExpectCardWhileTickingAsync(_clock);

        // The former form is a copy of the card: L1's acknowledgement updates it in place.
        await adele.ClickAsync(l1Copy.ActivityId, EscalationVerbs.Acknowledge, Cards.Click(l1Card, EscalationVerbs.Acknowledge));
        await SettleAsync();
        var formNow = Cards.CardOf(_bot.Connector.GetMessage(alex.Id, form.ActivityId)!.Current);
        Assert.Contains("Acknowledged", TestConversation.Texts(formNow), StringComparison.Ordinal);
    }
}
