namespace ChatWeb.Bench.Results;

/// <summary>Where a soak is when a sample is taken.</summary>
internal static class SoakPhase
{
    /// <summary>The server alone, before any client.</summary>
    public const string Baseline = "baseline";
    /// <summary>Every counted client in the room, nothing said yet.</summary>
    public const string Joined = "joined";
    public const string Chatting = "chatting";
    /// <summary>Sending is over and what was in flight has arrived (or the drain time ran out).</summary>
    public const string Drained = "drained";
    /// <summary>Every client gone and the server given a moment to close their connections.</summary>
    public const string Left = "left";
}

/// <summary>
/// One reading of the server and the room during a soak: a line of its time series, with the machine's load
/// average (neighbours show up there). Counts are cumulative.
/// <see cref="Outstanding"/> is what receivers are owed and have not received at that moment: in flight while
/// the chat goes on, lost if it is still there once drained.
/// </summary>
internal sealed record SoakSample(
    string Target, string Transport, string Phase, double ElapsedSeconds, double LoadAverage,
    long RssKiB, int Handles, int Threads, double CpuSeconds,
    long Sent, long Expected, long Delivered, long Outstanding, long Duplicates, long OutOfOrder,
    int Disconnects, int ChurnJoins, int ChurnFailures, long ServerErrorLines, int LogErrors, int LogWarnings) : RunResult(Target, Transport)
{
    public override string Scenario => "soak-sample";
}

/// <summary>
/// A server resource (RSS, handles, threads) over a soak: alone, with everyone joined, in the middle and at the
/// end of the chat, its highest, and after everyone left. A leak is a middle-to-last climb, or an after-left
/// figure well above the baseline.
/// </summary>
internal sealed record ResourceSeries(long Baseline, long Joined, long Middle, long Last, long Max, long AfterLeft)
{
    public static ResourceSeries Of(IReadOnlyList<SoakSample> samples, Func<SoakSample, long> value)
    {
        var inRoom = samples.Where(s => s.Phase is SoakPhase.Joined or SoakPhase.Chatting or SoakPhase.Drained).ToList();
        if (inRoom.Count == 0) throw new ArgumentException("no sample was taken with the clients in the room");
        var middleTime = (inRoom[0].ElapsedSeconds + inRoom[^1].ElapsedSeconds) / 2;
        var middle = inRoom.MinBy(s => Math.Abs(s.ElapsedSeconds - middleTime))!;
        return new ResourceSeries(
            ValueIn(samples, SoakPhase.Baseline, value), value(inRoom[0]), value(middle), value(inRoom[^1]),
            inRoom.Max(value), ValueIn(samples, SoakPhase.Left, value));
    }

    private static long ValueIn(IReadOnlyList<SoakSample> samples, string phase, Func<SoakSample, long> value) =>
        samples.LastOrDefault(s => s.Phase == phase) is { } sample ? value(sample) : 0;
}

/// <summary>
/// What a soak comes to: deliveries expected against received, everything that went wrong, and the server's
/// resources over the run. Clean means nothing lost, repeated, reordered or left unsent, no counted client cut
/// off, no churning client that failed to come or go, no error from the server to a client nor in its log.
/// </summary>
internal sealed record SoakResult(
    string Target, string Transport, int Clients, int ChurnClients, double RatePerClient, double ChatSeconds, int TextBytes,
    long Sent, long Unsent, long Expected, long Delivered, long Lost, long Duplicates, long OutOfOrder, long Strays, LatencySummary Latency,
    int Disconnects, int ChurnJoins, int ChurnFailures, long ServerErrorLines, int LogErrors, int LogWarnings,
    string? FirstClientError, string? FirstLogError, string? FirstLogWarning,
    ResourceSeries RssKiB, ResourceSeries Handles, ResourceSeries Threads, double ServerCpuSeconds, double LoadGeneratorCpuPercent) : RunResult(Target, Transport)
{
    public override string Scenario => "soak";

    public bool Clean =>
        Lost == 0 && Duplicates == 0 && OutOfOrder == 0 && Unsent == 0 && Disconnects == 0 && ChurnFailures == 0 && ServerErrorLines == 0 && LogErrors == 0;
}
