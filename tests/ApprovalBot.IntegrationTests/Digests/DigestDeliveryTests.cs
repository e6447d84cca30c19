using ApprovalBot.Digests.Subscriptions;
using ApprovalBot.Digests.Teams;
using ApprovalBot.Domain.Digests;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Escalations;
using ApprovalBot.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalBot.IntegrationTests.Digests;

/// <summary>
/// Subscribed digests delivered by the real scheduler on a manual clock: at each recipient's local time across zones and
/// DST changes, one digest for a missed stretch, never two for one period.
/// </summary>
public sealed class DigestDeliveryTests : IAsyncDisposable
{
    private EscalationTestBed? _bed;

    private async Task<EscalationTestBed> StartAsync(DateTimeOffset now) => _bed = await DigestTestBed.StartAsync(now);

    public async ValueTask DisposeAsync()
    {
        if (_bed is not null) await _bed.DisposeAsync();
    }

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public async Task Digests_ArriveAtEachRecipientsLocalTime_NewYorkThenBerlin()
    {
        var bed = await StartAsync(Utc(2026, 11, 23, 10)); // Monday
        var alex = await bed.ChatWithAsync(Cast.Alex);        // Europe/Berlin, UTC+1
        var isaiah = await bed.ChatWithAsync(Cast.Isaiah);    // America/New_York, UTC-5
        await alex.SayAsync("digest daily 08:00");
        await isaiah.SayAsync("digest daily 08:00");

        await bed.DeliveredAtAsync(isaiah, Utc(2026, 11, 23, 13)); // 08:00 in New York comes first (it is 05:00 there now)
        await alex.ExpectNoMoreMessagesAsync();
        var (_, card) = await bed.DeliveredAtAsync(alex, Utc(2026, 11, 24, 7));
        await isaiah.ExpectNoMoreMessagesAsync();

        var texts = TestConversation.Texts(card);
        Assert.Contains("Nothing is waiting for you", texts, StringComparison.Ordinal); // an empty digest is still sent
        Assert.Contains("Daily digest · 08:00 Europe/Berlin", texts, StringComparison.Ordinal);
        Assert.Contains(DigestVerbs.Acknowledge, Cards.Verbs(card));
        var subscription = (await bed.SubscriptionAsync(DigestRecipientKind.Person, Cast.Alex.AadObjectId))!;
        var delivery = Assert.Single(await bed.DeliveriesAsync(subscription.Id));
        Assert.Equal((Utc(2026, 11, 24, 7), DigestDeliveryStatus.Staged), (delivery.Period, delivery.Status));
        Assert.Equal(Utc(2026, 11, 25, 7), subscription.NextDueAt);
        Assert.Equal(subscription.NextDueAt, (await bed.DigestTimerFollowingAsync(subscription)).DueAt);
    }

    [Fact]
    public async Task SpringForwardInBerlin_08_00StaysAt08_00Local_And02_30ArrivesAtTheEndOfTheGap()
    {
        var bed = await StartAsync(Utc(2026, 3, 28, 12)); // Saturday; Berlin moves 02:00 CET → 03:00 CEST on Sunday 29 March
        var alex = await bed.ChatWithAsync(Cast.Alex);
        var megan = await bed.ChatWithAsync(Cast.Megan);
        await alex.SayAsync("digest daily 08:00");
        await megan.SayAsync("digest daily 02:30");

        await bed.DeliveredAtAsync(megan, Utc(2026, 3, 29, 1));   // 03:00 CEST: 02:30 does not exist that night
        await bed.DeliveredAtAsync(alex, Utc(2026, 3, 29, 6));    // 08:00 CEST (it was 07:00 UTC the day before)
        await bed.DeliveredAtAsync(megan, Utc(2026, 3, 30, 0, 30)); // Monday 02:30 CEST

        var meganSub = (await bed.SubscriptionAsync(DigestRecipientKind.Person, Cast.Megan.AadObjectId))!;
        Assert.Equal([Utc(2026, 3, 29, 1), Utc(2026, 3, 30, 0, 30)], (await bed.DeliveriesAsync(meganSub.Id)).Select(d => d.Period));
    }

    [Fact]
    public async Task FallBackInBerlin_02_30WhichHappensTwice_IsDeliveredOnce_And08_00StaysLocal()
    {
        var bed = await StartAsync(Utc(2026, 10, 24, 12)); // Saturday; Berlin moves 03:00 CEST → 02:00 CET on Sunday 25 October
        var alex = await bed.ChatWithAsync(Cast.Alex);
        var megan = await bed.ChatWithAsync(Cast.Megan);
        await alex.SayAsync("digest daily 08:00");
        await megan.SayAsync("digest daily 02:30");

        await bed.DeliveredAtAsync(megan, Utc(2026, 10, 25, 0, 30)); // the first 02:30 (CEST)
        await bed.JumpToAsync(Utc(2026, 10, 25, 1, 30).AddSeconds(5)); // the second 02:30 (CET) has come
        await bed.DeliveredAtAsync(alex, Utc(2026, 10, 25, 7));      // 08:00 CET
        await megan.ExpectNoMoreMessagesAsync();

        var meganSub = (await bed.SubscriptionAsync(DigestRecipientKind.Person, Cast.Megan.AadObjectId))!;
        Assert.Single(await bed.DeliveriesAsync(meganSub.Id));
        Assert.Equal(Utc(2026, 10, 26, 1, 30), meganSub.NextDueAt); // Monday 02:30 CET
    }

    [Fact]
    public async Task NewYork_FollowsItsOwnDstDate_And08_00StaysLocal()
    {
        var bed = await StartAsync(Utc(2026, 3, 7, 12)); // Saturday; New York springs forward on Sunday 8 March
        var isaiah = await bed.ChatWithAsync(Cast.Isaiah);
        await isaiah.SayAsync("digest daily 08:00");

        await bed.DeliveredAtAsync(isaiah, Utc(2026, 3, 7, 13)); // 08:00 EST
        await bed.DeliveredAtAsync(isaiah, Utc(2026, 3, 8, 12)); // 08:00 EDT
    }

    [Fact]
    public async Task AfterDaysDown_OneDigestForTheLatestPeriodIsSent_NotABacklog()
    {
        var bed = await StartAsync(Utc(2026, 11, 23, 10));
        var alex = await bed.ChatWithAsync(Cast.Alex);
        await alex.SayAsync("digest daily 08:00");

        // Nothing ran on Tuesday, Wednesday and Thursday morning (as if the bot had been down): the clock jumps past them.
        await bed.JumpToAsync(Utc(2026, 11, 26, 12));
        await alex.ExpectCardWhileTickingAsync(bed.Clock, DigestTestBed.IsDigest);
        await alex.ExpectNoMoreMessagesAsync();

        var subscription = (await bed.SubscriptionAsync(DigestRecipientKind.Person, Cast.Alex.AadObjectId))!;
        Assert.Equal(Utc(2026, 11, 26, 7), Assert.Single(await bed.DeliveriesAsync(subscription.Id)).Period); // Thursday's
        Assert.Equal(Utc(2026, 11, 27, 7), subscription.NextDueAt);
    }

    [Fact]
    public async Task AStoppedSubscription_DeliversNothingMore()
    {
        var bed = await StartAsync(Utc(2026, 11, 23, 10));
        var alex = await bed.ChatWithAsync(Cast.Alex);
        await alex.SayAsync("digest daily 08:00");
        var subscription = (await bed.SubscriptionAsync(DigestRecipientKind.Person, Cast.Alex.AadObjectId))!;
        await alex.SayAsync("digest off");

        await bed.JumpToAsync(Utc(2026, 11, 24, 7).AddSeconds(5));
        await using (var scope = bed.Bot.Services.CreateAsyncScope()) // a fire that was already on its way
            Assert.Equal(DigestFireOutcome.Stopped, await scope.ServiceProvider.GetRequiredService<DeliverDigest>().HandleAsync(subscription.Id, subscription.Version, TimeSpan.Zero, CancellationToken.None));

        await alex.ExpectNoMoreMessagesAsync();
        Assert.Empty(await bed.DeliveriesAsync(subscription.Id));
        Assert.Null(await bed.DigestTimerAsync(subscription.Id));
    }

    [Fact]
    public async Task Auditor_RearmsADeletedDigestTrigger_AndTheDigestStillArrivesOnTime()
    {
        var bed = await StartAsync(Utc(2026, 11, 23, 10)); // Monday, 11:00 in Berlin
        var alex = await bed.ChatWithAsync(Cast.Alex);
        await alex.SayAsync("digest daily 08:00");
        var subscription = (await bed.SubscriptionAsync(DigestRecipientKind.Person, Cast.Alex.AadObjectId))!;
        var timers = bed.Bot.Services.GetRequiredService<ApprovalBot.Scheduling.DurableTimers>();
        var auditor = bed.Bot.Services.GetRequiredService<DigestTimerAuditor>();

        Assert.Equal(0, await auditor.AuditAsync(CancellationToken.None));
        Assert.True(await timers.CancelAsync(DigestTimers.Kind, $"{subscription.Id}", CancellationToken.None));
        Assert.Equal(1, await auditor.AuditAsync(CancellationToken.None));

        var armed = await bed.DigestTimerAsync(subscription.Id);
        Assert.Equal((Utc(2026, 11, 24, 7), subscription.Version), (armed!.DueAt, armed.FencingToken));
        await bed.DeliveredAtAsync(alex, Utc(2026, 11, 24, 7));
    }
}
