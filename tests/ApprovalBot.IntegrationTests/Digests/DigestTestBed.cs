using System.Text.Json.Nodes;
using ApprovalBot.Digests.Subscriptions;
using ApprovalBot.Domain.Digests;
using ApprovalBot.IntegrationTests.Api;
using ApprovalBot.IntegrationTests.Escalations;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Scheduling;
using ApprovalBot.TestSupport.Connector;
using ApprovalBot.TestSupport.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalBot.IntegrationTests.Digests;

/// <summary>
/// What the digest subscription tests do to the in-process bot on a manual clock (the escalation test bed, with the
/// test API keys): talk to it, read subscriptions and deliveries back, and move the clock to a subscription's next
/// delivery and wait for the card there.
/// </summary>
internal static class DigestTestBed
{
    public static async Task<EscalationTestBed> StartAsync(DateTimeOffset now, ITestDatabase? database = null) =>
        await EscalationTestBed.StartAsync(database ?? await new SqliteTestDatabases().CreateDatabaseAsync(), now, ApiTestKeys.Settings());

    public static bool IsDigest(JsonObject card) => TestConversation.Texts(card).StartsWith("Your digest", StringComparison.Ordinal);

    /// <summary>Sends <paramref name="text"/> and returns the text of the reply (a plain message, or a card's texts).</summary>
    public static async Task<string> SayAsync(this TestConversation chat, string text)
    {
        await chat.SendAsync(text);
        var reply = await chat.ExpectMessageAsync();
        return TestConversation.CardOf(reply.Current) is { } card ? TestConversation.Texts(card) : reply.Current.Text ?? "";
    }

    /// <summary>
    /// Sends <paramref name="text"/> and returns the text of the first message after it that contains
    /// <paramref name="expected"/>, passing over notices the bot posts into the same chat meanwhile (an escalation's
    /// timers may still be firing); fails if none arrives.
    /// </summary>
    public static async Task<string> SayAsync(this TestConversation chat, string text, string expected)
    {
        await chat.SendAsync(text);
        var passed = new List<string>();
        while (true)
        {
            FakeMessage reply;
            try
            {
                reply = await chat.ExpectMessageAsync();
            }
            catch (Xunit.Sdk.XunitException e)
            {
                throw new Xunit.Sdk.XunitException($"No reply containing \"{expected}\" to \"{text}\"; passed over: {string.Join(" | ", passed)}. {e.Message}");
            }
            var said = TestConversation.CardOf(reply.Current) is { } card ? TestConversation.Texts(card) : reply.Current.Text ?? "";
            if (said.Contains(expected, StringComparison.Ordinal))
                return said;
            passed.Add(said);
        }
    }

    public static async Task<DigestSubscription?> SubscriptionAsync(this EscalationTestBed bed, DigestRecipientKind kind, string recipientId)
    {
        await using var db = bed.Bot.CreateDbContext();
        return await db.DigestSubscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.RecipientKind == kind && s.RecipientId == recipientId);
    }

    public static async Task<IReadOnlyList<DigestDelivery>> DeliveriesAsync(this EscalationTestBed bed, long subscriptionId)
    {
        await using var db = bed.Bot.CreateDbContext();
        return await db.DigestDeliveries.AsNoTracking().Where(d => d.SubscriptionId == subscriptionId).OrderBy(d => d.Period).ToListAsync();
    }

    /// <summary>The armed digest timer of a subscription (named apart from the escalation bed's own ArmedAsync).</summary>
    public static Task<ArmedTimer?> DigestTimerAsync(this EscalationTestBed bed, long subscriptionId) =>
        bed.Bot.Services.GetRequiredService<DurableTimers>().GetArmedAsync(DigestTimers.Kind, $"{subscriptionId}", CancellationToken.None);

    /// <summary>
    /// The digest timer armed for <paramref name="subscription"/>'s current version. A fire arms the next occurrence
    /// after its transaction commits, so the card can reach the chat a moment before the new timer is stored: wait for
    /// that (on the real clock, as it is background work), then read the timer once.
    /// </summary>
    public static async Task<ArmedTimer> DigestTimerFollowingAsync(this EscalationTestBed bed, DigestSubscription subscription)
    {
        ArmedTimer? armed = null;
        await bed.Bot.WaitUntilStoredAsync(
            async _ => (armed = await bed.DigestTimerAsync(subscription.Id))?.FencingToken == subscription.Version,
            $"No digest timer was armed for version {subscription.Version} of subscription {subscription.Id}.", TimeSpan.FromSeconds(10));
        return armed!;
    }

    /// <summary>
    /// Jumps to a second before <paramref name="due"/>, proves nothing was delivered yet, then ticks until the digest card
    /// arrives in <paramref name="chat"/>; returns it.
    /// </summary>
    public static async Task<(ApprovalBot.TestSupport.Connector.FakeMessage Message, JsonObject Card)> DeliveredAtAsync(
        this EscalationTestBed bed, TestConversation chat, DateTimeOffset due)
    {
        await bed.JumpToAsync(due.AddSeconds(-1));
        await chat.ExpectNoMoreMessagesAsync();
        return await chat.ExpectCardWhileTickingAsync(bed.Clock, IsDigest);
    }
}
