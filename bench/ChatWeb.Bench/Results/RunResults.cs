using System.Text.Json.Serialization;
using ChatWeb.Bench.Measuring;

namespace ChatWeb.Bench.Results;

/// <summary>Latency percentiles in milliseconds.</summary>
internal sealed record LatencySummary(double P50Ms, double P90Ms, double P99Ms, double MaxMs)
{
    public static LatencySummary From(LatencyHistogram histogram) => new(
        Milliseconds(histogram.ValueAtQuantile(0.50)),
        Milliseconds(histogram.ValueAtQuantile(0.90)),
        Milliseconds(histogram.ValueAtQuantile(0.99)),
        Milliseconds(histogram.MaxMicroseconds));

    private static double Milliseconds(long microseconds) => Math.Round(microseconds / 1000.0, 3);
}

/// <summary>The server under test around one run: resident memory before and after, CPU seconds spent during it.</summary>
internal sealed record ServerUsage(long RssBeforeKiB, long RssAfterKiB, double CpuSeconds)
{
    public static ServerUsage Between(ProcessSample before, ProcessSample after) =>
        new(before.RssKiB, after.RssKiB, Math.Round(after.CpuSeconds - before.CpuSeconds, 2));
}

/// <summary>Every result line names its scenario, the server and the transport; the table and the ratios are built from these.</summary>
internal abstract record RunResult([property: JsonPropertyOrder(-2)] string Target, [property: JsonPropertyOrder(-1)] string Transport)
{
    [JsonPropertyOrder(-3)]
    public abstract string Scenario { get; }
}

/// <summary>One fan-out run at one offered rate.</summary>
internal sealed record FanoutResult(
    string Target, string Transport, int Clients, int Senders, int TextBytes,
    double OfferedRate, double Seconds, long Sent, long Unsent, long Expected, long Delivered, double DeliveriesPerSecond,
    LatencySummary Latency, long Lost, long Duplicates, long OutOfOrder, int Disconnected,
    ServerUsage Server, double CpuSecondsPerMillionDeliveries, double LoadGeneratorCpuPercent) : RunResult(Target, Transport)
{
    /// <summary>The p99 a rate must stay within to count as held.</summary>
    public const double HeldP99Ms = 50;

    public override string Scenario => "fanout";

    public bool Clean => Lost == 0 && Duplicates == 0 && OutOfOrder == 0 && Unsent == 0 && Disconnected == 0;

    public bool Held => Clean && Latency.P99Ms <= HeldP99Ms;

    /// <summary>Past this the step search stops raising the rate: messages are lost, or p99 is over a second.</summary>
    public bool Saturated => !Clean || Latency.P99Ms > 1000;
}

/// <summary>The outcome of <c>--step</c>: the highest rate held (no loss, duplicates or reordering, p99 at most 50 ms), and that run.</summary>
internal sealed record FanoutStepResult(
    string Target, string Transport, int Clients, int Senders,
    double HeldRate, double FirstFailedRate, int Runs, FanoutResult? Held) : RunResult(Target, Transport)
{
    public override string Scenario => "fanout-step";

    public double HeldDeliveriesPerSecond => Held?.DeliveriesPerSecond ?? 0;
}

/// <summary>Many signed-in connections doing nothing: what each costs the server in resident memory.</summary>
internal sealed record IdleResult(
    string Target, string Transport, int Connections, int Connected, int Failures, double ConnectSeconds,
    long RssBeforeKiB, long RssAfterKiB, double KiBPerConnection, string? FirstError) : RunResult(Target, Transport)
{
    public override string Scenario => "idle";
}

/// <summary>Many clients connecting and signing in at the same moment.</summary>
internal sealed record ConnectResult(
    string Target, string Transport, string Path, int Clients, int Succeeded, int Failures,
    double WallSeconds, LatencySummary PerClient, double ServerCpuSeconds, double ServerCpuMsPerSignIn, string? FirstError) : RunResult(Target, Transport)
{
    public override string Scenario => "connect";
}

/// <summary>Accounts registered (and their tokens issued) before measuring: PBKDF2 twice per account, reported on its own.</summary>
internal sealed record RegistrationResult(
    string Target, int Accounts, int Failures, double WallSeconds, LatencySummary Register, LatencySummary Token,
    double ServerCpuSeconds, double ServerCpuMsPerHash, string? FirstError) : RunResult(Target, "api")
{
    public override string Scenario => "register";
}
