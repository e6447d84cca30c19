using ApprovalBot.Protocol.Connector;
using ApprovalBot.TestSupport.Connector;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ApprovalBot.UnitTests.Protocol.Connector;

public sealed class ConnectorThrottleGateTests
{
    private static readonly TimeSpan Within = TimeSpan.FromHours(2);
    private readonly ObservableClock _clock = new();

    private ConnectorThrottleGate Gate(Action<ThrottleGateOptions>? configure = null)
    {
        var options = new ConnectorOptions();
        options.Throttle.MaxWait = TimeSpan.FromHours(2);
        options.Throttle.GlobalRequestsPerSecond = 1000;
        configure?.Invoke(options.Throttle);
        return new ConnectorThrottleGate(Options.Create(options), _clock, NullLogger<ConnectorThrottleGate>.Instance);
    }

    /// <summary>Admits one call, moving the clock through any wait; returns how long it waited.</summary>
    private async Task<TimeSpan> AdmitAsync(ConnectorThrottleGate gate, string key, ThrottleCategory category = ThrottleCategory.Send)
    {
        var task = gate.WaitAsync(key, category, CancellationToken.None).AsTask();
        await _clock.RunUntilCompletedAsync(task, Within);
        var decision = await task;
        Assert.True(decision.Admitted);
        return decision.Waited;
    }

    [Fact]
    public async Task WaitAsync_AdmitsSevenAtOnce_AndHoldsTheEighthForOneSecond()
    {
        var gate = Gate();
        for (var i = 0; i < 7; i++)
            Assert.Equal(TimeSpan.Zero, await AdmitAsync(gate, "a:1"));

        var eighth = gate.WaitAsync("a:1", ThrottleCategory.Send, CancellationToken.None).AsTask();
        var delay = await _clock.WaitForTimerAsync(Within);

        Assert.False(eighth.IsCompleted);
        Assert.Equal(TimeSpan.FromSeconds(1), delay);
        _clock.Advance(delay);
        Assert.Equal(new ThrottleDecision(true, TimeSpan.FromSeconds(1), TimeSpan.Zero), await eighth);
    }

    [Fact]
    public async Task WaitAsync_HoldsTheNinthUntilTheTwoSecondWindowPasses_WhenEightWentInTwoSeconds()
    {
        var gate = Gate();
        for (var i = 0; i < 7; i++) await AdmitAsync(gate, "a:1");
        Assert.Equal(TimeSpan.FromSeconds(1), await AdmitAsync(gate, "a:1"));

        // 1 s after the burst: the 1 s window holds one call, but the 2 s window holds eight.
        Assert.Equal(TimeSpan.FromSeconds(1), await AdmitAsync(gate, "a:1"));
    }

    [Fact]
    public async Task WaitAsync_AdmitsNoMoreThanSixtyInThirtySeconds_ForOneConversation()
    {
        var gate = Gate();
        var start = _clock.GetUtcNow();
        for (var i = 0; i < 60; i++) await AdmitAsync(gate, "a:1");
        Assert.True(_clock.GetUtcNow() - start < TimeSpan.FromSeconds(30));

        await AdmitAsync(gate, "a:1");

        Assert.True(_clock.GetUtcNow() - start >= TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task WaitAsync_AdmitsNoMoreThanEighteenHundredInAnHour_ForOneConversation()
    {
        var gate = Gate();
        var start = _clock.GetUtcNow();
        for (var i = 0; i < 1800; i++) await AdmitAsync(gate, "a:1");
        Assert.True(_clock.GetUtcNow() - start < TimeSpan.FromHours(1));

        await AdmitAsync(gate, "a:1");

        Assert.Equal(start + TimeSpan.FromHours(1), _clock.GetUtcNow());
    }

    [Fact]
    public async Task WaitAsync_KeepsConversationsIndependent_WhenOneIsAtItsLimit()
    {
        var gate = Gate();
        for (var i = 0; i < 7; i++) await AdmitAsync(gate, "a:1");

        Assert.Equal(TimeSpan.Zero, await AdmitAsync(gate, "a:2"));
    }

    [Fact]
    public async Task WaitAsync_UsesTheHigherReadBudget_WhenReadingMembers()
    {
        var gate = Gate();
        for (var i = 0; i < 14; i++)
            Assert.Equal(TimeSpan.Zero, await AdmitAsync(gate, "19:team", ThrottleCategory.Read));

        Assert.Equal(TimeSpan.FromSeconds(1), await AdmitAsync(gate, "19:team", ThrottleCategory.Read));
        Assert.Equal(TimeSpan.Zero, await AdmitAsync(gate, "19:team", ThrottleCategory.Send));
    }

    [Fact]
    public async Task WaitAsync_PacesThePerAppRateAcrossConversations_AfterABurstOfATenth_WhenManyConversationsSend()
    {
        var gate = Gate(o => o.GlobalRequestsPerSecond = 30);
        var interval = TimeSpan.FromSeconds(1) / 30;
        for (var i = 0; i < 3; i++)
            Assert.Equal(TimeSpan.Zero, await AdmitAsync(gate, "a:" + i));

        var start = _clock.GetUtcNow();
        for (var i = 3; i < 10; i++)
            Assert.InRange(await AdmitAsync(gate, "a:" + i), interval - Millisecond, interval + Millisecond);

        // One every 1/30 s (each wait rounded up to a whole millisecond, which the burst's allowance absorbs).
        Assert.InRange(_clock.GetUtcNow() - start, interval * 7, (interval * 7) + Millisecond);
    }

    private static readonly TimeSpan Millisecond = TimeSpan.FromMilliseconds(1);

    [Fact]
    public async Task WaitAsync_NeverAdmitsMoreThanThePerAppRateInOneSecond()
    {
        var gate = Gate(o => o.GlobalRequestsPerSecond = 30);
        var start = _clock.GetUtcNow();
        for (var i = 0; i < 30; i++)
            await AdmitAsync(gate, "a:" + i);
        Assert.True(_clock.GetUtcNow() - start < TimeSpan.FromSeconds(1)); // the burst of 3, then one every 1/30 s

        await AdmitAsync(gate, "a:new"); // paced, it would be due before the first call has left the second

        Assert.Equal(TimeSpan.FromSeconds(1), _clock.GetUtcNow() - start);
    }

    [Fact]
    public async Task WaitAsync_AdmitsABurstAgain_AfterALull()
    {
        var gate = Gate(o => o.GlobalRequestsPerSecond = 30);
        for (var i = 0; i < 10; i++)
            await AdmitAsync(gate, "a:" + i);
        _clock.Advance(TimeSpan.FromSeconds(2));

        for (var i = 10; i < 13; i++)
            Assert.Equal(TimeSpan.Zero, await AdmitAsync(gate, "a:" + i));
        Assert.InRange(await AdmitAsync(gate, "a:13"), TimeSpan.FromSeconds(1) / 30, (TimeSpan.FromSeconds(1) / 30) + Millisecond);
    }

    [Fact]
    public async Task ReportThrottled_HoldsThatConversationUntilRetryAfter_AndNoOther()
    {
        var gate = Gate();
        gate.ReportThrottled("a:1", TimeSpan.FromSeconds(15));

        Assert.Equal(TimeSpan.Zero, await AdmitAsync(gate, "a:2"));
        Assert.Equal(TimeSpan.FromSeconds(15), await AdmitAsync(gate, "a:1"));
        Assert.Null(gate.GlobalHoldUntil);
    }

    [Fact]
    public async Task ReportThrottled_HoldsEveryConversation_WhenSeveralConversationsAreThrottledTogether()
    {
        var gate = Gate(o => o.GlobalThrottleThreshold = 3);
        gate.ReportThrottled("a:1", TimeSpan.FromSeconds(5));
        gate.ReportThrottled("a:2", TimeSpan.FromSeconds(5));
        Assert.Null(gate.GlobalHoldUntil);

        gate.ReportThrottled("a:3", TimeSpan.FromSeconds(8));

        Assert.Equal(_clock.GetUtcNow().AddSeconds(8), gate.GlobalHoldUntil);
        Assert.Equal(TimeSpan.FromSeconds(8), await AdmitAsync(gate, "a:unrelated"));
    }

    [Fact]
    public async Task ReportThrottled_DoesNotHoldEveryone_WhenThrottlesAreSpreadBeyondTheWindow()
    {
        var gate = Gate(o => o.GlobalThrottleThreshold = 2);
        gate.ReportThrottled("a:1", TimeSpan.FromSeconds(1));
        _clock.Advance(TimeSpan.FromSeconds(11));

        gate.ReportThrottled("a:2", TimeSpan.FromSeconds(1));

        Assert.Null(gate.GlobalHoldUntil);
        Assert.Equal(TimeSpan.Zero, await AdmitAsync(gate, "a:3"));
    }

    [Fact]
    public async Task WaitAsync_ReturnsNotAdmittedWithRetryAfter_WhenTheWaitWouldExceedMaxWait()
    {
        var gate = Gate(o => o.MaxWait = TimeSpan.FromSeconds(30));
        gate.ReportThrottled("a:1", TimeSpan.FromMinutes(2));

        var decision = await gate.WaitAsync("a:1", ThrottleCategory.Send, CancellationToken.None);

        Assert.False(decision.Admitted);
        Assert.Equal(TimeSpan.FromMinutes(2), decision.RetryAfter);
        Assert.Equal(1, gate.DeferredRequests);
        Assert.DoesNotContain(_clock.PendingDelays, d => d <= Within);
    }

    [Fact]
    public async Task WaitAsync_CountsWaitingTime_WhenCallsHadToWait()
    {
        var gate = Gate();
        for (var i = 0; i < 9; i++) await AdmitAsync(gate, "a:1");

        Assert.Equal(TimeSpan.FromSeconds(2), gate.TotalWaitTime);
        Assert.Equal(2, gate.WaitedRequests);
    }

    [Fact]
    public async Task WaitAsync_ThrowsOperationCanceled_WhenCancelledWhileWaiting()
    {
        var gate = Gate();
        gate.ReportThrottled("a:1", TimeSpan.FromSeconds(10));
        using var cts = new CancellationTokenSource();

        var waiting = gate.WaitAsync("a:1", ThrottleCategory.Send, cts.Token).AsTask();
        await _clock.WaitForTimerAsync(Within);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact]
    public async Task WaitAsync_AdmitsAllWaitersWithinLimits_WhenManyWaitConcurrently()
    {
        var gate = Gate();
        var waiters = Enumerable.Range(0, 16).Select(_ => gate.WaitAsync("a:1", ThrottleCategory.Send, CancellationToken.None).AsTask()).ToList();

        await _clock.RunUntilCompletedAsync(Task.WhenAll(waiters), Within);

        // 16 calls at 7/1 s and 8/2 s: 7 at t0, 1 at t1, 7 at t2, 1 at t3.
        var waited = waiters.Select(w => w.Result.Waited).Order().ToList();
        Assert.Equal(7, waited.Count(w => w == TimeSpan.Zero));
        Assert.Equal(1, waited.Count(w => w == TimeSpan.FromSeconds(1)));
        Assert.Equal(7, waited.Count(w => w == TimeSpan.FromSeconds(2)));
        Assert.Equal(1, waited.Count(w => w == TimeSpan.FromSeconds(3)));
    }
}
