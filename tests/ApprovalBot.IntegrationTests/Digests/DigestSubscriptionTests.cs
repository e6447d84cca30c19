using System.Net;
using ApprovalBot.Domain.Digests;
using ApprovalBot.IntegrationTests.Approvals;
using ApprovalBot.IntegrationTests.Escalations;
using ApprovalBot.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalBot.IntegrationTests.Digests;

/// <summary><c>digest daily/weekly/off/status</c> through the real endpoint: what is stored, what the replies say, bad input.</summary>
public sealed class DigestSubscriptionTests : IAsyncLifetime
{
    // Monday 23 November 2026, 10:00 UTC (11:00 in Berlin, 05:00 in New York).
    private static readonly DateTimeOffset Monday10 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private EscalationTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await DigestTestBed.StartAsync(Monday10);

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task DigestDaily_Subscribes_AtTheDirectorysTimeZone_AndSaysWhichAndWhenNext()
    {
        var alex = await _bed.ChatWithAsync(Cast.Alex);

        var reply = await alex.SayAsync("digest daily 08:00");

        Assert.Contains("Subscribed: you get your digest daily at 08:00", reply, StringComparison.Ordinal);
        Assert.Contains("Europe/Berlin, your time zone in the directory", reply, StringComparison.Ordinal);
        Assert.Contains("Next delivery: 24 Nov 2026 08:00 Europe/Berlin", reply, StringComparison.Ordinal);
        var subscription = (await _bed.SubscriptionAsync(DigestRecipientKind.Person, Cast.Alex.AadObjectId))!;
        Assert.Equal((true, DigestFrequency.Daily, 8 * 60, "Europe/Berlin", DigestZoneSource.Directory), (subscription.IsActive, subscription.Frequency, subscription.MinuteOfDay, subscription.TimeZoneId, subscription.ZoneSource));
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 7, 0, 0, TimeSpan.Zero), subscription.NextDueAt);
        var armed = await _bed.DigestTimerAsync(subscription.Id);
        Assert.Equal((subscription.NextDueAt!.Value, subscription.Version), (armed!.DueAt, armed.FencingToken));
    }

    [Fact]
    public async Task DigestSubscribeWeekly_AndTheShorthand_ReadTheDay_AndResubscribingChangesTheOneSubscription()
    {
        var isaiah = await _bed.ChatWithAsync(Cast.Isaiah);

        var first = await isaiah.SayAsync("digest subscribe weekly mon 09:00");
        var changed = await isaiah.SayAsync("digest weekly fri 16:30");

        Assert.Contains("Subscribed: you get your digest weekly on Monday at 09:00", first, StringComparison.Ordinal);
        Assert.Contains("Next delivery: 23 Nov 2026 09:00 America/New_York", first, StringComparison.Ordinal);
        Assert.Contains("Changed: you get your digest weekly on Friday at 16:30", changed, StringComparison.Ordinal);
        Assert.Contains("Next delivery: 27 Nov 2026 16:30 America/New_York", changed, StringComparison.Ordinal);
        await using var db = _bed.Bot.CreateDbContext();
        var subscription = Assert.Single(await db.DigestSubscriptions.AsNoTracking().ToListAsync());
        Assert.Equal((DigestFrequency.Weekly, DayOfWeek.Friday, (16 * 60) + 30), (subscription.Frequency, subscription.Day, subscription.MinuteOfDay));
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 21, 30, 0, TimeSpan.Zero), subscription.NextDueAt);
        Assert.Equal(subscription.NextDueAt, (await _bed.DigestTimerAsync(subscription.Id))!.DueAt);
    }

    [Fact]
    public async Task DigestOff_StopsIt_AndCancelsTheTimer_AndStatusSaysSo()
    {
        var alex = await _bed.ChatWithAsync(Cast.Alex);
        await alex.SayAsync("digest daily 08:00");
        var id = (await _bed.SubscriptionAsync(DigestRecipientKind.Person, Cast.Alex.AadObjectId))!.Id;

        var off = await alex.SayAsync("digest off");
        var status = await alex.SayAsync("digest status");
        var again = await alex.SayAsync("digest off");

        Assert.Contains("Stopped: no more digests (it was daily at 08:00)", off, StringComparison.Ordinal);
        Assert.Contains("You have no active digest subscription: it was stopped on 23 Nov 2026 11:00 Europe/Berlin", status, StringComparison.Ordinal);
        Assert.Equal("You have no digest subscription to stop.", again);
        Assert.False((await _bed.SubscriptionAsync(DigestRecipientKind.Person, Cast.Alex.AadObjectId))!.IsActive);
        Assert.Null(await _bed.DigestTimerAsync(id));
    }

    [Fact]
    public async Task DigestStatus_SaysWhatIsSubscribed_AndTheNextDeliveryInLocalTime_OrThatThereIsNone()
    {
        var adele = await _bed.ChatWithAsync(Cast.Adele);

        var none = await adele.SayAsync("digest status");
        await adele.SayAsync("digest weekly wed 07:15");
        var status = await adele.SayAsync("digest status");

        Assert.Contains("You have no digest subscription. Subscribe with digest daily 08:00", none, StringComparison.Ordinal);
        Assert.Contains("You get your digest weekly on Wednesday at 07:15, in Europe/London (the directory's time zone).", status, StringComparison.Ordinal);
        Assert.Contains("Next delivery: 25 Nov 2026 07:15 Europe/London.", status, StringComparison.Ordinal);
        Assert.Contains("No digest has been delivered yet.", status, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("digest weekly 25:00", "'25:00' is not a time of day")]
    [InlineData("digest weekly funday 09:00", "'funday' is not a day of the week")]
    [InlineData("digest daily", "'daily' needs a time of day")]
    [InlineData("digest subscribe", "Say how often: daily")]
    [InlineData("digest sometimes", "'sometimes' is not a digest command")]
    public async Task BadInput_GetsTheUsage_NamingWhatIsWrong_AndChangesNothing(string text, string what)
    {
        var alex = await _bed.ChatWithAsync(Cast.Alex);
        await alex.SayAsync("digest daily 08:00");
        var before = (await _bed.SubscriptionAsync(DigestRecipientKind.Person, Cast.Alex.AadObjectId))!;

        var reply = await alex.SayAsync(text);

        Assert.Contains(what, reply, StringComparison.Ordinal);
        Assert.Contains("digest weekly mon 09:00", reply, StringComparison.Ordinal); // the usage's examples
        var after = (await _bed.SubscriptionAsync(DigestRecipientKind.Person, Cast.Alex.AadObjectId))!;
        Assert.Equal((before.Version, before.MinuteOfDay, before.Frequency), (after.Version, after.MinuteOfDay, after.Frequency));
    }

    [Fact]
    public async Task InAChannel_TheChannelIsSubscribed_InTheSubscribersZone_AndAnyoneThereSeesItsStatus()
    {
        var general = _bed.Bot.Channel(Cast.Isaiah);

        var reply = await general.SayAsync("digest daily 09:00");
        var status = await general.SayAsync("digest status");

        Assert.Contains("Subscribed: this channel gets the digest daily at 09:00 (your view)", reply, StringComparison.Ordinal);
        Assert.Contains("America/New_York", reply, StringComparison.Ordinal);
        var subscription = (await _bed.SubscriptionAsync(DigestRecipientKind.Channel, general.TeamsChannelId!))!;
        Assert.Equal(new Domain.Common.PersonId(Cast.Isaiah.AadObjectId), subscription.Subscriber);
        Assert.Contains("This channel gets the digest daily at 09:00 (Isaiah Langer's view), in America/New_York", status, StringComparison.Ordinal);
        Assert.Null(await _bed.SubscriptionAsync(DigestRecipientKind.Person, Cast.Isaiah.AadObjectId)); // the person is not subscribed
    }

    [Fact]
    public async Task ForSomeoneTheDirectoryHasNoZoneFor_TheTeamsClientsZone_ElseUtc_IsUsed_AndSaid()
    {
        var stranger = TestUser.Create("Dana Stranger");
        var chat = _bed.Bot.PersonalChat(stranger);
        await chat.InstallAsync();
        await chat.ExpectCardAsync();

        var activity = chat.NewActivity(ApprovalBot.Protocol.Schema.ActivityTypes.Message);
        activity.Text = "digest daily 08:00";
        activity.LocalTimezone = "Asia/Tokyo";
        Assert.Equal(HttpStatusCode.OK, (await chat.PostAsync(activity)).Status);
        var tokyo = (await chat.ExpectMessageAsync()).Current.Text!;
        var utc = await chat.SayAsync("digest daily 08:00");

        Assert.Contains("Asia/Tokyo, the time zone your Teams client reported", tokyo, StringComparison.Ordinal);
        Assert.Contains("Next delivery: 24 Nov 2026 08:00 Asia/Tokyo", tokyo, StringComparison.Ordinal);
        Assert.Contains("UTC: neither the directory nor your Teams client gave a time zone", utc, StringComparison.Ordinal);
        Assert.Equal(DigestZoneSource.Utc, (await _bed.SubscriptionAsync(DigestRecipientKind.Person, stranger.AadObjectId))!.ZoneSource);
    }
}
