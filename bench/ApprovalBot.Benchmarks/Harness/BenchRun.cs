using System.Diagnostics;
using System.Globalization;
using ApprovalBot.Benchmarks.Analysis;

namespace ApprovalBot.Benchmarks.Harness;

/// <summary>How much work each figure does: <see cref="Full"/> is the issue's, <see cref="Quick"/> a smoke check.</summary>
internal sealed record Scale(
    IReadOnlyList<int> Concurrency,
    int DecisionsPerApprover,
    int CommandsPerUser,
    TimeSpan CommandThinkTime,
    int HeadlineTimers,
    TimeSpan HeadlineWindow,
    IReadOnlyList<int> ScalingTimers,
    TimeSpan ScalingWindow,
    IReadOnlyList<int> FootprintEscalations,
    int ApprovalsPerTenEscalations,
    TimeSpan IdleBeforeSecondReading,
    IReadOnlyList<int> FanOutRecipients)
{
    public static Scale Full { get; } = new(
        Concurrency: [25, 50, 100],
        DecisionsPerApprover: 40,
        CommandsPerUser: 20,
        CommandThinkTime: TimeSpan.FromSeconds(2),
        HeadlineTimers: 100_000,
        HeadlineWindow: TimeSpan.FromMinutes(10),
        ScalingTimers: [10_000, 20_000, 40_000, 80_000],
        ScalingWindow: TimeSpan.FromMinutes(2),
        FootprintEscalations: [10_000, 20_000, 40_000, 80_000, 100_000],
        ApprovalsPerTenEscalations: 1,
        IdleBeforeSecondReading: TimeSpan.FromSeconds(60),
        FanOutRecipients: [2_500, 5_000, 10_000]);

    public static Scale Quick { get; } = new(
        Concurrency: [10, 20],
        DecisionsPerApprover: 5,
        CommandsPerUser: 3,
        CommandThinkTime: TimeSpan.FromMilliseconds(500),
        HeadlineTimers: 500,
        HeadlineWindow: TimeSpan.FromSeconds(20),
        ScalingTimers: [],
        ScalingWindow: TimeSpan.FromSeconds(15),
        FootprintEscalations: [2_000],
        ApprovalsPerTenEscalations: 1,
        IdleBeforeSecondReading: TimeSpan.FromSeconds(5),
        FanOutRecipients: [500]);
}

/// <summary>One pass of the benchmark over one storage: the bed, the scale, where results go, and progress output.</summary>
internal sealed class BenchRun(Scale scale, Results results, BenchBed bed, StorageUnderTest storage, string workFolder)
{
    private readonly Stopwatch _since = Stopwatch.StartNew();

    public Scale Scale { get; } = scale;
    public Results Results { get; } = results;
    public BenchBed Bed { get; } = bed;
    public StorageUnderTest Storage { get; } = storage;
    public string WorkFolder { get; } = workFolder;

    /// <summary>
    /// Seconds to seed one escalation and have the bot's start-up audit arm its timer on this storage, as the footprint
    /// figure or the previous timer point last measured it (a cautious default before that). The timer figure places its first deadline after that.
    /// </summary>
    public double SetupSecondsPerTimer { get; set; } = 0.010;

    /// <summary>True once a timer point has measured <see cref="SetupSecondsPerTimer"/> on this storage.</summary>
    public bool SetupMeasured { get; set; }

    public void Say(string text) =>
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{_since.Elapsed:mm\\:ss}] {Storage.Name}: {text}"));
}

/// <summary>One figure of the table: measures itself on a <see cref="BenchRun"/> and adds to its results.</summary>
internal interface IFigure
{
    /// <summary>Short name used on the command line, in the CSV and for the chart files.</summary>
    string Name { get; }

    Task RunAsync(BenchRun run, CancellationToken cancellationToken);
}
