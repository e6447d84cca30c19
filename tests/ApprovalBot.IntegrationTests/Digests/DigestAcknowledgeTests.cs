using System.Net;
using System.Text.Json.Nodes;
using ApprovalBot.Digests.Teams;
using ApprovalBot.Domain.Common;
using ApprovalBot.Domain.Digests;
using ApprovalBot.IntegrationTests.Api;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Escalations;
using ApprovalBot.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.IntegrationTests.Digests;

/// <summary>
/// Acknowledge on delivered digests: recorded once with its time, the card redrawn in place, foreign and misplaced clicks
/// refused with no change, and the reads visible in <c>digest status</c> and <c>GET /api/v1/digests/deliveries</c>.
/// </summary>
public sealed class DigestAcknowledgeTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Monday10 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Tuesday07 = new(2026, 11, 24, 7, 0, 0, TimeSpan.Zero); // 08:00 in Berlin
    private EscalationTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await DigestTestBed.StartAsync(Monday10);

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private async Task<(TestConversation Alex, ApprovalBot.TestSupport.Connector.FakeMessage Message, JsonObject Card, long SubscriptionId)> AlexsDigestAsync()
    {
        var alex = await _bed.ChatWithAsync(Cast.Alex);
        await alex.SayAsync("digest daily 08:00");
        var (message, card) = await _bed.DeliveredAtAsync(alex, Tuesday07);
        await _bed.Bot.WaitForOutboxToSettleAsync();
        return (alex, message, card, (await _bed.SubscriptionAsync(DigestRecipientKind.Person, Cast.Alex.AadObjectId))!.Id);
    }

    private async Task<DigestDelivery> DeliveryAsync(long subscriptionId) => Assert.Single(await _bed.DeliveriesAsync(subscriptionId));

    private async Task<int> OutboxCountAsync()
    {
        await using var db = _bed.Bot.CreateDbContext();
        return await db.OutboxMessages.CountAsync();
    }

    [Fact]
    public async Task Acknowledge_RecordsWhoAndWhen_RedrawsTheCardInPlace_AndASecondClickChangesNothing()
    {
        var (alex, posted, card, subscriptionId) = await AlexsDigestAsync();
        await _bed.JumpToAsync(Tuesday07.AddMinutes(5));

        var first = await alex.ClickAsync(posted.ActivityId, DigestVerbs.Acknowledge, Cards.Click(card, DigestVerbs.Acknowledge));
        await _bed.Bot.WaitForOutboxToSettleAsync();
        var staged = await OutboxCountAsync();
        var second = await alex.ClickAsync(posted.ActivityId, DigestVerbs.Acknowledge, Cards.Click(card, DigestVerbs.Acknowledge));
        await _bed.Bot.WaitForOutboxToSettleAsync();

        Assert.Equal(HttpStatusCode.OK, first.Status);
        var answered = TestConversation.Texts(first.Card);
        Assert.Contains("Acknowledged by Alex Wilber, 24 Nov 2026 08:05", answered, StringComparison.Ordinal);
        Assert.StartsWith("Your digest", answered, StringComparison.Ordinal); // the digest as delivered, with its footer
        Assert.DoesNotContain(DigestVerbs.Acknowledge, Cards.Verbs(first.Card));
        var copy = Cards.CardOf(_bed.Bot.Connector.GetMessage(alex.Id, posted.ActivityId)!.Current);
        Assert.Contains("Acknowledged by Alex Wilber", TestConversation.Texts(copy), StringComparison.Ordinal); // the posted copy too
        var ack = Assert.Single((await DeliveryAsync(subscriptionId)).Acknowledgements);
        Assert.Equal((new PersonId(Cast.Alex.AadObjectId), Tuesday07.AddMinutes(5)), (ack.By, ack.At));

        Assert.Contains("Acknowledged by Alex Wilber, 24 Nov 2026 08:05", TestConversation.Texts(second.Card), StringComparison.Ordinal);
        Assert.Single((await DeliveryAsync(subscriptionId)).Acknowledgements);
        Assert.Equal(staged, await OutboxCountAsync()); // no second update
    }

    [Fact]
    public async Task ForeignAndUnknownClicks_AreRefusedClearly_AndChangeNothing()
    {
        var (_, posted, card, subscriptionId) = await AlexsDigestAsync();
        var megan = await _bed.ChatWithAsync(Cast.Megan);
        var data = Cards.Click(card, DigestVerbs.Acknowledge);
        var staged = await OutboxCountAsync();

        var foreign = await megan.ClickAsync(posted.ActivityId, DigestVerbs.Acknowledge, data);
        var unknown = await megan.ClickAsync(posted.ActivityId, DigestVerbs.Acknowledge, new JsonObject { ["deliveryId"] = 9999 });
        var broken = await megan.ClickAsync(posted.ActivityId, DigestVerbs.Acknowledge, new JsonObject());

        Assert.Contains("someone else's: only its recipient can acknowledge it", foreign.Body, StringComparison.Ordinal);
        Assert.Contains("This digest is not known", unknown.Body, StringComparison.Ordinal);
        Assert.Contains("missing its digest", broken.Body, StringComparison.Ordinal);
        Assert.Empty((await DeliveryAsync(subscriptionId)).Acknowledgements);
        Assert.Equal(staged, await OutboxCountAsync());
    }

    [Fact]
    public async Task AChannelDigest_IsAcknowledgedByAnyoneInTheChannel_ShowsTheReaders_AndNotFromOutside()
    {
        var general = _bed.Bot.Channel(Cast.Isaiah);
        await general.InstallAsync();
        await general.ExpectMessageAsync(); // the welcome
        await general.SayAsync("digest daily 08:00"); // Isaiah's zone: America/New_York, so 13:00 UTC
        var (posted, card) = await _bed.DeliveredAtAsync(general, Monday10.AddHours(3));
        await _bed.Bot.WaitForOutboxToSettleAsync();
        var adeleAlone = await _bed.ChatWithAsync(Cast.Adele);
        JsonObject Data() => Cards.Click(card, DigestVerbs.Acknowledge); // a fresh copy per click

        await _bed.JumpToAsync(Monday10.AddHours(3).AddMinutes(10));
        var adele = await general.ClickAsync(posted.ActivityId, DigestVerbs.Acknowledge, Data(), Cast.Adele);
        await _bed.JumpToAsync(Monday10.AddHours(3).AddMinutes(20));
        var megan = await general.ClickAsync(posted.ActivityId, DigestVerbs.Acknowledge, Data(), Cast.Megan);
        var outside = await adeleAlone.ClickAsync(posted.ActivityId, DigestVerbs.Acknowledge, Data(), Cast.Patti);
        await _bed.Bot.WaitForOutboxToSettleAsync();

        Assert.Contains("for this channel, as Isaiah Langer sees it", TestConversation.Texts(card), StringComparison.Ordinal);
        Assert.Contains("Read by Adele Vance (23 Nov 08:10)", TestConversation.Texts(adele.Card), StringComparison.Ordinal);
        var both = TestConversation.Texts(megan.Card);
        Assert.Contains("Read by Adele Vance (23 Nov 08:10), Megan Bowen (23 Nov 08:20)", both, StringComparison.Ordinal);
        Assert.Contains(DigestVerbs.Acknowledge, Cards.Verbs(megan.Card)); // others may still acknowledge
        Assert.Contains("posted to a channel: acknowledge it there", outside.Body, StringComparison.Ordinal);
        var copy = Cards.CardOf(_bed.Bot.Connector.GetMessage(general.Id, posted.ActivityId)!.Current);
        Assert.Contains("Megan Bowen (23 Nov 08:20)", TestConversation.Texts(copy), StringComparison.Ordinal);
        var subscription = (await _bed.SubscriptionAsync(DigestRecipientKind.Channel, general.TeamsChannelId!))!;
        Assert.Equal(2, (await DeliveryAsync(subscription.Id)).Acknowledgements.Count);
    }

    [Fact]
    public async Task DigestStatus_AndTheApi_ShowTheDeliveriesWithWhoAcknowledgedThem()
    {
        var (alex, posted, card, _) = await AlexsDigestAsync();
        await _bed.JumpToAsync(Tuesday07.AddMinutes(7));
        await alex.ClickAsync(posted.ActivityId, DigestVerbs.Acknowledge, Cards.Click(card, DigestVerbs.Acknowledge));
        await _bed.DeliveredAtAsync(alex, Tuesday07.AddDays(1)); // Wednesday's, not acknowledged

        var status = await alex.SayAsync("digest status");
        using var response = await ApiCalls.GetAsync(_bed.Bot, "/api/v1/digests/deliveries?recipient=alexw@example.com");
        var page = await ApiCalls.JsonAsync(response);
        using var missing = await ApiCalls.GetAsync(_bed.Bot, "/api/v1/digests/deliveries");
        using var nobody = await ApiCalls.GetAsync(_bed.Bot, "/api/v1/digests/deliveries?recipient=19:nobody@thread.tacv2");
        using var anonymous = await ApiCalls.GetAsync(_bed.Bot, "/api/v1/digests/deliveries?recipient=alexw@example.com", key: null);

        Assert.Contains("Last deliveries:\n- 25 Nov 2026 08:00: not acknowledged yet\n- 24 Nov 2026 08:00: acknowledged by Alex Wilber at 24 Nov 2026 08:07", status, StringComparison.Ordinal);
        Assert.Equal(2, page["total"]!.GetValue<int>());
        var items = page["items"]!.AsArray();
        Assert.Equal(["2026-11-25T07:00:00+00:00", "2026-11-24T07:00:00+00:00"], items.Select(i => i!["period"]!.GetValue<string>()));
        Assert.Equal("24 Nov 2026 08:00 Europe/Berlin", items[1]!["periodLocal"]!.GetValue<string>());
        Assert.Equal(("Person", Cast.Alex.AadObjectId), (items[1]!["recipient"]!["kind"]!.GetValue<string>(), items[1]!["recipient"]!["id"]!.GetValue<string>()));
        Assert.Equal(("Staged", "Sent"), (items[1]!["status"]!.GetValue<string>(), items[1]!["sent"]!.GetValue<string>()));
        var ack = Assert.Single(items[1]!["acknowledgements"]!.AsArray());
        Assert.Equal(("Alex Wilber", "2026-11-24T07:07:00+00:00"), (ack!["by"]!["name"]!.GetValue<string>(), ack["at"]!.GetValue<string>()));
        Assert.Empty(items[0]!["acknowledgements"]!.AsArray());
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("recipient is required", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, nobody.StatusCode);
        Assert.Equal("application/problem+json", nobody.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task TheDeliveriesEndpoint_IsInTheOpenApiDocument_WithItsParametersAndTheApiKey()
    {
        using var response = await ApiCalls.GetAsync(_bed.Bot, "/openapi/v1.json");
        var document = await ApiCalls.JsonAsync(response);

        var list = document["paths"]!["/api/v1/digests/deliveries"]!["get"]!;
        Assert.Equal("ListDigestDeliveries", list["operationId"]!.GetValue<string>());
        Assert.Equal(["recipient", "skip", "take"], list["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.Contains("ApiKey", list["security"]!.AsArray().SelectMany(r => r!.AsObject().Select(s => s.Key)));
        Assert.NotNull(list["responses"]!["404"]);
    }
}
