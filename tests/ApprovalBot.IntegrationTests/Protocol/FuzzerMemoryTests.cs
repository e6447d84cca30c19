using System.Diagnostics;
using System.Net;
using ApprovalBot.IntegrationTests.Infrastructure;
using ApprovalBot.Protocol.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace ApprovalBot.IntegrationTests.Protocol;

/// <summary>
/// The fuzzer's cases (<see cref="MalformedInputTests.Mutate"/>: random, truncated, mutated and hostile bodies with valid
/// tokens), each from a new user in a new conversation with a new activity id, and the bot's memory stays flat: the
/// managed heap after a forced collection grows by less than <see cref="AllowedGrowthBytes"/> over
/// <see cref="MeasuredCases"/> cases after a warm-up. Anything kept per user, conversation or activity id without a
/// bound would grow with every case and fail it: at 1 KB a case, 2,000 cases are 2 MB. The per-user command limiter
/// does keep one small bucket per user it has seen, up to its bound (<see cref="UserTurnLimiter.MaxTrackedUsers"/>),
/// about 0.3 KB each; that is part of the allowance.
/// <para>
/// The bot runs in this process (the heap measured is the whole test process's); the fake connector's record of the
/// replies is dropped before each measurement, so the fake's memory is not counted.
/// </para>
/// </summary>
public sealed class FuzzerMemoryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Seed = 20261207;
    private const int WarmUpCases = 500;
    private const int MeasuredCases = 2000;
    private const long AllowedGrowthBytes = 2 * 1024 * 1024;
    private BotTestHost _bot = null!;

    public async Task InitializeAsync() => _bot = await BotTestHost.StartAsync();

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task ManagedHeap_StaysFlat_WhileThousandsOfHostileActivitiesFromNewUsersArrive()
    {
        var clock = Stopwatch.StartNew();
        var random = new Random(Seed);
        var failures = new List<string>();
        var next = 0;

        await SendAsync(WarmUpCases);
        var before = await MeasureAsync();
        await SendAsync(MeasuredCases);
        var after = await MeasureAsync();

        var growth = after - before;
        var limiter = _bot.Services.GetRequiredService<UserTurnLimiter>();
        output.WriteLine($"managed heap after {WarmUpCases} warm-up cases: {before / 1024.0:0} KiB; after {MeasuredCases} more: {after / 1024.0:0} KiB; " +
                         $"growth {growth / 1024.0:0} KiB ({growth / (double)MeasuredCases:0} B a case); limiter tracks {limiter.TrackedUsers} users; took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.True(growth < AllowedGrowthBytes,
            $"The managed heap grew by {growth / 1024.0:0} KiB over {MeasuredCases} cases ({growth / (double)MeasuredCases:0} B a case); allowed {AllowedGrowthBytes / 1024} KiB.");

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
