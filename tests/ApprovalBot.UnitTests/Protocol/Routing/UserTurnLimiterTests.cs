using ApprovalBot.Protocol.Routing;
using ApprovalBot.TestSupport;
using Microsoft.Extensions.Options;

namespace ApprovalBot.UnitTests.Protocol.Routing;

public sealed class UserTurnLimiterTests
{
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));

    private UserTurnLimiter Limiter(int perMinute, int burst) =>
        new(_clock, Options.Create(new BotEndpointOptions { UserTurnsPerMinute = perMinute, UserTurnBurst = burst }));

    [Fact]
    public void Admit_LetsTheBurstThrough_ThenRefusesWithTheTimeUntilTheNextToken_AndSaysWhichRefusalIsTheFirst()
    {
        var limiter = Limiter(perMinute: 12, burst: 2);

        Assert.True(limiter.Admit("u").Admitted);
        Assert.True(limiter.Admit("u").Admitted);
        var first = limiter.Admit("u");
        var second = limiter.Admit("u");

        Assert.Equal(new TurnAdmission(false, TimeSpan.FromSeconds(5), true), first);
        Assert.Equal(new TurnAdmission(false, TimeSpan.FromSeconds(5), false), second);
        _clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(TimeSpan.FromSeconds(2), limiter.Admit("u").RetryAfter);
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(limiter.Admit("u").Admitted);
        // After an admitted turn, the next refusal is a first one again.
        Assert.True(limiter.Admit("u").FirstRefusal);
    }

    [Fact]
    public void Admit_RefillsNoMoreThanTheBurst_AfterALongQuiet()
    {
        var limiter = Limiter(perMinute: 60, burst: 3);
        for (var i = 0; i < 3; i++) limiter.Admit("u");

        _clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(3, Enumerable.Range(0, 5).Count(_ => limiter.Admit("u").Admitted));
    }

    [Fact]
    public void Admit_CountsEachUserApart_AndAdmitsEverythingWhenTheRateIsZero()
    {
        var limiter = Limiter(perMinute: 60, burst: 1);
        Assert.True(limiter.Admit("a").Admitted);
        Assert.False(limiter.Admit("a").Admitted);
        Assert.True(limiter.Admit("b").Admitted);

        var off = Limiter(perMinute: 0, burst: 1);
        Assert.All(Enumerable.Range(0, 100), _ => Assert.True(off.Admit("a").Admitted));
        Assert.Equal(0, off.TrackedUsers);
    }

    [Fact]
    public void Admit_KeepsTheTableBounded_WhenAFloodOfMadeUpUsersArrives()
    {
        var limiter = Limiter(perMinute: 60, burst: 5);
        for (var i = 0; i < UserTurnLimiter.MaxTrackedUsers + 1_000; i++) limiter.Admit($"flood-{i}");
        Assert.Equal(UserTurnLimiter.MaxTrackedUsers, limiter.TrackedUsers);

        // Once the flood's buckets have refilled they are dropped to make room.
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limiter.Admit("newcomer").Admitted);
        Assert.Equal(1, limiter.TrackedUsers);
    }
}
