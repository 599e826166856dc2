namespace ChatWeb.Bench.Measuring;

/// <summary>
/// Latencies in microseconds, counted in log-linear buckets (64 per power of two, so a percentile is
/// within 1.6 % of the true value) up to about 12 days. Fixed size, no allocation per value: one per
/// receiver, merged when a run ends.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBucketBits = 6;
    private const int SubBuckets = 1 << SubBucketBits;
    private const int MaxExponent = 40;
    private const int BucketCount = SubBuckets + (MaxExponent - SubBucketBits + 1) * SubBuckets;

    private readonly long[] _counts = new long[BucketCount];

    public long Count { get; private set; }
    public long MaxMicroseconds { get; private set; }

    public void Record(long microseconds)
    {
        if (microseconds < 0) microseconds = 0;
        _counts[IndexOf(microseconds)]++;
        Count++;
        if (microseconds > MaxMicroseconds) MaxMicroseconds = microseconds;
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < BucketCount; i++) _counts[i] += other._counts[i];
        Count += other.Count;
        MaxMicroseconds = Math.Max(MaxMicroseconds, other.MaxMicroseconds);
    }

    public void Clear()
    {
        Array.Clear(_counts);
        Count = 0;
        MaxMicroseconds = 0;
    }

    /// <summary>
    /// The smallest value at or above which lies no more than (1 - <paramref name="quantile"/>) of the counts,
    /// reported as its bucket's upper edge (never above the true maximum): percentiles err on the slow side.
    /// </summary>
    public long ValueAtQuantile(double quantile)
    {
        if (Count == 0) return 0;
        var rank = Math.Max(1, (long)Math.Ceiling(Math.Clamp(quantile, 0, 1) * Count));
        long seen = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return Math.Min(UpperEdge(i), MaxMicroseconds);
        }
        return MaxMicroseconds;
    }

    internal static int IndexOf(long value)
    {
        if (value < SubBuckets) return (int)value;
        var exponent = 63 - (int)long.LeadingZeroCount(value);
        if (exponent > MaxExponent) return BucketCount - 1;
        var shift = exponent - SubBucketBits;
        var mantissa = (int)(value >> shift) & (SubBuckets - 1);
        return SubBuckets + shift * SubBuckets + mantissa;
    }

    internal static long UpperEdge(int index)
    {
        if (index < SubBuckets) return index;
        var shift = (index - SubBuckets) / SubBuckets;
        var mantissa = (index - SubBuckets) % SubBuckets;
        var lower = (long)(SubBuckets + mantissa) << shift;
        return lower + (1L << shift) - 1;
    }
}
