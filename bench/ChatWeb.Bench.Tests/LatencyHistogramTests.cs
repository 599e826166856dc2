using ChatWeb.Bench.Measuring;

namespace ChatWeb.Bench.Tests;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void PercentilesOfUniformValuesAreWithinTheBucketPrecision()
    {
        var histogram = new LatencyHistogram();
        for (var value = 1; value <= 10_000; value++) histogram.Record(value);

        AssertNear(5_000, histogram.ValueAtQuantile(0.50));
        AssertNear(9_000, histogram.ValueAtQuantile(0.90));
        AssertNear(9_900, histogram.ValueAtQuantile(0.99));
        Assert.Equal(10_000, histogram.ValueAtQuantile(1.0));
        Assert.Equal(10_000, histogram.MaxMicroseconds);
        Assert.Equal(10_000, histogram.Count);
    }

    [Fact]
    public void SmallValuesAreExact()
    {
        var histogram = new LatencyHistogram();
        foreach (var value in new long[] { 3, 7, 7, 40 }) histogram.Record(value);

        Assert.Equal(3, histogram.ValueAtQuantile(0.25));
        Assert.Equal(7, histogram.ValueAtQuantile(0.50));
        Assert.Equal(7, histogram.ValueAtQuantile(0.75));
        Assert.Equal(40, histogram.ValueAtQuantile(0.99));
    }

    [Fact]
    public void PercentilesNeverReportLessThanTheTrueValue()
    {
        // A percentile is the upper edge of its bucket: the bench may overstate a latency slightly, never understate it.
        var histogram = new LatencyHistogram();
        for (var i = 0; i < 99; i++) histogram.Record(1_000);
        histogram.Record(123_457);

        Assert.InRange(histogram.ValueAtQuantile(0.99), 1_000, 1_016);
        Assert.Equal(123_457, histogram.ValueAtQuantile(0.999));
    }

    [Fact]
    public void EveryValueFallsInABucketWhoseUpperEdgeIsWithinOnePointSixPercent()
    {
        for (long value = 1; value < 50_000_000; value = value * 3 / 2 + 1)
        {
            var edge = LatencyHistogram.UpperEdge(LatencyHistogram.IndexOf(value));
            Assert.InRange(edge, value, value + value / 63);
        }
    }

    [Fact]
    public void MergedHistogramsCountEverything()
    {
        var fast = new LatencyHistogram();
        var slow = new LatencyHistogram();
        for (var i = 0; i < 90; i++) fast.Record(100);
        for (var i = 0; i < 10; i++) slow.Record(50_000);

        var total = new LatencyHistogram();
        total.Add(fast);
        total.Add(slow);

        Assert.Equal(100, total.Count);
        Assert.Equal(100, total.ValueAtQuantile(0.90));
        AssertNear(50_000, total.ValueAtQuantile(0.91));
        Assert.Equal(50_000, total.MaxMicroseconds);
    }

    [Fact]
    public void AnEmptyOrClearedHistogramReportsZero()
    {
        var histogram = new LatencyHistogram();
        Assert.Equal(0, histogram.ValueAtQuantile(0.99));
        histogram.Record(5_000);
        histogram.Clear();
        Assert.Equal(0, histogram.ValueAtQuantile(0.99));
        Assert.Equal(0, histogram.Count);
        Assert.Equal(0, histogram.MaxMicroseconds);
    }

    private static void AssertNear(long expected, long actual) => Assert.InRange(actual, expected, expected + expected / 60);
}
