using ApprovalBot.Scheduling;

namespace ApprovalBot.UnitTests.Scheduling;

/// <summary>
/// Next due times of plan cadences across daylight-saving changes: Europe/Berlin moves to summer time on Sunday 29 March
/// 2026 and back on Sunday 25 October 2026; America/New_York on Sunday 8 March and Sunday 1 November 2026.
/// </summary>
public class ZonedCronTests
{
    private static ZonedCron Schedule(string cron, string zone) =>
        ZonedCron.TryCreate(cron, zone, out var problem) ?? throw new Xunit.Sdk.XunitException(problem);

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Berlin_Monday0900_StaysAt0900WallTime_AcrossBothChanges()
    {
        var weekly = Schedule("0 9 * * MON", "Europe/Berlin");

        Assert.Equal(Utc(3, 23, 8), weekly.Next(Utc(3, 20, 12)));   // CET, UTC+1
        Assert.Equal(Utc(3, 30, 7), weekly.Next(Utc(3, 23, 8)));    // the Monday after the change: CEST, UTC+2
        Assert.Equal(Utc(10, 19, 7), weekly.Next(Utc(10, 16, 12)));  // CEST
        Assert.Equal(Utc(10, 26, 8), weekly.Next(Utc(10, 19, 7)));   // back to CET
        Assert.Equal(Utc(3, 23, 8), weekly.Previous(Utc(3, 30, 7)));
        Assert.Equal(Utc(10, 26, 8), weekly.Next(Utc(10, 26, 7, 59)));
    }

    [Fact]
    public void Berlin_ATimeInTheSpringGap_FiresRightAfterIt_AndOneTwiceInAutumn_FiresOnce()
    {
        var daily = Schedule("30 2 * * *", "Europe/Berlin");

        Assert.Equal(Utc(3, 29, 1), daily.Next(Utc(3, 28, 12)));      // 02:30 does not exist: 03:00 CEST
        Assert.Equal(Utc(10, 25, 0, 30), daily.Next(Utc(10, 24, 12))); // 02:30 CEST, the first of the two
        Assert.Equal(Utc(10, 26, 1, 30), daily.Next(Utc(10, 25, 0, 30)));  // not again at 02:30 CET the same night
    }

    [Fact]
    public void NewYork_Monday0900_StaysAt0900WallTime_AcrossBothChanges()
    {
        var weekly = Schedule("0 9 * * MON", "America/New_York");

        Assert.Equal(Utc(3, 2, 14), weekly.Next(Utc(2, 27, 12)));  // EST, UTC−5
        Assert.Equal(Utc(3, 9, 13), weekly.Next(Utc(3, 2, 14)));   // EDT, UTC−4
        Assert.Equal(Utc(10, 26, 13), weekly.Next(Utc(10, 23, 12)));
        Assert.Equal(Utc(11, 2, 14), weekly.Next(Utc(10, 26, 13)));  // EST again
    }

    [Fact]
    public void TryCreate_SaysWhy_WhenTheZoneIsUnknown_OrTheCronCannotBeRead()
    {
        Assert.Null(ZonedCron.TryCreate("0 9 * * MON", "Mars/Olympus_Mons", out var zone));
        Assert.Contains("Mars/Olympus_Mons", zone, StringComparison.Ordinal);
        Assert.Null(ZonedCron.TryCreate("99 9 * * MON", "Europe/Berlin", out var cron));
        Assert.Contains("cannot be read", cron, StringComparison.Ordinal);
    }

    [Fact]
    public void Next_IsNull_WhenTheCronNeverFiresAgain()
    {
        Assert.Null(Schedule("0 9 30 2 *", "UTC").Next(Utc(1, 1, 0)));
    }
}
