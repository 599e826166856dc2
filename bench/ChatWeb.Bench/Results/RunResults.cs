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

    /// <summary>
    /// Server CPU seconds per million deliveries: what a delivery costs the server whatever rate it ran at, so two
    /// servers offered the same load compare on it even when the generator caps their held rates. 0 when nothing
    /// was delivered (there is no cost per delivery to compare).
    /// </summary>
    public static double CpuSecondsPerMillion(double cpuSeconds, long deliveries) =>
        deliveries <= 0 ? 0 : Math.Round(cpuSeconds * 1e6 / deliveries, 2);
}

/// <summary>Every result line names its scenario, the server and the transport; the table and the ratios are built from these.</summary>
internal abstract record RunResult([property: JsonPropertyOrder(-2)] string Target, [property: JsonPropertyOrder(-1)] string Transport)
{
    [JsonPropertyOrder(-3)]
    public abstract string Scenario { get; }
}

/// <summary>
/// One fan-out run at one offered rate. <see cref="LoadGeneratorCpuPercent"/> is the generator's CPU per core it may
/// use (one, pinned, in run.sh: results written before it was per core had it pinned to one core too, so they read
/// the same); <see cref="GeneratorCoreBusyPercent"/> the busiest of those cores with everyone's work on it (null in
/// older results). <see cref="FixedDeliveriesPerSecond"/> is set on the runs at a fixed offered load, made to compare
/// servers' CPU per delivery where the generator limits the held rate.
/// </summary>
internal sealed record FanoutResult(
    string Target, string Transport, int Clients, int Senders, int TextBytes,
    double OfferedRate, double Seconds, long Sent, long Unsent, long Expected, long Delivered, double DeliveriesPerSecond,
    LatencySummary Latency, long Lost, long Duplicates, long OutOfOrder, int Disconnected,
    ServerUsage Server, double CpuSecondsPerMillionDeliveries, double LoadGeneratorCpuPercent,
    int GeneratorCores = 1, double? GeneratorCoreBusyPercent = null, double? FixedDeliveriesPerSecond = null) : RunResult(Target, Transport)
{
    /// <summary>The p99 a rate must stay within to count as held.</summary>
    public const double HeldP99Ms = 50;

    public override string Scenario => "fanout";

    public bool Clean => Lost == 0 && Duplicates == 0 && OutOfOrder == 0 && Unsent == 0 && Disconnected == 0;

    public bool Held => Clean && Latency.P99Ms <= HeldP99Ms;

    /// <summary>Past this the step search stops raising the rate: messages are lost, or p99 is over a second.</summary>
    public bool Saturated => !Clean || Latency.P99Ms > 1000;

    /// <summary>Whether this point measured the generator's limit rather than the server's (<see cref="GeneratorLoad"/>).</summary>
    public GeneratorState Generator => GeneratorLoad.Classify(LoadGeneratorCpuPercent, GeneratorCoreBusyPercent);
}

/// <summary>
/// The outcome of <c>--step</c>: the highest rate held (no loss, duplicates or reordering, p99 at most 50 ms), that
/// run, and the run that ended the search above it (null in older results, or when nothing above was tried).
/// </summary>
internal sealed record FanoutStepResult(
    string Target, string Transport, int Clients, int Senders,
    double HeldRate, double FirstFailedRate, int Runs, FanoutResult? Held, FanoutResult? FirstFailed = null) : RunResult(Target, Transport)
{
    public override string Scenario => "fanout-step";

    public double HeldDeliveriesPerSecond => Held?.DeliveriesPerSecond ?? 0;

    /// <summary>
    /// Bound or crowded when the generator was past its limit at the best held run or at the run that ended the
    /// search: then the held rate is where the generator stopped, and the server might hold more.
    /// </summary>
    public GeneratorState Generator => (Held?.Generator, FirstFailed?.Generator) switch
    {
        (GeneratorState.Bound, _) or (_, GeneratorState.Bound) => GeneratorState.Bound,
        (GeneratorState.Crowded, _) or (_, GeneratorState.Crowded) => GeneratorState.Crowded,
        _ => GeneratorState.Free,
    };
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
    double WallSeconds, LatencySummary PerClient, double ServerCpuSeconds, double ServerCpuMsPerSignIn, string? FirstError,
    double? LoadGeneratorCpuPercent = null, double? GeneratorCoreBusyPercent = null) : RunResult(Target, Transport)
{
    public override string Scenario => "connect";

    /// <summary>A storm's wall time is the generator's too: it opens every connection and does its side of every handshake.</summary>
    public GeneratorState Generator => GeneratorLoad.Classify(LoadGeneratorCpuPercent ?? 0, GeneratorCoreBusyPercent);
}

/// <summary>Accounts registered (and their tokens issued) before measuring: PBKDF2 twice per account, reported on its own.</summary>
internal sealed record RegistrationResult(
    string Target, int Accounts, int Failures, double WallSeconds, LatencySummary Register, LatencySummary Token,
    double ServerCpuSeconds, double ServerCpuMsPerHash, string? FirstError) : RunResult(Target, "api")
{
    public override string Scenario => "register";
}
