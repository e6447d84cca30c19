using ApprovalBot.Domain.Agreements;
using ApprovalBot.Domain.Common;

namespace ApprovalBot.UnitTests.Domain.Agreements;

/// <summary>An announcement's channels and acknowledgements: once per person, only from a channel it reached.</summary>
public class AgreementAnnouncementTests
{
    private static readonly DateTimeOffset Now = new(2026, 9, 25, 10, 0, 0, TimeSpan.Zero);

    private static AgreementAnnouncement Announced()
    {
        var announcement = AgreementAnnouncement.Create(7, 1, isRenewal: false, Now);
        announcement.AddChannel("IT", "19:it@thread.tacv2", null);
        announcement.AddChannel("Finance", "19:finance@thread.tacv2", null);
        announcement.AddChannel("Operations", "19:ops@thread.tacv2", "the bot is not installed in that channel's team");
        return announcement;
    }

    [Fact]
    public void Acknowledge_RecordsThePersonTheDepartmentAndWhen_OncePerPerson()
    {
        var announcement = Announced();
        var version = announcement.Version;

        Assert.Equal(AnnouncementAckOutcome.Acknowledged, announcement.Acknowledge(new PersonId("adele"), "19:it@thread.tacv2", Now));
        Assert.Equal(AnnouncementAckOutcome.AlreadyAcknowledged, announcement.Acknowledge(new PersonId("adele"), "19:finance@thread.tacv2", Now.AddMinutes(5)));
        Assert.Equal(AnnouncementAckOutcome.Acknowledged, announcement.Acknowledge(new PersonId("megan"), "19:finance@thread.tacv2", Now.AddMinutes(9)));

        Assert.Equal([("adele", "IT", Now), ("megan", "Finance", Now.AddMinutes(9))],
            announcement.Acknowledgements.Select(a => (a.By.Value, a.Department, a.At)));
        Assert.Equal(version + 2, announcement.Version);
    }

    [Theory]
    [InlineData(null)]                        // a 1:1 or group chat
    [InlineData("19:elsewhere@thread.tacv2")] // a channel it was not posted to
    [InlineData("19:ops@thread.tacv2")]       // a channel it could not reach
    public void Acknowledge_RecordsNothing_OutsideTheChannelsItReached(string? channel)
    {
        var announcement = Announced();

        Assert.Equal(AnnouncementAckOutcome.NotInItsChannels, announcement.Acknowledge(new PersonId("adele"), channel, Now));
        Assert.Empty(announcement.Acknowledgements);
    }

    [Fact]
    public void AddChannel_KeepsTheConfiguredOrder_AndANotReachedChannelsReason()
    {
        var announcement = Announced();

        Assert.Equal([(1, "IT", true), (2, "Finance", true), (3, "Operations", false)],
            announcement.Channels.Select(c => (c.Position, c.Department, c.Reached)));
        Assert.Equal("the bot is not installed in that channel's team", announcement.Channels[2].NotReachedReason);
    }
}
