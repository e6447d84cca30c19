using System.Diagnostics;
using System.Net;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Protocol.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace ApprovalBot.IntegrationTests.Protocol;

/// <summary>
/// The fuzzer's cases (<see cref="MalformedInputTests.Mutate"/>: random, truncated, mutated and hostile bodies with valid
/// tokens), each from a new user in a new conversation with a new activity id, and the bot's memory stays flat: the
/// managed heap after a forced, compacting collection, measured after a warm-up of <see cref="WarmUpCases"/> and after each
/// half of <see cref="MeasuredCases"/> more, grows by less than <see cref="AllowedGrowthBytes"/> in all and by less than
/// <see cref="AllowedLastHalfGrowthBytes"/> over the second half. A one-off (a cache filled on first use, a pool growing to
/// its size) shows in the first half only; anything kept per user, conversation or activity id without a bound grows in
/// both, and at half a kilobyte a case the second half's 1,000 cases pass its allowance.
/// <para>
/// The one per-user table, the command limiter's buckets, is bounded (<see cref="UserTurnLimiter.MaxTrackedUsers"/>,
/// 50,000 in production); here its bound is <see cref="LimiterBound"/>, reached during the warm-up, so that the table's
/// legitimate growth does not hide a leak, and the test checks through the real endpoint that it holds.
/// </para>
/// <para>
/// The bot runs in this process (the heap measured is the whole test process's); the fake connector's record of the
/// replies is dropped before each measurement, so the fake's memory is not counted.
/// </para>
/// </summary>
public sealed class FuzzerMemoryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Seed = 20261207;
    private const int WarmUpCases = 1000;
    private const int MeasuredCases = 2000;
    private const int LimiterBound = 64;
    private const long AllowedGrowthBytes = 3 * 1024 * 1024;
    private const long AllowedLastHalfGrowthBytes = 512 * 1024;
    private BotTestHost _bot = null!;

    public async Task InitializeAsync() => _bot = await BotTestHost.StartAsync(new BotTestHostOptions
    {
        Services = services => services.AddSingleton(sp => new UserTurnLimiter(
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<BotEndpointOptions>>(), LimiterBound)),
    });

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task ManagedHeap_StaysFlat_WhileThousandsOfHostileActivitiesFromNewUsersArrive()
    {
        var clock = Stopwatch.StartNew();
        var random = new Random(Seed);
        var failures = new List<string>();
        var next = 0;

        await SendAsync(WarmUpCases);
        var start = await MeasureAsync();
        await SendAsync(MeasuredCases / 2);
        var middle = await MeasureAsync();
        await SendAsync(MeasuredCases / 2);
        var end = await MeasureAsync();

        var limiter = _bot.Services.GetRequiredService<UserTurnLimiter>();
        output.WriteLine($"managed heap after {WarmUpCases} warm-up cases: {start / 1024.0:0} KiB; after {MeasuredCases / 2} more: {middle / 1024.0:0} KiB; " +
                         $"after {MeasuredCases / 2} more: {end / 1024.0:0} KiB; growth {(end - start) / 1024.0:0} KiB over {MeasuredCases} cases " +
                         $"({(end - start) / (double)MeasuredCases:0} B a case), {(end - middle) / 1024.0:0} KiB over the last {MeasuredCases / 2}; " +
                         $"limiter tracks {limiter.TrackedUsers} users; took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.InRange(limiter.TrackedUsers, 1, LimiterBound);
        // A leak grows in both halves; a one-off (a cache filled on first use, a pool growing to its size) only once.
        Assert.True(end - start < AllowedGrowthBytes && end - middle < AllowedLastHalfGrowthBytes,
            $"The managed heap grew by {(end - start) / 1024.0:0} KiB over {MeasuredCases} cases and {(end - middle) / 1024.0:0} KiB over the last {MeasuredCases / 2}; " +
            $"allowed {AllowedGrowthBytes / 1024} KiB and {AllowedLastHalfGrowthBytes / 1024} KiB.");

        var healthy = _bot.PersonalChat(TestUser.Create("After Memory Fuzz"));
        Assert.Equal(HttpStatusCode.OK, (await healthy.SendAsync("help")).Status);
        await healthy.ExpectCardAsync(TimeSpan.FromSeconds(30));

        async Task SendAsync(int cases)
        {
            for (var end = next + cases; next < end; next++)
            {
                var chat = _bot.PersonalChat(TestUser.Create($"Memory Fuzz {next}"), $"a:memory-fuzz-{next}");
                var (kind, body) = MalformedInputTests.Mutate(random, chat);
                using var response = await _bot.PostRawAsync(body);
                if ((int)response.StatusCode >= 500)
                    failures.Add($"case {next} ({kind}) → {(int)response.StatusCode}");
            }
        }
    }

    /// <summary>Lets the replies go out, drops the fake's record of them, then the heap after full, compacting collections.</summary>
    private async Task<long> MeasureAsync()
    {
        await _bot.WaitForOutboxToSettleAsync(TimeSpan.FromSeconds(60));
        _bot.Connector.ForgetHistory();
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
