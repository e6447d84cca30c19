using ApprovalBot.Benchmarks.Analysis;

namespace ApprovalBot.UnitTests.Benchmarks;

/// <summary>The benchmark's order statistics: nearest rank, so a percentile is always a value that was measured.</summary>
public sealed class PercentilesTests
{
    private static readonly double[] OneToHundred = [.. Enumerable.Range(1, 100).Select(i => (double)i).Reverse()];

    [Theory]
    [InlineData(50, 50)]
    [InlineData(90, 90)]
    [InlineData(99, 99)]
    [InlineData(99.5, 100)]
    [InlineData(100, 100)]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(1.5, 2)]
    public void Of_ReturnsTheNearestRankValue_WhenTheSampleIsUnsorted(double percent, double expected) =>
        Assert.Equal(expected, Percentiles.Of(OneToHundred, percent));

    [Fact]
    public void Of_ReturnsTheSlowOutlier_AsP99_WhenOneSampleInAHundredIsSlow()
    {
        var sample = Enumerable.Repeat(10.0, 98).Append(500).Append(20).ToArray();

        Assert.Equal(20, Percentiles.Of(sample, 99));
        Assert.Equal(500, Percentiles.Of(sample, 100));
        Assert.Equal(10, Percentiles.Of(sample, 50));
    }

    [Fact]
    public void Of_ReturnsTheOnlyValue_ForEveryPercent_WhenTheSampleHasOneValue()
    {
        Assert.Equal(7, Percentiles.Of([7.0], 1));
        Assert.Equal(7, Percentiles.Of([7.0], 99));
    }

    [Fact]
    public void Of_IsNaN_WhenTheSampleIsEmpty() => Assert.True(double.IsNaN(Percentiles.Of([], 99)));

    [Theory]
    [InlineData(-1)]
    [InlineData(100.1)]
    public void Of_Throws_WhenThePercentIsOutOfRange(double percent) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.Of(OneToHundred, percent));

    [Fact]
    public void Summarize_GivesCountPercentilesMaxAndMean()
    {
        var summary = Percentiles.Summarize([4.0, 1, 3, 2]);

        Assert.Equal(new Summary(4, 2, 4, 4, 4, 2.5), summary);
    }
}
