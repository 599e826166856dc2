using System.Diagnostics;

namespace ChatWeb.Bench.Measuring;

/// <summary>One monotonic clock for send stamps and arrivals: senders and receivers live in the same process.</summary>
internal static class LatencyClock
{
    public static long Now() => Stopwatch.GetTimestamp();

    public static long Microseconds(long ticks) => ticks * 1_000_000 / Stopwatch.Frequency;

    public static long TicksFromSeconds(double seconds) => (long)(seconds * Stopwatch.Frequency);
}
